#include "render/view_projection.hpp"

#include <algorithm>

namespace driftlab::app::render {

namespace {

void interleave(const PointsF& m, std::vector<float>& out) {
  out.assign(m.data(), m.data() + m.size());  // column-major 2 x n is x0 y0 x1 y1 ...
}

}  // namespace

bool ViewProjection::update(const Snapshot& s, const ViewOptions& view) {
  const int d = static_cast<int>(s.data.cols() > 0 ? s.data.rows() : s.particles.rows());
  if (d <= 2) {
    const bool changed = map_.has_value();
    dim_ = d;
    map_.reset();
    pca_.reset();
    data_.resize(0, 0);
    label_.clear();
    return changed;
  }
  // the PCA: once per data set; comparing d x M floats per snapshot costs far less than a step
  const bool data_changed = d != dim_ || data_.rows() != s.data.rows() || data_.cols() != s.data.cols() ||
                            data_ != s.data;
  const Key key{view.projection, view.proj_a, view.proj_b, view.proj_seed};
  if (!data_changed && key == key_ && map_) return false;
  dim_ = d;
  key_ = key;
  if (data_changed) {
    data_ = s.data;
    try {
      pca_ = principalAxes(s.data.cast<double>(), kPcaAxes);
    } catch (const std::exception&) {
      pca_.reset();  // e.g. non-finite data: fall back to the first two coordinates
    }
  }
  // the chosen plane; an out-of-range or repeated choice falls back to the first two
  const auto pick = [](int a, int b, int n) { return a >= 0 && b >= 0 && a < n && b < n && a != b; };
  if (key.kind == ProjectionKind::Pca && pca_) {
    const int k = pcaAxes();
    map_ = pick(key.a, key.b, k) ? pcaProjection(*pca_, key.a, key.b) : pcaProjection(*pca_, 0, std::min(1, k - 1));
    label_ = "PCA " + map_->label;
  } else if (key.kind == ProjectionKind::Random) {
    map_ = randomProjection(pca_ ? pca_->mean : Vec::Zero(d), static_cast<std::uint64_t>(key.seed));
    label_ = map_->label;
  } else {
    map_ = pick(key.a, key.b, d) ? coordinateProjection(d, key.a, key.b) : coordinateProjection(d, 0, 1);
    label_ = "coordinates " + map_->label;
  }
  label_ += ", d = " + std::to_string(d);
  return true;
}

void ViewProjection::points(const PointsF& m, std::vector<float>& out) const {
  if (map_ && m.rows() == dim_) interleave(project(*map_, m), out);
  else if (!map_ && m.rows() == 2) interleave(m, out);
  else out.clear();
}

void ViewProjection::vectors(const PointsF& m, std::vector<float>& out) const {
  if (map_ && m.rows() == dim_) interleave(projectVectors(*map_, m), out);
  else if (!map_ && m.rows() == 2) interleave(m, out);
  else out.clear();
}

}  // namespace driftlab::app::render
