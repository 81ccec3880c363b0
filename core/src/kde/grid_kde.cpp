// INTERNAL: 2-D grid path of the kernel-row sums (binning + FFT convolution + interpolation), the
// entry points. See grid_kde.hpp; the pieces are in grid_sum.hpp. THEORY.md §6.1. Any thread.
#include "kde/grid_kde.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

#include "kde/grid_sum.hpp"
#include "base/simd_exp.hpp"

namespace driftlab::kde {
namespace {

// rows per block handed to the consumer: both sides' values of a block (~20 KB) stay in L1/L2
constexpr long kBlockRows = 256;

// one block's values before the consumer sees them (per thread, reused)
struct BlockBuffer {
  long rows[kBlockRows];
  double p_total[kBlockRows], q_total[kBlockRows];
  double p_score[2 * kBlockRows], q_score[2 * kBlockRows];
  double p_shift[2 * kBlockRows], q_shift[2 * kBlockRows];
  long count = 0;
};

// totals -> log_sum (the vectorised log of GridSum::evaluate), then the block to the consumer
void flushBlock(BlockBuffer& b, const RowOutputs& what, double p_max_lw, double q_max_lw, const RowBlockConsumer& consume) {
  using L = simd::Lanes<double>;
  const long vec_end = b.count - b.count % L::kWidth;
  for (long i = 0; i < vec_end; i += L::kWidth) {
    L::store(b.p_total + i, L::add(simd::vlog<double>(L::load(b.p_total + i)), L::set1(p_max_lw)));
    L::store(b.q_total + i, L::add(simd::vlog<double>(L::load(b.q_total + i)), L::set1(q_max_lw)));
  }
  for (long i = vec_end; i < b.count; ++i) {
    b.p_total[i] = std::log(b.p_total[i]) + p_max_lw;
    b.q_total[i] = std::log(b.q_total[i]) + q_max_lw;
  }
  RowBlockPQ block;
  block.count = b.count;
  block.rows = b.rows;
  block.p_log_sum = b.p_total;
  block.q_log_sum = b.q_total;
  if (what.score) {
    block.p_score = b.p_score;
    block.q_score = b.q_score;
  }
  if (what.shift) {
    block.p_shift = b.p_shift;
    block.q_shift = b.q_shift;
  }
  consume(block);
  b.count = 0;
}

// stage 3 of both sums in one pass; rows either side cannot take as RowKind::Ok go to `special`
template <int NC>
void fusedRows(const grid::GridSum& p, const grid::GridSum& q, const Points& eval, std::span<const int> exclude_q,
               const RowOutputs& what, const RowBlockConsumer& consume, ThreadPool& pool,
               std::vector<std::vector<long>>& special) {
  const grid::Geometry& geo = p.geometry();
  pool.parallelFor(0, eval.cols(), [&](long lo, long hi, int t) {
    auto buffer = std::make_unique<BlockBuffer>();
    BlockBuffer& b = *buffer;
    for (long e = lo; e < hi; ++e) {
      const double ex = eval(0, e), ey = eval(1, e);
      const grid::CellWeights cw = grid::cellOf(ex, ey, geo);
      // the nodes are interleaved: one prefetch serves both sums
      if (e + grid::kPrefetchAhead < hi)
        p.prefetch(grid::cellOf(eval(0, e + grid::kPrefetchAhead), eval(1, e + grid::kPrefetchAhead), geo));
      const long self = exclude_q.empty() ? -1 : exclude_q[std::size_t(e)];
      double acc_p[NC], acc_q[NC];
      if (p.interpolateRow<NC>(ex, ey, cw, -1, acc_p) != grid::RowKind::Ok ||
          q.interpolateRow<NC>(ex, ey, cw, self, acc_q) != grid::RowKind::Ok) {
        special[std::size_t(t)].push_back(e);
        continue;
      }
      const long k = b.count++;
      b.rows[k] = e;
      p.rowOutputs<NC>(acc_p, b.p_total + k, b.p_score + 2 * k, b.p_shift + 2 * k);
      q.rowOutputs<NC>(acc_q, b.q_total + k, b.q_score + 2 * k, b.q_shift + 2 * k);
      if (b.count == kBlockRows) flushBlock(b, what, p.maxLogWeight(), q.maxLogWeight(), consume);
    }
    if (b.count > 0) flushBlock(b, what, p.maxLogWeight(), q.maxLogWeight(), consume);
  }, 1024);
}

// ---- the data side, kept between calls ----
// A flow's data never moves, yet its deposit, FFT and convolution were a fifth of a million-particle
// step. The last calls' data-side sums are kept (with a copy of the data they were built from) and
// reused when the data, the kernel, the outputs, the options and the geometry (snapped to the cell
// lattice, grid_sum.hpp) all match. Two slots: the app's worker alternates between the step's
// geometry and its display grid's (another box), and one slot would rebuild both every time.
// Slots are taken out while in use, so concurrent callers never share one.
constexpr std::size_t kDataSideSlots = 2;

struct DataSide {
  // what the sum was built from: compared whole, never trusted by address; shared by the slots
  std::shared_ptr<const Points> data;
  std::unique_ptr<KernelEvaluator> kernel;
  RowOutputs what;
  GridOptions options;
  grid::Geometry geo;
  std::shared_ptr<std::vector<float>> nodes;  // [p channels | q channels] per node; p's are valid
  std::unique_ptr<grid::GridSum> sum;         // over `data`, `kernel` (declared after them)
};

std::mutex data_side_mutex;
std::vector<std::unique_ptr<DataSide>> data_side_slots;  // most recently kept last

bool sameKernel(const KernelEvaluator& a, const KernelEvaluator& b) {
  const KernelSpec &x = a.spec(), &y = b.spec();
  return a.dim() == b.dim() && x.kind == y.kind && x.h == y.h && x.nu == y.nu && x.beta == y.beta && x.c == y.c;
}

bool sameOptions(const GridOptions& a, const GridOptions& b) {
  return a.cells_per_h == b.cells_per_h && a.fine_cells == b.fine_cells && a.max_cells == b.max_cells &&
         a.min_cells_per_h == b.min_cells_per_h && a.sharpen == b.sharpen;
}

// bit-equal contents, compared in parallel chunks (~1 ms for a million 2-D points)
bool samePoints(const Points& a, const Points& b, ThreadPool& pool) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  std::vector<char> differs(static_cast<std::size_t>(pool.size()), 0);
  pool.parallelFor(0, a.size(), [&](long lo, long hi, int t) {
    if (std::memcmp(a.data() + lo, b.data() + lo, std::size_t(hi - lo) * sizeof(double)) != 0)
      differs[std::size_t(t)] = 1;
  }, 1 << 16);
  for (char d : differs)
    if (d) return false;
  return true;
}

// the data-side sum for this call: a kept one when everything matches, else built (on a copy of the
// data, or on the kept copy when only the geometry, the kernel or the outputs changed)
std::unique_ptr<DataSide> takeDataSide(const Points& data, const KernelEvaluator& kernel, const RowOutputs& what,
                                       const GridOptions& options, const grid::Geometry& geo, int nc,
                                       ThreadPool& pool) {
  std::vector<std::unique_ptr<DataSide>> slots;
  {
    std::lock_guard<std::mutex> lock(data_side_mutex);
    slots.swap(data_side_slots);
  }
  // the kept data copy equal to `data`, compared once per distinct copy
  std::shared_ptr<const Points> same_data;
  const Points* different = nullptr;
  for (const auto& slot : slots) {
    if (same_data || slot->data.get() == different) continue;
    if (samePoints(*slot->data, data, pool)) same_data = slot->data;
    else different = slot->data.get();
  }
  std::unique_ptr<DataSide> side;
  for (auto& slot : slots)
    if (slot->data == same_data && same_data && sameKernel(*slot->kernel, kernel) &&
        slot->what.score == what.score && slot->what.shift == what.shift && sameOptions(slot->options, options) &&
        slot->geo == geo) {
      side = std::move(slot);
      break;
    }
  {  // the others go back in their order, before any kept meanwhile by another caller (newer)
    std::vector<std::unique_ptr<DataSide>> rest;
    for (auto& slot : slots)
      if (slot) rest.push_back(std::move(slot));
    std::lock_guard<std::mutex> lock(data_side_mutex);
    data_side_slots.insert(data_side_slots.begin(), std::make_move_iterator(rest.begin()),
                           std::make_move_iterator(rest.end()));
    while (data_side_slots.size() > kDataSideSlots) data_side_slots.erase(data_side_slots.begin());
  }
  if (side) return side;
  side = std::make_unique<DataSide>();
  side->data = same_data ? same_data : std::make_shared<const Points>(data);
  side->kernel = std::make_unique<KernelEvaluator>(kernel);
  side->what = what;
  side->options = options;
  side->geo = geo;
  side->nodes = std::make_shared<std::vector<float>>(std::size_t(geo.g * geo.g * 2 * nc));
  side->sum = std::make_unique<grid::GridSum>(geo, *side->data, *side->kernel, std::span<const double>(), what, pool,
                                              options, grid::NodeStore{side->nodes, 2 * nc, 0});
  return side;
}

void keepDataSide(std::unique_ptr<DataSide> side) {
  std::lock_guard<std::mutex> lock(data_side_mutex);
  data_side_slots.push_back(std::move(side));
  if (data_side_slots.size() > kDataSideSlots) data_side_slots.erase(data_side_slots.begin());
}

// stages 3-4 of both sums: the fused pass, then the rows it could not take (full stages on them alone)
void kdeRowsGridPQFused(const grid::GridSum& p, const grid::GridSum& q, const Points& eval,
                        std::span<const int> exclude_q, const RowOutputs& what, const RowBlockConsumer& consume,
                        ThreadPool& pool, int nc) {
  std::vector<std::vector<long>> special_parts(static_cast<std::size_t>(pool.size()));
  switch (nc) {
    case 1: fusedRows<1>(p, q, eval, exclude_q, what, consume, pool, special_parts); break;
    case 3: fusedRows<3>(p, q, eval, exclude_q, what, consume, pool, special_parts); break;
    default: fusedRows<5>(p, q, eval, exclude_q, what, consume, pool, special_parts); break;
  }
  std::vector<long> special;
  for (const auto& part : special_parts) special.insert(special.end(), part.begin(), part.end());
  if (special.empty()) return;

  // rows in a Gaussian tail or unresolvable on either side (a cloud far from the data, a straggler):
  // both sums through the full stages 3-4 on those rows alone, on the grids already built
  Points sub_eval(2, long(special.size()));
  std::vector<int> sub_exclude(exclude_q.empty() ? 0 : special.size());
  for (std::size_t i = 0; i < special.size(); ++i) {
    sub_eval.col(long(i)) = eval.col(special[i]);
    if (!exclude_q.empty()) sub_exclude[i] = exclude_q[std::size_t(special[i])];
  }
  RowSums rows_p, rows_q;
  p.evaluate(sub_eval, {}, rows_p, pool);
  q.evaluate(sub_eval, sub_exclude, rows_q, pool);
  consumeRowSums(rows_p, rows_q, special.data(), what, consume, pool);
}

}  // namespace

