// Execution and memory planning: which layers run in place or fused, and
// where every buffer sits in the arena.
//
// 1. Buffers. A planner buffer is an alias group: tensors sharing bytes by
//    design, each at a fixed offset inside the buffer.
//    - RESHAPE: the output is the input's bytes.
//    - In place (kInPlace): a CONV_2D, DEPTHWISE_CONV_2D or AVERAGE_POOL_2D
//      whose input dies at it runs in bands of output rows; its output tensor
//      sits `shift` bytes below (bands top-down) or above (bands bottom-up)
//      its input in the same buffer, far enough that a band never writes
//      over input rows that band or a later one reads. A 3x3 stride-1 layer
//      with bands of k rows and rows of R bytes needs a shift of (k+1)R; a
//      1x1 layer kR. A chain of such layers alternates directions, so the
//      buffer stays one tensor plus the largest shift. No copies are made.
//      Where the backend's kernel allows it (ScratchNeed::alias_step: the
//      arm_mve planar depthwise), the layer runs as one call with its
//      output over its input, at the input's offset or a multiple of the
//      step away: no bands and no shift beyond the larger tensor.
//    - Fused conv + ADD (kFusedAdd / kFusedIntoConv): a CONV_2D whose output
//      only feeds an ADD whose other operand dies there runs in bands into a
//      small temporary; after each band the ADD adds the band into the same
//      rows of the other operand (ADD's output may alias an input). The conv
//      output never exists whole; the ADD output takes the operand's bytes.
//    - Fed fused conv (kFeedsFused): when the fused conv's input comes from
//      the conv right before it and feeds nothing else, that conv runs band
//      by band just ahead of it, into a window holding only the rows the
//      next band reads (the rows shared by consecutive bands move to the
//      window's front by a copy). Neither conv output ever exists whole: a
//      ResNet block then needs its input plus a few rows (ic01).
//    - ADD in place (kAddInPlace): the output takes the bytes of an input
//      that dies there.
//    A buffer is live from the first step any member is written to the last
//    step any member is read (the model output: past the last layer), and
//    occupies its whole extent for that time. Kernel calls never see their
//    output overlap their inputs (except ADD, exactly, and a backend's
//    alias_step contract), as kernels.h requires.
// 2. Placement. Buffers are taken in some order and each goes to the lowest
//    16-byte aligned offset where it does not overlap any already placed
//    buffer whose live range intersects its own. A few orders are tried
//    (largest first as TFLM does, size x lifetime, lifetime, execution
//    order) and the most compact plan is kept.
// 3. Choice. Every layer that can run in place or fused starts so, with
//    bands as wide as the band budget allows (PlanOptions). Then each is put
//    back to a whole-tensor call if that does not raise the arena (costliest
//    first: most bands), so that only layers at the arena's peak keep the
//    band overhead. Greedy pruning can get stuck, so the opposite greedy
//    search (from every layer whole, switch each on if that lowers the
//    arena) runs too and the better result is kept. Then the bands of each
//    remaining layer are widened as far as the arena allows.
// 4. Program. The calls run() makes (bands with their parameter variants,
//    uniform middle bands as loops), checked by check_program before
//    anything is emitted.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <set>

#include "compiled_model.h"
#include "error.h"
#include "kernel_backends.h"  // generated: the backends and their scratch_need.h
#include "tinyperf/engine/scratch_need.h"

namespace tp::compiler {
namespace {

using tp::kernels::Shape4;

constexpr uint32_t kAlignment = 16;

uint32_t align_up(uint64_t v, uint32_t a) {
  return static_cast<uint32_t>((v + a - 1) / a * a);
}

int64_t align_up_signed(int64_t v, int64_t a) {
  if (v <= 0) return -((-v) / a * a);
  return (v + a - 1) / a * a;
}

std::size_t sz(int i) { return static_cast<std::size_t>(i); }

// ------------------------------------------------------------ row geometry

// Row geometry of a layer that can run in bands of output rows.
struct RowGeom {
  bool ok = false;
  int32_t in_h = 0, out_h = 0;
  int32_t stride = 1, pad = 0;
  int32_t extent = 1;  // dilated kernel height
  uint32_t in_row = 0, out_row = 0;  // bytes per row
  uint32_t in_bytes() const { return in_row * static_cast<uint32_t>(in_h); }
  uint32_t out_bytes() const { return out_row * static_cast<uint32_t>(out_h); }
};

RowGeom row_geom(const Layer& l) {
  RowGeom g;
  auto fill = [&](const Shape4& in, const Shape4& out, int32_t stride, int32_t pad, int32_t extent) {
    if (in.n != 1 || out.n != 1 || out.h < 1) return;
    g.ok = true;
    g.in_h = in.h;
    g.out_h = out.h;
    g.stride = stride;
    g.pad = pad;
    g.extent = extent;
    g.in_row = static_cast<uint32_t>(in.w * in.c);
    g.out_row = static_cast<uint32_t>(out.w * out.c);
  };
  switch (l.kind) {
    case LayerKind::kConv2D:
      fill(l.conv.input, l.conv.output, l.conv.stride_h, l.conv.pad_h,
           (l.conv.filter.h - 1) * l.conv.dilation_h + 1);
      break;
    case LayerKind::kDepthwiseConv2D:
      fill(l.depthwise.input, l.depthwise.output, l.depthwise.stride_h, l.depthwise.pad_h,
           (l.depthwise.filter.h - 1) * l.depthwise.dilation_h + 1);
      break;
    case LayerKind::kAveragePool2D:
      fill(l.pool.input, l.pool.output, l.pool.stride_h, l.pool.pad_h, l.pool.filter_h);
      break;
    default:
      break;
  }
  return g;
}

// Output rows [o0, o1) read input rows [lo, hi); pad = padding rows above.
struct BandRows {
  int32_t o0 = 0, o1 = 0, lo = 0, hi = 0, pad = 0;
};

BandRows band_rows(const RowGeom& g, int32_t o0, int32_t o1) {
  BandRows b;
  b.o0 = o0;
  b.o1 = o1;
  const int32_t lo_u = o0 * g.stride - g.pad;
  const int32_t hi_u = (o1 - 1) * g.stride - g.pad + g.extent;
  b.lo = std::max(0, lo_u);
  b.hi = std::min(g.in_h, hi_u);
  b.pad = b.lo - lo_u;
  return b;
}

std::vector<BandRows> split(const RowGeom& g, int32_t k) {
  std::vector<BandRows> v;
  for (int32_t o0 = 0; o0 < g.out_h; o0 += k) v.push_back(band_rows(g, o0, std::min(g.out_h, o0 + k)));
  return v;
}

// Every band reads at least one real row (else it cannot be expressed as a
// view of the input).
bool bandable(const RowGeom& g, int32_t k) {
  if (!g.ok || k < 1) return false;
  for (const BandRows& b : split(g, k)) {
    if (b.hi <= b.lo) return false;
  }
  return true;
}

// k rows per band, balanced: the fewest bands of at most k_max rows, equal
// but for the last.
int32_t balanced(int32_t h, int32_t k_max) {
  const int32_t n = (h + k_max - 1) / k_max;
  return (h + n - 1) / n;
}

// Shift (output offset - input offset) with bands top-down: each band's
// output ends at or before the first input row it or any later band reads.
int64_t down_shift(const RowGeom& g, int32_t k) {
  int64_t d = 0;
  for (const BandRows& b : split(g, k)) {
    d = std::max<int64_t>(d, static_cast<int64_t>(b.o1) * g.out_row - static_cast<int64_t>(b.lo) * g.in_row);
  }
  return align_up_signed(d, kAlignment);
}

// Shift with bands bottom-up: each band's output starts at or after the end
// of the input rows it or any later (upper) band reads.
int64_t up_shift(const RowGeom& g, int32_t k) {
  int64_t u = 0;
  for (const BandRows& b : split(g, k)) {
    u = std::max<int64_t>(u, static_cast<int64_t>(b.hi) * g.in_row - static_cast<int64_t>(b.o0) * g.out_row);
  }
  return align_up_signed(u, kAlignment);
}

// Bytes an in-place layer adds over the larger of its two tensors.
int64_t in_place_extra(const RowGeom& g, int32_t k) {
  const int64_t bi = g.in_bytes(), bo = g.out_bytes();
  const int64_t base = std::max(bi, bo);
  const int64_t down = std::max(bi + down_shift(g, k), bo) - base;
  const int64_t up = std::max(bi, up_shift(g, k) + bo) - base;
  return std::min(down, up);
}

// ------------------------------------------------------------ the planner

}  // namespace

// What the kernels of a backend want for one layer (its folder's
// scratch_need.h; nothing for a backend without one): scratch, and whether
// one whole call may write its output over its input (alias_step).
tp::kernels::ScratchNeed backend_scratch_need(const std::string& backend, const Layer& l) {
#define TP_SCRATCH_NEED(name)                                                                   \
  if (backend == #name) {                                                                       \
    switch (l.kind) {                                                                           \
      case LayerKind::kConv2D: return tp::kernels::name::scratch_need_conv(l.conv);             \
      case LayerKind::kDepthwiseConv2D: return tp::kernels::name::scratch_need_depthwise(l.depthwise); \
      case LayerKind::kFullyConnected: return tp::kernels::name::scratch_need_fully_connected(l.fc); \
      case LayerKind::kAdd: return tp::kernels::name::scratch_need_add(l.add);                  \
      default: return {};                                                                       \
    }                                                                                           \
  }
  TP_KERNEL_BACKENDS_WITH_SCRATCH(TP_SCRATCH_NEED)
#undef TP_SCRATCH_NEED
  return {};
}

namespace {

class Planner {
 public:
  Planner(CompiledModel* m, const PlanOptions& o) : m_(*m), g_(m->graph), layers_(m->layers), opt_(o) {
    n_tensors_ = static_cast<int>(g_.tensors.size());
    end_step_ = static_cast<int>(layers_.size());
    analyse_graph();
  }

