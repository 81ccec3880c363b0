// driftlab: the interactive visualizer of KDE-approximated Wasserstein gradient flows.
// Parses the command line (CLI11), checks for a display, and hands over to the shell.
// Exit codes: 0 ok, 1 runtime failure (GL, ffmpeg), 2 bad input or no display.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

#include "app_shell.hpp"
#include "driftlab/base/allocator.hpp"
#include "driftlab/flow/scenario.hpp"
#include "lesson.hpp"
#include "ui/image_shape.hpp"

int main(int argc, char** argv) {
  driftlab::keepLargeAllocationsMapped();  // before any thread starts
  driftlab::app::ShellOptions opt;
  std::string size = "1280x720";
  CLI::App cli{"driftlab: live particles, quiver fields, density maps and divergence curves of KDE gradient flows"};
  cli.set_version_flag("--version", std::string("driftlab ") + DRIFTLAB_VERSION);
  cli.add_option("--scenario", opt.scenario_path, "flow or generator scenario JSON file to start with");
  cli.add_option("--preset", opt.preset, "built-in preset to start with (driftlab-cli presets lists them)");
  cli.add_option("--generator-preset", opt.generator_preset,
                 "start in generator mode with this generator preset (e.g. gen_checkerboard)");
  cli.add_flag("--headless", opt.headless, "render offscreen (hidden window + FBO) and exit after --frames");
  cli.add_option("--frames", opt.frames, "frames to render, then exit (required with --headless)")
      ->check(CLI::Range(1L, 10000000L));
  cli.add_option("--screenshot", opt.screenshot, "write the last frame as PNG");
  cli.add_option("--record", opt.record, "record the frames to an .mp4 or .gif file (ffmpeg)");
  cli.add_option("--png-dir", opt.png_dir, "write every frame as frame_NNNNN.png into this directory");
  cli.add_flag("--record-from-reset", opt.record_from_reset,
               "the recording starts at the run's step 0 (window: reset, then record until F9 or close, "
               "as Shift+F9; headless: frame 0 shows the initial state)");
  cli.add_option("--script", opt.script, "timed commands, e.g. '60 set kernel=laplacian' (headless)");
  cli.add_option("--size", size, "offscreen frame size WxH (headless), e.g. 1280x720");
  cli.add_option("--steps-per-frame", opt.steps_per_frame, "engine steps per rendered frame (headless)")
      ->check(CLI::Range(1, 100000));
  cli.add_flag("--no-panels", opt.hide_panels, "hide the ImGui panels (canvas only)");
  cli.add_flag("--presenter", opt.presenter,
               "presenter mode (P toggles it): large font, high contrast, legend and caption on the canvas");
  cli.add_option("--view", opt.view_settings, "view option KEY=VALUE, repeatable (e.g. heat=logratio, arrows=true)");
  cli.add_option("--set", opt.settings, "flow setting KEY=VALUE as in driftlab-cli run --set, repeatable");
  std::string image;
  cli.add_option("--image", image, "draw the points as WxH grayscale images in the Images window (W*H = d), e.g. 8x8");
  std::string data_file;
  cli.add_option("--data", data_file, "points file (.npy or .csv, one point per row) as the data: --set dataset=FILE");
  std::string labels_file;
  cli.add_option("--labels", labels_file,
                 "class labels of the --data points (.npy of integers, or one integer per line): the class means "
                 "become the modes (--set data_labels=FILE)");
  bool list_presets = false;
  cli.add_flag("--list-presets", list_presets, "print the built-in preset names and exit");
  cli.add_option("--lesson", opt.lesson,
                 "a guided lesson, built-in (--list-lessons) or a .lesson file; with --headless it renders it "
                 "(--frames optional: until its last beat)");
  bool list_lessons = false;
  cli.add_flag("--list-lessons", list_lessons, "print the built-in lessons (name and summary) and exit");
  cli.add_option("--fps", opt.fps, "frame rate written into recordings")->check(CLI::Range(1, 240));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.exit(e);
    std::fprintf(stderr, "driftlab: %s\n", e.what());
    return 2;
  }
  if (!data_file.empty()) opt.settings.push_back("dataset=" + data_file);
  if (!labels_file.empty()) opt.settings.push_back("data_labels=" + labels_file);
  if (!image.empty()) {
    if (!driftlab::app::parseImageShape(image)) {
      std::fprintf(stderr, "driftlab: --image: expected WxH such as 8x8 (got '%s')\n", image.c_str());
      return 2;
    }
    opt.view_settings.push_back("image=" + image);  // checked against the data's d once it is loaded
  }
  if (list_presets) {
    for (const auto& p : driftlab::presetCatalog()) std::printf("%s\n", p.name.c_str());
    return 0;
  }
  if (list_lessons) {
    try {
      for (const auto& l : driftlab::app::builtinLessons()) std::printf("%-28s %s\n", l.name.c_str(), l.summary.c_str());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "driftlab: %s\n", e.what());
      return 2;
    }
    return 0;
  }
  std::smatch m;
  static const std::regex kSize(R"((\d{1,5})x(\d{1,5}))");
  if (!std::regex_match(size, m, kSize)) {
    std::fprintf(stderr, "driftlab: --size: expected WxH such as 1280x720 (got '%s')\n", size.c_str());
    return 2;
  }
  opt.width = std::stoi(m[1].str());
  opt.height = std::stoi(m[2].str());
  if (opt.width < 64 || opt.height < 64 || opt.width > 8192 || opt.height > 8192 || opt.width % 2 || opt.height % 2) {
    std::fprintf(stderr, "driftlab: --size: width and height must be even and in [64, 8192] (got %s)\n", size.c_str());
    return 2;
  }
  if (opt.headless && opt.frames < 1 && opt.lesson.empty()) {
    std::fprintf(stderr, "driftlab: --headless needs --frames N (or --lesson NAME, which ends with its last beat)\n");
    return 2;
  }
  if (!opt.headless && (!opt.png_dir.empty() || !opt.script.empty())) {
    std::fprintf(stderr, "driftlab: --png-dir and --script need --headless (in the window: F9 records)\n");
    return 2;
  }
  if (opt.record_from_reset && opt.record.empty() && opt.png_dir.empty()) {
    std::fprintf(stderr, "driftlab: --record-from-reset needs --record FILE (or --png-dir DIR with --headless)\n");
    return 2;
  }
  if (!opt.headless && !opt.record.empty() && opt.frames < 1 && !opt.record_from_reset) {
    std::fprintf(stderr,
                 "driftlab: --record needs --frames N, --record-from-reset or --headless; in the window F9 toggles "
                 "recording\n");
    return 2;
  }
  if (!opt.headless && !opt.screenshot.empty() && opt.frames < 1) {
    std::fprintf(stderr, "driftlab: --screenshot needs --frames N (or --headless); in the window F12 takes one\n");
    return 2;
  }
  const char* display = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((!display || !*display) && (!wayland || !*wayland)) {
    std::fprintf(stderr,
                 "driftlab: no display (DISPLAY is not set); for an offscreen run use: xvfb-run -a -s \"-screen 0 "
                 "1280x720x24\" driftlab --headless --preset <name> --frames 150 --record demo.mp4\n");
    return 2;
  }
  return driftlab::app::runShell(opt);
}
