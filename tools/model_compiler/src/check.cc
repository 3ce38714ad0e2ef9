// check_program: the planner's result is replayed over a shadow arena that
// records, for every arena byte, which byte of which tensor it holds. Run
// before any code is emitted, so that a planning mistake is a refusal at
// compile time, never a wrong result at run time.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "compiled_model.h"
#include "error.h"

namespace tp::compiler {
namespace {

using tp::kernels::Shape4;

std::size_t sz(int i) { return static_cast<std::size_t>(i); }

struct Range {
  int64_t offset = 0;
  int64_t bytes = 0;
  int tensor = -1;
  int64_t tensor_offset = 0;
};

Range at(const Access& a, uint32_t i) {
  Range r;
  r.offset = static_cast<int64_t>(a.offset) + static_cast<int64_t>(a.step) * i;
  r.bytes = a.bytes;
  r.tensor = a.tensor;
  r.tensor_offset = static_cast<int64_t>(a.tensor_offset) + static_cast<int64_t>(a.tensor_step) * i;
  return r;
}

int64_t elements(const Shape4& s) {
  return static_cast<int64_t>(s.n) * s.h * s.w * s.c;
}

class Checker {
 public:
  explicit Checker(const CompiledModel& m) : m_(m), shadow_(m.plan.arena_bytes, kUnknown) {
    // A RESHAPE output is its input's bytes: both carry the input's tags.
    canon_.resize(m.graph.tensors.size());
    for (std::size_t t = 0; t < canon_.size(); ++t) canon_[t] = static_cast<int>(t);
    for (const Layer& l : m.layers) {
      if (l.kind == LayerKind::kReshape) canon_[sz(l.output)] = canon_[sz(l.inputs[0])];
    }
  }

  void run() {
    check_buffers();
    const int input = m_.graph.input;
    const TensorPlacement& in = m_.plan.tensors[sz(input)];
    if (!in.in_arena) fail("the model input has no place in the arena");
    tag(Range{in.offset, in.bytes, input, 0});
    int last_layer = -1;
    for (const Block& b : m_.program) {
      if (b.layer < last_layer || b.layer >= static_cast<int>(m_.layers.size())) {
        fail("blocks out of layer order");
      }
      last_layer = b.layer;
      const int step = m_.exec.empty() ? b.layer : m_.exec[sz(b.layer)].step;
      scratch_ = MemoryPlan::Scratch{};
      if (!m_.plan.scratch.empty()) {
        if (step < 0 || step >= static_cast<int>(m_.plan.scratch.size())) fail("block at an unknown step");
        scratch_ = m_.plan.scratch[sz(step)];
      }
      for (uint32_t i = 0; i < b.count; ++i) {
        for (const Call& c : b.calls) call(c, i);
      }
    }
    const int output = m_.graph.output;
    const TensorPlacement& out = m_.plan.tensors[sz(output)];
    if (!out.in_arena) fail("the model output has no place in the arena");
    expect(Range{out.offset, out.bytes, output, 0}, "the model output after the last layer");
  }

 private:
  static constexpr int64_t kUnknown = -1;
  MemoryPlan::Scratch scratch_;  // of the step being replayed

  [[noreturn]] void fail(const std::string& msg) const {
    throw CompileError(m_.graph.source_file +
                       ": internal error: the execution plan fails its check: " + msg +
                       " (a planner bug; --no-in-place avoids the in-place and fused plans)");
  }

  int64_t tag_of(int tensor, int64_t byte) const {
    return (static_cast<int64_t>(canon_[sz(tensor)]) << 32) | byte;
  }

  std::string where(const Range& r) const {
    return m_.graph.tensors[sz(r.tensor)].describe() + " bytes [" + std::to_string(r.tensor_offset) +
           ", " + std::to_string(r.tensor_offset + r.bytes) + ") at arena offset " +
           std::to_string(r.offset);
  }

  void in_bounds(const Range& r) const {
    if (r.tensor < 0 || r.tensor >= static_cast<int>(m_.graph.tensors.size())) fail("bad tensor index");
    const int64_t tbytes = m_.graph.tensors[sz(r.tensor)].elements();
    if (r.bytes <= 0 || r.offset < 0 || r.offset + r.bytes > static_cast<int64_t>(shadow_.size()) ||
        r.tensor_offset < 0 || r.tensor_offset + r.bytes > tbytes) {
      fail("out of bounds: " + where(r) + " (arena " + std::to_string(shadow_.size()) + " B)");
    }
  }

  void expect(const Range& r, const std::string& what) const {
    in_bounds(r);
    for (int64_t b = 0; b < r.bytes; ++b) {
      if (shadow_[static_cast<std::size_t>(r.offset + b)] != tag_of(r.tensor, r.tensor_offset + b)) {
        fail(what + " expects " + where(r) + " but byte " + std::to_string(b) +
             " does not hold it (overwritten or never written)");
      }
    }
  }