  void run() {
    std::vector<LayerExec> config = initial_config(/*in_place=*/false);
    m_.arena_whole = evaluate(config).arena_bytes;
    if (opt_.in_place) {
      config = initial_config(true);
      if (opt_.prune) choose(&config);
    }
    // Scratch over a dying input grows the input's buffer for its whole
    // life; where a buffer of its own makes a smaller arena, use that.
    const MemoryPlan first = evaluate(config);
    uint32_t arena = first.arena_bytes;
    for (int i = 0; i < end_step_; ++i) {
      const int step = config[sz(i)].step;
      if (first.scratch.empty() || !first.scratch[sz(step)].over_input) continue;
      std::vector<LayerExec> trial = config;
      trial[sz(i)].scratch_apart = true;
      const uint32_t a = evaluate(trial).arena_bytes;
      if (a < arena) {
        config = trial;
        arena = a;
      }
    }
    m_.exec = config;
    m_.plan = evaluate(m_.exec);
    for (LayerExec& e : m_.exec) {
      if (e.mode == ExecMode::kFusedAdd || e.mode == ExecMode::kFeedsFused) {
        e.temp_bytes = m_.plan.buffers[sz(e.temp_buffer)].bytes;
      }
    }
    build_program();
  }

 private:
  // ---------------------------------------------------------- graph facts

  int find(int t) const {
    while (alias_[sz(t)] != t) t = alias_[sz(t)];
    return t;
  }

  void analyse_graph() {
    alias_.resize(sz(n_tensors_));
    std::iota(alias_.begin(), alias_.end(), 0);
    producer_.assign(sz(n_tensors_), -1);
    for (int i = 0; i < end_step_; ++i) {
      const Layer& l = layers_[sz(i)];
      producer_[sz(l.output)] = i;
      if (l.kind == LayerKind::kReshape) alias_[sz(find(l.output))] = find(l.inputs[0]);
    }
    readers_.assign(sz(n_tensors_), {});
    for (int i = 0; i < end_step_; ++i) {
      for (int t : layers_[sz(i)].inputs) readers_[sz(find(t))].push_back(i);
    }
  }

  bool is_model_output(int t) const { return find(t) == find(g_.output); }

  // Readers of t's alias set other than RESHAPE (which only aliases).
  std::vector<int> real_readers(int t) const {
    std::vector<int> v;
    for (int r : readers_[sz(find(t))]) {
      if (layers_[sz(r)].kind != LayerKind::kReshape) v.push_back(r);
    }
    return v;
  }

  // Whether layer i is the only (non-RESHAPE) reader of t's bytes and reads
  // them once, and t is not the model output.
  bool sole_reader(int t, int i) const {
    if (is_model_output(t)) return false;
    const std::vector<int> r = real_readers(t);
    return r.size() == 1 && r[0] == i;
  }

  bool can_run_in_place(int i) const {
    const Layer& l = layers_[sz(i)];
    const RowGeom geo = row_geom(l);
    return geo.ok && bandable(geo, 1) && sole_reader(l.inputs[0], i);
  }

  // The ADD layer a conv at i can be fused with, or -1; *operand is the ADD
  // input the conv output is.
  int fusable_add(int i, int* operand) const {
    const Layer& l = layers_[sz(i)];
    if (l.kind != LayerKind::kConv2D && l.kind != LayerKind::kDepthwiseConv2D) return -1;
    const RowGeom geo = row_geom(l);
    if (!geo.ok || !bandable(geo, 1)) return -1;
    if (is_model_output(l.output)) return -1;
    const std::vector<int> r = real_readers(l.output);
    if (r.size() != 1 || readers_[sz(find(l.output))].size() != 1) return -1;  // no RESHAPE either
    const int a = r[0];
    const Layer& add = layers_[sz(a)];
    if (add.kind != LayerKind::kAdd || add.inputs.size() != 2) return -1;
    const int k = add.inputs[0] == l.output ? 0 : 1;
    if (add.inputs[sz(k)] != l.output) return -1;
    const int x = add.inputs[sz(1 - k)];
    if (find(x) == find(l.output)) return -1;
    // The other operand: written before the conv, read by nobody after the
    // conv but the ADD, not the conv's input, not the model output.
    if (is_model_output(x) || find(x) == find(l.inputs[0])) return -1;
    const int px = producer_[sz(find(x))];
    if (px >= i) return -1;
    for (int rd : real_readers(x)) {
      if (rd >= i && rd != a) return -1;
    }
    // The ADD output keeps the operand's layout.
    if (static_cast<int64_t>(geo.out_bytes()) != g_.tensors[sz(x)].elements()) return -1;
    *operand = k;
    return a;
  }

  // Input of ADD i that its output may overwrite, or -1.
  int add_in_place_operand(int i) const {
    const Layer& l = layers_[sz(i)];
    if (l.kind != LayerKind::kAdd) return -1;
    for (int k = 0; k < 2; ++k) {
      const int t = l.inputs[sz(k)];
      if (is_model_output(t)) continue;
      bool last = true;
      for (int rd : real_readers(t)) last = last && rd <= i;
      if (last) return k;
    }
    return -1;
  }

  // ---------------------------------------------------------- pipelines

  // One band of a fused conv l2 fed by l1 (kFeedsFused): the window holds
  // the l1 output rows b2 reads, window row 0 = row b2.lo. Before b2 runs,
  // the rows kept from the previous band move to the front, then l1
  // computes the missing rows.
  struct PipeBand {
    BandRows b2;
    int32_t keep_from = 0;  // window rows [keep_from, keep_from + keep_rows) move to row 0
    int32_t keep_rows = 0;
    bool feed = false;      // l1 computes its output rows [b1.o0, b1.o1) into the window
    BandRows b1;
  };

  std::vector<PipeBand> pipeline(int l1, int l2, int32_t k) const {
    const RowGeom g1 = row_geom(layers_[sz(l1)]), g2 = row_geom(layers_[sz(l2)]);
    std::vector<PipeBand> v;
    int32_t wlo = 0, whi = 0;  // rows in the window after the previous band
    for (const BandRows& b2 : split(g2, k)) {
      PipeBand p;
      p.b2 = b2;
      int32_t have = b2.lo;  // rows [b2.lo, have) already in the window
      if (whi > b2.lo) {
        p.keep_from = b2.lo - wlo;
        p.keep_rows = std::min(whi, b2.hi) - b2.lo;
        have = b2.lo + p.keep_rows;
      }
      if (have < b2.hi) {
        p.feed = true;
        p.b1 = band_rows(g1, have, b2.hi);
      }
      v.push_back(p);
      wlo = b2.lo;
      whi = b2.hi;
    }
    return v;
  }

