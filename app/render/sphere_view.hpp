// The 3-D view of a flow on S^2 (render/sphere_mode.hpp): the lit unit sphere with its grid and
// heat map, the quiver field on a longitude x latitude grid, data and particles, the picked particle
// with its path as sprites in the 2-D view's colours, tangent velocity arrows and trails.
// Points are projected through the OrbitCamera on the CPU every frame and drawn with the 2-D
// layers in a pixel-space camera; those on the back hemisphere (p . eye < 1) are drawn first,
// dimmed, and the translucent sphere over them, then the front ones. Render thread only.
#pragma once

#include <string>
#include <vector>

#include "driftlab/run/snapshot.hpp"
#include "render/layers.hpp"
#include "render/orbit_camera.hpp"
#include "render/sphere_layer.hpp"
#include "view_options.hpp"

namespace driftlab::app::render {

// colours of what is drawn, decided by the Scene exactly as for the 2-D view
struct SphereColors {
  const std::vector<Rgba8>& particles;  // one per drawn particle (every particle_stride-th)
  int particle_stride;
  const std::vector<Rgba8>& data;       // one per drawn data point (every data_stride-th)
  int data_stride;
  const std::vector<Rgba8>& trails;     // one per trail particle (every trail_stride-th)
  int trail_stride;
};

class SphereView {
 public:
  // copies the snapshot's 3 x N points (a new snapshot); restart: forget the trails
  void adopt(const Snapshot& s, const ViewOptions& view, int trail_stride, bool restart);
  // the picked particle of view: a new pick starts its path; grow: add its current position
  void followPicked(const ViewOptions& view, bool grow);
  // heat: the heat map painted on the sphere (its layer null for none)
  void draw(const OrbitCamera& cam, const ViewOptions& view, float dpi_scale, const SphereColors& colors,
            const SphereHeat& heat);
  std::string error() const;

 private:
  struct Projector {
    explicit Projector(const OrbitCamera& cam);
    bool operator()(const float* p, float& x, float& y) const;  // false behind the camera
    Mat4f m;
    float w, h;
  };
  void pushTrail(int trail_stride, int rows, bool restart);
  void drawTrails(const OrbitCamera& cam, const Projector& to_pixel, const Camera& pix, const ViewOptions& view,
                  const SphereColors& colors, bool back);
  void buildArrows(const OrbitCamera& cam, const Projector& to_pixel, const ViewOptions& view);
  // arrows at the points `base` (3 floats each) along `vec`, length and colour ~ |v| / p90 of the set
  void appendArrows(const std::vector<float>& base, const std::vector<float>& vec, const OrbitCamera& cam,
                    const Projector& to_pixel, const ViewOptions& view, float front_alpha);

  std::vector<float> particles_, velocities_, data_;  // 3 floats per point
  // the quiver field: nodes thinned towards the poles to about equal spacing, and their vectors
  std::vector<float> quiver_nodes_, quiver_vectors_;
  // the picked particle (ViewOptions::picked_particle) and its path since it was picked
  int picked_ = -1;
  std::vector<float> picked_path_;  // 3 floats per published snapshot
  void drawPicked(const OrbitCamera& cam, const Projector& to_pixel, const Camera& pix, bool back);
  LineLayer picked_lines_;
  std::vector<LineVertex> picked_vertices_;
  // trails: ring of the last rows_ positions of every trail_stride-th particle (3 floats each)
  std::vector<float> ring_;
  int trail_n_ = 0, rows_ = 0, filled_ = 0, newest_ = -1;

  SphereLayer sphere_;
  PointLayer data_back_, data_front_, particles_back_, particles_front_;
  ArrowLayer arrows_back_, arrows_front_;
  LineLayer lines_;
  std::vector<float> xy_back_, xy_front_;
  std::vector<Rgba8> col_back_, col_front_;
  std::vector<ArrowInstance> arrow_back_, arrow_front_;
  std::vector<LineVertex> line_vertices_;
};

}  // namespace driftlab::app::render