  void tag(const Range& r) {
    in_bounds(r);
    for (int64_t b = 0; b < r.bytes; ++b) {
      shadow_[static_cast<std::size_t>(r.offset + b)] = tag_of(r.tensor, r.tensor_offset + b);
    }
  }

  // Buffers alive at the same step do not share bytes.
  void check_buffers() const {
    const auto& bufs = m_.plan.buffers;
    for (std::size_t i = 0; i < bufs.size(); ++i) {
      if (bufs[i].offset % 16 != 0 || bufs[i].offset + bufs[i].bytes > m_.plan.arena_bytes) {
        fail("buffer " + std::to_string(i) + " misplaced");
      }
      for (std::size_t j = i + 1; j < bufs.size(); ++j) {
        const bool live = bufs[i].first <= bufs[j].last && bufs[j].first <= bufs[i].last;
        const bool share = bufs[i].offset < bufs[j].offset + bufs[j].bytes &&
                           bufs[j].offset < bufs[i].offset + bufs[i].bytes;
        if (live && share) fail("buffers " + std::to_string(i) + " and " + std::to_string(j) + " overlap");
      }
    }
  }

  // A band of a windowed layer (conv, depthwise, pool): its view of the
  // input must hold exactly the rows it is given, every window tap must be
  // padding in the band iff it is padding in the whole tensor, and it must
  // read the same input row.
  void check_rows(const std::string& what, const Shape4& in, const Shape4& out, int32_t pad_h,
                  const Shape4& full_in, const Shape4& full_out, int32_t full_pad_h, int32_t stride,
                  int32_t taps, int32_t dilation, const Range& rd, const Range& wr) const {
    if (in.n != full_in.n || in.w != full_in.w || in.c != full_in.c || out.n != full_out.n ||
        out.w != full_out.w || out.c != full_out.c || in.n != 1) {
      fail(what + ": band shape differs from the layer's in width, depth or batch");
    }
    const int64_t in_row = static_cast<int64_t>(in.w) * in.c;
    const int64_t out_row = static_cast<int64_t>(out.w) * out.c;
    if (rd.bytes != elements(in) || wr.bytes != elements(out) || rd.tensor_offset % in_row != 0 ||
        wr.tensor_offset % out_row != 0) {
      fail(what + ": views do not match the band's shapes");
    }
    const int64_t in_row0 = rd.tensor_offset / in_row;
    const int64_t out_row0 = wr.tensor_offset / out_row;
    if (in_row0 + in.h > full_in.h || out_row0 + out.h > full_out.h || in.h < 1 || out.h < 1) {
      fail(what + ": band rows outside the tensor");
    }
    for (int32_t oy = 0; oy < out.h; ++oy) {
      for (int32_t ky = 0; ky < taps; ++ky) {
        const int64_t local = static_cast<int64_t>(oy) * stride - pad_h + static_cast<int64_t>(ky) * dilation;
        const int64_t global =
            (out_row0 + oy) * stride - full_pad_h + static_cast<int64_t>(ky) * dilation;
        const bool in_band = local >= 0 && local < in.h;
        const bool in_tensor = global >= 0 && global < full_in.h;
        if (in_band != in_tensor || (in_band && in_row0 + local != global)) {
          fail(what + ": output row " + std::to_string(out_row0 + oy) + " tap " + std::to_string(ky) +
               " sees a different input row in the band than in the whole tensor");
        }
      }
    }
  }

  // A copy moves bytes front to back: the destination may overlap the
  // source only from below.
  // The kernels may write anything into the step's scratch: it must not
  // overlap the call's output, nor its inputs (except a FULLY_CONNECTED's
  // input it ends with, planned so: the kernel reads it first), and whatever
  // it held is gone afterwards (a later read of it fails expect()).
  void clobber_scratch(const Layer& l, const std::string& what, const std::vector<Range>& reads,
                       const Range& wr) {
    if (scratch_.bytes == 0) return;
    const int64_t so = scratch_.offset, se = so + scratch_.bytes;
    if (so % 16 != 0 || se > static_cast<int64_t>(shadow_.size())) fail(what + ": scratch misplaced");
    auto overlaps = [&](const Range& r) { return r.offset < se && so < r.offset + r.bytes; };
    if (overlaps(wr)) fail(what + ": scratch at " + std::to_string(so) + " overlaps output " + where(wr));
    for (const Range& rd : reads) {
      if (!overlaps(rd)) continue;
      const bool planned = scratch_.over_input && l.kind == LayerKind::kFullyConnected && l.fc.batches == 1 &&
                           rd.offset + rd.bytes == se && reads.size() == 1;
      if (!planned) fail(what + ": scratch at " + std::to_string(so) + " overlaps input " + where(rd));
    }
    for (int64_t b = so; b < se; ++b) shadow_[static_cast<std::size_t>(b)] = kUnknown;
  }