  int32_t window_rows(int l1, int l2, int32_t k) const {
    int32_t rows = 0;
    for (const PipeBand& p : pipeline(l1, l2, k)) rows = std::max(rows, p.b2.hi - p.b2.lo);
    return rows;
  }

  // Whether l1 can feed the conv l2 fused with ADD a (other operand x) band
  // by band: l1 runs right before l2, its output only feeds l2, and x is
  // read by nobody from l1 on but the ADD (and l1 itself).
  bool can_feed(int l1, int l2, int a, int x) const {
    if (l1 < 0 || l1 != l2 - 1) return false;
    const Layer& f = layers_[sz(l1)];
    if (f.kind != LayerKind::kConv2D && f.kind != LayerKind::kDepthwiseConv2D) return false;
    const RowGeom g1 = row_geom(f);
    if (!g1.ok || !bandable(g1, 1)) return false;
    if (f.output != layers_[sz(l2)].inputs[0] || !sole_reader(f.output, l2) ||
        readers_[sz(find(f.output))].size() != 1) {
      return false;
    }
    const int u = f.inputs[0];
    const bool reads_x = find(u) == find(x);
    if (reads_x && u != x) return false;
    if (producer_[sz(find(x))] >= l1) return false;
    for (int rd : real_readers(x)) {
      if (rd >= l1 && rd != a && !(reads_x && rd == l1)) return false;
    }
    return true;
  }

  // With bands of k rows, l1 never reads a row of its input that the ADD has
  // already overwritten (when that input is the ADD's other operand, whose
  // rows the ADD writes band by band).
  bool pipeline_ok(int l1, int l2, int32_t k, int x) const {
    if (!bandable(row_geom(layers_[sz(l2)]), k)) return false;
    if (layers_[sz(l1)].inputs[0] != x) return true;
    int32_t written = 0;  // x rows [0, written) overwritten
    for (const PipeBand& p : pipeline(l1, l2, k)) {
      if (p.feed && p.b1.lo < written) return false;
      written = p.b2.o1;
    }
    return true;
  }

  int other_operand(int l2, const std::vector<LayerExec>& c) const {
    const Layer& add = layers_[sz(c[sz(l2)].partner)];
    return add.inputs[sz(1 - c[sz(l2)].operand)];
  }

  // ---------------------------------------------------------- configurations

  int32_t budget_rows_in_place(int i, const RowGeom& geo) const {
    if (whole_over_input(i)) return geo.out_h;
    int32_t best = 1;
    for (int32_t k = 1; k <= geo.out_h; ++k) {
      if (!bandable(geo, k)) continue;
      if (in_place_extra(geo, k) <= static_cast<int64_t>(opt_.band_budget)) best = k;
    }
    return balanced(geo.out_h, best);
  }

  int32_t budget_rows_fused(const RowGeom& geo) const {
    const int32_t k = static_cast<int32_t>(std::max<uint32_t>(1, opt_.band_budget / std::max<uint32_t>(1, geo.out_row)));
    return balanced(geo.out_h, std::min(k, geo.out_h));
  }

  int32_t budget_rows_pipeline(int l1, int l2, int x) const {
    const RowGeom g1 = row_geom(layers_[sz(l1)]), g2 = row_geom(layers_[sz(l2)]);
    int32_t best = 0;
    for (int32_t k = 1; k <= g2.out_h; ++k) {
      if (!pipeline_ok(l1, l2, k, x)) continue;
      const uint64_t bytes = static_cast<uint64_t>(window_rows(l1, l2, k)) * g1.out_row +
                             static_cast<uint64_t>(k) * g2.out_row;
      if (best == 0 || bytes <= opt_.band_budget) best = k;
      if (bytes > opt_.band_budget) break;
    }
    if (best == 0) return 0;
    const int32_t kb = balanced(g2.out_h, best);
    return pipeline_ok(l1, l2, kb, x) ? kb : best;
  }

  static void set_bands(LayerExec* e, const RowGeom& geo, int32_t k) {
    e->band_rows = k;
    e->bands = (geo.out_h + k - 1) / k;
  }

  std::vector<LayerExec> initial_config(bool in_place) const {
    std::vector<LayerExec> c(sz(end_step_));
    for (int i = 0; i < end_step_; ++i) {
      if (layers_[sz(i)].kind == LayerKind::kReshape) c[sz(i)].mode = ExecMode::kAlias;
    }
    if (!in_place) return c;
    // Convs fused with their ADD.
    for (int i = 0; i < end_step_; ++i) {
      LayerExec& e = c[sz(i)];
      if (e.mode != ExecMode::kWhole) continue;
      const RowGeom geo = row_geom(layers_[sz(i)]);
      int operand = -1;
      const int a = fusable_add(i, &operand);
      if (a >= 0 && c[sz(a)].mode == ExecMode::kWhole) {
        e.mode = ExecMode::kFusedAdd;
        e.partner = a;
        e.operand = operand;
        set_bands(&e, geo, budget_rows_fused(geo));
        c[sz(a)].mode = ExecMode::kFusedIntoConv;
        c[sz(a)].partner = i;
      }
    }
    // Convs feeding a fused conv band by band.
    for (int i = 0; i < end_step_; ++i) {
      if (c[sz(i)].mode != ExecMode::kFusedAdd) continue;
      const int l1 = i - 1;
      const int x = other_operand(i, c);
      if (l1 < 0 || c[sz(l1)].mode != ExecMode::kWhole || !can_feed(l1, i, c[sz(i)].partner, x)) continue;
      const int32_t k = budget_rows_pipeline(l1, i, x);
      if (k == 0) continue;
      const RowGeom geo = row_geom(layers_[sz(i)]);
      set_bands(&c[sz(i)], geo, k);
      c[sz(i)].feeder = l1;
      c[sz(l1)].mode = ExecMode::kFeedsFused;
      c[sz(l1)].partner = i;
      c[sz(l1)].band_rows = k;
      c[sz(l1)].bands = c[sz(i)].bands;
    }
    // Layers in place, ADDs over an input.
    for (int i = 0; i < end_step_; ++i) {
      LayerExec& e = c[sz(i)];
      if (e.mode != ExecMode::kWhole) continue;
      const RowGeom geo = row_geom(layers_[sz(i)]);
      if (can_run_in_place(i)) {
        e.mode = ExecMode::kInPlace;
        set_bands(&e, geo, budget_rows_in_place(i, geo));
        continue;
      }
      const int k = add_in_place_operand(i);
      if (k >= 0) {
        e.mode = ExecMode::kAddInPlace;
        e.operand = k;
      }
    }
    return c;
  }

  // Puts layer i back to a whole-tensor call (a fused pair: both layers; its
  // ADD then overwrites an operand if it can).
  void make_whole(std::vector<LayerExec>* c, int i) const {
    LayerExec& e = (*c)[sz(i)];
    if (e.mode == ExecMode::kFeedsFused) {
      (*c)[sz(e.partner)].feeder = -1;
      e = LayerExec{};
      return;
    }
    if (e.mode == ExecMode::kFusedAdd && e.feeder >= 0) (*c)[sz(e.feeder)] = LayerExec{};
    if (e.mode == ExecMode::kFusedAdd) {
      LayerExec& a = (*c)[sz(e.partner)];
      a = LayerExec{};
      const int k = add_in_place_operand(e.partner);
      if (k >= 0) {
        a.mode = ExecMode::kAddInPlace;
        a.operand = k;
      }
    }
    e = LayerExec{};
  }

  static int32_t total_bands(const std::vector<LayerExec>& c) {
    int32_t n = 0;
    for (const LayerExec& e : c) {
      if (e.mode == ExecMode::kInPlace || e.mode == ExecMode::kFusedAdd || e.mode == ExecMode::kFeedsFused) {
        n += e.bands;
      }
    }
    return n;
  }

