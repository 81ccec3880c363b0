// The parameter sections of the controls window: data, kernel and bandwidth, time stepping and
// advanced options, plus the shadow-copy bookkeeping (ui.hpp ParamShadow). The divergence
// mixture is in divergence_panel.cpp. Every change applies to the running flow without a reset,
// so its effect shows on the moving particles: sliders show their value while dragged and send
// cmd::SetParams when released.
// Render thread only.
#include <cstdio>
#include <string>
#include <vector>

#include "driftlab/kde/bandwidth.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/base/error.hpp"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "panels.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

namespace {

constexpr double kEchoTimeout = 5.0;  // seconds to hold an unanswered edit before following the engine again

std::string joinScales(const std::vector<double>& v) {
  std::string s;
  char buf[32];
  for (double x : v) {
    std::snprintf(buf, sizeof buf, "%g", x);
    s += (s.empty() ? "" : ", ") + std::string(buf);
  }
  return s;
}

// "0.02, 0.05 0.2" -> {0.02, 0.05, 0.2}; false (and why) on a bad entry
bool parseScales(const std::string& text, std::vector<double>& out, std::string& why) {
  out.clear();
  std::string item;
  auto flush = [&]() {
    if (item.empty()) return true;
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (end == item.c_str() || *end != '\0' || !(v > 0) || v > 100) {
      why = "bandwidth.scales: '" + item + "' is not a bandwidth > 0";
      return false;
    }
    out.push_back(v);
    item.clear();
    return true;
  };
  for (char ch : text) {
    if (ch == ',' || ch == ' ' || ch == ';' || ch == '\t') {
      if (!flush()) return false;
    } else {
      item += ch;
    }
  }
  if (!flush()) return false;
  if (out.empty() || out.size() > 8) {
    why = "bandwidth.scales: give 1 to 8 bandwidths";
    return false;
  }
  return true;
}

void markSent(const Snapshot* frame, ParamShadow& s) {
  s.awaiting = true;
  s.sent_at_version = frame != nullptr ? frame->params_version : s.version;
  s.sent_error = frame != nullptr ? frame->error : std::string();
  s.sent_time = ImGui::GetTime();
}

void setLocalError(ParamShadow& s, const std::string& what) {
  s.local_error = what;
  s.local_error_time = ImGui::GetTime();
}

// a combo over a name catalogue; returns the chosen name or "" (tooltips show descriptions)
std::string catalogCombo(const char* label, const std::string& current, const std::vector<NamedDescription>& items) {
  std::string chosen;
  if (ImGui::BeginCombo(label, current.c_str())) {
    for (const auto& it : items) {
      const bool selected = it.name == current;
      if (ImGui::Selectable(it.name.c_str(), selected) && !selected) chosen = it.name;
      if (selected) ImGui::SetItemDefaultFocus();
      if (ImGui::IsItemHovered() && !it.description.empty()) ImGui::SetTooltip("%s", it.description.c_str());
    }
    ImGui::EndCombo();
  }
  return chosen;
}

void drawDataSection(const Snapshot* frame, ParamShadow& s, const UiActions& actions) {
  // the 2-D formula datasets, then the real ones read from files (64-D digits: the canvas shows a
  // projection of them, render/view_projection.hpp)
  static const std::vector<NamedDescription> datasets = [] {
    std::vector<NamedDescription> all = datasetCatalog();
    for (auto& d : realDatasetCatalog()) all.push_back(std::move(d));
    return all;
  }();
  static const std::vector<NamedDescription> inits = initCatalog();
  FlowParams& p = s.params;
  const std::string ds_label = p.dataset == "csv" ? "csv: " + p.data_csv : p.dataset;
  if (std::string d = catalogCombo("dataset", ds_label, datasets); !d.empty()) {
    p.dataset = d;
    if (actions.send) actions.send(cmd::SetDataset{d});
    markSent(frame, s);
  }
  helpMarker("dataset");
  // generator mode: the samples come from the network, not from an initial layout of particles
  const bool generator = frame != nullptr && (frame->generator != nullptr);
  ImGui::BeginDisabled(generator);
  const std::string init_label = p.init == "csv" ? "csv: " + p.init_csv : p.init;
  if (std::string d = catalogCombo("initial q", init_label, inits); !d.empty()) {
    p.init = d;
    if (actions.send) actions.send(cmd::SetInit{d});
    markSent(frame, s);
  }
  helpMarker("init");
  ImGui::EndDisabled();

  // counts: log sliders, applied on release (a resize reallocates engine buffers)
  const ImGuiSliderFlags log_flags = ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp;
  ImGui::BeginDisabled(p.init == "csv" || generator);
  ImGui::SliderInt("particles N", &p.particles, 16, 100000, "%d", log_flags);
  if (editFinished()) sendShadow(frame, s, actions);
  ImGui::EndDisabled();
  helpMarker("particles");
  ImGui::BeginDisabled(p.dataset == "csv" || generator);
  ImGui::SliderInt("samples M", &p.samples, 16, 100000, "%d", log_flags);
  if (editFinished()) sendShadow(frame, s, actions);
  ImGui::EndDisabled();
  helpMarker("samples");
  ImGui::InputScalar("data seed", ImGuiDataType_U64, &p.data_seed);
  if (editFinished()) sendShadow(frame, s, actions);
  helpMarker("data_seed");
  ImGui::BeginDisabled(generator);
  ImGui::InputScalar("init seed", ImGuiDataType_U64, &p.init_seed);
  if (editFinished()) sendShadow(frame, s, actions);
  ImGui::EndDisabled();
  helpMarker("init_seed");
  if (generator) ImGui::TextDisabled("generator mode: the network settings are in the Run section");
}

void drawKernelSection(const Snapshot* frame, ParamShadow& s, const UiActions& actions) {
  static const std::vector<NamedDescription> kernels = kernelCatalog();
  FlowParams& p = s.params;
  if (std::string k = catalogCombo("kernel", kernelName(p.kernel.kind), kernels); !k.empty()) {
    p.kernel.kind = parseKernelKind(k);
    sendShadow(frame, s, actions);
  }
  helpMarker("kernel");
  if (p.kernel.kind == KernelKind::StudentT) {
    sliderDoubleLog("nu", &p.kernel.nu, 0.2, 100.0, "%.3g");
    if (editFinished()) sendShadow(frame, s, actions);
    helpMarker("nu");
  }
  if (p.kernel.kind == KernelKind::IMQ) {
    sliderDoubleLog("beta", &p.kernel.beta, 0.05, 5.0, "%.3g");
    if (editFinished()) sendShadow(frame, s, actions);
    helpMarker("beta");
    sliderDoubleLog("c", &p.kernel.c, 0.05, 10.0, "%.3g");
    if (editFinished()) sendShadow(frame, s, actions);
    helpMarker("c");
  }

  // bandwidth rule and h (dragging h under an automatic rule switches to fixed: explicit override)
  BandwidthSpec& b = p.bandwidth;
  if (ImGui::BeginCombo("bandwidth rule", bandwidthRuleName(b.rule))) {
    for (int i = 0; i <= static_cast<int>(BandwidthRule::MultiScale); ++i) {
      const auto r = static_cast<BandwidthRule>(i);
      if (ImGui::Selectable(bandwidthRuleName(r), r == b.rule) && r != b.rule) {
        b.rule = r;
        sendShadow(frame, s, actions);
      }
    }
    ImGui::EndCombo();
  }
  helpMarker("bandwidth.rule");
  const bool automatic = b.rule == BandwidthRule::Silverman || b.rule == BandwidthRule::Median;
  const double in_force = frame != nullptr && frame->bandwidth > 0 ? frame->bandwidth : b.h;
  if (b.rule != BandwidthRule::MultiScale) {
    double h = automatic ? in_force : b.h;
    if (sliderDoubleLog(b.rule == BandwidthRule::Anneal ? "h0" : "bandwidth h", &h, 0.005, 2.0, "%.4f")) {
      b.h = h;
      b.rule = automatic ? BandwidthRule::Fixed : b.rule;
    }
    if (editFinished()) sendShadow(frame, s, actions);
    helpMarker("bandwidth.h");
    if (automatic) ImGui::TextDisabled("auto (%s): h = %.4g in force; drag to override", bandwidthRuleName(b.rule), in_force);
    else if (b.rule == BandwidthRule::Anneal) ImGui::TextDisabled("annealing: h(t) = %.4g now", in_force);
    else ImGui::TextDisabled("manual bandwidth");
  }
  if (b.rule == BandwidthRule::Anneal) {
    sliderDoubleLog("anneal rate", &b.anneal_rate, 0.01, 10.0, "%.3g");
    if (editFinished()) sendShadow(frame, s, actions);
    helpMarker("bandwidth.rate");
    sliderDoubleLog("h min", &b.h_min, 0.001, 1.0, "%.4f");
    if (editFinished()) sendShadow(frame, s, actions);
    helpMarker("bandwidth.min");
  }
  if (b.rule == BandwidthRule::MultiScale) {
    ImGui::InputText("scales", &s.scales_text);
    if (editFinished()) {
      std::vector<double> v;
      if (parseScales(s.scales_text, v, s.scales_error)) {
        s.scales_error.clear();
        b.scales = v;
        sendShadow(frame, s, actions);
      }
    }
    helpMarker("bandwidth.scales");
    if (!s.scales_error.empty()) ImGui::TextColored(ImVec4(1.f, 0.35f, 0.3f, 1.f), "%s", s.scales_error.c_str());
  }

  // kernel profile of the bandwidth(s) in force, beside the controls that change it
  std::vector<double> hs;
  if (b.rule == BandwidthRule::MultiScale) hs = b.scales;
  else hs.push_back(automatic || b.rule == BandwidthRule::Anneal ? in_force : b.h);
  ImGui::TextDisabled("kernel profile k(r)/k(0)");
  helpMarker("kernel_profile");
  drawKernelProfile(p.kernel, hs, 90.f);
}

void drawTimeSection(const Snapshot* frame, ParamShadow& s, const UiActions& actions) {
  FlowParams& p = s.params;
  // generator mode: the network moves the samples (drift eta is in the Run section)
  ImGui::BeginDisabled(frame != nullptr && (frame->generator != nullptr));
  int integ = static_cast<int>(p.integrator);
  ImGui::TextUnformatted("integrator");
  ImGui::SameLine();
  bool changed = ImGui::RadioButton("euler", &integ, static_cast<int>(Integrator::Euler));
  ImGui::SameLine();
  changed |= ImGui::RadioButton("heun", &integ, static_cast<int>(Integrator::Heun));
  ImGui::SameLine();
  changed |= ImGui::RadioButton("jko", &integ, static_cast<int>(Integrator::Jko));
  helpMarker("integrator");
  if (changed && integ != static_cast<int>(p.integrator)) {
    p.integrator = static_cast<Integrator>(integ);
    sendShadow(frame, s, actions);
  }
  sliderDoubleLog("step size", &p.step, 1e-4, 1.0, "%.4g");
  if (editFinished()) sendShadow(frame, s, actions);
  ImGui::EndDisabled();
  helpMarker("step");
  sliderDouble("displacement cap", &p.displacement_cap, 0.0, 2.0, p.displacement_cap > 0 ? "%.2f h" : "off");
  if (editFinished()) sendShadow(frame, s, actions);
  helpMarker("displacement_cap");
  int cap_mode = static_cast<int>(p.cap_mode);
  ImGui::TextUnformatted("cap applies");
  ImGui::SameLine();
  bool cap_changed = ImGui::RadioButton("per particle", &cap_mode, static_cast<int>(CapMode::PerParticle));
  ImGui::SameLine();
  cap_changed |= ImGui::RadioButton("globally", &cap_mode, static_cast<int>(CapMode::Global));
  helpMarker("cap_mode");
  if (cap_changed && cap_mode != static_cast<int>(p.cap_mode)) {
    p.cap_mode = static_cast<CapMode>(cap_mode);
    sendShadow(frame, s, actions);
  }
  ImGui::SliderInt("steps / frame", &s.steps_per_publish, 1, 200, "%d",
                   ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  if (editFinished() && actions.send) actions.send(cmd::SetStepsPerPublish{s.steps_per_publish});
  helpMarker("steps_per_frame");
}

void drawAdvancedSection(const Snapshot* frame, ParamShadow& s, const UiActions& actions) {
  FlowParams& p = s.params;
  // compute path of the kernel sums (compute_path.hpp): the grid is what keeps 1e6 particles interactive
  static const ComputePath kPaths[] = {ComputePath::Auto, ComputePath::Exact32, ComputePath::Exact64,
                                       ComputePath::Grid};
  if (ImGui::BeginCombo("compute path", computePathName(p.path))) {
    for (const ComputePath c : kPaths) {
      if (ImGui::Selectable(computePathName(c), c == p.path) && c != p.path) {
        p.path = c;
        sendShadow(frame, s, actions);
      }
    }
    ImGui::EndCombo();
  }
  helpMarker("path");
  if (frame) {
    const std::string note = computePathNote(p.path, static_cast<int>(frame->data.rows()));
    if (!note.empty()) ImGui::TextColored(ImVec4(1.f, 0.78f, 0.35f, 1.f), "%s", note.c_str());
  }
  sliderDoubleLog("ratio min", &p.ratio_min, 1e-12, 1.0, "%.1e");
  if (editFinished()) sendShadow(frame, s, actions);
  helpMarker("ratio_min");
  sliderDoubleLog("ratio max", &p.ratio_max, 1.0, 1e12, "%.1e");
  if (editFinished()) sendShadow(frame, s, actions);
  helpMarker("ratio_max");
  sliderDoubleLog("metrics h", &p.metrics_h, 0.005, 2.0, "%.4f");
  if (editFinished()) sendShadow(frame, s, actions);
  helpMarker("metrics_h");
}

}  // namespace

void syncShadow(const Snapshot* frame, ParamShadow& s) {
  if (frame == nullptr) return;
  if (s.awaiting) {
    const bool echoed = frame->params_version != s.sent_at_version;
    const bool rejected = !frame->error.empty() && frame->error != s.sent_error;
    if (echoed || rejected || ImGui::GetTime() - s.sent_time > kEchoTimeout) s.awaiting = false;
  }
  // follow the engine unless the user holds a widget or an edit is in flight
  const bool follow = !s.valid || (!s.awaiting && !ImGui::IsAnyItemActive());
  if (follow && (!s.valid || s.version != frame->params_version || !(s.params == frame->params))) {
    s.params = frame->params;
    s.version = frame->params_version;
    s.valid = true;
    s.scales_text = joinScales(s.params.bandwidth.scales);
  }
}

void sendShadow(const Snapshot* frame, ParamShadow& s, const UiActions& actions) {
  try {
    s.params.validate();
  } catch (const InvalidArgument& e) {  // never send what the engine would reject anyway
    setLocalError(s, e.what());
    return;
  }
  if (actions.send) actions.send(cmd::SetParams{s.params, ""});  // "" = the worker labels the marker
  markSent(frame, s);
}

void drawFlowParams(const Snapshot* frame, UiState& state, const UiActions& actions) {
  ParamShadow& s = state.shadow;
  syncShadow(frame, s);
  ImGui::BeginDisabled(!s.valid);
  if (ImGui::GetTime() - s.local_error_time < 6.0 && !s.local_error.empty())
    ImGui::TextColored(ImVec4(1.f, 0.35f, 0.3f, 1.f), "not sent: %s", s.local_error.c_str());
  if (ImGui::CollapsingHeader("Data and particles", ImGuiTreeNodeFlags_DefaultOpen))
    drawDataSection(frame, s, actions);
  if (ImGui::CollapsingHeader("Kernel and bandwidth", ImGuiTreeNodeFlags_DefaultOpen))
    drawKernelSection(frame, s, actions);
  if (ImGui::CollapsingHeader("Divergence mixture", ImGuiTreeNodeFlags_DefaultOpen))
    drawDivergenceSection(frame, s, actions);
  if (ImGui::CollapsingHeader("Time stepping", ImGuiTreeNodeFlags_DefaultOpen)) drawTimeSection(frame, s, actions);
  if (ImGui::CollapsingHeader("Advanced")) drawAdvancedSection(frame, s, actions);
  if (ImGui::CollapsingHeader("All settings")) drawAllSettingsSection(frame, s, actions);
  ImGui::EndDisabled();
}

}  // namespace driftlab::app::ui
