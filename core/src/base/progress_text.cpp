// Progress line text (progress_text.hpp). Pure; any thread.
#include "driftlab/base/progress_text.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace driftlab {

std::string formatEta(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long long s = std::llround(std::ceil(seconds));
  char text[32];
  if (s < 60) {
    std::snprintf(text, sizeof text, "%llds", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
  } else if (s < 1000LL * 3600) {
    std::snprintf(text, sizeof text, "%lldh%02lldm", s / 3600, s % 3600 / 60);
  } else {
    return ">999h";
  }
  return text;
}

std::string formatRate(double r) {
  if (!std::isfinite(r) || r < 0) return "?";
  char text[32];
  if (r >= 1e9) std::snprintf(text, sizeof text, "%.3gG", r / 1e9);
  else if (r >= 1e6) std::snprintf(text, sizeof text, "%.3gM", r / 1e6);
  else if (r >= 1e4) std::snprintf(text, sizeof text, "%.3gk", r / 1e3);
  else if (r >= 100) std::snprintf(text, sizeof text, "%.0f", r);
  else std::snprintf(text, sizeof text, "%.2g", r);
  return text;
}

double progressRate(long long done, double elapsed_s) {
  return done > 0 && elapsed_s > 0 && std::isfinite(elapsed_s) ? static_cast<double>(done) / elapsed_s : 0.0;
}

double progressEta(long long done, long long total, double rate) {
  if (!(rate > 0) || !std::isfinite(rate)) return std::numeric_limits<double>::quiet_NaN();
  return done >= total ? 0.0 : static_cast<double>(total - done) / rate;
}

std::string progressLine(std::string_view task, std::string_view noun, long long done, long long total,
                         double elapsed_s) {
  std::string line = std::string(task) + ": " + std::string(noun) + " " + std::to_string(done) + "/" +
                     std::to_string(total);
  const double rate = progressRate(done, elapsed_s);
  if (rate > 0) {
    line += "  " + formatRate(rate) + " " + std::string(noun) + "s/s  ETA " + formatEta(progressEta(done, total, rate));
  }
  return line;
}

bool progressRedrawDue(double now_s, double last_draw_s) {
  return last_draw_s < 0 || now_s - last_draw_s >= kProgressRedrawSeconds;
}

std::string progressOverwrite(std::string_view line, std::size_t& shown) {
  std::string out = "\r";
  out += line;
  if (shown > line.size()) out.append(shown - line.size(), ' ');
  if (line.empty()) out += '\r';
  shown = line.size();
  return out;
}

bool progressWanted(int forced, bool quiet, bool stderr_is_tty) {
  if (forced != 0) return forced > 0;
  return stderr_is_tty && !quiet;
}

}  // namespace driftlab