  // From every layer whole, each candidate of `all` (execution order) is
  // switched on if that lowers the arena.
  std::vector<LayerExec> grow(const std::vector<LayerExec>& all, uint32_t* arena) const {
    std::vector<LayerExec> c = initial_config(false);
    *arena = evaluate(c).arena_bytes;
    for (int i = 0; i < end_step_; ++i) {
      const LayerExec& e = all[sz(i)];
      if (e.mode != ExecMode::kInPlace && e.mode != ExecMode::kFusedAdd && e.mode != ExecMode::kAddInPlace &&
          e.mode != ExecMode::kFeedsFused) {
        continue;
      }
      if (c[sz(i)].mode != ExecMode::kWhole) continue;
      std::vector<LayerExec> trial = c;
      trial[sz(i)] = e;
      if (e.mode == ExecMode::kFeedsFused) {
        const LayerExec& f = all[sz(e.partner)];
        trial[sz(e.partner)] = f;
        trial[sz(f.partner)] = all[sz(f.partner)];
      }
      if (e.mode == ExecMode::kFusedAdd) {
        trial[sz(e.partner)] = all[sz(e.partner)];
        if (e.feeder >= 0 && trial[sz(e.feeder)].mode != ExecMode::kFeedsFused) {
          // Fused alone: bands sized without the window.
          const RowGeom geo = row_geom(layers_[sz(i)]);
          trial[sz(i)].feeder = -1;
          set_bands(&trial[sz(i)], geo, budget_rows_fused(geo));
        }
      }
      const uint32_t a = evaluate(trial).arena_bytes;
      if (a < *arena) {
        c = trial;
        *arena = a;
      }
    }
    return c;
  }

  void choose(std::vector<LayerExec>* config) {
    uint32_t grown_arena = 0;
    const std::vector<LayerExec> grown = grow(*config, &grown_arena);
    uint32_t arena = evaluate(*config).arena_bytes;
    // Back to whole calls where that costs no arena: banded layers first
    // (most bands first), then in-place ADDs.
    std::vector<int> order;
    for (int i = 0; i < end_step_; ++i) {
      const ExecMode mo = (*config)[sz(i)].mode;
      if (mo == ExecMode::kInPlace || mo == ExecMode::kFusedAdd || mo == ExecMode::kFeedsFused) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return (*config)[sz(a)].bands > (*config)[sz(b)].bands;
    });
    auto try_whole = [&](int i) {
      std::vector<LayerExec> trial = *config;
      make_whole(&trial, i);
      const uint32_t a = evaluate(trial).arena_bytes;
      if (a <= arena) {
        *config = trial;
        arena = a;
      }
    };
    for (int i : order) {
      const ExecMode mo = (*config)[sz(i)].mode;
      if (mo == ExecMode::kInPlace || mo == ExecMode::kFusedAdd || mo == ExecMode::kFeedsFused) try_whole(i);
    }
    for (int i = 0; i < end_step_; ++i) {
      if ((*config)[sz(i)].mode == ExecMode::kAddInPlace) try_whole(i);
    }
    // Greedy either way: keep the better of the two.
    if (grown_arena < arena || (grown_arena == arena && total_bands(grown) < total_bands(*config))) {
      *config = grown;
      arena = grown_arena;
    }
    // Widen bands as far as the arena allows.
    for (int i = 0; i < end_step_; ++i) {
      const ExecMode mo = (*config)[sz(i)].mode;
      const int32_t bands = (*config)[sz(i)].bands;
      if (mo != ExecMode::kInPlace && mo != ExecMode::kFusedAdd) continue;
      const RowGeom geo = row_geom(layers_[sz(i)]);
      const int feeder = (*config)[sz(i)].feeder;
      for (int32_t n = 1; n < bands; ++n) {
        const int32_t k = (geo.out_h + n - 1) / n;
        if (!bandable(geo, k)) continue;
        if (feeder >= 0 && !pipeline_ok(feeder, i, k, other_operand(i, *config))) continue;
        std::vector<LayerExec> trial = *config;
        set_bands(&trial[sz(i)], geo, k);
        if (feeder >= 0) {
          trial[sz(feeder)].band_rows = k;
          trial[sz(feeder)].bands = trial[sz(i)].bands;
        }
        const uint32_t a = evaluate(trial).arena_bytes;
        if (a <= arena) {
          *config = trial;
          arena = a;
          break;
        }
      }
    }
    // What each remaining choice saves, for the summary.
    for (int i = 0; i < end_step_; ++i) {
      const ExecMode mo = (*config)[sz(i)].mode;
      if (mo != ExecMode::kInPlace && mo != ExecMode::kFusedAdd && mo != ExecMode::kAddInPlace &&
          mo != ExecMode::kFeedsFused) {
        continue;
      }
      std::vector<LayerExec> trial = *config;
      make_whole(&trial, i);
      (*config)[sz(i)].arena_without = evaluate(trial).arena_bytes;
    }
  }

  // ---------------------------------------------------------- buffers and placement

  // What the kernels of the backend planned for want (its folder's
  // scratch_need.h; none for a backend without one).
  tp::kernels::ScratchNeed scratch_need(const Layer& l) const { return backend_scratch_need(opt_.backend, l); }

  // Whether layer i may run as one call with its output over its input by
  // its backend's contract (ScratchNeed::alias_step): its buffer then grows
  // by nothing beyond the input.
  bool whole_over_input(int i) const { return scratch_need(layers_[sz(i)]).alias_step > 0; }

  // evaluate()'s working state: tensor lifetimes, and the buffers
  // ("groups") with each tensor's offset relative to its group.
  struct Layout {
    struct Group {
      int64_t lo = 0, hi = 0;
      std::vector<int> tensors;
      int first = 0, last = 0;
      int temp_of = -1;
      int scratch_of = -1;
    };
    const Graph* g = nullptr;
    std::vector<bool> materialized;
    std::vector<int> first, last;  // steps of each tensor's first and last use
    std::vector<Group> groups;
    std::vector<int> group_of;
    std::vector<int64_t> rel;

    int64_t bytes_of(int t) const { return g->tensors[sz(t)].elements(); }
    void add_to(int t, int gi, int64_t r) {
      Group& gr = groups[sz(gi)];
      if (gr.tensors.empty()) {
        gr.lo = r;
        gr.hi = r + bytes_of(t);
      }
      gr.lo = std::min(gr.lo, r);
      gr.hi = std::max(gr.hi, r + bytes_of(t));
      gr.tensors.push_back(t);
      group_of[sz(t)] = gi;
      rel[sz(t)] = r;
    }
    void new_group(int t) {
      groups.emplace_back();
      add_to(t, static_cast<int>(groups.size()) - 1, 0);
    }
  };

  // Kernel scratch of one step: where (a group, at rel), how much.
  struct StepScratch {
    int group = -1;
    int64_t rel = 0;
    uint32_t bytes = 0;
    bool over_input = false;
    int users = 0;  // layers at the step wanting scratch
    int user = -1;  // the last of them
  };

  // Builds the buffers of a configuration (choosing the direction and shift
  // of each in-place layer, stored into *config) and places them.
  MemoryPlan evaluate(std::vector<LayerExec>& config) const {
    assign_steps(config);
    Layout lay;
    lay.g = &g_;
    lifetimes(config, lay);
    build_groups(config, lay);
    const std::vector<StepScratch> scratch = plan_scratch(config, lay);
    return place_layout(lay, scratch);
  }

  // Steps: a fused conv runs at its feeder's step, an ADD at its conv's.
  void assign_steps(std::vector<LayerExec>& config) const {
    for (int i = 0; i < end_step_; ++i) {
      LayerExec& e = config[sz(i)];
      e.step = e.mode == ExecMode::kFusedAdd && e.feeder >= 0 ? e.feeder : i;
    }
    for (int i = 0; i < end_step_; ++i) {
      LayerExec& e = config[sz(i)];
      if (e.mode == ExecMode::kFusedIntoConv) e.step = config[sz(e.partner)].step;
    }
  }

