#include "canvas_input.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "driftlab/field/bridge_paths.hpp"
#include "driftlab/field/dfm_drift.hpp"
#include "driftlab/field/velocity.hpp"
#include "imgui.h"

namespace driftlab::app {

namespace {

constexpr float kClickSlop = 4.f;  // pixels a press may move and still count as a click
constexpr auto kEditPeriod = std::chrono::milliseconds(40);

Eigen::VectorXd toVec(Vec2f p) {
  Eigen::VectorXd v(2);
  v << p.x, p.y;
  return v;
}

// one brush tick: a few uniform data points in the brush disc, or an erase of the disc
void brushEvent(const ViewOptions& view, Vec2f world, const std::function<void(Command)>& send) {
  if (!send) return;
  if (view.tool == CanvasTool::Erase) {
    send(cmd::EraseData{toVec(world), static_cast<double>(view.brush_radius)});
    return;
  }
  std::mt19937_64 rng(static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Points pts(2, std::max(view.brush_points, 1));
  for (int i = 0; i < pts.cols(); ++i) {
    double r = view.brush_radius * std::sqrt(u(rng)), a = 6.283185307179586 * u(rng);
    pts(0, i) = world.x + r * std::cos(a);
    pts(1, i) = world.y + r * std::sin(a);
  }
  send(cmd::AddData{pts});
}

// points of the canvas are 2-D: tools that make points in the flow's space (brush, blob, drag)
// only work when that space is the plane; for d > 2 the canvas shows a projection (THEORY.md §9.4)
bool flatRun(const Snapshot* frame) { return frame == nullptr || frame->particles.rows() == 2; }

// the probe's point for the Equations window (ViewOptions::probe_shown), as the read-out stands
// a probe read-out's log densities, when both are finite at its one point
template <class Readout>
void copyDensities(const FieldResult& r, Readout& out) {
  if (r.log_p.size() == 1 && r.log_q.size() == 1 && std::isfinite(r.log_p[0]) && std::isfinite(r.log_q[0])) {
    out.has_density = true;
    out.log_p = r.log_p[0];
    out.log_q = r.log_q[0];
  }
}

void mirrorProbe(const CanvasInput& in, ViewOptions& view) {
  view.probe_shown = in.probe.has_value();
  if (in.probe) {
    view.probe_x = in.probe->at.x;
    view.probe_y = in.probe->at.y;
  }
}

}  // namespace

std::optional<render::ProbeReadout> probeField(const Snapshot& frame, Vec2f at) {
  if (frame.particles.rows() != 2 || frame.particles.cols() == 0 || frame.data.cols() == 0) return std::nullopt;
  try {
    Points particles = frame.particles.cast<double>(), data = frame.data.cast<double>();
    Points eval(2, 1);
    eval << at.x, at.y;
    VelocityOptions opt = frame.params.velocityOptions(particles, data, frame.time);
    if (frame.dfm) {
      // mode dfm: the oracle drift at the sampler's t and the bridge's marginal p_t (THEORY.md
      // §12.2-§12.3); a learned network lives in the worker, so the read-out names the oracle
      const DfmBridge bridge = dfmBridgeOf(frame.params);
      const double t = std::min(frame.dfm->t, frame.dfm->t_end);
      const Points b = dfmOracleDrift(eval, data, bridge, t);
      render::ProbeReadout out;
      out.at = at;
      out.v = {static_cast<float>(b(0, 0)), static_cast<float>(b(1, 0))};
      out.v_name = frame.dfm->learned ? "oracle b" : "b";
      out.log_p = bridgeMarginalLogDensity(eval, data, bridge, t)[0];
      FieldRequest densities;
      densities.densities = true;
      out.log_q = evaluateField(eval, {}, particles, data, opt, densities).log_q[0];
      out.has_density = std::isfinite(out.log_p) && std::isfinite(out.log_q);
      return out;
    }
    FieldRequest req;
    req.breakdown = true;
    req.densities = true;
    FieldResult r = evaluateField(eval, {}, particles, data, opt, req);
    render::ProbeReadout out;
    out.at = at;
    out.v = {static_cast<float>(r.v(0, 0)), static_cast<float>(r.v(1, 0))};
    if (r.attraction.cols() == 1 && r.repulsion.cols() == 1) {
      out.has_split = true;
      out.attraction = {static_cast<float>(r.attraction(0, 0)), static_cast<float>(r.attraction(1, 0))};
      out.repulsion = {static_cast<float>(r.repulsion(0, 0)), static_cast<float>(r.repulsion(1, 0))};
    }
    copyDensities(r, out);
    return out;
  } catch (const std::exception&) {
    return std::nullopt;  // e.g. parameters the engine has not validated yet: no read-out this frame
  }
}

void clickAt(CanvasInput& in, const Camera& cam, const render::Scene& scene, ViewOptions& view, const Snapshot* frame,
             Vec2f world, const std::function<void(Command)>& send) {
  auto now = std::chrono::steady_clock::now();
  if (view.tool != CanvasTool::Probe && view.tool != CanvasTool::Pick && !flatRun(frame)) return;
  switch (view.tool) {
    case CanvasTool::Probe:
      if (frame) {
        in.probe = probeField(*frame, world);
        in.probe_snapshot = frame->snapshot_id;
        in.last_probe = now;
        mirrorProbe(in, view);
      }
      break;
    case CanvasTool::Pick:
      view.picked_particle = scene.nearestParticle(world, 12.f / cam.pixelsPerUnit());
      break;
    case CanvasTool::DropBlob: {
      std::mt19937_64 rng(in.blob_seed++);
      std::normal_distribution<double> g(0.0, view.blob_radius);
      Points pts(2, std::max(view.blob_count, 1));
      for (int i = 0; i < pts.cols(); ++i) {
        pts(0, i) = world.x + g(rng);
        pts(1, i) = world.y + g(rng);
      }
      if (send) send(cmd::AddParticles{pts});
      break;
    }
    case CanvasTool::Brush:
    case CanvasTool::Erase: brushEvent(view, world, send); break;
    case CanvasTool::DragParticle: break;
  }
}

std::optional<render::SphereProbeReadout> probeSphereField(const Snapshot& frame, Vec3f at) {
  if (frame.particles.rows() != 3 || frame.params.geometry == GeometryKind::Euclidean || frame.particles.cols() == 0 ||
      frame.data.cols() == 0)
    return std::nullopt;
  try {
    Points particles = frame.particles.cast<double>(), data = frame.data.cast<double>();
    Points eval(3, 1);
    eval << at.x, at.y, at.z;
    eval.col(0).normalize();
    VelocityOptions opt = frame.params.velocityOptions(particles, data, frame.time);
    FieldRequest req;
    req.densities = true;
    req.sphere_densities = true;
    const FieldResult r = evaluateField(eval, {}, particles, data, opt, req);
    const Vec x = eval.col(0);
    const Vec v = r.v.col(0) - r.v.col(0).dot(x) * x;  // the tangent part, as the particles feel it
    render::SphereProbeReadout out;
    out.at = {static_cast<float>(x(0)), static_cast<float>(x(1)), static_cast<float>(x(2))};
    out.v = {static_cast<float>(v(0)), static_cast<float>(v(1)), static_cast<float>(v(2))};
    copyDensities(r, out);
    return out;
  } catch (const std::exception&) {
    return std::nullopt;  // parameters the engine has not validated yet: no read-out this frame
  }
}

void handleSphereInput(CanvasInput& in, OrbitCamera& orbit, ViewOptions& view, const Snapshot* frame) {
  const ImGuiIO& io = ImGui::GetIO();
  in.camera_moved = false;
  in.cursor_world.reset();  // no plane point under the cursor: no kernel inset or brush
  in.cursor_screen = {io.MousePos.x, io.MousePos.y};
  in.left_down = false;
  const bool over_canvas = !io.WantCaptureMouse && ImGui::IsMousePosValid();
  // the sphere point under the cursor: the geodesic bandwidth circle is drawn around it
  in.cursor_sphere = over_canvas ? orbit.pickSphere(in.cursor_screen) : std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  // the probe follows the flow at its point
  if (in.sphere_probe && frame && frame->snapshot_id != in.probe_snapshot &&
      now - in.last_probe > std::chrono::milliseconds(100)) {
    in.sphere_probe = probeSphereField(*frame, in.sphere_probe->at);
    in.probe_snapshot = frame->snapshot_id;
    in.last_probe = now;
  }
  if (!over_canvas) return;
  // a click: released where it was pressed (a drag rotates instead)
  const bool click = ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 9.f;
  if (click && view.tool == CanvasTool::Probe) {
    in.sphere_probe = in.cursor_sphere && frame ? probeSphereField(*frame, *in.cursor_sphere) : std::nullopt;
    in.probe_snapshot = frame ? frame->snapshot_id : 0;
    in.last_probe = now;
  }
  if (click && view.tool == CanvasTool::Pick) {
    // the particle of largest cosine to the point, i.e. the nearest in angle; beside the sphere: none
    view.picked_particle = -1;
    if (in.cursor_sphere && frame && frame->particles.rows() == 3) {
      const Vec3f c = *in.cursor_sphere;
      float best = -2.f;
      for (Eigen::Index i = 0; i < frame->particles.cols(); ++i) {
        const float cosine = c.x * frame->particles(0, i) + c.y * frame->particles(1, i) + c.z * frame->particles(2, i);
        if (cosine > best) {
          best = cosine;
          view.picked_particle = static_cast<int>(i);
        }
      }
    }
  }
  for (int button : {ImGuiMouseButton_Left, ImGuiMouseButton_Right, ImGuiMouseButton_Middle})
    if (ImGui::IsMouseDragging(button, 0.f) && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
      orbit.rotate(io.MouseDelta.x, io.MouseDelta.y);
      in.camera_moved = true;
      break;
    }
  if (io.MouseWheel != 0) {
    orbit.zoom(std::pow(1.15f, io.MouseWheel));
    in.camera_moved = true;
  }
}

void handleCanvasInput(CanvasInput& in, Camera& cam, const render::Scene& scene, ViewOptions& view,
                       const Snapshot* frame, const std::function<void(Command)>& send) {
  const ImGuiIO& io = ImGui::GetIO();
  in.camera_moved = false;
  Vec2f mouse{io.MousePos.x, io.MousePos.y};
  bool over_canvas = !io.WantCaptureMouse && ImGui::IsMousePosValid();
  in.cursor_screen = mouse;
  in.cursor_world = over_canvas ? std::optional<Vec2f>(cam.screenToWorld(mouse)) : std::nullopt;
  auto now = std::chrono::steady_clock::now();
  mirrorProbe(in, view);  // the shell clears the probe on Esc and on a new run

  // keep the probe read-out live while the flow moves (at most 5 times per second)
  if (in.probe && frame && frame->snapshot_id != in.probe_snapshot && now - in.last_probe > std::chrono::milliseconds(200)) {
    in.probe = probeField(*frame, in.probe->at);
    in.probe_snapshot = frame->snapshot_id;
    in.last_probe = now;
  }

  // pan with right/middle drag anywhere on the canvas
  if (over_canvas && (ImGui::IsMouseDragging(ImGuiMouseButton_Right, 0.f) || ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 0.f))) {
    cam.pan(io.MouseDelta.x, io.MouseDelta.y);
    in.camera_moved = io.MouseDelta.x != 0 || io.MouseDelta.y != 0;
  }
  // zoom around the cursor
  if (over_canvas && io.MouseWheel != 0) {
    cam.zoomAt(mouse, std::pow(1.15f, io.MouseWheel));
    in.camera_moved = true;
  }

