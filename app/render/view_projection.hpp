// The linear map from d > 2 dimensions to the canvas plane (THEORY.md §9.4). The PCA of the data
// is computed once per data set (when a snapshot brings different data), the 2 x d map once per
// data set or view choice, so that the map stays fixed while the flow runs and motion on screen is
// the projection of real motion. Render thread only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "driftlab/field/projection.hpp"
#include "driftlab/run/snapshot.hpp"
#include "view_options.hpp"

namespace driftlab::app::render {

class ViewProjection {
 public:
  // adopt the snapshot's dimension and data; true when the map changed (the caller re-projects
  // everything and restarts trails). d <= 2: inactive, points are drawn as they are.
  bool update(const Snapshot& s, const ViewOptions& view);
  bool active() const { return map_.has_value(); }
  int dim() const { return dim_; }
  // principal axes available for the PCA choice (the data's top axes, at most kPcaAxes)
  int pcaAxes() const { return pca_ ? static_cast<int>(pca_->axes.cols()) : 0; }
  // "PCA PC1-PC2 (38% of the variance), d = 64", or "" when inactive
  const std::string& label() const { return label_; }

  // columns of m (d x n, or 2 x n when inactive) as interleaved x, y for the layers; vectors get
  // the linear part only (P v), points the affine map P (x - c); a wrong row count gives nothing
  void points(const PointsF& m, std::vector<float>& out) const;
  void vectors(const PointsF& m, std::vector<float>& out) const;

  static constexpr int kPcaAxes = 10;

 private:
  struct Key {
    ProjectionKind kind = ProjectionKind::Pca;
    int a = 0, b = 1, seed = 1;
    bool operator==(const Key&) const = default;
  };
  int dim_ = 2;
  PointsF data_;                       // the data the PCA was computed from (change detection)
  std::optional<PrincipalAxes> pca_;   // null when d <= 2 or the data are degenerate
  std::optional<Projection> map_;
  Key key_;
  std::string label_;
};

}  // namespace driftlab::app::render