  // Which tensors exist in memory, and the steps each is used at.
  void lifetimes(const std::vector<LayerExec>& config, Layout& lay) const {
    lay.materialized.assign(sz(n_tensors_), false);
    lay.first.assign(sz(n_tensors_), end_step_ + 1);
    lay.last.assign(sz(n_tensors_), -1);
    auto touch = [&](int t, int step) {
      lay.first[sz(t)] = std::min(lay.first[sz(t)], step);
      lay.last[sz(t)] = std::max(lay.last[sz(t)], step);
    };
    lay.materialized[sz(g_.input)] = true;
    touch(g_.input, 0);
    for (int i = 0; i < end_step_; ++i) {
      const Layer& l = layers_[sz(i)];
      const int step = config[sz(i)].step;
      for (int t : l.inputs) touch(t, step);
      touch(l.output, step);
      lay.materialized[sz(l.output)] =
          config[sz(i)].mode != ExecMode::kFusedAdd && config[sz(i)].mode != ExecMode::kFeedsFused;
    }
    touch(g_.output, end_step_);
  }

  // Groups with relative offsets: a tensor starts a group or joins its
  // input's (alias, in place, fused into an ADD operand); fused layers get
  // their temporaries and windows.
  void build_groups(std::vector<LayerExec>& config, Layout& lay) const {
    lay.group_of.assign(sz(n_tensors_), -1);
    lay.rel.assign(sz(n_tensors_), 0);
    lay.new_group(g_.input);
    for (int i = 0; i < end_step_; ++i) {
      const Layer& l = layers_[sz(i)];
      LayerExec& e = config[sz(i)];
      switch (e.mode) {
        case ExecMode::kAlias:
          lay.add_to(l.output, lay.group_of[sz(l.inputs[0])], lay.rel[sz(l.inputs[0])]);
          break;
        case ExecMode::kWhole:
          lay.new_group(l.output);
          break;
        case ExecMode::kInPlace: {
          const RowGeom geo = row_geom(l);
          const int in = l.inputs[0];
          const int gi = lay.group_of[sz(in)];
          const Layout::Group& gr = lay.groups[sz(gi)];
          const int64_t bo = geo.out_bytes();
          const tp::kernels::ScratchNeed need = e.bands == 1 ? scratch_need(l) : tp::kernels::ScratchNeed{};
          if (need.alias_step > 0) {
            // One call, output over its input by the backend's contract: at
            // the input's offset or a multiple of the step (and of 16) away,
            // as high as the buffer already reaches (a following layer that
            // writes below its input then stays inside it).
            const int64_t step = std::lcm<int64_t>(need.alias_step, kAlignment);
            const int64_t top = gr.hi - bo;
            const int64_t r = top > lay.rel[sz(in)] ? lay.rel[sz(in)] + (top - lay.rel[sz(in)]) / step * step
                                                    : lay.rel[sz(in)];
            e.bottom_up = false;
            e.shift = static_cast<int32_t>(r - lay.rel[sz(in)]);
            lay.add_to(l.output, gi, r);
            break;
          }
          // Any shift at least the minimum is safe; the output goes as far
          // as the buffer already reaches (to its bottom, or its top), so
          // that alternating layers with different shifts do not drift.
          int64_t down = lay.rel[sz(in)] - down_shift(geo, e.band_rows);
          if (gr.lo < down) down = gr.lo;
          int64_t up = lay.rel[sz(in)] + up_shift(geo, e.band_rows);
          const int64_t top = -align_up_signed(-(gr.hi - bo), kAlignment);  // aligned down
          if (top > up) up = top;
          const int64_t span_down = std::max(gr.hi, down + bo) - std::min(gr.lo, down);
          const int64_t span_up = std::max(gr.hi, up + bo) - std::min(gr.lo, up);
          e.bottom_up = span_up < span_down;
          const int64_t r = e.bottom_up ? up : down;
          e.shift = static_cast<int32_t>(r - lay.rel[sz(in)]);
          lay.add_to(l.output, gi, r);
          break;
        }
        case ExecMode::kFusedAdd: {
          const RowGeom geo = row_geom(l);
          Layout::Group temp;
          temp.lo = 0;
          temp.hi = static_cast<int64_t>(geo.out_row) * e.band_rows;
          temp.first = temp.last = e.step;
          temp.temp_of = i;
          e.temp_buffer = static_cast<int>(lay.groups.size());
          lay.groups.push_back(temp);
          break;
        }
        case ExecMode::kFeedsFused: {
          const RowGeom geo = row_geom(l);
          Layout::Group window;
          window.lo = 0;
          window.hi = static_cast<int64_t>(geo.out_row) * window_rows(i, e.partner, config[sz(e.partner)].band_rows);
          window.first = window.last = e.step;
          window.temp_of = i;
          e.temp_buffer = static_cast<int>(lay.groups.size());
          lay.groups.push_back(window);
          break;
        }
        case ExecMode::kFusedIntoConv: {
          const int conv = e.partner;
          const int x = l.inputs[sz(1 - config[sz(conv)].operand)];
          lay.add_to(l.output, lay.group_of[sz(x)], lay.rel[sz(x)]);
          break;
        }
        case ExecMode::kAddInPlace: {
          const int x = l.inputs[sz(e.operand)];
          lay.add_to(l.output, lay.group_of[sz(x)], lay.rel[sz(x)]);
          break;
        }
      }
    }
  }

  // Kernel scratch: per step, the most any layer run at that step wants.
  // A FULLY_CONNECTED alone at its step whose input dies there may have it
  // end where that input ends (its buffer grows below to hold it);
  // otherwise it is a buffer alive at that step only.
  std::vector<StepScratch> plan_scratch(const std::vector<LayerExec>& config, Layout& lay) const {
    std::vector<StepScratch> scratch(sz(end_step_));
    for (int i = 0; i < end_step_; ++i) {
      if (config[sz(i)].mode == ExecMode::kAlias) continue;
      const tp::kernels::ScratchNeed n = scratch_need(layers_[sz(i)]);
      if (n.bytes == 0) continue;
      StepScratch& sc = scratch[sz(config[sz(i)].step)];
      sc.bytes = std::max(sc.bytes, n.bytes);
      ++sc.users;
      sc.user = i;
    }
    for (int step = 0; step < end_step_; ++step) {
      StepScratch& sc = scratch[sz(step)];
      if (sc.bytes == 0) continue;
      if (sc.users == 1 && config[sz(sc.user)].mode == ExecMode::kWhole && !config[sz(sc.user)].scratch_apart &&
          scratch_need(layers_[sz(sc.user)]).may_overlap_input) {
        const int in = layers_[sz(sc.user)].inputs[0];
        const int gi = lay.group_of[sz(in)];
        bool dies = in != g_.output && gi >= 0 && lay.groups[sz(gi)].temp_of < 0;
        if (dies) {
          for (int t : lay.groups[sz(gi)].tensors) {
            if (lay.materialized[sz(t)] && (lay.last[sz(t)] > step || t == g_.output)) dies = false;
          }
        }
        // The scratch ends where the input ends; the buffer grows below.
        const int64_t start = lay.rel[sz(in)] + lay.bytes_of(in) - static_cast<int64_t>(sc.bytes);
        if (dies && (start - std::min(lay.groups[sz(gi)].lo, start)) % kAlignment == 0) {
          Layout::Group& gr = lay.groups[sz(gi)];
          gr.lo = std::min(gr.lo, start);
          sc.group = gi;
          sc.rel = start;
          sc.over_input = true;
          continue;
        }
      }
      Layout::Group g;
      g.lo = 0;
      g.hi = sc.bytes;
      g.first = g.last = step;
      g.scratch_of = step;
      sc.group = static_cast<int>(lay.groups.size());
      lay.groups.push_back(g);
    }
    return scratch;
  }

