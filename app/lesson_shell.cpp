// Guided lessons in the shell (lesson.hpp): starting one from the Run section, --lesson or a
// script, stepping its beats once per frame and running their commands, and the caption drawn on
// the canvas (so recordings carry it). Main thread only.
#include <algorithm>
#include <cmath>
#include <exception>
#include <string>
#include <utility>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "imgui.h"
#include "shell.hpp"

namespace driftlab::app {

void Shell::startLesson(const std::string& name_or_path) {
  try {
    Lesson l = findLesson(name_or_path);
    if (!l.generator_preset.empty()) loadGeneratorPreset(l.generator_preset);
    else loadPreset(l.preset);
    if (status_.message_is_error) return;  // the lesson's start did not load: the message says why
    adoptLesson(std::move(l));
  } catch (const std::exception& e) {
    setMessage(e.what(), true);
  }
}

// the run is the lesson's start: its settings, view and pace, then the first beat
void Shell::adoptLesson(Lesson l) {
  for (const auto& kv : l.settings) sendToFocused(cmd::SetParam{kv});
  for (const auto& kv : l.views) applyViewSetting(ui_.view, ui_.show_panels, kv);
  if (l.speed > 0) {
    if (opt_.headless) {
      if (opt_.steps_per_frame == 1) opt_.steps_per_frame = std::max(1, static_cast<int>(std::lround(l.speed / opt_.fps)));
    } else {
      if (!saved_speeds_) saved_speeds_ = {{ui_.flow_speed, ui_.generator_speed}};  // the user's, back at Stop
      setSpeed(l.speed);
    }
  }
  setMessage("lesson: " + l.title, false);
  lesson_ = std::make_unique<LessonRunner>(std::move(l), /*simulate_user=*/opt_.headless);
  lesson_started_ = Clock::now();
  lesson_next_ = lesson_back_ = false;
}

void Shell::stopLesson() {
  lesson_.reset();
  ui_.lesson.active = false;
  if (saved_speeds_) {
    ui_.flow_speed = saved_speeds_->first;
    ui_.generator_speed = saved_speeds_->second;
    saved_speeds_.reset();
    sendSpeed();
  }
}

void Shell::stepLesson(double seconds, CommandEffects fx) {
  if (!lesson_) {
    ui_.lesson.active = false;
    return;
  }
  RunWorker& side = focusedWorker();
  const auto frame = side.latest();
  LessonInput in;
  in.step = frame ? frame->step : 0;
  in.seconds = seconds;
  in.next = std::exchange(lesson_next_, false);
  in.back = std::exchange(lesson_back_, false);
  if (!lesson_->settingKey().empty() && frame) {
    try {
      Scenario now = scenario_;
      now.params = frame->params;
      in.setting_value = settingValue(now, lesson_->settingKey());
    } catch (const std::exception&) {
      // a key of the generator's own settings: compared through the marker labels is not needed;
      // the beat then ends with Next
    }
  }
  const std::string where = "lesson " + lesson_->lesson().name + " beat " + std::to_string(lesson_->beatIndex() + 1);
  for (const LessonCommand& c : lesson_->update(in)) {
    try {
      runCommand(c.verb, c.arg, where, fx);
    } catch (const std::exception& e) {
      setMessage(where + ": " + e.what(), true);
    }
  }
  ui::LessonView& v = ui_.lesson;
  v.active = true;
  v.title = lesson_->lesson().title;
  v.count = static_cast<int>(lesson_->lesson().beats.size());
  v.index = std::min(lesson_->beatIndex(), v.count - 1);
  v.finished = lesson_->finished();
  const LessonBeat* b = lesson_->beat();
  const bool shown = b && lesson_->begun();
  if (b && !lesson_->begun()) {
    v.caption = "(waiting for step " + std::to_string(b->at_step) + ")";
    v.prompt.clear();
    v.highlight.clear();
  } else if (shown) {
    v.caption = b->caption;
    v.prompt = b->prompt;
    v.highlight = b->highlight;
  } else {  // finished: the last caption stays until the lesson is closed
    v.prompt.clear();
    v.highlight.clear();
  }
}

// the beat's caption and prompt in a box along the bottom of the free canvas (above the presenter
// legend and caption when they are drawn); part of the frame, so recordings carry it
void Shell::drawLessonCaption(float bottom) {
  if (!lesson_ || !ui_.lesson.active || ui_.lesson.caption.empty()) return;
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize() * (ui_.view.presenter ? 1.0f : 1.15f);
  const float x0 = free_rect_[0] + 16.f, x1 = free_rect_[2] - 16.f, width = std::max(100.f, x1 - x0 - 16.f);
  const std::string head = std::to_string(ui_.lesson.index + 1) + "/" + std::to_string(ui_.lesson.count) + "  ";
  const std::string caption = head + ui_.lesson.caption;
  const ImVec2 cs = font->CalcTextSizeA(size, width, width, caption.c_str());
  const std::string prompt = ui_.lesson.prompt.empty() ? "" : "Now: " + ui_.lesson.prompt;
  const ImVec2 ps = prompt.empty() ? ImVec2(0, 0) : font->CalcTextSizeA(size, width, width, prompt.c_str());
  const float box_h = cs.y + (prompt.empty() ? 0.f : ps.y + 6.f) + 16.f;
  const float y0 = bottom - box_h;
  dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, bottom), IM_COL32(14, 16, 22, 215), 6.f);
  dl->AddRect(ImVec2(x0, y0), ImVec2(x1, bottom), IM_COL32(120, 190, 255, 160), 6.f);
  dl->AddText(font, size, ImVec2(x0 + 8.f, y0 + 8.f), IM_COL32(240, 242, 248, 255), caption.c_str(), nullptr, width);
  if (!prompt.empty())
    dl->AddText(font, size, ImVec2(x0 + 8.f, y0 + 14.f + cs.y), IM_COL32(255, 214, 110, 255), prompt.c_str(), nullptr,
                width);
}

}  // namespace driftlab::app