double gridCell(double extent, double h, const GridOptions& options) {
  if (!std::isfinite(extent) || !(h > 0.0)) return 0.0;
  // the finest of the allowed steps that keeps the grid within fine_cells per axis (a small box
  // gets finer cells for free; discrete steps keep the cached spectra valid while the box moves),
  // never coarser than cells_per_h unless the box needs more than max_cells
  double cells_per_h = options.cells_per_h;
  for (double cph : {12.0, 8.0})
    if (cph > cells_per_h && extent * cph / h + 3 <= options.fine_cells) {
      cells_per_h = cph;
      break;
    }
  double cell = h / cells_per_h;
  if (extent / cell + 3 > options.max_cells) cell = extent / (options.max_cells - 3);
  return h / cell >= options.min_cells_per_h ? cell : 0.0;
}

void releaseKeptGridSums() {
  std::vector<std::unique_ptr<DataSide>> slots;
  {
    std::lock_guard<std::mutex> lock(data_side_mutex);
    slots.swap(data_side_slots);
  }
}  // (freed here, outside the lock)

bool kdeRowsGrid(const Points& eval, std::span<const int> exclude, const Points& sources,
                 const KernelEvaluator& kernel, std::span<const double> source_log_weight, const RowOutputs& what,
                 RowSums& out, ThreadPool& pool, const GridOptions& options, GridStats* stats) {
  if (eval.rows() != 2 || sources.rows() != 2 || sources.cols() == 0) return false;
  // every source weight exp(-inf): nothing to deposit
  if (!source_log_weight.empty() &&
      !(*std::max_element(source_log_weight.begin(), source_log_weight.end()) > -std::numeric_limits<double>::infinity()))
    return false;
  grid::Geometry geo;
  if (!grid::makeGeometry(grid::boundingBox({&eval, &sources}, pool), kernel, options, geo)) return false;
  const grid::GridSum sum(geo, sources, kernel, source_log_weight, what, pool, options);
  sum.evaluate(eval, exclude, out, pool, stats);
  return true;
}