  const bool edit_tool = view.tool == CanvasTool::Brush || view.tool == CanvasTool::Erase ||
                         view.tool == CanvasTool::DragParticle;
  // left button press
  if (over_canvas && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    in.left_down = true;
    in.moved = false;
    in.press_screen = mouse;
    in.dragged_particle = -1;
    in.panning = !edit_tool;
    if (view.tool == CanvasTool::DragParticle) {
      in.dragged_particle = scene.nearestParticle(cam.screenToWorld(mouse), 12.f / cam.pixelsPerUnit());
      in.panning = in.dragged_particle < 0;  // no particle under the cursor: drag pans
    }
    in.last_edit = {};
  }
  if (!in.left_down) return;
  if (std::hypot(mouse.x - in.press_screen.x, mouse.y - in.press_screen.y) > kClickSlop) in.moved = true;
  Vec2f world = cam.screenToWorld(mouse);

  if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    if (in.panning && in.moved) {
      cam.pan(io.MouseDelta.x, io.MouseDelta.y);
      in.camera_moved = io.MouseDelta.x != 0 || io.MouseDelta.y != 0;
    } else if (!in.panning && now - in.last_edit >= kEditPeriod && send && flatRun(frame)) {
      in.last_edit = now;
      if (view.tool == CanvasTool::Brush || view.tool == CanvasTool::Erase) {
        brushEvent(view, world, send);
      } else if (view.tool == CanvasTool::DragParticle && in.dragged_particle >= 0) {
        send(cmd::MoveParticle{in.dragged_particle, toVec(world)});
      }
    }
    return;
  }

  // release: a click (no movement) runs the click tools
  in.left_down = false;
  if (in.moved || !over_canvas) return;
  clickAt(in, cam, scene, view, frame, world, send);
}

}  // namespace driftlab::app
