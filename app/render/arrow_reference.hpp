// The reference magnitude of the proportional arrow mode: the q-quantile of |v| over the arrows
// whose base lies in the box holding data and particles, padded by `pad` of its size on each
// side. Far from both clouds |v| reaches 1e8 (the density ratio's tails), so a statistic over the
// whole canvas would shrink every arrow near the data to nothing. GUI-free, header-only so the
// GUI-free test suite can check it; any thread.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <vector>

namespace driftlab::app::render {

struct ArrowReference {
  float value = 0.f;    // the quantile; 0 when no magnitude is finite
  bool in_box = false;  // taken over the box (false: no arrow lies there, so over all of them)
};

// Quantile by order statistic k = floor(q (n - 1)) of the finite values (the scene's convention).
inline float orderQuantile(std::vector<float> v, float q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](float x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return 0.f;
  const auto k = static_cast<std::size_t>(q * static_cast<float>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

// bx, by: arrow bases; mag: |v| of each; box {x0, y0, x1, y1} (nullopt: no data yet)
inline ArrowReference arrowReference(const std::vector<float>& bx, const std::vector<float>& by,
                                     const std::vector<float>& mag, const std::optional<std::array<float, 4>>& box,
                                     float pad, float q) {
  std::vector<float> inside;
  if (box) {
    // a tiny floor keeps a one-point box from being empty
    const float px = pad * ((*box)[2] - (*box)[0]) + 1e-3f, py = pad * ((*box)[3] - (*box)[1]) + 1e-3f;
    for (std::size_t i = 0; i < mag.size(); ++i)
      if (bx[i] >= (*box)[0] - px && bx[i] <= (*box)[2] + px && by[i] >= (*box)[1] - py && by[i] <= (*box)[3] + py &&
          std::isfinite(mag[i]))
        inside.push_back(mag[i]);
  }
  if (!inside.empty()) return {orderQuantile(std::move(inside), q), true};
  return {orderQuantile(mag, q), false};
}

}  // namespace driftlab::app::render
