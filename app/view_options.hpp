// What the canvas draws and how: edited by the UI panels (app/ui), read by the renderer
// (app/render). Plain data, render thread only.
#pragma once

namespace driftlab::app {

enum class ParticleColoring { StartPosition, Speed, NearestMode, Plain };
enum class ArrowMode { TrueLength, Normalized, LogLength };
enum class HeatMap { None, LogP, LogQ, LogRatio, Speed };
enum class FieldSplit { Total, AttractionRepulsion, PerTerm };

struct ViewOptions {
  bool show_particles = true;
  bool show_data = true;
  bool show_particle_arrows = false;
  bool show_quiver = true;
  bool show_trails = true;
  bool show_grid = true;
  bool show_bandwidth_circle = true;
  ParticleColoring coloring = ParticleColoring::StartPosition;
  ArrowMode arrow_mode = ArrowMode::Normalized;
  float arrow_scale = 0.05f;       // TrueLength: world units per unit speed, locked unless the user changes it
  FieldSplit split = FieldSplit::Total;
  int solo_term = -1;              // PerTerm: index into Snapshot::terms to show alone, -1 = all
  HeatMap heat_map = HeatMap::LogRatio;
  float heat_opacity = 0.6f;
  int trail_length = 40;           // frames
  float particle_size = 4.0f;      // pixels
  float data_size = 3.0f;          // pixels
  int quiver_n = 24;               // quiver grid nodes per axis
  int density_n = 96;              // heat-map grid nodes per axis
  int picked_particle = -1;        // full path shown for this particle
};

}  // namespace driftlab::app