bool kdeRowsGridPQ(const Points& eval, std::span<const int> exclude_q, const Points& data, const Points& particles,
                   const KernelEvaluator& kernel, const RowOutputs& what, const RowBlockConsumer& consume,
                   ThreadPool& pool, const GridOptions& options) {
  if (eval.rows() != 2 || data.rows() != 2 || particles.rows() != 2 || data.cols() == 0 || particles.cols() == 0)
    return false;
  // eval is usually the particle set itself: its box once
  const grid::Box box = &eval == &particles ? grid::boundingBox({&particles, &data}, pool)
                                            : grid::boundingBox({&eval, &particles, &data}, pool);
  grid::Geometry geo;
  if (!grid::makeGeometry(box, kernel, options, geo)) return false;
  const int nc = grid::GridSum::channelCount(kernel, what);
  // [p channels, q channels] per node: a row's four nodes are one read for both sums. The data
  // side usually comes from the previous call; the particle side is written into its buffer.
  std::unique_ptr<DataSide> side = takeDataSide(data, kernel, what, options, geo, nc, pool);
  const grid::GridSum& p = *side->sum;
  const grid::GridSum q(geo, particles, kernel, {}, what, pool, options, {side->nodes, 2 * nc, nc});
  kdeRowsGridPQFused(p, q, eval, exclude_q, what, consume, pool, nc);
  keepDataSide(std::move(side));
  return true;
}

}  // namespace driftlab::kde