  // One buffer per group, placed; then every tensor's and every step's
  // scratch offset, and the most buffer bytes alive at one step.
  MemoryPlan place_layout(const Layout& lay, const std::vector<StepScratch>& scratch) const {
    MemoryPlan plan;
    plan.tensors.resize(sz(n_tensors_));
    for (std::size_t gi = 0; gi < lay.groups.size(); ++gi) {
      const Layout::Group& gr = lay.groups[gi];
      MemoryPlan::Buffer b;
      b.bytes = static_cast<uint32_t>(gr.hi - gr.lo);
      b.temp_of_layer = gr.temp_of;
      b.scratch_of_step = gr.scratch_of;
      if (gr.temp_of >= 0 || gr.scratch_of >= 0) {
        b.first = gr.first;
        b.last = gr.last;
      } else {
        b.first = end_step_ + 1;
        b.last = -1;
        for (int t : gr.tensors) {
          if (!lay.materialized[sz(t)]) continue;
          b.first = std::min(b.first, lay.first[sz(t)]);
          b.last = std::max(b.last, lay.last[sz(t)]);
          b.tensors.push_back(t);
        }
      }
      plan.buffers.push_back(b);
    }
    place(&plan);
    if (std::any_of(scratch.begin(), scratch.end(), [](const StepScratch& sc) { return sc.bytes != 0; })) {
      plan.scratch.resize(sz(end_step_));
      for (int step = 0; step < end_step_; ++step) {
        const StepScratch& sc = scratch[sz(step)];
        if (sc.bytes == 0) continue;
        MemoryPlan::Scratch& ps = plan.scratch[sz(step)];
        ps.offset = plan.buffers[sz(sc.group)].offset + static_cast<uint32_t>(sc.rel - lay.groups[sz(sc.group)].lo);
        ps.bytes = sc.bytes;
        ps.over_input = sc.over_input;
      }
    }
    for (std::size_t gi = 0; gi < lay.groups.size(); ++gi) {
      for (int t : plan.buffers[gi].tensors) {
        TensorPlacement& tp = plan.tensors[sz(t)];
        tp.in_arena = true;
        tp.bytes = static_cast<uint32_t>(lay.bytes_of(t));
        tp.buffer = static_cast<int>(gi);
        tp.offset = plan.buffers[gi].offset + static_cast<uint32_t>(lay.rel[sz(t)] - lay.groups[gi].lo);
        tp.first = lay.first[sz(t)];
        tp.last = lay.last[sz(t)];
      }
    }
    // The most buffer bytes alive at one step.
    for (int step = 0; step <= end_step_; ++step) {
      uint64_t live = 0;
      for (const MemoryPlan::Buffer& b : plan.buffers) {
        if (b.first <= step && step <= b.last) live += b.bytes;
      }
      plan.live_peak_bytes = std::max<uint32_t>(plan.live_peak_bytes, static_cast<uint32_t>(live));
    }
    return plan;
  }

  static bool lifetimes_overlap(const MemoryPlan::Buffer& a, const MemoryPlan::Buffer& b) {
    return a.first <= b.last && b.first <= a.last;
  }

  // Places buffers in the given order, each at the lowest aligned offset free
  // of conflicting buffers placed before it. Returns the arena end.
  static uint64_t place_greedy(const std::vector<MemoryPlan::Buffer>& bufs, const std::vector<int>& order,
                               std::vector<uint32_t>* offsets) {
    std::vector<int> placed;
    uint64_t arena = 0;
    for (int bi : order) {
      const MemoryPlan::Buffer& b = bufs[sz(bi)];
      std::vector<std::pair<uint64_t, uint64_t>> busy;
      for (int pi : placed) {
        const MemoryPlan::Buffer& p = bufs[sz(pi)];
        if (lifetimes_overlap(b, p)) {
          const uint64_t lo = (*offsets)[sz(pi)];
          busy.emplace_back(lo, lo + p.bytes);
        }
      }
      std::sort(busy.begin(), busy.end());
      uint64_t candidate = 0;
      for (const auto& [lo, hi] : busy) {
        if (candidate + b.bytes <= lo) break;  // fits in the gap before this one
        candidate = std::max<uint64_t>(candidate, align_up(hi, kAlignment));
      }
      (*offsets)[sz(bi)] = static_cast<uint32_t>(candidate);
      arena = std::max<uint64_t>(arena, candidate + b.bytes);
      placed.push_back(bi);
    }
    return arena;
  }

  static void place(MemoryPlan* plan) {
    const std::vector<MemoryPlan::Buffer>& bufs = plan->buffers;
    auto by = [&](auto key) {
      std::vector<int> order(bufs.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return key(bufs[sz(a)]) > key(bufs[sz(b)]);
      });
      return order;
    };
    const std::vector<std::vector<int>> orders = {
        // Largest first (TFLM's greedy planner order).
        by([](const MemoryPlan::Buffer& b) { return static_cast<int64_t>(b.bytes); }),
        // Largest size x lifetime first.
        by([](const MemoryPlan::Buffer& b) {
          return static_cast<int64_t>(b.bytes) * (b.last - b.first + 1);
        }),
        // Longest-lived first, then largest.
        by([](const MemoryPlan::Buffer& b) {
          return static_cast<int64_t>(b.last - b.first) * (int64_t{1} << 32) + b.bytes;
        }),
        // Execution order (earliest first use first).
        by([](const MemoryPlan::Buffer& b) { return -static_cast<int64_t>(b.first); }),
    };
    std::vector<uint32_t> best_offsets;
    uint64_t best_arena = UINT64_MAX;
    for (const std::vector<int>& order : orders) {
      std::vector<uint32_t> offsets(bufs.size(), 0);
      const uint64_t arena = place_greedy(bufs, order, &offsets);
      if (arena < best_arena) {
        best_arena = arena;
        best_offsets = offsets;
      }
    }
    for (std::size_t i = 0; i < plan->buffers.size(); ++i) plan->buffers[i].offset = best_offsets[i];
    plan->arena_bytes = align_up(best_arena, kAlignment);
  }

  // ---------------------------------------------------------- program

  Access whole(int t) const {
    Access a;
    a.offset = m_.plan.tensors[sz(t)].offset;
    a.bytes = m_.plan.tensors[sz(t)].bytes;
    a.tensor = t;
    return a;
  }

  static int variant(Layer* l, const BandShape& s) {
    for (std::size_t v = 0; v < l->bands.size(); ++v) {
      if (l->bands[v] == s) return static_cast<int>(v);
    }
    l->bands.push_back(s);
    return static_cast<int>(l->bands.size()) - 1;
  }

  static Shape4 rows_of(Shape4 s, int32_t h) {
    s.h = h;
    return s;
  }

  // Input and output shapes of layer l (conv, depthwise or pool).
  static std::pair<Shape4, Shape4> io_shapes(const Layer& l) {
    switch (l.kind) {
      case LayerKind::kConv2D: return {l.conv.input, l.conv.output};
      case LayerKind::kDepthwiseConv2D: return {l.depthwise.input, l.depthwise.output};
      default: return {l.pool.input, l.pool.output};
    }
  }

  // Rows [r0, r1) of tensor t where it lies in the arena.
  Access tensor_rows(int t, uint32_t row, int32_t r0, int32_t r1) const {
    Access a = whole(t);
    a.offset += static_cast<uint32_t>(r0) * row;
    a.bytes = static_cast<uint32_t>(r1 - r0) * row;
    a.tensor_offset = static_cast<uint32_t>(r0) * row;
    return a;
  }

  // Rows [r0, r1) of tensor t held in a temporary from its byte `at` on.
  static Access held_rows(uint32_t at, int t, uint32_t row, int32_t r0, int32_t r1) {
    Access a;
    a.offset = at;
    a.bytes = static_cast<uint32_t>(r1 - r0) * row;
    a.tensor = t;
    a.tensor_offset = static_cast<uint32_t>(r0) * row;
    return a;
  }

  // A band call of conv / depthwise / pool layer i.
  Call band_call(int i, const BandRows& b, const Access& in, const Access& out) {
    Layer& l = layers_[sz(i)];
    const RowGeom geo = row_geom(l);
    const auto [in_shape, out_shape] = io_shapes(l);
    BandShape s;
    s.input = rows_of(in_shape, b.hi - b.lo);
    s.output = rows_of(out_shape, b.o1 - b.o0);
    s.pad_h = static_cast<int16_t>(b.pad);
    Call c;
    c.layer = i;
    // A band covering the whole tensor uses the layer's own parameters.
    const bool whole_band = b.o0 == 0 && b.o1 == geo.out_h && b.lo == 0 && b.hi == geo.in_h;
    c.variant = whole_band ? -1 : variant(&l, s);
    c.reads = {in};
    c.write = out;
    return c;
  }

