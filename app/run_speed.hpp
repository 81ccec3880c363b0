// The run's speed as the user sets it, in engine steps per second (0 = unlimited): the "watch"
// default, the ladder that [ and ] walk, and the text the panels show. The worker enforces it
// (cmd::SetStepRate, step_rate_limiter.hpp); headless capture ignores it (each frame advances
// exactly --steps-per-frame steps). GUI-free; any thread.
#pragma once

#include <array>
#include <cstdio>
#include <string>

namespace driftlab::app {

// The speed a particle flow starts at, chosen so the default preset is watchable: measured with
// `driftlab-cli run --preset default --every 1 --metrics m.csv`, its energy distance falls from
// 0.12 to within 1 % of its floor by step 12 and sits on the floor (0.00225) from step 16 to 20,
// with 8/8 modes covered throughout. 2 steps/s spreads those ~20 steps over ~10 s on screen.
constexpr double kWatchStepsPerSecond = 2.0;
// generator training takes thousands of steps: it starts unlimited
constexpr double kGeneratorStepsPerSecond = 0.0;

constexpr double kMinStepsPerSecond = 1.0;     // the slider's range; 0 stands for unlimited
constexpr double kMaxStepsPerSecond = 1000.0;

// the stops of [ (slower) and ] (faster); past the last, ] gives unlimited
constexpr std::array<double, 10> kSpeedLadder = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

// ]: the next stop above `steps_per_second`; from the top stop, unlimited (0); unlimited stays
inline double fasterSpeed(double steps_per_second) {
  if (steps_per_second <= 0) return 0.0;
  for (double s : kSpeedLadder)
    if (s > steps_per_second) return s;
  return 0.0;
}

// [: the next stop below; unlimited steps down to the top stop; the lowest stop stays
inline double slowerSpeed(double steps_per_second) {
  if (steps_per_second <= 0) return kSpeedLadder.back();
  double below = kSpeedLadder.front();
  for (double s : kSpeedLadder)
    if (s < steps_per_second) below = s;
  return below;
}

// "2 steps/s", "0.5 steps/s" (scripts may set any positive rate), "unlimited"
inline std::string speedLabel(double steps_per_second) {
  if (steps_per_second <= 0) return "unlimited";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3g steps/s", steps_per_second);
  return buf;
}

}  // namespace driftlab::app