  // A whole call whose backend lets its output overlap its first input
  // (ScratchNeed::alias_step), at an offset the contract allows.
  bool contract_allows(const Layer& l, std::size_t k, const Range& rd, const Range& wr) const {
    if (k != 0 || (l.kind != LayerKind::kConv2D && l.kind != LayerKind::kDepthwiseConv2D)) return false;
    if (rd.tensor_offset != 0 || wr.tensor_offset != 0 ||
        rd.bytes != m_.graph.tensors[sz(l.inputs[0])].elements() ||
        wr.bytes != m_.graph.tensors[sz(l.output)].elements()) {
      return false;
    }
    const tp::kernels::ScratchNeed n = backend_scratch_need(m_.backend, l);
    return n.alias_step > 0 && (rd.offset - wr.offset) % n.alias_step == 0;
  }

  void copy(const Call& c, uint32_t i) {
    if (c.reads.size() != 1) fail("a copy has one source");
    const Range rd = at(c.reads[0], i);
    const Range wr = at(c.write, i);
    expect(rd, "copy for layer " + std::to_string(c.layer));
    if (wr.bytes != rd.bytes || wr.tensor != rd.tensor || wr.tensor_offset != rd.tensor_offset) {
      fail("a copy must move bytes unchanged");
    }
    if (wr.offset > rd.offset && wr.offset < rd.offset + rd.bytes) fail("a copy overlaps its source from above");
    tag(wr);
  }

  void call(const Call& c, uint32_t i) {
    if (c.layer < 0 || c.layer >= static_cast<int>(m_.layers.size())) fail("call of an unknown layer");
    if (c.copy) {
      copy(c, i);
      return;
    }
    const Layer& l = m_.layers[sz(c.layer)];
    const std::string what = "layer " + std::to_string(c.layer) + " (" + l.op_name + ")";
    if (c.variant < -1 || c.variant >= static_cast<int>(l.bands.size())) fail(what + ": unknown band variant");
    if (c.reads.size() != l.inputs.size() || c.write.tensor != l.output) {
      fail(what + ": call reads or writes the wrong tensors");
    }
    std::vector<Range> reads;
    for (std::size_t k = 0; k < c.reads.size(); ++k) {
      if (c.reads[k].tensor != l.inputs[k]) fail(what + ": call reads the wrong tensor");
      reads.push_back(at(c.reads[k], i));
      expect(reads.back(), what);
    }
    const Range wr = at(c.write, i);
    in_bounds(wr);
    clobber_scratch(l, what, reads, wr);
    for (std::size_t k = 0; k < reads.size(); ++k) {
      const Range& rd = reads[k];
      const bool disjoint = wr.offset + wr.bytes <= rd.offset || rd.offset + rd.bytes <= wr.offset;
      const bool exact = wr.offset == rd.offset && wr.bytes == rd.bytes && rd.tensor_offset == wr.tensor_offset;
      if (!disjoint && !(l.kind == LayerKind::kAdd && exact) && !contract_allows(l, k, rd, wr)) {
        fail(what + ": output " + where(wr) + " overlaps input " + where(rd));
      }
    }
    switch (l.kind) {
      case LayerKind::kConv2D: {
        const auto p = l.conv_band(c.variant);
        check_rows(what, p.input, p.output, p.pad_h, l.conv.input, l.conv.output, l.conv.pad_h,
                   l.conv.stride_h, l.conv.filter.h, l.conv.dilation_h, reads[0], wr);
        break;
      }
      case LayerKind::kDepthwiseConv2D: {
        const auto p = l.depthwise_band(c.variant);
        check_rows(what, p.input, p.output, p.pad_h, l.depthwise.input, l.depthwise.output,
                   l.depthwise.pad_h, l.depthwise.stride_h, l.depthwise.filter.h,
                   l.depthwise.dilation_h, reads[0], wr);
        break;
      }
      case LayerKind::kAveragePool2D: {
        const auto p = l.pool_band(c.variant);
        check_rows(what, p.input, p.output, p.pad_h, l.pool.input, l.pool.output, l.pool.pad_h,
                   l.pool.stride_h, l.pool.filter_h, 1, reads[0], wr);
        break;
      }
      case LayerKind::kAdd: {
        const auto p = l.add_band(c.variant);
        for (const Range& rd : reads) {
          if (rd.bytes != p.size || rd.tensor_offset != wr.tensor_offset) fail(what + ": ADD operands misaligned");
        }
        if (wr.bytes != p.size) fail(what + ": ADD size differs from its views");
        break;
      }
      case LayerKind::kFullyConnected:
      case LayerKind::kSoftmax:
        if (c.variant != -1 || reads[0].tensor_offset != 0 || wr.tensor_offset != 0 ||
            reads[0].bytes != m_.graph.tensors[sz(l.inputs[0])].elements() ||
            wr.bytes != m_.graph.tensors[sz(l.output)].elements()) {
          fail(what + ": must run on whole tensors");
        }
        break;
      case LayerKind::kReshape:
        fail(what + ": RESHAPE has no kernel");
    }
    tag(wr);
  }

  const CompiledModel& m_;
  std::vector<int64_t> shadow_;
  std::vector<int> canon_;
};

}  // namespace

void check_program(const CompiledModel& m) { Checker(m).run(); }

}  // namespace tp::compiler
