// SIGINT / SIGTERM as a flag read between steps (interrupt.hpp). Main thread only; the handler
// itself runs on whichever thread the kernel picks and does only async-signal-safe work.
#include "interrupt.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace driftlab::cli {

namespace {

volatile std::sig_atomic_t g_signal = 0;
constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGALRM};
struct sigaction g_previous[3];
bool g_installed[3] = {false, false, false};  // written before the handlers are installed

extern "C" void onInterrupt(int sig) {
  g_signal = sig;
  // a second signal takes the default action: the program ends at once
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int i = 0; i < 2; ++i)
    if (g_installed[i]) sigaction(kSignals[i], &dfl, nullptr);  // one the parent ignores stays ignored
  // one step can take minutes (millions of bandwidth scales): a signal from `timeout` or a process
  // manager must still end the program, so the loop gets kStopGraceSeconds to reach its check
  alarm(kStopGraceSeconds);
}

extern "C" void onGraceOver(int) {
  static const char kText[] = "driftlab-cli: the current step did not end within 10 s of the signal; stopped without "
                              "writing any output\n";
  static_assert(kStopGraceSeconds == 10, "the message names the grace period");
  (void)!write(STDERR_FILENO, kText, sizeof kText - 1);
  _exit(128 + g_signal);
}

}  // namespace

InterruptScope::InterruptScope() {
  g_signal = 0;
  struct sigaction act {};
  act.sa_flags = SA_RESTART;  // a write to stdout or a file in progress is not cut short (EINTR)
  sigemptyset(&act.sa_mask);
  for (int s : kSignals) sigaddset(&act.sa_mask, s);  // one handler at a time
  for (int i = 0; i < 3; ++i) {
    act.sa_handler = kSignals[i] == SIGALRM ? onGraceOver : onInterrupt;
    sigaction(kSignals[i], nullptr, &g_previous[i]);
    g_installed[i] = g_previous[i].sa_handler != SIG_IGN;
    if (g_installed[i]) sigaction(kSignals[i], &act, nullptr);
  }
}

InterruptScope::~InterruptScope() {
  alarm(0);  // the loop has ended: what follows (metrics, writes) is not cut short
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
}

int interruptSignal() { return static_cast<int>(g_signal); }

void reportInterrupted(const char* command, long step, long total, const std::string& metrics_path,
                       const std::vector<std::pair<const char*, std::string>>& unwritten) {
  std::string line = std::string(command) + ": interrupted at step " + std::to_string(step) + " of " + std::to_string(total);
  line += metrics_path.empty() ? "; no metrics file (--metrics not given)" : "; metrics written to " + metrics_path;
  std::string skipped;
  for (const auto& [option, path] : unwritten)
    if (!path.empty()) skipped += (skipped.empty() ? "" : ", ") + std::string(option);
  if (!skipped.empty()) line += "; " + skipped + " not written";
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace driftlab::cli
