// Change-marker labels for the FlowWorker: the changed FlowParams fields as key=value.
// Any thread (pure).
#include "flow/param_diff.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace driftlab::detail {

namespace {

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string numList(const std::vector<double>& v) {
  std::string s;
  for (double x : v) s += (s.empty() ? "" : ",") + num(x);
  return s;
}

}  // namespace

std::string describeParamsChange(const FlowParams& a, const FlowParams& b) {
  std::vector<std::string> parts;
  auto add = [&](bool changed, const std::string& text) {
    if (changed) parts.push_back(text);
  };
  // data and particles
  add(a.dataset != b.dataset, "dataset=" + b.dataset);
  add(a.data_csv != b.data_csv && b.dataset == "csv", "data_csv=" + b.data_csv);
  add(a.samples != b.samples, "samples=" + std::to_string(b.samples));
  add(a.data_seed != b.data_seed, "data_seed=" + std::to_string(b.data_seed));
  add(a.init != b.init, "init=" + b.init);
  add(a.init_csv != b.init_csv && b.init == "csv", "init_csv=" + b.init_csv);
  add(a.particles != b.particles, "particles=" + std::to_string(b.particles));
  add(a.init_seed != b.init_seed, "init_seed=" + std::to_string(b.init_seed));
  // kernel and bandwidth
  add(a.kernel.kind != b.kernel.kind, std::string("kernel=") + kernelName(b.kernel.kind));
  add(a.kernel.nu != b.kernel.nu, "nu=" + num(b.kernel.nu));
  add(a.kernel.beta != b.kernel.beta, "beta=" + num(b.kernel.beta));
  add(a.kernel.c != b.kernel.c, "c=" + num(b.kernel.c));
  add(a.bandwidth.rule != b.bandwidth.rule, std::string("bandwidth.rule=") + bandwidthRuleName(b.bandwidth.rule));
  add(a.bandwidth.h != b.bandwidth.h, "bandwidth=" + num(b.bandwidth.h));
  add(a.bandwidth.anneal_rate != b.bandwidth.anneal_rate, "bandwidth.rate=" + num(b.bandwidth.anneal_rate));
  add(a.bandwidth.h_min != b.bandwidth.h_min, "bandwidth.min=" + num(b.bandwidth.h_min));
  add(a.bandwidth.scales != b.bandwidth.scales, "bandwidth.scales=" + numList(b.bandwidth.scales));
  // divergence
  add(a.weights.w != b.weights.w, "divergence=" + b.weights.label());
  add(a.alpha != b.alpha, "alpha=" + num(b.alpha));
  add(a.chi2 != b.chi2, std::string("chi2=") + (b.chi2 == Chi2Convention::Full ? "full" : "half"));
  add(a.leave_one_out != b.leave_one_out, std::string("leave_one_out=") + (b.leave_one_out ? "true" : "false"));
  add(a.ratio_min != b.ratio_min, "ratio_min=" + num(b.ratio_min));
  add(a.ratio_max != b.ratio_max, "ratio_max=" + num(b.ratio_max));
  add(a.velocity_mode != b.velocity_mode,
      std::string("velocity=") + (b.velocity_mode == VelocityMode::PlugIn ? "plugin" : "smoothed"));
  add(a.smoothed_grid != b.smoothed_grid, "smoothed_grid=" + std::to_string(b.smoothed_grid));
  // time stepping and metrics
  add(a.integrator != b.integrator, std::string("integrator=") + integratorName(b.integrator));
  add(a.step != b.step, "step=" + num(b.step));
  add(a.displacement_cap != b.displacement_cap, "displacement_cap=" + num(b.displacement_cap));
  add(a.cap_mode != b.cap_mode, std::string("cap_mode=") + capModeName(b.cap_mode));
  add(a.path != b.path, std::string("path=") + computePathName(b.path));
  add(a.geometry != b.geometry, "geometry");
  add(a.metrics_h != b.metrics_h, "metrics_h=" + num(b.metrics_h));

  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace driftlab::detail
