// The text of a one-line progress display for long work ("run: step 1200/100000  840 steps/s
// ETA 1m57s"), shared by driftlab-cli and the app's headless recordings. Pure string formatting:
// the callers decide whether a terminal is there and write the bytes. Any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace driftlab {

// at most ~5 redraws a second: a terminal that is redrawn faster only flickers
inline constexpr double kProgressRedrawSeconds = 0.2;

// "42s", "1m57s", "2h03m", ">999h"; "?" when unknown (negative, NaN or infinite)
std::string formatEta(double seconds);
// a rate in at most four significant characters: "0.52", "42", "840", "12.3k", "2.1M"
std::string formatRate(double per_second);
// items per second; 0 while nothing is known (nothing done or no time passed)
double progressRate(long long done, double elapsed_s);
// seconds left for total - done items at `rate`; NaN when the rate is unknown
double progressEta(long long done, long long total, double rate);
// "<task>: <noun> done/total  R <noun>s/s  ETA T"; rate and ETA are left out while unknown
std::string progressLine(std::string_view task, std::string_view noun, long long done, long long total,
                         double elapsed_s);
// redraw now? Yes when nothing is shown (last_draw_s < 0) or kProgressRedrawSeconds have passed
bool progressRedrawDue(double now_s, double last_draw_s);
// Bytes that replace the `shown` characters of the current terminal line by `line`: "\r", the
// line, then spaces over what is left of the old one; `shown` <- the new width. An empty `line`
// clears ("\r   \r", the cursor back at the start). No escape sequences, so any terminal works.
std::string progressOverwrite(std::string_view line, std::size_t& shown);
// show the line? forced > 0: yes; forced < 0: no; otherwise only on a terminal and without --quiet
bool progressWanted(int forced, bool quiet, bool stderr_is_tty);

}  // namespace driftlab
