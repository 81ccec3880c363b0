#include "script.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>

#include "driftlab/base/error.hpp"
#include "ui/image_shape.hpp"

namespace driftlab::app {

std::string trimBlanks(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

namespace {

bool parseOnOff(const std::string& v, const std::string& key) {
  if (v == "on" || v == "true" || v == "1") return true;
  if (v == "off" || v == "false" || v == "0") return false;
  throw InvalidArgument("view " + key + ": expected on or off (got '" + v + "')");
}

double parseNumber(const std::string& v, const std::string& key, double lo, double hi) {
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || !(x >= lo && x <= hi))
    throw InvalidArgument("view " + key + ": expected a number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                          "] (got '" + v + "')");
  return x;
}

}  // namespace

bool parseClick(std::string_view arg, float& x, float& y) {
  std::istringstream in{std::string(arg)};
  std::string rest;
  if (!(in >> x >> y) || (in >> rest)) return false;
  return std::isfinite(x) && std::isfinite(y);
}

void applyViewSetting(ViewOptions& view, bool& show_panels, std::string_view key_equals_value) {
  std::string kv(key_equals_value);
  auto eq = kv.find('=');
  if (eq == std::string::npos) throw InvalidArgument("view: expected KEY=VALUE (got '" + kv + "')");
  std::string key = trimBlanks(kv.substr(0, eq)), v = trimBlanks(kv.substr(eq + 1));
  auto bad = [&](const char* allowed) {
    throw InvalidArgument("view " + key + ": unknown value '" + v + "' (expected " + allowed + ")");
  };
  if (key == "heat") {
    if (v == "none") view.heat_map = HeatMap::None;
    else if (v == "logp") view.heat_map = HeatMap::LogP;
    else if (v == "logq") view.heat_map = HeatMap::LogQ;
    else if (v == "logratio") view.heat_map = HeatMap::LogRatio;
    else if (v == "speed") view.heat_map = HeatMap::Speed;
    else bad("none|logp|logq|logratio|speed");
  } else if (key == "arrows") {
    if (v == "normalized") view.arrow_mode = ArrowMode::Normalized;
    else if (v == "true") view.arrow_mode = ArrowMode::TrueLength;
    else if (v == "log") view.arrow_mode = ArrowMode::LogLength;
    else if (v == "proportional") view.arrow_mode = ArrowMode::Proportional;
    else bad("normalized|true|log|proportional");
  } else if (key == "split") {
    if (v == "total") view.split = FieldSplit::Total;
    else if (v == "attrep") view.split = FieldSplit::AttractionRepulsion;
    else if (v == "terms") view.split = FieldSplit::PerTerm;
    else bad("total|attrep|terms");
  } else if (key == "coloring") {
    if (v == "start") view.coloring = ParticleColoring::StartPosition;
    else if (v == "speed") view.coloring = ParticleColoring::Speed;
    else if (v == "mode") view.coloring = ParticleColoring::NearestMode;
    else if (v == "plain") view.coloring = ParticleColoring::Plain;
    else bad("start|speed|mode|plain");
  } else if (key == "tool") {
    if (v == "probe") view.tool = CanvasTool::Probe;
    else if (v == "pick") view.tool = CanvasTool::Pick;
    else if (v == "brush") view.tool = CanvasTool::Brush;
    else if (v == "erase") view.tool = CanvasTool::Erase;
    else if (v == "drag") view.tool = CanvasTool::DragParticle;
    else if (v == "blob") view.tool = CanvasTool::DropBlob;
    else bad("probe|pick|brush|erase|drag|blob");
  } else if (key == "projection") {  // d > 2 only (render/view_projection.hpp)
    if (v == "pca") view.projection = ProjectionKind::Pca;
    else if (v == "coords") view.projection = ProjectionKind::Coordinates;
    else if (v == "random") view.projection = ProjectionKind::Random;
    else bad("pca|coords|random");
  } else if (key == "proj_a") view.proj_a = static_cast<int>(parseNumber(v, key, 0, 100000));
  else if (key == "proj_b") view.proj_b = static_cast<int>(parseNumber(v, key, 0, 100000));
  else if (key == "proj_seed") view.proj_seed = static_cast<int>(parseNumber(v, key, 0, 1e9));
  else if (key == "presenter") view.presenter = parseOnOff(v, key);
  else if (key == "equations") view.show_equations = parseOnOff(v, key);  // the Equations window (E)
  else if (key == "ui_scale") {  // the scale of the mode in force (presenter or not)
    (view.presenter ? view.presenter_scale : view.ui_scale) = static_cast<float>(parseNumber(v, key, 1.0, 2.5));
  } else if (key == "images") {  // the Images window; off also stops it opening by itself
    view.images.show = parseOnOff(v, key);
    view.images.auto_show = view.images.show;
  } else if (key == "image") {
    if (v == "auto") {
      view.images.width = view.images.height = 0;
    } else {
      auto shape = parseImageShape(v);
      if (!shape) bad("WxH such as 8x8, or auto");
      view.images.width = shape->width;
      view.images.height = shape->height;
    }
  }
  else if (key == "image_count") view.images.count = static_cast<int>(parseNumber(v, key, 16, 256));
  else if (key == "image_nearest") view.images.nearest = parseOnOff(v, key);
  else if (key == "image_classes") view.images.class_frames = parseOnOff(v, key);
  else if (key == "quiver") view.show_quiver = parseOnOff(v, key);
  else if (key == "particle_arrows") view.show_particle_arrows = parseOnOff(v, key);
  else if (key == "trails") view.show_trails = parseOnOff(v, key);
  else if (key == "bridge") view.show_bridge_paths = parseOnOff(v, key);  // mode dfm: bridge paths and source
  else if (key == "dfm_arrows") {  // mode dfm with a learned drift: whose arrows
    if (v == "learned") view.dfm_oracle_arrows = false;
    else if (v == "oracle") view.dfm_oracle_arrows = true;
    else bad("learned or oracle");
  } else if (key == "compare") view.compare_at_start = parseOnOff(v, key);
  else if (key == "grid") view.show_grid = parseOnOff(v, key);
  else if (key == "particles") view.show_particles = parseOnOff(v, key);
  else if (key == "data") view.show_data = parseOnOff(v, key);
  else if (key == "circle") view.show_bandwidth_circle = parseOnOff(v, key);
  else if (key == "legend") view.show_colorbar = parseOnOff(v, key);
  else if (key == "panels") show_panels = parseOnOff(v, key);
  else if (key == "arrow_scale") view.arrow_scale = static_cast<float>(parseNumber(v, key, 1e-9, 1e9));
  else if (key == "heat_opacity") view.heat_opacity = static_cast<float>(parseNumber(v, key, 0, 1));
  else if (key == "trail_length") view.trail_length = static_cast<int>(parseNumber(v, key, 2, 1000));
  else if (key == "quiver_n") view.quiver_n = static_cast<int>(parseNumber(v, key, 2, 256));
  else if (key == "density_n") view.density_n = static_cast<int>(parseNumber(v, key, 2, 512));
  else if (key == "particle_size") view.particle_size = static_cast<float>(parseNumber(v, key, 1, 64));
  else if (key == "data_size") view.data_size = static_cast<float>(parseNumber(v, key, 1, 64));
  else
    throw InvalidArgument("view: unknown key '" + key +
                          "' (heat, arrows, split, coloring, tool, quiver, particle_arrows, trails, grid, particles, data, "
                          "circle, legend, panels, arrow_scale, heat_opacity, trail_length, quiver_n, density_n, "
                          "particle_size, data_size, projection, proj_a, proj_b, proj_seed, images, image, image_count, image_nearest, "
                          "image_classes, presenter, ui_scale, equations, bridge, dfm_arrows, compare)");
}

namespace {

// check_set applies one `set` value to the caller's scenario copy (throws InvalidArgument)
std::vector<ScriptEvent> parseScriptWith(std::string_view text, const std::string& source_name,
                                         const std::function<void(const std::string&)>& check_set) {
  std::vector<ScriptEvent> events;
  ViewOptions view;
  bool panels = true;
  std::istringstream in{std::string(text)};
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line = trimBlanks(raw);
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](const std::string& what) {
      throw InvalidArgument("script " + source_name + " line " + std::to_string(line_no) + ": " + what + " (in '" +
                            line + "')");
    };
    std::istringstream words(line);
    std::string frame_word, verb;
    words >> frame_word >> verb;
    std::string arg;
    std::getline(words, arg);
    arg = trimBlanks(arg);
    ScriptEvent ev;
    ev.line = line_no;
    auto [ptr, ec] = std::from_chars(frame_word.data(), frame_word.data() + frame_word.size(), ev.frame);
    if (ec != std::errc() || ptr != frame_word.data() + frame_word.size() || ev.frame < 0)
      fail("expected a frame number >= 0 first (got '" + frame_word + "')");
    ev.verb = verb;
    ev.arg = arg;
    bool no_arg = verb == "pause" || verb == "resume" || verb == "reset" || verb == "step" || verb == "fit" ||
                  verb == "quit" || verb == "fork" || verb == "branch" || verb == "discard";
    if (no_arg) {
      if (!arg.empty()) fail("'" + verb + "' takes no argument");
    } else if (verb == "screenshot") {
      // no PATH: a time-stamped PNG in the captures folder, as F12 (capture/captures_folder.hpp)
    } else if (verb == "set" || verb == "view" || verb == "newseed" || verb == "click" ||
               verb == "drag" || verb == "load" || verb == "export" || verb == "seek") {
      if (arg.empty()) fail("'" + verb + "' needs an argument");
    } else if (verb == "focus" || verb == "close") {
      if (arg != "A" && arg != "B") fail(verb + ": expected A or B");
    } else if (verb == "both") {
      if (arg != "on" && arg != "off") fail("both: expected on or off");
    } else {
      fail("unknown command '" + verb + "' (set, view, pause, resume, reset, step, fit, quit, newseed, screenshot, click, "
           "drag, load, export, fork, focus, both, close, seek, branch, discard)");
    }
    if (verb == "seek") {
      long step = -1;
      auto [p2, e2] = std::from_chars(arg.data(), arg.data() + arg.size(), step);
      if (e2 != std::errc() || p2 != arg.data() + arg.size() || step < 0) fail("seek: expected a step number >= 0");
    }
    if (verb == "newseed") {
      unsigned long long seed = 0;
      auto [p2, e2] = std::from_chars(arg.data(), arg.data() + arg.size(), seed);
      if (e2 != std::errc() || p2 != arg.data() + arg.size()) fail("newseed: expected an unsigned integer");
    }
    if (verb == "click") {
      float x = 0, y = 0;
      if (!parseClick(arg, x, y)) fail("click: expected two world coordinates X Y");
    }
    if (verb == "drag") {
      float dx = 0, dy = 0;
      if (!parseClick(arg, dx, dy)) fail("drag: expected two pixel offsets DX DY");
    }
    events.push_back(ev);
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.frame < b.frame; });
  // check values in the order they will run
  for (const auto& ev : events) {
    try {
      if (ev.verb == "set") check_set(ev.arg);
      if (ev.verb == "view") applyViewSetting(view, panels, ev.arg);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument("script " + source_name + " line " + std::to_string(ev.line) + ": " + e.what());
    }
  }
  return events;
}

std::string readScriptFile(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw InvalidArgument("script " + path + ": cannot open the file");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

std::vector<ScriptEvent> parseScript(std::string_view text, const std::string& source_name, const Scenario& start) {
  Scenario scenario = start;  // `set` lines are applied in frame order to check their values
  return parseScriptWith(text, source_name, [&](const std::string& kv) { applySetting(scenario, kv); });
}

std::vector<ScriptEvent> parseScript(std::string_view text, const std::string& source_name,
                                     const GeneratorScenario& start) {
  GeneratorScenario scenario = start;  // generator keys and flow keys (applyGeneratorSetting)
  return parseScriptWith(text, source_name, [&](const std::string& kv) { applyGeneratorSetting(scenario, kv); });
}

std::vector<ScriptEvent> loadScript(const std::string& path, const Scenario& start) {
  return parseScript(readScriptFile(path), path, start);
}

std::vector<ScriptEvent> loadScript(const std::string& path, const GeneratorScenario& start) {
  return parseScript(readScriptFile(path), path, start);
}

}  // namespace driftlab::app
