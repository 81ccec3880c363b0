// Guided lessons: parsing lesson files and stepping their beats (lesson.hpp). Main thread.
#include "lesson.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/generator.hpp"
#include "script.hpp"

namespace driftlab::app {

// the lesson files embedded at build time (assets/lessons/*.lesson, shaders/embed.cmake)
struct EmbeddedLesson {
  std::string_view name;
  std::string_view text;
};
extern const EmbeddedLesson kEmbeddedLessons[];
extern const int kEmbeddedLessonCount;

namespace {

bool parseNumber(const std::string& s, double& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && std::isfinite(out);
}

// the verbs a beat may run: the script's, minus those that touch files or end the program
bool beatVerb(const std::string& verb) {
  static const char* const kVerbs[] = {"set", "view", "pause", "resume", "reset", "step", "fit", "fork", "focus",
                                       "both", "close", "seek", "branch", "discard", "newseed", "preset"};
  return std::any_of(std::begin(kVerbs), std::end(kVerbs), [&](const char* v) { return verb == v; });
}

}  // namespace

Lesson parseLesson(std::string_view text, const std::string& name) {
  Lesson lesson;
  lesson.name = name;
  std::istringstream in{std::string(text)};
  std::string raw;
  int line_no = 0;
  LessonBeat* beat = nullptr;
  std::string script;  // the beats' commands as a script, checked against the start scenario below
  int script_frame = 0;
  bool after_preset = false;
  auto fail = [&](const std::string& what) {
    throw InvalidArgument("lesson " + name + " line " + std::to_string(line_no) + ": " + what);
  };
  auto command = [&](const std::string& rest, const char* directive) {
    const auto sp = rest.find(' ');
    LessonCommand c{rest.substr(0, sp), sp == std::string::npos ? std::string() : trimBlanks(rest.substr(sp + 1))};
    if (!beatVerb(c.verb)) fail(std::string(directive) + ": '" + c.verb + "' is not a command a lesson may run");
    if (c.verb == "preset") {  // a preset of either kind; the script check below knows only the start's keys
      if (!isGeneratorPresetName(c.arg)) {
        try {
          presetScenario(c.arg);
        } catch (const InvalidArgument& e) {
          fail(e.what());
        }
      }
      after_preset = true;
      return c;
    }
    // after a preset change the settings belong to another scenario: checked when they run
    if (!after_preset) script += std::to_string(script_frame++) + " " + rest + "\n";
    return c;
  };
  while (std::getline(in, raw)) {
    ++line_no;
    const std::string line = trimBlanks(raw);
    if (line.empty() || line[0] == '#') continue;
    const auto sp = line.find(' ');
    const std::string key = line.substr(0, sp);
    const std::string rest = sp == std::string::npos ? std::string() : trimBlanks(line.substr(sp + 1));
    const bool needs_rest = key != "beat";
    if (needs_rest && rest.empty()) fail("'" + key + "' needs a value");
    if (key == "beat") {
      lesson.beats.emplace_back();
      beat = &lesson.beats.back();
      beat->line = line_no;
      continue;
    }
    if (!beat) {  // the lesson's head
      if (key == "title") lesson.title = rest;
      else if (key == "summary") lesson.summary = rest;
      else if (key == "preset") lesson.preset = rest;
      else if (key == "generator_preset") lesson.generator_preset = rest;
      else if (key == "set") lesson.settings.push_back(rest);
      else if (key == "speed") {
        if (!parseNumber(rest, lesson.speed) || lesson.speed <= 0 || lesson.speed > 1000)
          fail("speed: expected steps per second in (0, 1000]");
      }
      else if (key == "view") lesson.views.push_back(rest);
      else fail("unknown directive '" + key + "' before the first beat (title, summary, preset, generator_preset, speed, set, view)");
      continue;
    }
    if (key == "caption") {
      beat->caption += (beat->caption.empty() ? "" : " ") + rest;
    } else if (key == "prompt") {
      beat->prompt += (beat->prompt.empty() ? "" : " ") + rest;
    } else if (key == "highlight") {
      beat->highlight = rest;
    } else if (key == "at") {
      double v = 0;
      if (!parseNumber(rest, v) || v < 0 || v != std::floor(v)) fail("at: expected a step number >= 0");
      beat->at_step = static_cast<long>(v);
    } else if (key == "do") {
      beat->on_begin.push_back(command(rest, "do"));
    } else if (key == "expect") {
      beat->expect = command(rest, "expect");
    } else if (key == "wait") {
      const auto sp2 = rest.find(' ');
      const std::string kind = rest.substr(0, sp2);
      const std::string arg = sp2 == std::string::npos ? std::string() : trimBlanks(rest.substr(sp2 + 1));
      if (kind == "next" && arg.empty()) {
        beat->wait = LessonBeat::Wait::Next;
      } else if (kind == "setting" && !arg.empty()) {
        beat->wait = LessonBeat::Wait::Setting;
        beat->wait_key = arg;
      } else if ((kind == "steps" || kind == "seconds") && parseNumber(arg, beat->wait_amount) && beat->wait_amount > 0) {
        beat->wait = kind == "steps" ? LessonBeat::Wait::Steps : LessonBeat::Wait::Seconds;
      } else {
        fail("wait: expected 'next', 'setting KEY', 'steps N' or 'seconds S' with N, S > 0");
      }
    } else {
      fail("unknown directive '" + key + "' in a beat (caption, at, do, prompt, highlight, wait, expect)");
    }
  }
  line_no = 0;
  if (lesson.title.empty()) fail("no title");
  if (lesson.preset.empty() == lesson.generator_preset.empty()) fail("give one start: preset NAME or generator_preset NAME");
  if (lesson.beats.empty()) fail("no beat");
  for (const LessonBeat& b : lesson.beats) {
    line_no = b.line;
    if (b.caption.empty()) fail("a beat without a caption");
    if (b.wait == LessonBeat::Wait::Setting && b.expect.verb.empty())
      fail("a beat that waits for a setting needs an `expect` line (what headless rendering does instead of the user)");
  }
  // start scenario, settings, view settings and every command checked as a script's lines are
  line_no = 0;
  try {
    std::string head;
    for (const auto& kv : lesson.views) head += "0 view " + kv + "\n";
    for (const auto& kv : lesson.settings) head += "0 set " + kv + "\n";
    if (!lesson.generator_preset.empty()) {
      parseScript(head + script, "of lesson " + name, generatorPreset(lesson.generator_preset));
    } else {
      parseScript(head + script, "of lesson " + name, presetScenario(lesson.preset));
    }
  } catch (const InvalidArgument& e) {
    fail(e.what());
  }
  return lesson;
}

const std::vector<Lesson>& builtinLessons() {
  static const std::vector<Lesson> lessons = [] {
    std::vector<Lesson> out;
    for (int i = 0; i < kEmbeddedLessonCount; ++i) {
      std::string file(kEmbeddedLessons[i].name);
      const auto dot = file.rfind(".lesson");
      if (dot == std::string::npos) continue;
      out.push_back(parseLesson(kEmbeddedLessons[i].text, file.substr(0, dot)));
    }
    return out;
  }();
  return lessons;
}

Lesson findLesson(const std::string& name_or_path) {
  for (const Lesson& l : builtinLessons())
    if (l.name == name_or_path) return l;
  std::ifstream f(name_or_path);
  if (!f) {
    std::string names;
    for (const Lesson& l : builtinLessons()) names += (names.empty() ? "" : ", ") + l.name;
    throw InvalidArgument("lesson " + name_or_path + ": not a built-in lesson (" + names + ") nor a readable file");
  }
  std::stringstream ss;
  ss << f.rdbuf();
  std::string name = name_or_path;
  const auto slash = name.find_last_of('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  const auto dot = name.rfind(".lesson");
  if (dot != std::string::npos) name = name.substr(0, dot);
  return parseLesson(ss.str(), name);
}

// [SECTION] the runner

LessonRunner::LessonRunner(Lesson lesson, bool simulate_user, double hold_seconds)
    : lesson_(std::move(lesson)), simulate_(simulate_user), hold_(hold_seconds) {}

const std::string& LessonRunner::settingKey() const {
  static const std::string none;
  const LessonBeat* b = beat();
  return b && begun_ && b->wait == LessonBeat::Wait::Setting ? b->wait_key : none;
}

std::vector<LessonCommand> LessonRunner::update(const LessonInput& in) {
  std::vector<LessonCommand> out;
  if (in.back && !finished() && begun_) {  // the current beat again, from its start
    begun_ = false;
    expect_done_ = false;
  }
  // a beat ends, the next begins: at most one change per frame so each caption is drawn at least once
  const LessonBeat* b = beat();
  if (!b) return out;
  if (!begun_) {
    if (b->at_step >= 0 && in.step < b->at_step && !in.next) return out;
    begun_ = true;
    begin_step_ = in.step;
    step_at_begin_ = in.step;
    seen_below_ = true;
    // a beat that restarts or moves the run counts its steps from where the run will be: the
    // snapshot of this frame does not show that yet
    for (const LessonCommand& c : b->on_begin) {
      if (c.verb == "reset" || c.verb == "newseed" || c.verb == "preset") begin_step_ = 0;
      if (c.verb == "seek") begin_step_ = std::stol(c.arg);
      if (c.verb == "reset" || c.verb == "newseed" || c.verb == "preset" || c.verb == "seek") seen_below_ = false;
    }
    begin_seconds_ = in.seconds;
    have_begin_value_ = false;
    expect_done_ = false;
    out = b->on_begin;
    return out;
  }
  if (b->wait == LessonBeat::Wait::Setting && !have_begin_value_) {
    begin_value_ = in.setting_value;  // the frame after the beginning reports the waited-on key
    have_begin_value_ = true;
  }
  const double held = in.seconds - begin_seconds_;
  if (simulate_ && !expect_done_ && !b->expect.verb.empty() && held >= hold_) {
    out.push_back(b->expect);
    expect_done_ = true;
  }
  bool done = in.next;
  switch (b->wait) {
    case LessonBeat::Wait::Next: done = done || (simulate_ && held >= hold_ + (b->expect.verb.empty() ? 0.0 : 0.5)); break;
    case LessonBeat::Wait::Setting:
      // the engine echoes a change a few frames later; a headless lesson whose `expect` does not
      // change the setting moves on after a while rather than hang
      done = done || (have_begin_value_ && in.setting_value != begin_value_) || (simulate_ && held >= 3 * hold_ + 5.0);
      break;
    case LessonBeat::Wait::Steps: {
      const long goal = begin_step_ + static_cast<long>(b->wait_amount);
      if (in.step < goal || in.step < step_at_begin_) seen_below_ = true;
      done = done || (seen_below_ && in.step >= goal);
      break;
    }
    case LessonBeat::Wait::Seconds: done = done || held >= b->wait_amount; break;
  }
  if (done) {
    ++index_;
    begun_ = false;
  }
  return out;
}

}  // namespace driftlab::app