  // The ADD band of fused conv i: the conv band z (in its temporary) added
  // into the same rows of the other operand.
  Call add_band_call(int i, const BandRows& b, const Access& z) {
    const LayerExec& e = m_.exec[sz(i)];
    const RowGeom geo = row_geom(layers_[sz(i)]);
    Layer& add = layers_[sz(e.partner)];
    BandShape as;
    as.size = static_cast<int32_t>(z.bytes);
    Call a;
    a.layer = e.partner;
    a.variant = variant(&add, as);
    const int x = add.inputs[sz(1 - e.operand)];
    a.reads = {z, z};
    a.reads[sz(1 - e.operand)] = tensor_rows(x, geo.out_row, b.o0, b.o1);
    a.write = tensor_rows(add.output, geo.out_row, b.o0, b.o1);
    return a;
  }

  // The calls of one band of layer i (in place or fused without feeder).
  std::vector<Call> band_calls(int i, const BandRows& b) {
    const Layer& l = layers_[sz(i)];
    const LayerExec& e = m_.exec[sz(i)];
    const RowGeom geo = row_geom(l);
    const Access in = tensor_rows(l.inputs[0], geo.in_row, b.lo, b.hi);
    if (e.mode == ExecMode::kInPlace) {
      return {band_call(i, b, in, tensor_rows(l.output, geo.out_row, b.o0, b.o1))};
    }
    const Access z = held_rows(m_.plan.buffers[sz(e.temp_buffer)].offset, l.output, geo.out_row, b.o0, b.o1);
    return {band_call(i, b, in, z), add_band_call(i, b, z)};
  }

  // The calls of one band of a pipeline: feeder l1, fused conv l2.
  std::vector<Call> pipeline_calls(int l1, const PipeBand& p) {
    const int l2 = m_.exec[sz(l1)].partner;
    const Layer& f = layers_[sz(l1)];
    const Layer& c2 = layers_[sz(l2)];
    const RowGeom g1 = row_geom(f), g2 = row_geom(c2);
    const uint32_t window = m_.plan.buffers[sz(m_.exec[sz(l1)].temp_buffer)].offset;
    const int y = f.output;
    std::vector<Call> calls;
    if (p.keep_rows > 0 && p.keep_from > 0) {
      Call mv;
      mv.layer = l1;
      mv.copy = true;
      mv.reads = {held_rows(window + static_cast<uint32_t>(p.keep_from) * g1.out_row, y, g1.out_row, p.b2.lo,
                            p.b2.lo + p.keep_rows)};
      mv.write = held_rows(window, y, g1.out_row, p.b2.lo, p.b2.lo + p.keep_rows);
      calls.push_back(mv);
    }
    if (p.feed) {
      const Access in = tensor_rows(f.inputs[0], g1.in_row, p.b1.lo, p.b1.hi);
      const Access out = held_rows(window + static_cast<uint32_t>(p.b1.o0 - p.b2.lo) * g1.out_row, y, g1.out_row,
                                   p.b1.o0, p.b1.o1);
      calls.push_back(band_call(l1, p.b1, in, out));
    }
    const Access in2 = held_rows(window, y, g2.in_row, p.b2.lo, p.b2.hi);
    const Access z = held_rows(m_.plan.buffers[sz(m_.exec[sz(l2)].temp_buffer)].offset, c2.output, g2.out_row,
                               p.b2.o0, p.b2.o1);
    calls.push_back(band_call(l2, p.b2, in2, z));
    calls.push_back(add_band_call(l2, p.b2, z));
    return calls;
  }

  static bool same_shape(const std::vector<Call>& a, const std::vector<Call>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].layer != b[i].layer || a[i].variant != b[i].variant || a[i].copy != b[i].copy ||
          a[i].reads.size() != b[i].reads.size() || a[i].write.bytes != b[i].write.bytes) {
        return false;
      }
      for (std::size_t r = 0; r < a[i].reads.size(); ++r) {
        if (a[i].reads[r].bytes != b[i].reads[r].bytes) return false;
      }
    }
    return true;
  }

  // Per-access (offset, tensor offset) differences from band a to band b.
  static std::vector<std::pair<int64_t, int64_t>> deltas(const std::vector<Call>& a, const std::vector<Call>& b) {
    std::vector<std::pair<int64_t, int64_t>> d;
    auto add = [&](const Access& x, const Access& y) {
      d.emplace_back(static_cast<int64_t>(y.offset) - x.offset,
                     static_cast<int64_t>(y.tensor_offset) - x.tensor_offset);
    };
    for (std::size_t i = 0; i < a.size(); ++i) {
      for (std::size_t r = 0; r < a[i].reads.size(); ++r) add(a[i].reads[r], b[i].reads[r]);
      add(a[i].write, b[i].write);
    }
    return d;
  }

  // Consecutive bands of the same shape whose offsets advance evenly become
  // one loop.
  void emit_bands(int layer, const std::vector<std::vector<Call>>& bands) {
    std::size_t s = 0;
    while (s < bands.size()) {
      std::size_t t = s + 1;
      std::vector<std::pair<int64_t, int64_t>> d;
      if (t < bands.size() && same_shape(bands[s], bands[t])) {
        d = deltas(bands[s], bands[t]);
        while (t + 1 < bands.size() && same_shape(bands[t], bands[t + 1]) &&
               deltas(bands[t], bands[t + 1]) == d) {
          ++t;
        }
        ++t;
      }
      Block blk;
      blk.layer = layer;
      blk.count = static_cast<uint32_t>(t - s);
      blk.calls = bands[s];
      if (blk.count > 1) {
        std::size_t k = 0;
        for (Call& c : blk.calls) {
          for (Access& a : c.reads) {
            a.step = static_cast<int32_t>(d[k].first);
            a.tensor_step = static_cast<int32_t>(d[k].second);
            ++k;
          }
          c.write.step = static_cast<int32_t>(d[k].first);
          c.write.tensor_step = static_cast<int32_t>(d[k].second);
          ++k;
        }
      }
      m_.program.push_back(blk);
      s = t;
    }
  }

  void build_program() {
    m_.program.clear();
    for (Layer& l : layers_) l.bands.clear();
    for (int i = 0; i < end_step_; ++i) {
      const Layer& l = layers_[sz(i)];
      const LayerExec& e = m_.exec[sz(i)];
      switch (e.mode) {
        case ExecMode::kAlias:
        case ExecMode::kFusedIntoConv: {
          Block blk;
          blk.layer = i;
          blk.count = 1;
          m_.program.push_back(blk);
          break;
        }
        case ExecMode::kWhole:
        case ExecMode::kAddInPlace: {
          Call c;
          c.layer = i;
          for (int t : l.inputs) c.reads.push_back(whole(t));
          c.write = whole(l.output);
          Block blk;
          blk.layer = i;
          blk.calls = {c};
          m_.program.push_back(blk);
          break;
        }
        case ExecMode::kFeedsFused: {
          std::vector<std::vector<Call>> bands;
          for (const PipeBand& p : pipeline(i, e.partner, m_.exec[sz(e.partner)].band_rows)) {
            bands.push_back(pipeline_calls(i, p));
          }
          emit_bands(i, bands);
          break;
        }
        case ExecMode::kFusedAdd:
          if (e.feeder >= 0) {  // run with its feeder
            Block blk;
            blk.layer = i;
            m_.program.push_back(blk);
            break;
          }
          [[fallthrough]];
        case ExecMode::kInPlace: {
          const RowGeom geo = row_geom(l);
          std::vector<BandRows> rows = split(geo, e.band_rows);
          if (e.mode == ExecMode::kInPlace && e.bottom_up) std::reverse(rows.begin(), rows.end());
          std::vector<std::vector<Call>> bands;
          for (const BandRows& b : rows) bands.push_back(band_calls(i, b));
          emit_bands(i, bands);
          break;
        }
      }
    }
  }

  CompiledModel& m_;
  const Graph& g_;
  std::vector<Layer>& layers_;
  PlanOptions opt_;
  int n_tensors_ = 0;
  int end_step_ = 0;
  std::vector<int> alias_;     // RESHAPE alias sets (union-find parents)
  std::vector<int> producer_;  // layer writing each tensor, -1 for the input
  std::vector<std::vector<int>> readers_;  // per alias root: layers reading it
};

}  // namespace

