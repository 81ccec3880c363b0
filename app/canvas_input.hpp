// Mouse handling on the canvas: pan (right/middle drag, or left drag with Probe/Pick), zoom
// around the cursor (wheel) -- or, in the 3-D sphere view, rotate and zoom the globe -- and the left-button tools of ViewOptions::tool: probe the field,
// pick a particle, brush/erase data, drag a particle, drop a blob of particles.
// Edits go to the worker as commands; the probe is evaluated here on the render thread with
// driftlab::evaluateField for one point (O(N + M), no engine wait). Render thread only.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "driftlab/run/flow_worker.hpp"
#include "driftlab/run/snapshot.hpp"
#include "render/camera.hpp"
#include "render/orbit_camera.hpp"
#include "render/overlays.hpp"
#include "render/scene.hpp"
#include "view_options.hpp"

namespace driftlab::app {

struct CanvasInput {
  // per-frame result for the overlays
  std::optional<Vec2f> cursor_world;   // cursor over the free canvas
  std::optional<Vec3f> cursor_sphere;  // the 3-D sphere view: the point of S^2 under the cursor
  Vec2f cursor_screen;
  std::optional<render::ProbeReadout> probe;
  std::optional<render::SphereProbeReadout> sphere_probe;  // the sphere view's probe
  bool camera_moved = false;

  // mouse state between frames
  bool left_down = false, panning = false, moved = false;
  Vec2f press_screen;
  int dragged_particle = -1;
  std::chrono::steady_clock::time_point last_edit{};
  std::uint64_t probe_snapshot = 0;
  std::chrono::steady_clock::time_point last_probe{};
  std::uint64_t blob_seed = 1;
};

// reads ImGui's mouse state (ignored while ImGui wants the mouse) and applies it
void handleCanvasInput(CanvasInput& in, Camera& cam, const render::Scene& scene, ViewOptions& view,
                       const Snapshot* frame, const std::function<void(Command)>& send);

// the 3-D sphere view (Scene::sphereMode): a left, right or middle drag rotates the globe, the
// wheel zooms; with the probe tool a left click (no drag) on the sphere probes the field at the
// point its ray hits (refreshed with new snapshots, at most 10 times a second), a click beside
// the sphere clears it; with the pick tool a click picks the particle nearest (in angle) to that
// point; the other tools do nothing there (their points would be 2-D)
void handleSphereInput(CanvasInput& in, OrbitCamera& orbit, ViewOptions& view, const Snapshot* frame);

// a left click (press and release without moving) at a world point with the current tool:
// Probe reads the field, Pick selects the nearest particle, DropBlob adds particles, Brush/Erase
// apply one brush event; used by the mouse and by scripts ("click X Y")
void clickAt(CanvasInput& in, const Camera& cam, const render::Scene& scene, ViewOptions& view, const Snapshot* frame,
             Vec2f world, const std::function<void(Command)>& send);

// the field at one point: velocity, attraction/repulsion and log densities (render thread)
std::optional<render::ProbeReadout> probeField(const Snapshot& frame, Vec2f at);

// the same on S^2 at a unit vector: the tangent velocity and the sphere-normalized log densities
// (render thread); nullopt when the snapshot is not a 3-D flow on the sphere
std::optional<render::SphereProbeReadout> probeSphereField(const Snapshot& frame, Vec3f at);

}  // namespace driftlab::app
