// Guided lessons: a lesson file (assets/lessons/*.lesson) is a scenario to start from plus a list of
// beats, each with a caption shown on the canvas (and so in recordings), commands run when it begins,
// an optional "now try this" prompt with the control to touch framed, and what ends it: the user's
// Next, a setting the user changes, a number of steps or seconds. The LessonRunner drives the beats
// from what the shell tells it each frame; in headless rendering it plays the user itself (after a
// pause it does the beat's `expect` command), so a lesson renders to a video with its captions.
//
// File format, one directive per line ('#' comments and blank lines ignored):
//   title TEXT                 the lesson's name (required, once)
//   summary TEXT               one line for the Lessons menu
//   preset NAME | generator_preset NAME     where it starts (required, one of them)
//   speed STEPS_PER_SECOND     the pace of the lesson (the window's speed; headless: steps per frame
//                              = speed / fps, at least 1)
//   set KEY=VALUE              a setting applied at the start (repeatable; --set keys)
//   view KEY=VALUE             a view setting applied at the start (repeatable; script.hpp keys)
//   beat                       starts a beat; the lines below belong to it
//     caption TEXT             the caption (several lines are joined with a space)
//     at STEP                  the beat waits until the run reaches STEP before it begins
//     do VERB [ARG]            a script command run when the beat begins (set, view, pause, resume,
//                              reset, step, fit, fork, focus, both, close, seek, branch, discard)
//     prompt TEXT              what the user is asked to do now
//     highlight KEY            the control to frame: the help key of its (?) marker ("kernel", "speed", ...)
//     wait next | wait setting KEY | wait steps N | wait seconds S
//                              what ends the beat (default: next, the Lesson window's Next button);
//                              setting: the user changes KEY; steps: N more steps of the run
//     expect VERB [ARG]        headless only: the command that stands for the user's action
// GUI-free (unit-tested in tests/app/app_unit_test.cpp). Main thread (the shell's).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace driftlab::app {

struct LessonCommand {
  std::string verb, arg;  // a script verb (script.hpp) and its argument
};

struct LessonBeat {
  std::string caption;
  long at_step = -1;                  // -1: begins as soon as the previous beat ends
  std::vector<LessonCommand> on_begin;
  std::string prompt;
  std::string highlight;              // help key of the control to frame, "" = none
  enum class Wait { Next, Setting, Steps, Seconds } wait = Wait::Next;
  std::string wait_key;               // Wait::Setting
  double wait_amount = 0;             // Wait::Steps (steps) or Wait::Seconds (seconds)
  LessonCommand expect;               // headless stand-in for the user (verb "" = none)
  int line = 0;                       // of the `beat` line, for messages
};

struct Lesson {
  std::string name;                   // file name without .lesson ("forward_kl_is_mean_shift")
  std::string title, summary;
  std::string preset, generator_preset;
  double speed = 0;                   // steps per second, 0 = the user's
  std::vector<std::string> settings;  // KEY=VALUE
  std::vector<std::string> views;     // KEY=VALUE
  std::vector<LessonBeat> beats;
};

// Throws InvalidArgument "lesson NAME line N: <what>" for a bad line or a missing title / start;
// `set` and `view` values and `do` commands are checked against the start scenario as a script's are.
Lesson parseLesson(std::string_view text, const std::string& name);

// the lessons built into the app (assets/lessons, embedded at build time), sorted by file name
const std::vector<Lesson>& builtinLessons();
// a built-in lesson by name, or a .lesson file by path; throws InvalidArgument naming it
Lesson findLesson(const std::string& name_or_path);

// What the shell reports each frame.
struct LessonInput {
  long step = 0;                 // the run's step (the focused side's)
  double seconds = 0;            // since the lesson started (headless: frames / fps)
  bool next = false;             // the user pressed Next
  bool back = false;             // the user pressed Back (the current beat again, from its start)
  // the value of a setting now, for `wait setting KEY` (settingValue of the running scenario)
  std::string setting_value;
};

class LessonRunner {
 public:
  // simulate_user: headless rendering; a beat that waits for the user ends after `hold_seconds`,
  // doing its `expect` command first
  LessonRunner(Lesson lesson, bool simulate_user, double hold_seconds = 2.0);

  // once per frame; returns the commands to run now, in order. Call settingKey() first to know
  // which setting to report in `in.setting_value`.
  std::vector<LessonCommand> update(const LessonInput& in);

  const Lesson& lesson() const { return lesson_; }
  bool finished() const { return index_ >= static_cast<int>(lesson_.beats.size()); }
  int beatIndex() const { return index_; }              // 0-based; == beats.size() when finished
  bool begun() const { return begun_; }                 // the current beat began (its `at` step came)
  const LessonBeat* beat() const { return finished() ? nullptr : &lesson_.beats[static_cast<std::size_t>(index_)]; }
  const std::string& settingKey() const;                // the key the current beat waits on, or ""

 private:
  Lesson lesson_;
  bool simulate_;
  double hold_;
  int index_ = 0;
  bool begun_ = false;
  long begin_step_ = 0;          // steps count from here: the run's step, or 0 after a reset in the beat
  long step_at_begin_ = 0;       // the step the run showed when the beat began
  bool seen_below_ = false;      // the run was seen short of the goal, or back from where it was (a
                                 // snapshot from before the beat's reset does not count)
  double begin_seconds_ = 0;
  std::string begin_value_;      // the waited-on setting's value when the beat began
  bool have_begin_value_ = false;  // reported from the frame after the beat began
  bool expect_done_ = false;
};

}  // namespace driftlab::app
