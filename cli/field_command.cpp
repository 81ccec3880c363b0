// driftlab-cli field: the velocity of a divergence flow at each particle, computed in double
// precision by the same evaluateField the engine uses (THEORY.md §5). CSV (header x,y...) or .npy
// in, CSV (header vx,vy..., %.17g) or .npy out, by the files' extensions. With --geometry sphere
// (or sphere_retraction, the same field) the points are scaled to unit length and the velocity is
// projected onto the tangent planes, as the engine's step does (THEORY.md §10.3). Main thread only.
#include <cmath>
#include <memory>
#include <numeric>

#include "cli_util.hpp"
#include "command.hpp"
#include "driftlab/kde/bandwidth.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/io/points_file.hpp"
#include "driftlab/io/name_table.hpp"
#include "driftlab/field/divergence.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/kde/kernel.hpp"
#include "driftlab/field/velocity.hpp"
#include "driftlab/flow/geometry.hpp"

namespace driftlab::cli {

namespace {

struct FieldArgs {
  std::string data, particles, out;
  std::string kernel = "gaussian";
  std::string bandwidth;
  std::string divergence = "mixed";
  std::string weights;
  std::string alpha = "0.5";
  std::string nu = "3", beta = "0.5", c = "1";
  std::string chi2 = "full";
  std::string velocity = "plugin";
  std::string geometry = "euclidean";
  bool include_self = false;
};

constexpr NamedValue<Chi2Convention> kChi2Names[] = {{Chi2Convention::Full, "full"}, {Chi2Convention::Half, "half"}};
constexpr NamedValue<VelocityMode> kVelocityNames[] = {{VelocityMode::PlugIn, "plugin"},
                                                       {VelocityMode::ExactSmoothed, "smoothed"}};
constexpr NamedValue<GeometryKind> kGeometryNames[] = {{GeometryKind::Euclidean, "euclidean"},
                                                       {GeometryKind::Sphere, "sphere"},
                                                       {GeometryKind::SphereRetraction, "sphere_retraction"}};

// the kernel table's own lookup, its message naming the option ("--kernel: unknown 'x' (...)")
KernelKind kernelKindFromName(const std::string& name) {
  try {
    return parseKernelKind(name);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument("--" + std::string(e.what()));
  }
}

// a number > 0, or a rule evaluated on these point sets (THEORY.md §3)
double resolveBandwidth(const std::string& text, const Points& x, const Points& y) {
  if (text == "silverman") return silvermanBandwidth(y);
  if (text == "median") return medianHeuristicBandwidth(x, y);
  char* end = nullptr;
  const double h = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) {
    throw InvalidArgument("--bandwidth: expected a number > 0, silverman or median (got '" + text + "')");
  }
  if (!(h > 0.0) || !std::isfinite(h)) {
    throw InvalidArgument("--bandwidth: must be > 0 and finite (got " + text + ")");
  }
  return h;
}

void runField(const FieldArgs& a) {
  checkOutputOption("--out", a.out);
  // options that do not need the data are checked before reading any file
  VelocityOptions opt;
  opt.kernel.kind = kernelKindFromName(a.kernel);
  opt.kernel.nu = parseDouble("--nu", a.nu);
  opt.kernel.beta = parseDouble("--beta", a.beta);
  opt.kernel.c = parseDouble("--c", a.c);
  opt.weights = a.weights.empty() ? DivergenceWeights::fromName(a.divergence) : DivergenceWeights::parseList(a.weights);
  validateWeights(opt.weights);
  opt.alpha = parseDouble("--alpha", a.alpha);
  if (!std::isfinite(opt.alpha)) throw InvalidArgument("--alpha: must be finite (got " + a.alpha + ")");
  opt.chi2 = valueNamed(kChi2Names, a.chi2, "--chi2: unknown");
  opt.mode = valueNamed(kVelocityNames, a.velocity, "--velocity: unknown");
  opt.leave_one_out = !a.include_self;
  const GeometryKind geometry = valueNamed(kGeometryNames, a.geometry, "--geometry: unknown");
  const bool sphere = geometry != GeometryKind::Euclidean;

  // on the sphere the points become unit vectors, as the engine places them (the dimension check
  // below names the files first when they disagree)
  const Points y_read = readPoints(a.data);
  const Points x_read = readPoints(a.particles);
  const bool same_dim = x_read.rows() == y_read.rows();
  const Points y = sphere && same_dim ? normalizedToSphere(y_read, a.data) : y_read;
  const Points x = sphere && same_dim ? normalizedToSphere(x_read, a.particles) : x_read;
  if (x.rows() != y.rows()) {
    throw InvalidArgument("dimension mismatch: " + a.particles + " has " + std::to_string(x.rows()) + " columns but " +
                          a.data + " has " + std::to_string(y.rows()));
  }
  opt.kernel.h = resolveBandwidth(a.bandwidth, x, y);
  validateKernelSpec(opt.kernel);
  validateVelocityOptions(opt);

  // the particles are the evaluation points: self_index i for leave-one-out / the DM self-mask
  std::vector<int> self(static_cast<std::size_t>(x.cols()));
  std::iota(self.begin(), self.end(), 0);
  FieldResult r = evaluateField(x, self, x, y, opt);
  if (sphere) makeGeometry(geometry)->projectTangent(x, r.v);
  for (Eigen::Index i = 0; i < r.v.size(); ++i) {
    if (!std::isfinite(r.v.data()[i])) {
      throw InvalidArgument("non-finite velocity at particle " + std::to_string(i / r.v.rows() + 1) +
                            " (try a larger --bandwidth or a ratio clamp)");
    }
  }
  writePointsOutput(a.out, r.v, coordinateNames(static_cast<int>(x.rows()), "v"));
}

const CommandRegistration kField("field", [](CLI::App& app) {
  auto a = std::make_shared<FieldArgs>();
  CLI::App* sub = app.add_subcommand("field", "Velocity of the flow at each particle (CSV in, CSV vx,vy... out)");
  sub->add_option("--data", a->data, "data (law p): CSV with header x,y..., or .npy of shape (n, d)")->type_name("Y.csv")->required();
  sub->add_option("--particles", a->particles, "particles (law q): CSV with header x,y..., or .npy of shape (n, d)")->type_name("X.csv")->required();
  sub->add_option("--kernel", a->kernel, "kernel name (see 'driftlab-cli kernels'; default gaussian)")->type_name("NAME");
  sub->add_option("--bandwidth", a->bandwidth, "bandwidth h > 0, or silverman | median")->type_name("H")->required();
  auto* div = sub->add_option("--divergence", a->divergence, "field name or mixed (default mixed)")->type_name("NAME");
  auto* w = sub->add_option("--weights", a->weights, "weighted mixture, e.g. reverse_kl=1,chi2=0.5")->type_name("LIST");
  w->excludes(div);
  sub->add_option("--alpha", a->alpha, "alpha-divergence parameter (default 0.5)")->type_name("A");
  sub->add_flag("--include-self", a->include_self, "include each particle in its own q_hat (no leave-one-out)");
  sub->add_option("--nu", a->nu, "student_t degrees of freedom (default 3)")->type_name("NU");
  sub->add_option("--beta", a->beta, "imq exponent (default 0.5)")->type_name("B");
  sub->add_option("--c", a->c, "imq offset (default 1)")->type_name("C");
  sub->add_option("--chi2", a->chi2, "chi2 convention: full (weight 2q/p, default) or half (q/p)")->type_name("full|half");
  sub->add_option("--velocity", a->velocity, "plugin (default) or smoothed (exact smoothed velocity, 1-D/2-D)")->type_name("plugin|smoothed");
  sub->add_option("--geometry", a->geometry,
                  "euclidean (default), or sphere | sphere_retraction: points scaled to unit length, tangent velocities (d >= 3)")
      ->type_name("euclidean|sphere|sphere_retraction");
  sub->add_option("--out", a->out, "output CSV (default: stdout), or .npy (float64) when the name ends in .npy")->type_name("V.csv");
  sub->callback([a] { runField(*a); });
});

}  // namespace

}  // namespace driftlab::cli