const char* exec_mode_name(ExecMode m) {
  switch (m) {
    case ExecMode::kWhole: return "whole";
    case ExecMode::kAlias: return "alias";
    case ExecMode::kInPlace: return "in place";
    case ExecMode::kFusedAdd: return "fused with ADD";
    case ExecMode::kFusedIntoConv: return "fused into conv";
    case ExecMode::kAddInPlace: return "ADD in place";
    case ExecMode::kFeedsFused: return "feeds fused conv";
  }
  return "?";
}

bool BandShape::operator==(const BandShape& o) const {
  auto eq = [](const Shape4& a, const Shape4& b) {
    return a.n == b.n && a.h == b.h && a.w == b.w && a.c == b.c;
  };
  return eq(input, o.input) && eq(output, o.output) && pad_h == o.pad_h && size == o.size;
}

tp::kernels::ConvParams Layer::conv_band(int v) const {
  tp::kernels::ConvParams p = conv;
  if (v >= 0) {
    p.input = bands[sz(v)].input;
    p.output = bands[sz(v)].output;
    p.pad_h = bands[sz(v)].pad_h;
  }
  return p;
}

tp::kernels::DepthwiseConvParams Layer::depthwise_band(int v) const {
  tp::kernels::DepthwiseConvParams p = depthwise;
  if (v >= 0) {
    p.input = bands[sz(v)].input;
    p.output = bands[sz(v)].output;
    p.pad_h = bands[sz(v)].pad_h;
  }
  return p;
}

tp::kernels::AvgPoolParams Layer::pool_band(int v) const {
  tp::kernels::AvgPoolParams p = pool;
  if (v >= 0) {
    p.input = bands[sz(v)].input;
    p.output = bands[sz(v)].output;
    p.pad_h = bands[sz(v)].pad_h;
  }
  return p;
}

tp::kernels::AddParams Layer::add_band(int v) const {
  tp::kernels::AddParams p = add;
  if (v >= 0) p.size = bands[sz(v)].size;
  return p;
}

void plan_model(CompiledModel* m, const PlanOptions& options) {
  m->backend = options.backend;
  Planner(m, options).run();
  check_program(*m);
}

CompiledModel compile_graph(Graph graph, const std::string& id, const PlanOptions& options) {
  CompiledModel m;
  m.id = id;
  m.graph = std::move(graph);
  m.layers = lower_graph(m.graph);
  if (options.backend == "arm_mve") group_channels_by_shift(&m.layers, m.graph);
  for (Layer& l : m.layers) {
    l.bind_pointers();
    m.macs += l.macs;
    m.weight_bytes += l.constant_bytes();
  }
  plan_model(&m, options);
#ifdef TP_ARM_MVE_CONV_BLOCK8
  // arm_mve: dense 1x1 convolutions over 40 or 128-256 channels in 8-channel
  // blocks (engine/kernels/backends/arm_mve/conv_layout.h; its b8 kernels
  // read them). The same bytes in another order (K = 40: rows padded to 48).
  if (options.backend == "arm_mve") {
    for (Layer& l : m.layers) {
      if (l.kind != LayerKind::kConv2D || !tp::kernels::arm_mve::conv_block8_fit(l.conv)) continue;
      const std::vector<int8_t> plain = l.filter;
      const int32_t K = l.conv.filter.c, cout = l.conv.output.c;
      m.weight_bytes -= l.constant_bytes();
      l.filter.assign(static_cast<std::size_t>(cout) * tp::kernels::arm_mve::conv_block8_row(K), 0);
      tp::kernels::arm_mve::conv_block8_pack(plain.data(), l.filter.data(), K, cout);
      l.conv.filter_layout = tp::kernels::arm_mve::kConvBlock8;
      l.bind_pointers();
      m.weight_bytes += l.constant_bytes();
    }
  }
#endif
#ifdef TP_ARM_DSP_FC_ROW_PAIRS
  // arm_dsp: FULLY_CONNECTED weights in row pairs where they fit
  // (engine/kernels/backends/arm_dsp/fc_layout.h; its kernels read them).
  if (options.backend == "arm_dsp") {
    for (Layer& l : m.layers) {
      if (l.kind != LayerKind::kFullyConnected) continue;
      const int32_t K = l.fc.input_depth, N = l.fc.output_depth;
      if (!tp::kernels::arm_dsp::fc_row_pairs_fit(K, N, l.filter.data())) continue;
      const std::vector<int8_t> plain = l.filter;
      tp::kernels::arm_dsp::fc_row_pairs_pack(plain.data(), l.filter.data(), K, N);
      l.fc.filter_layout = tp::kernels::arm_dsp::kFcRowPairs;
    }
  }
#endif
#ifdef TP_ARM_DSP_CONV_INT16
  // arm_dsp: small 1x1 convolutions with int16 weights
  // (engine/kernels/backends/arm_dsp/conv_layout.h).
  if (options.backend == "arm_dsp") {
    m.weight_bytes = 0;
    m.conv_int16_max_weights = options.conv_int16_max_weights;
    for (std::size_t i = 0; i < m.layers.size(); ++i) {
      Layer& l = m.layers[i];
      if (l.kind == LayerKind::kConv2D && tp::kernels::arm_dsp::conv_int16_shape_fit(l.conv, l.has_bias) &&
          !tp::kernels::arm_dsp::conv_int16_fit(l.conv, l.has_bias, options.conv_int16_max_weights)) {
        m.int8_by_limit.push_back(static_cast<int>(i));  // the board's limit kept it int8
      }
      if (l.kind == LayerKind::kConv2D &&
          tp::kernels::arm_dsp::conv_int16_fit(l.conv, l.has_bias, options.conv_int16_max_weights)) {
        m.int16_layers.push_back(static_cast<int>(i));
        const std::vector<int8_t> plain = l.filter;
        l.filter.assign(2 * plain.size(), 0);
        tp::kernels::arm_dsp::conv_int16_pack(plain.data(), l.filter.data(), l.conv.filter.c, l.conv.output.c);
        l.conv.filter_layout = tp::kernels::arm_dsp::kConvInt16;
        l.bind_pointers();
      }
#ifdef TP_ARM_DSP_CONV_SMALLK
      // Few input channels (the first layers): the window-pair layout of
      // conv_smallk_layout.h, biases and requantization in it.
      if (l.kind == LayerKind::kConv2D && l.conv.filter_layout == 0 &&
          tp::kernels::arm_dsp::conv_smallk_fit(l.conv, l.has_bias ? l.conv.bias : nullptr)) {
        const std::vector<int8_t> plain = l.filter;
        l.filter.assign(tp::kernels::arm_dsp::smallk_blob_bytes(l.conv), 0);
        tp::kernels::arm_dsp::conv_smallk_pack(l.conv, plain.data(), l.conv.bias, l.filter.data());
        l.conv.filter_layout = tp::kernels::arm_dsp::kConvSmallK;
        l.bind_pointers();
      }
#endif
      m.weight_bytes += l.constant_bytes();
    }
  }
#endif
  return m;
}

CompiledModel compile_file(const std::string& path, const std::string& id, const PlanOptions& options) {
  return compile_graph(read_tflite_file(path), id, options);
}

bool known_backend(const std::string& name) {
#define TP_KNOWN(backend) \
  if (name == #backend) return true;
  TP_KERNEL_BACKENDS(TP_KNOWN)
#undef TP_KNOWN
  return false;
}

std::string known_backends() {
  std::string out;
#define TP_NAME(backend) out += (out.empty() ? "" : ", ") + std::string(#backend);
  TP_KERNEL_BACKENDS(TP_NAME)
#undef TP_NAME
  return out;
}

}  // namespace tp::compiler
