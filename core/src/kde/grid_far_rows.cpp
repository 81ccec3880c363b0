// INTERNAL: stage 4 of the grid path (grid_sum.hpp) -- rows the grid cannot resolve, far from every
// source: exact sums when affordable, else sums over deposited node masses. THEORY.md §6.1.
// Any thread (uses the GridSum's pool).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kde/fast_kde.hpp"
#include "kde/grid_sum.hpp"

namespace driftlab::kde::grid {
namespace {

// at most this many exact kernel pairs for far rows per call (~2 ms on 2 cores)
constexpr double kFarPairBudget = 4e6;
// ... and only with at most this many sources
constexpr long kExactFarSources = 100000;
// at most this many (row, node) pairs for those rows per call (~1 s on 2 cores; reached only by
// a million-particle cloud far from the data at a very small h, e.g. multiscale's 0.02 at t = 0)
constexpr double kFarNodePairBudget = 4e9;

}  // namespace

void GridSum::farRows(const Points& eval, std::span<const int> exclude, const std::vector<long>& far,
                      RowSums& out, ThreadPool& pool) const {
  auto store = [&](const std::vector<long>& rows, const RowSums& sub) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const long e = rows[i];
      out.log_sum[e] = sub.log_sum[long(i)];
      if (what_.shift) out.shift.col(e) = sub.shift.col(long(i));
      if (what_.score) out.score.col(e) = sub.score.col(long(i));
    }
  };
  auto rowsOf = [&](const std::vector<long>& rows) {
    Points pts(2, long(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) pts.col(long(i)) = eval.col(rows[i]);
    return pts;
  };
  std::vector<long> far_self, far_plain;  // rows that leave their own source out, and the others
  for (long e : far) {
    const long self = exclude.empty() ? -1 : exclude[std::size_t(e)];
    (self >= 0 && self < sources_.cols() ? far_self : far_plain).push_back(e);
  }
  if (double(far.size()) * double(sources_.cols()) <= kFarPairBudget && sources_.cols() <= kExactFarSources) {
    // affordable: exact sums over the sources (above kExactFarSources the float copy of all
    // sources alone costs more than node sums)
    std::vector<int> sub_ex(exclude.empty() ? 0 : far.size());
    for (std::size_t i = 0; i < sub_ex.size(); ++i) sub_ex[i] = exclude[std::size_t(far[i])];
    RowSums sub;
    kdeRowsFast(FastPrecision::Float32, rowsOf(far), sub_ex, sources_, kernel_, source_log_weight_, what_, sub, pool);
    store(far, sub);
    return;
  }
  // Many far rows (a cloud far from the data): sums over deposited node masses instead of the
  // sources -- a far row sees every source through its kernel tail, so the node count, not the
  // source count, sets the cost. Binning blurs each source by the CIC tent (variance cell^2/6 per
  // axis); for the Gaussian, whose log-gradient grows with the distance, that blur would bias far
  // scores by up to tens of percent, so the node sums use the narrowed bandwidth
  // h_eff^2 = h^2 - cell^2/6: tent * k_{h_eff} ~ (h_eff/h)^d k_h. The other truncated kernels have
  // bounded log-gradients (|grad log k| <= ~2/h), where the blur moves a far score by < 0.3 %.
  // `skip` leaves sources out of the deposit (see far_self below).
  auto nodeSums = [&](const std::vector<long>& rows, const std::vector<char>& skip, RowSums& sums) {
    const double node_cell = h_ / kFarCellsPerH;
    long node_g = 0;
    std::vector<double> node_mass;
    if (deposit_is_far_grid_) {
      // the FFT grid's deposit; a skipped source's four nodes hold only its own mass (another
      // source there would be within two cells of a far row), so they are zeroed outright
      // rather than subtracted (which would leave round-off far above a far row's sum)
      node_g = geo_.g;
      node_mass = deposit_;
      for (long s = 0; s < long(skip.size()); ++s) {
        if (!skip[std::size_t(s)]) continue;
        const CellWeights cw = cellOf(sources_(0, s), sources_(1, s), geo_.x0, geo_.y0, geo_.inv_cell, geo_.g);
        for (int a = 0; a < 2; ++a)
          for (int b = 0; b < 2; ++b) node_mass[std::size_t((cw.i + a) * geo_.g + cw.j + b)] = 0.0;
      }
    } else {
      // the origin is up to two FFT cells (<= node cells) below the box: one more node than the box needs
      node_g = long(std::ceil(geo_.extent / node_cell)) + 4;
      node_mass.assign(std::size_t(node_g * node_g), 0.0);
      for (long s = 0; s < sources_.cols(); ++s) {
        if (!skip.empty() && skip[std::size_t(s)]) continue;
        const CellWeights cw = cellOf(sources_(0, s), sources_(1, s), geo_.x0, geo_.y0, 1.0 / node_cell, node_g);
        depositCic(node_mass, node_g, cw, weightOf(s));
      }
    }
    std::vector<long> nonempty;
    for (long k = 0; k < node_g * node_g; ++k)
      if (node_mass[std::size_t(k)] > 0.0) nonempty.push_back(k);
    const long num_nodes = long(nonempty.size());
    if (num_nodes == 0) {  // every source skipped: empty sums
      sums.log_sum.setConstant(long(rows.size()), -std::numeric_limits<double>::infinity());
      sums.score.setZero(what_.score ? 2 : 0, what_.score ? long(rows.size()) : 0);
      sums.shift.setZero(what_.shift ? 2 : 0, what_.shift ? long(rows.size()) : 0);
      return;
    }
    std::vector<double> node_x(static_cast<std::size_t>(num_nodes)), node_y(node_x.size()), node_lw(node_x.size());
    for (long k = 0; k < num_nodes; ++k) {
      const long id = nonempty[std::size_t(k)];
      node_x[std::size_t(k)] = geo_.x0 + double(id / node_g) * node_cell;
      node_y[std::size_t(k)] = geo_.y0 + double(id % node_g) * node_cell;
      node_lw[std::size_t(k)] = std::log(node_mass[std::size_t(id)]) + max_lw_;
    }
    KernelSpec node_spec = kernel_.spec();
    if (gauss_) node_spec.h = std::sqrt(h_ * h_ - node_cell * node_cell / 6.0);
    const KernelEvaluator node_kernel(node_spec, kernel_.dim());
    sums.log_sum.resize(long(rows.size()));
    sums.score.resize(what_.score ? 2 : 0, what_.score ? long(rows.size()) : 0);
    sums.shift.resize(what_.shift ? 2 : 0, what_.shift ? long(rows.size()) : 0);
    // Rows in square tiles; per tile only the nodes that can reach e^-30 of the tile's largest
    // contribution (bounds from the tile's radius) -- a far row's sum comes from a thin shell of
    // nodes, so this cuts the pairs many-fold without changing the sums beyond ~1e-12. Nodes are
    // grouped in 8 x 8 blocks, tested per block first (tiles x blocks, not tiles x nodes).
    const double tile = std::max(2.0 * h_, geo_.extent / 64.0);
    const long tiles_per_axis = long(std::ceil((geo_.extent + 2.0 * geo_.cell) / tile)) + 1;
    std::vector<std::vector<long>> tile_rows(std::size_t(tiles_per_axis * tiles_per_axis));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const long e = rows[i];
      const long tx = std::clamp(long((eval(0, e) - geo_.x0) / tile), 0L, tiles_per_axis - 1);
      const long ty = std::clamp(long((eval(1, e) - geo_.y0) / tile), 0L, tiles_per_axis - 1);
      tile_rows[std::size_t(tx * tiles_per_axis + ty)].push_back(long(i));
    }
    const double tile_radius = tile * std::sqrt(0.5);
    struct NodeBlock {
      double cx, cy, min_lw, max_lw_;
      std::vector<long> nodes;
    };
    constexpr long kBlock = 8;
    const long blocks_per_axis = (node_g + kBlock - 1) / kBlock;
    std::vector<long> block_of(std::size_t(blocks_per_axis * blocks_per_axis), -1);
    std::vector<NodeBlock> blocks;
    for (long k = 0; k < num_nodes; ++k) {
      const long id = nonempty[std::size_t(k)];
      const long key = (id / node_g / kBlock) * blocks_per_axis + (id % node_g) / kBlock;
      if (block_of[std::size_t(key)] < 0) {
        block_of[std::size_t(key)] = long(blocks.size());
        blocks.push_back({geo_.x0 + (double(key / blocks_per_axis) * kBlock + 0.5 * (kBlock - 1)) * node_cell,
                          geo_.y0 + (double(key % blocks_per_axis) * kBlock + 0.5 * (kBlock - 1)) * node_cell,
                          node_lw[std::size_t(k)], node_lw[std::size_t(k)], {}});
      }
      NodeBlock& blk = blocks[std::size_t(block_of[std::size_t(key)])];
      blk.min_lw = std::min(blk.min_lw, node_lw[std::size_t(k)]);
      blk.max_lw_ = std::max(blk.max_lw_, node_lw[std::size_t(k)]);
      blk.nodes.push_back(k);
    }
    const double block_radius = 0.5 * double(kBlock - 1) * node_cell * std::sqrt(2.0);
    std::vector<long> busy;
    for (std::size_t t = 0; t < tile_rows.size(); ++t)
      if (!tile_rows[t].empty()) busy.push_back(long(t));
    // pass 1, one tile per task: the nodes each tile keeps
    std::vector<std::vector<long>> kept(busy.size());
    pool.parallelFor(0, long(busy.size()), [&](long lo, long hi, int) {
      std::vector<double> block_upper(blocks.size());
      for (long b = lo; b < hi; ++b) {
        const long t = busy[std::size_t(b)];
        const double cx = geo_.x0 + (double(t / tiles_per_axis) + 0.5) * tile;
        const double cy = geo_.y0 + (double(t % tiles_per_axis) + 0.5) * tile;
        // best: a contribution every row of the tile is guaranteed (some node's lower bound)
        double best = -std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < blocks.size(); ++k) {
          const double dist = std::hypot(blocks[k].cx - cx, blocks[k].cy - cy);
          const double d_lo = std::max(0.0, dist - tile_radius - block_radius);
          const double d_hi = dist + tile_radius + block_radius;
          block_upper[k] = node_kernel.logValue(d_lo * d_lo) + blocks[k].max_lw_;
          best = std::max(best, node_kernel.logValue(d_hi * d_hi) + blocks[k].min_lw);
        }
        std::vector<long>& out_nodes = kept[std::size_t(b)];
        for (std::size_t k = 0; k < blocks.size(); ++k) {
          if (block_upper[k] < best - 30.0) continue;
          for (long node : blocks[k].nodes) {
            const double dist = std::hypot(node_x[std::size_t(node)] - cx, node_y[std::size_t(node)] - cy);
            const double d_lo = std::max(0.0, dist - tile_radius);
            if (node_kernel.logValue(d_lo * d_lo) + node_lw[std::size_t(node)] >= best - 30.0) out_nodes.push_back(node);
          }
        }
      }
    }, 1);
    // over budget (e.g. a whole cloud far from data at a very small h), every stride-th kept node
    // with its mass times the stride: bounded cost, approximate far rows
    double pairs = 0.0;
    for (std::size_t b = 0; b < busy.size(); ++b)
      pairs += double(tile_rows[std::size_t(busy[b])].size()) * double(kept[b].size());
    const long stride = std::max(1L, long(std::ceil(pairs / kFarNodePairBudget)));
    // pass 2, one tile per task (its kernel sums then run inline on that thread)
    pool.parallelFor(0, long(busy.size()), [&](long lo, long hi, int) {
      for (long b = lo; b < hi; ++b) {
        const std::vector<long>& members = tile_rows[std::size_t(busy[std::size_t(b)])];
        const std::vector<long>& nodes = kept[std::size_t(b)];
        const long count = (long(nodes.size()) + stride - 1) / stride;
        Points kept_pts(2, count);
        std::vector<double> kept_lw(static_cast<std::size_t>(count));
        for (long k = 0; k < count; ++k) {
          const std::size_t id = std::size_t(nodes[std::size_t(k * stride)]);
          kept_pts(0, k) = node_x[id];
          kept_pts(1, k) = node_y[id];
          kept_lw[std::size_t(k)] = node_lw[id] + std::log(double(stride));
        }
        Points tile_eval(2, long(members.size()));
        for (std::size_t i = 0; i < members.size(); ++i) tile_eval.col(long(i)) = eval.col(rows[std::size_t(members[i])]);
        RowSums part;
        kdeRowsFast(FastPrecision::Float32, tile_eval, {}, kept_pts, node_kernel, kept_lw, what_, part, pool);
        for (std::size_t i = 0; i < members.size(); ++i) {
          const long r = members[i];
          sums.log_sum[r] = part.log_sum[long(i)];
          if (what_.score) sums.score.col(r) = part.score.col(long(i));
          if (what_.shift) sums.shift.col(r) = part.shift.col(long(i));
        }
      }
    }, 1);
    if (gauss_) {  // back to the bandwidth h: total x (h/h_eff)^d, shift = h^2 score
      const double ratio = (h_ * h_) / (node_spec.h * node_spec.h);
      for (long i = 0; i < sums.log_sum.size(); ++i) sums.log_sum[i] += 0.5 * double(kernel_.dim()) * std::log(ratio);
      if (what_.shift) sums.shift *= ratio;
    }
  };
  if (!far_plain.empty()) {
    RowSums sub;
    nodeSums(far_plain, {}, sub);
    store(far_plain, sub);
  }
  if (!far_self.empty()) {
    // rows far from every source but their own (isolated particles leaving themselves out): node
    // sums over all sources except these rows' own ones (each row's own mass would otherwise sit on
    // its nearest nodes), plus exact sums among those left-out sources, merged per row
    std::vector<char> skip(std::size_t(sources_.cols()), 0);
    Points own(2, long(far_self.size()));
    std::vector<double> own_lw(weighted_ ? far_self.size() : 0);
    std::vector<int> own_ex(far_self.size());
    for (std::size_t i = 0; i < far_self.size(); ++i) {
      const long self = exclude[std::size_t(far_self[i])];
      skip[std::size_t(self)] = 1;
      own.col(long(i)) = sources_.col(self);
      if (weighted_) own_lw[i] = source_log_weight_[std::size_t(self)];
      own_ex[i] = int(i);
    }
    RowSums rest, among;
    nodeSums(far_self, skip, rest);
    kdeRowsFast(FastPrecision::Float32, rowsOf(far_self), own_ex, own, kernel_, own_lw, what_, among, pool);
    RowSums merged = rest;
    for (long i = 0; i < long(far_self.size()); ++i) {
      const double la = rest.log_sum[i], lb = among.log_sum[i];
      const double top = std::max(la, lb);
      if (!(top > -std::numeric_limits<double>::infinity())) continue;  // no source at all: rest's -inf row
      const double wa = std::exp(la - top), wb = std::exp(lb - top), inv = 1.0 / (wa + wb);
      merged.log_sum[i] = top + std::log(wa + wb);
      if (what_.score) merged.score.col(i) = (wa * rest.score.col(i) + wb * among.score.col(i)) * inv;
      if (what_.shift) merged.shift.col(i) = (wa * rest.shift.col(i) + wb * among.shift.col(i)) * inv;
    }
    store(far_self, merged);
  }
}

}  // namespace driftlab::kde::grid
