// Ctrl-C (SIGINT) and SIGTERM during the step loops of `run` and `train`: the first signal only
// sets a flag, which the loop reads between steps; it then stops, writes what it has gathered
// and exits with 128 + the signal (130 for Ctrl-C). The handler puts both signals back to their
// default action, so a second signal ends the program at once, and so does a step that has not
// ended kStopGraceSeconds after the first signal (exit 128 + the signal, one line on stderr, no
// output written). A signal that the parent set to be ignored (a background job of a script)
// stays ignored. SIGALRM is used for that grace period while an InterruptScope lives. Main thread
// only.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace driftlab::cli {

inline constexpr unsigned kStopGraceSeconds = 10;

// Installs the handler for its lifetime and restores the previous actions afterwards.
class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

// 0 while no signal has arrived since the last InterruptScope began, else its number
int interruptSignal();

// one line on stderr: "run: interrupted at step K of N; metrics written to X; --final not written"
// (`unwritten`: option and path of each output that is skipped; those with an empty path are left out)
void reportInterrupted(const char* command, long step, long total, const std::string& metrics_path,
                       const std::vector<std::pair<const char*, std::string>>& unwritten);

// thrown by a command after it has written its partial outputs and said so on stderr; main()
// turns it into the exit code
struct Interrupted {
  int exit_code = 130;
};

}  // namespace driftlab::cli
