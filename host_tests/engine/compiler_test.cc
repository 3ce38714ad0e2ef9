// Model compiler: refusals (malformed, truncated, unsupported operators,
// types, activations), multiplier derivation, memory plans, and in-process
// execution of compiled models with the reference kernels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "compiled_model.h"
#include "emit.h"
#include "error.h"
#include "quantize.h"
#include "tflite_subset_generated.h"
#include "tinyperf/engine/kernels.h"
#include "tinyperf/engine/runtime.h"
#include "../../engine/kernels/backends/arm_dsp/scratch_need.h"
#include "../../engine/kernels/backends/arm_mve/conv_layout.h"

namespace {

using namespace tp::compiler;
namespace tfl = tp::tfl;

// ------------------------------------------------------------ model builder

struct Q {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
  int dim = 0;
};

class ModelBuilder {
 public:
  ModelBuilder() { buffers_.push_back(tfl::CreateBuffer(fbb_)); }  // buffer 0: empty

  int tensor(const std::string& name, int type, std::vector<int32_t> shape, const Q& q,
             const std::vector<uint8_t>& data = {}) {
    uint32_t buffer = 0;
    if (!data.empty()) {
      buffer = static_cast<uint32_t>(buffers_.size());
      buffers_.push_back(tfl::CreateBuffer(fbb_, fbb_.CreateVector(data)));
    }
    flatbuffers::Offset<tfl::QuantizationParameters> qp;
    if (!q.scales.empty()) {
      qp = tfl::CreateQuantizationParameters(fbb_, fbb_.CreateVector(q.scales),
                                             fbb_.CreateVector(q.zero_points),
                                             tfl::QuantizationDetails_NONE, 0, q.dim);
    }
    tensors_.push_back(tfl::CreateTensor(fbb_, fbb_.CreateVector(shape), static_cast<int8_t>(type),
                                         buffer, fbb_.CreateString(name), qp));
    return static_cast<int>(tensors_.size()) - 1;
  }

  int act(const std::string& name, std::vector<int32_t> shape, float scale, int64_t zp) {
    return tensor(name, kTypeInt8, std::move(shape), Q{{scale}, {zp}, 0});
  }

  int weights(const std::string& name, std::vector<int32_t> shape, std::vector<float> scales,
              int dim) {
    int64_t n = 1;
    for (int32_t d : shape) n *= d;
    std::vector<uint8_t> data(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < data.size(); ++i) {
      data[i] = static_cast<uint8_t>(static_cast<int8_t>((i * 37 + 11) % 255 - 127));
    }
    return tensor(name, kTypeInt8, std::move(shape),
                  Q{scales, std::vector<int64_t>(scales.size(), 0), dim}, data);
  }

  int bias(const std::string& name, int32_t n, float scale) {
    std::vector<uint8_t> data(static_cast<std::size_t>(4 * n));
    for (int32_t i = 0; i < n; ++i) {
      const int32_t v = (i * 997) % 2000 - 1000;
      std::memcpy(&data[static_cast<std::size_t>(4 * i)], &v, 4);
    }
    return tensor(name, kTypeInt32, {n}, Q{{scale}, {0}, 0}, data);
  }

  // Operator code index; deprecated_only mimics old converters (kws01,
  // ad01), builtin_only new ones with codes > 127.
  int code(int builtin, bool deprecated_only = false) {
    const int8_t dep = static_cast<int8_t>(builtin < 127 ? builtin : 127);
    codes_.push_back(tfl::CreateOperatorCode(fbb_, dep, 0, 1, deprecated_only ? 0 : builtin));
    return static_cast<int>(codes_.size()) - 1;
  }

  void op(int code_index, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
          tfl::BuiltinOptions type = tfl::BuiltinOptions_NONE,
          flatbuffers::Offset<void> options = 0) {
    ops_.push_back(tfl::CreateOperator(fbb_, static_cast<uint32_t>(code_index),
                                       fbb_.CreateVector(inputs), fbb_.CreateVector(outputs),
                                       type, options));
  }

  flatbuffers::FlatBufferBuilder& fbb() { return fbb_; }

  std::vector<uint8_t> finish(std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                              int subgraphs = 1) {
    std::vector<flatbuffers::Offset<tfl::SubGraph>> sgs;
    for (int i = 0; i < subgraphs; ++i) {
      sgs.push_back(tfl::CreateSubGraph(fbb_, fbb_.CreateVector(tensors_),
                                        fbb_.CreateVector(inputs), fbb_.CreateVector(outputs),
                                        fbb_.CreateVector(ops_)));
    }
    auto model = tfl::CreateModel(fbb_, 3, fbb_.CreateVector(codes_), fbb_.CreateVector(sgs), 0,
                                  fbb_.CreateVector(buffers_));
    tfl::FinishModelBuffer(fbb_, model);
    return std::vector<uint8_t>(fbb_.GetBufferPointer(), fbb_.GetBufferPointer() + fbb_.GetSize());
  }

 private:
  flatbuffers::FlatBufferBuilder fbb_;
  std::vector<flatbuffers::Offset<tfl::Tensor>> tensors_;
  std::vector<flatbuffers::Offset<tfl::Buffer>> buffers_;
  std::vector<flatbuffers::Offset<tfl::OperatorCode>> codes_;
  std::vector<flatbuffers::Offset<tfl::Operator>> ops_;
};

// A small valid model: CONV_2D -> DEPTHWISE_CONV_2D -> ADD (residual) ->
// AVERAGE_POOL_2D -> RESHAPE -> FULLY_CONNECTED -> SOFTMAX.
struct SyntheticOptions {
  int conv_activation = 1;  // RELU
  int input_type = kTypeInt8;
  bool deprecated_codes = false;
  int extra_op = -1;  // builtin code of an extra op appended at the end
  std::string name_prefix;  // put in front of every tensor name
};

std::vector<uint8_t> synthetic_model(const SyntheticOptions& o = {}) {
  ModelBuilder b;
  const int in = b.tensor(o.name_prefix + "input", o.input_type, {1, 6, 6, 2}, Q{{0.5f}, {-1}, 0});
  const int cw = b.weights(o.name_prefix + "conv_w", {4, 3, 3, 2}, {0.01f, 0.02f, 0.015f, 0.03f}, 0);
  const int cb = b.bias(o.name_prefix + "conv_b", 4, 0.005f);
  const int c = b.act(o.name_prefix + "conv", {1, 6, 6, 4}, 0.25f, -128);
  const int dw = b.weights(o.name_prefix + "dw_w", {1, 3, 3, 4}, {0.02f, 0.01f, 0.03f, 0.02f}, 3);
  const int db = b.bias(o.name_prefix + "dw_b", 4, 0.005f);
  const int d = b.act(o.name_prefix + "dw", {1, 3, 3, 4}, 0.3f, -120);
  const int c2w = b.weights(o.name_prefix + "conv2_w", {4, 1, 1, 4}, {0.02f}, 0);
  const int c2 = b.act(o.name_prefix + "conv2", {1, 3, 3, 4}, 0.2f, 5);
  const int s = b.act(o.name_prefix + "sum", {1, 3, 3, 4}, 0.4f, -3);
  const int p = b.act(o.name_prefix + "pool", {1, 1, 1, 4}, 0.4f, -3);
  const int r = b.act(o.name_prefix + "flat", {1, 4}, 0.4f, -3);
  const int fw = b.weights(o.name_prefix + "fc_w", {3, 4}, {0.05f}, 0);
  const int fb = b.bias(o.name_prefix + "fc_b", 3, 0.02f);
  const int f = b.act(o.name_prefix + "logits", {1, 3}, 0.15f, 10);
  const int out = b.act(o.name_prefix + "probs", {1, 3}, 1.0f / 256, -128);

  auto& fbb = b.fbb();
  const int k_conv = b.code(kOpConv2D, o.deprecated_codes);
  const int k_dw = b.code(kOpDepthwiseConv2D, o.deprecated_codes);
  const int k_add = b.code(kOpAdd, o.deprecated_codes);
  const int k_pool = b.code(kOpAveragePool2D, o.deprecated_codes);
  const int k_reshape = b.code(kOpReshape, o.deprecated_codes);
  const int k_fc = b.code(kOpFullyConnected, o.deprecated_codes);
  const int k_softmax = b.code(kOpSoftmax, o.deprecated_codes);
  b.op(k_conv, {in, cw, cb}, {c}, tfl::BuiltinOptions_Conv2DOptions,
       tfl::CreateConv2DOptions(fbb, 0, 1, 1, static_cast<int8_t>(o.conv_activation)).Union());
  b.op(k_dw, {c, dw, db}, {d}, tfl::BuiltinOptions_DepthwiseConv2DOptions,
       tfl::CreateDepthwiseConv2DOptions(fbb, 0, 2, 2, 1, 3).Union());
  b.op(k_conv, {d, c2w, -1}, {c2}, tfl::BuiltinOptions_Conv2DOptions,
       tfl::CreateConv2DOptions(fbb, 1, 1, 1, 0).Union());
  b.op(k_add, {d, c2}, {s}, tfl::BuiltinOptions_AddOptions, tfl::CreateAddOptions(fbb, 1).Union());
  b.op(k_pool, {s}, {p}, tfl::BuiltinOptions_Pool2DOptions,
       tfl::CreatePool2DOptions(fbb, 1, 3, 3, 3, 3, 0).Union());
  b.op(k_reshape, {p}, {r});
  b.op(k_fc, {r, fw, fb}, {f}, tfl::BuiltinOptions_FullyConnectedOptions,
       tfl::CreateFullyConnectedOptions(fbb, 0).Union());
  b.op(k_softmax, {f}, {out}, tfl::BuiltinOptions_SoftmaxOptions,
       tfl::CreateSoftmaxOptions(fbb, 1.0f).Union());
  int last = out;
  if (o.extra_op >= 0) {
    const int k = b.code(o.extra_op);
    const int extra = b.act("extra", {1, 3}, 1.0f / 256, -128);
    b.op(k, {out}, {extra});
    last = extra;
  }
  return b.finish({in}, {last});
}

std::string refusal(std::vector<uint8_t> bytes, const std::string& name = "synthetic.tflite") {
  try {
    compile_graph(read_tflite_buffer(std::move(bytes), name), "syn");
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

// Runs one call of a compiled model's program with the reference kernels
// (iteration i of its block).
void run_call(const CompiledModel& m, const Call& c, uint32_t i, uint8_t* arena) {
  auto ptr = [&](const Access& a) {
    return reinterpret_cast<int8_t*>(arena + static_cast<int64_t>(a.offset) + static_cast<int64_t>(a.step) * i);
  };
  const Layer& l = m.layers[static_cast<std::size_t>(c.layer)];
  if (c.copy) {  // as generated code does it
    tp::engine::copy_forward(arena, static_cast<uint32_t>(c.write.offset + static_cast<int64_t>(c.write.step) * i),
                             static_cast<uint32_t>(c.reads[0].offset + static_cast<int64_t>(c.reads[0].step) * i),
                             c.write.bytes);
    return;
  }
  switch (l.kind) {
    case LayerKind::kConv2D: tp::kernels::ref::conv2d_s8(l.conv_band(c.variant), ptr(c.reads[0]), ptr(c.write)); break;
    case LayerKind::kDepthwiseConv2D:
      tp::kernels::ref::depthwise_conv2d_s8(l.depthwise_band(c.variant), ptr(c.reads[0]), ptr(c.write));
      break;
    case LayerKind::kFullyConnected:
      tp::kernels::ref::fully_connected_s8(l.fc, ptr(c.reads[0]), ptr(c.write));
      break;
    case LayerKind::kAveragePool2D:
      tp::kernels::ref::avg_pool2d_s8(l.pool_band(c.variant), ptr(c.reads[0]), ptr(c.write));
      break;
    case LayerKind::kAdd:
      tp::kernels::ref::add_s8(l.add_band(c.variant), ptr(c.reads[0]), ptr(c.reads[1]), ptr(c.write));
      break;
    case LayerKind::kSoftmax: tp::kernels::ref::softmax_s8(l.softmax, ptr(c.reads[0]), ptr(c.write)); break;
    case LayerKind::kReshape: break;
  }
}

// Runs a compiled model in process with the reference kernels, exactly the
// calls its generated run() makes (bands, loops, offsets). The arena starts
// filled with `fill`. `after_layer(l, arena)` is called once the calls at
// step l are done.
std::vector<int8_t> execute(const CompiledModel& m, const std::vector<int8_t>& input,
                            const std::function<void(int, const uint8_t*)>& after_layer = {},
                            uint8_t fill = 0x5A) {
  std::vector<uint8_t> arena(m.plan.arena_bytes + 16, fill);
  auto at = [&](int t) {
    return reinterpret_cast<int8_t*>(arena.data() + m.plan.tensors[static_cast<std::size_t>(t)].offset);
  };
  std::memcpy(at(m.graph.input), input.data(), input.size());
  for (std::size_t b = 0; b < m.program.size(); ++b) {
    const Block& blk = m.program[b];
    for (uint32_t i = 0; i < blk.count; ++i) {
      for (const Call& c : blk.calls) run_call(m, c, i, arena.data());
    }
    const bool layer_done = b + 1 == m.program.size() || m.program[b + 1].layer != blk.layer;
    if (layer_done && after_layer) after_layer(blk.layer, arena.data());
  }
  // The guard bytes past the arena are untouched.
  for (std::size_t i = m.plan.arena_bytes; i < arena.size(); ++i) EXPECT_EQ(arena[i], fill) << "wrote past the arena";
  const int8_t* out = at(m.graph.output);
  return std::vector<int8_t>(out, out + m.graph.tensors[static_cast<std::size_t>(m.graph.output)].elements());
}

// Every layer run whole, each tensor in its own buffer: the definition of
// the right values of every tensor.
std::vector<std::vector<int8_t>> execute_unplanned(const CompiledModel& m, const std::vector<int8_t>& input) {
  std::vector<std::vector<int8_t>> t(m.graph.tensors.size());
  auto buf = [&](int i) -> std::vector<int8_t>& {
    std::vector<int8_t>& v = t[static_cast<std::size_t>(i)];
    v.resize(static_cast<std::size_t>(m.graph.tensors[static_cast<std::size_t>(i)].elements()));
    return v;
  };
  buf(m.graph.input) = input;
  for (const Layer& l : m.layers) {
    int8_t* in = buf(l.inputs[0]).data();
    int8_t* out = buf(l.output).data();
    switch (l.kind) {
      case LayerKind::kConv2D: tp::kernels::ref::conv2d_s8(l.conv, in, out); break;
      case LayerKind::kDepthwiseConv2D: tp::kernels::ref::depthwise_conv2d_s8(l.depthwise, in, out); break;
      case LayerKind::kFullyConnected: tp::kernels::ref::fully_connected_s8(l.fc, in, out); break;
      case LayerKind::kAveragePool2D: tp::kernels::ref::avg_pool2d_s8(l.pool, in, out); break;
      case LayerKind::kAdd: tp::kernels::ref::add_s8(l.add, in, buf(l.inputs[1]).data(), out); break;
      case LayerKind::kSoftmax: tp::kernels::ref::softmax_s8(l.softmax, in, out); break;
      case LayerKind::kReshape: std::memcpy(out, in, buf(l.output).size()); break;
    }
  }
  return t;
}

// Runs the planned program and checks, after every layer, each tensor the
// layer completes (whole in the arena) against execute_unplanned.
void expect_program_matches_unplanned(const CompiledModel& m, const std::vector<int8_t>& input,
                                      const std::string& what) {
  const std::vector<std::vector<int8_t>> want = execute_unplanned(m, input);
  int mismatches = 0;
  const std::vector<int8_t> got = execute(m, input, [&](int layer, const uint8_t* arena) {
    for (std::size_t j = 0; j < m.layers.size(); ++j) {
      const Layer& l = m.layers[j];
      if (m.exec[j].step != layer || l.kind == LayerKind::kReshape) continue;
      const TensorPlacement& p = m.plan.tensors[static_cast<std::size_t>(l.output)];
      if (!p.in_arena) continue;  // a fused conv's output never exists whole
      const std::vector<int8_t>& w = want[static_cast<std::size_t>(l.output)];
      if (std::memcmp(arena + p.offset, w.data(), w.size()) != 0 && mismatches++ < 5) {
        ADD_FAILURE() << what << ": layer " << j << " (" << l.op_name << ", "
                      << exec_mode_name(m.exec[j].mode) << ") output differs from whole-tensor execution";
      }
    }
  });
  EXPECT_EQ(got, want[static_cast<std::size_t>(m.graph.output)]) << what;
}

std::vector<int8_t> random_input(const CompiledModel& m, uint32_t seed) {
  std::vector<int8_t> v(static_cast<std::size_t>(m.graph.tensors[static_cast<std::size_t>(m.graph.input)].elements()));
  uint32_t x = seed * 2654435761u + 12345u;
  for (int8_t& b : v) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<int8_t>(x >> 24);
  }
  return v;
}

// No two tensors that are alive at the same layer step share bytes, unless
// they are aliases (same planner buffer).
void expect_valid_plan(const CompiledModel& m) {
  const auto& bufs = m.plan.buffers;
  for (std::size_t i = 0; i < bufs.size(); ++i) {
    EXPECT_EQ(bufs[i].offset % 16, 0u);
    EXPECT_LE(bufs[i].offset + bufs[i].bytes, m.plan.arena_bytes);
    for (std::size_t j = i + 1; j < bufs.size(); ++j) {
      const bool live_together = bufs[i].first <= bufs[j].last && bufs[j].first <= bufs[i].last;
      const bool share = bufs[i].offset < bufs[j].offset + bufs[j].bytes &&
                         bufs[j].offset < bufs[i].offset + bufs[i].bytes;
      EXPECT_FALSE(live_together && share) << "buffers " << i << " and " << j;
    }
  }
  // A layer run whole: its output apart from its inputs (RESHAPE: the same
  // bytes). Layers run in place, fused or as an ADD over an input do share
  // bytes between input and output tensors by design; for them every kernel
  // call's output view must be apart from its input views (an ADD may write
  // exactly over one input).
  for (std::size_t li = 0; li < m.layers.size(); ++li) {
    const Layer& l = m.layers[li];
    if (m.exec[li].mode != ExecMode::kWhole && m.exec[li].mode != ExecMode::kAlias) continue;
    for (int t : l.inputs) {
      const auto& a = m.plan.tensors[static_cast<std::size_t>(t)];
      const auto& b = m.plan.tensors[static_cast<std::size_t>(l.output)];
      if (l.kind == LayerKind::kReshape) {
        EXPECT_EQ(a.offset, b.offset);
      } else {
        EXPECT_TRUE(a.offset + a.bytes <= b.offset || b.offset + b.bytes <= a.offset)
            << l.op_name << " input and output overlap";
      }
    }
  }
  for (const Block& blk : m.program) {
    for (uint32_t i = 0; i < blk.count; ++i) {
      for (const Call& c : blk.calls) {
        const Layer& l = m.layers[static_cast<std::size_t>(c.layer)];
        const int64_t w0 = static_cast<int64_t>(c.write.offset) + static_cast<int64_t>(c.write.step) * i;
        EXPECT_LE(w0 + c.write.bytes, m.plan.arena_bytes);
        for (const Access& r : c.reads) {
          const int64_t r0 = static_cast<int64_t>(r.offset) + static_cast<int64_t>(r.step) * i;
          const bool apart = w0 + c.write.bytes <= r0 || r0 + r.bytes <= w0;
          const bool exact = w0 == r0 && c.write.bytes == r.bytes;
          if (c.copy) {
            EXPECT_TRUE(apart || w0 <= r0) << "a copy overlaps its source from above";
            continue;
          }
          // A backend may let one whole call write over its input, at a
          // multiple of its step (scratch_need.h alias_step).
          const int32_t step = backend_scratch_need(m.backend, l).alias_step;
          const bool contract = step > 0 && blk.count == 1 && &r == &c.reads[0] && (r0 - w0) % step == 0;
          EXPECT_TRUE(apart || (l.kind == LayerKind::kAdd && exact) || contract)
              << "layer " << c.layer << " (" << l.op_name << ") call output overlaps an input";
        }
      }
    }
  }
  EXPECT_NO_THROW(check_program(m));
}

// ------------------------------------------------------------ refusals

TEST(CompilerRefuses, MalformedBuffer) {
  std::vector<uint8_t> bytes(256);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 91 + 7);
  std::memcpy(&bytes[4], "TFL3", 4);
  const std::string e = refusal(bytes, "garbage.tflite");
  EXPECT_NE(e.find("garbage.tflite"), std::string::npos) << e;
  EXPECT_NE(e.find("malformed"), std::string::npos) << e;
}

TEST(CompilerRefuses, NotAFlatbuffer) {
  const std::string text = "this is not a model at all";
  const std::string e = refusal(std::vector<uint8_t>(text.begin(), text.end()), "x.tflite");
  EXPECT_NE(e.find("x.tflite: not a TFLite flatbuffer"), std::string::npos) << e;
}

TEST(CompilerRefuses, TruncatedFile) {
  const std::vector<uint8_t> good = synthetic_model();
  for (std::size_t len : {std::size_t{0}, std::size_t{5}, good.size() / 4, good.size() / 2,
                          good.size() - 64}) {
    const std::string e =
        refusal(std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(len)), "t.tflite");
    EXPECT_NE(e.find("t.tflite"), std::string::npos) << len;
    EXPECT_TRUE(e.find("malformed") != std::string::npos || e.find("truncated") != std::string::npos)
        << len << ": " << e;
  }
}

TEST(CompilerRefuses, UnsupportedOperator) {
  SyntheticOptions o;
  o.extra_op = 17;  // MAX_POOL_2D
  const std::string e = refusal(synthetic_model(o), "mine.tflite");
  EXPECT_NE(e.find("mine.tflite"), std::string::npos) << e;
  EXPECT_NE(e.find("MAX_POOL_2D"), std::string::npos) << e;
  EXPECT_NE(e.find("not supported"), std::string::npos) << e;
  o.extra_op = 150;  // a code only the int32 builtin_code field can hold
  const std::string e2 = refusal(synthetic_model(o));
  EXPECT_NE(e2.find("operator #8"), std::string::npos) << e2;
  EXPECT_NE(e2.find("not supported"), std::string::npos) << e2;
}

TEST(CompilerRefuses, UnsupportedTensorType) {
  SyntheticOptions o;
  o.input_type = kTypeFloat32;
  const std::string e = refusal(synthetic_model(o), "float.tflite");
  EXPECT_NE(e.find("float.tflite"), std::string::npos) << e;
  EXPECT_NE(e.find("FLOAT32"), std::string::npos) << e;
  o.input_type = 7;  // INT16
  EXPECT_NE(refusal(synthetic_model(o)).find("INT16"), std::string::npos);
}

TEST(CompilerRefuses, UnsupportedFusedActivation) {
  SyntheticOptions o;
  o.conv_activation = 4;  // TANH
  const std::string e = refusal(synthetic_model(o));
  EXPECT_NE(e.find("CONV_2D"), std::string::npos) << e;
  EXPECT_NE(e.find("TANH"), std::string::npos) << e;
}

TEST(CompilerRefuses, GraphShapeProblems) {
  {  // Two model inputs.
    ModelBuilder b;
    const int a = b.act("a", {1, 2, 2, 3}, 0.1f, 0);
    const int c = b.act("c", {1, 2, 2, 3}, 0.1f, 0);
    const int o = b.act("o", {1, 2, 2, 3}, 0.1f, 0);
    b.op(b.code(kOpAdd), {a, c}, {o}, tfl::BuiltinOptions_AddOptions,
         tfl::CreateAddOptions(b.fbb(), 0).Union());
    const std::string e = refusal(b.finish({a, c}, {o}));
    EXPECT_NE(e.find("2 inputs; exactly one"), std::string::npos) << e;
  }
  {  // Broadcasting ADD: [1,2,2,3] + pooled [1,1,1,3].
    ModelBuilder b;
    const int a = b.act("a", {1, 2, 2, 3}, 0.1f, 0);
    const int c = b.act("c", {1, 1, 1, 3}, 0.1f, 0);
    const int o = b.act("o", {1, 2, 2, 3}, 0.1f, 0);
    b.op(b.code(kOpAveragePool2D), {a}, {c}, tfl::BuiltinOptions_Pool2DOptions,
         tfl::CreatePool2DOptions(b.fbb(), 1, 2, 2, 2, 2, 0).Union());
    b.op(b.code(kOpAdd), {a, c}, {o}, tfl::BuiltinOptions_AddOptions,
         tfl::CreateAddOptions(b.fbb(), 0).Union());
    const std::string e = refusal(b.finish({a}, {o}));
    EXPECT_NE(e.find("operator #1 (ADD): broadcasting"), std::string::npos) << e;
  }
  {  // A constant operand of ADD.
    ModelBuilder b;
    const int a = b.act("a", {1, 4}, 0.1f, 0);
    const int c = b.tensor("c", kTypeInt8, {1, 4}, Q{{0.1f}, {0}, 0}, {1, 2, 3, 4});
    const int o = b.act("o", {1, 4}, 0.1f, 0);
    b.op(b.code(kOpAdd), {a, c}, {o}, tfl::BuiltinOptions_AddOptions,
         tfl::CreateAddOptions(b.fbb(), 0).Union());
    EXPECT_NE(refusal(b.finish({a}, {o})).find("is a constant"), std::string::npos);
  }
  {  // Two subgraphs.
    ModelBuilder b;
    const int a = b.act("a", {1, 4}, 0.1f, 0);
    const int o = b.act("o", {1, 4}, 1.0f / 256, -128);
    b.op(b.code(kOpSoftmax), {a}, {o}, tfl::BuiltinOptions_SoftmaxOptions,
         tfl::CreateSoftmaxOptions(b.fbb(), 1.0f).Union());
    EXPECT_NE(refusal(b.finish({a}, {o}, 2)).find("subgraphs"), std::string::npos);
  }
  {  // Softmax output quantization other than 1/256, -128.
    ModelBuilder b;
    const int a = b.act("a", {1, 4}, 0.1f, 0);
    const int o = b.act("o", {1, 4}, 1.0f / 255, -128);
    b.op(b.code(kOpSoftmax), {a}, {o}, tfl::BuiltinOptions_SoftmaxOptions,
         tfl::CreateSoftmaxOptions(b.fbb(), 1.0f).Union());
    EXPECT_NE(refusal(b.finish({a}, {o})).find("1/256"), std::string::npos);
  }
  {  // Non-zero weight zero point.
    ModelBuilder b;
    const int a = b.act("a", {1, 4}, 0.1f, 0);
    std::vector<uint8_t> w(8, 1);
    const int wt = b.tensor("w", kTypeInt8, {2, 4}, Q{{0.1f}, {3}, 0}, w);
    const int o = b.act("o", {1, 2}, 0.1f, 0);
    b.op(b.code(kOpFullyConnected), {a, wt, -1}, {o}, tfl::BuiltinOptions_FullyConnectedOptions,
         tfl::CreateFullyConnectedOptions(b.fbb(), 0).Union());
    EXPECT_NE(refusal(b.finish({a}, {o})).find("symmetric"), std::string::npos);
  }
  {  // Missing options table.
    ModelBuilder b;
    const int a = b.act("a", {1, 4}, 0.1f, 0);
    const int o = b.act("o", {1, 4}, 1.0f / 256, -128);
    b.op(b.code(kOpSoftmax), {a}, {o});
    EXPECT_NE(refusal(b.finish({a}, {o})).find("SoftmaxOptions"), std::string::npos);
  }
}

// ------------------------------------------------------------ compilation

TEST(Compiler, DeprecatedAndNewOperatorCodesCompileAlike) {
  SyntheticOptions o;
  CompiledModel a = compile_graph(read_tflite_buffer(synthetic_model(o), "a.tflite"), "a");
  o.deprecated_codes = true;
  CompiledModel b = compile_graph(read_tflite_buffer(synthetic_model(o), "b.tflite"), "b");
  ASSERT_EQ(a.layers.size(), 8u);
  ASSERT_EQ(b.layers.size(), 8u);
  for (std::size_t i = 0; i < a.layers.size(); ++i) EXPECT_EQ(a.layers[i].op_name, b.layers[i].op_name);
  EXPECT_EQ(a.layers[0].op_name, "CONV_2D");
  EXPECT_EQ(a.layers[5].op_name, "RESHAPE");
}

TEST(Compiler, SyntheticModelRunsAndPlansSoundly) {
  CompiledModel m = compile_graph(read_tflite_buffer(synthetic_model(), "s.tflite"), "syn");
  expect_valid_plan(m);
  EXPECT_EQ(m.macs, 6u * 6 * 4 * 3 * 3 * 2 + 3u * 3 * 4 * 3 * 3 + 3u * 3 * 4 * 4 + 12u);
  std::vector<int8_t> input(72);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<int8_t>(i * 29 % 256 - 128);
  const std::vector<int8_t> out = execute(m, input);
  ASSERT_EQ(out.size(), 3u);
  int sum = 0;
  for (int8_t v : out) sum += v + 128;
  EXPECT_NEAR(sum, 256, 3);  // probabilities add up to 1
  EXPECT_EQ(execute(m, input), out);  // deterministic
  const std::string src = emit_model_source(m);
  EXPECT_NE(src.find("const tp::engine::ModelDesc syn = {"), std::string::npos);
  EXPECT_NE(src.find("k::softmax_s8(kLayer7"), std::string::npos);
  EXPECT_NE(summary_text(m).find("RESHAPE"), std::string::npos);
}

// A model file is untrusted input (#14): hostile tensor names and file
// names reach the generated C++ only as printable text, in comments that
// cannot end early or splice the next line, and in well-formed literals.
TEST(Compiler, HostileNamesStayInertInGeneratedSource) {
  const std::string hostile[] = {
      std::string("cr\rlf\nnext"), "end */ int x = 1; /*", "quote\" \\ backslash",
      std::string("nul\0byte", 8), "line splice at the end \\", "trigraph ?" "?/ ?" "?=",
      std::string("high \xff\xfe bytes \x1b[2J"), std::string(100000, 'n'),
  };
  for (const std::string& name : hostile) {
    SyntheticOptions o;
    o.name_prefix = name;
    const std::string file = "dir/" + name + ".tflite";
    CompiledModel m = compile_graph(read_tflite_buffer(synthetic_model(o), file), "syn");
    const std::string src = emit_model_source(m);
    SCOPED_TRACE(printable_text(name, 40));
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < src.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(src[i]);
      ASSERT_TRUE(c == '\n' || (c >= 0x20 && c <= 0x7E)) << "byte " << int(c) << " at " << i;
      if (c == '\n') {
        ASSERT_LT(i - line_start, 5000u) << "line at " << line_start;
        ASSERT_FALSE(i > 0 && src[i - 1] == '\\') << "line splice at " << i;
        line_start = i + 1;
      }
    }
    EXPECT_EQ(src.find("*/"), std::string::npos);
    EXPECT_EQ(src.find("??"), std::string::npos);  // no trigraph either
    // The source_file literal: quotes and backslashes only as escapes.
    const std::size_t tag = src.find(",  // source_file\n");
    ASSERT_NE(tag, std::string::npos);
    const std::size_t open = src.rfind("\n    \"", tag);
    ASSERT_NE(open, std::string::npos);
    const std::string literal = src.substr(open + 5, tag - open - 5);
    ASSERT_GE(literal.size(), 2u);
    EXPECT_EQ(literal.front(), '"');
    EXPECT_EQ(literal.back(), '"');
    for (std::size_t i = 1; i + 1 < literal.size(); ++i) {
      if (literal[i] == '\\') {
        ASSERT_TRUE(literal[i + 1] == '"' || literal[i + 1] == '\\' || literal[i + 1] == '?') << literal;
        ++i;
      } else {
        ASSERT_NE(literal[i], '"') << literal;
      }
    }
    // Printed and refused paths name the same safe text.
    const std::string summary = summary_text(m) + one_line_summary(m);
    for (char c : summary) ASSERT_TRUE(c == '\n' || (c >= 0x20 && c <= 0x7E));
  }
  // A plain name is left alone.
  EXPECT_EQ(printable_text("model/conv2d_1/Relu;StatefulPartitionedCall:0"),
            "model/conv2d_1/Relu;StatefulPartitionedCall:0");
  EXPECT_EQ(printable_text(std::string(300, 'x')).size(), 256u);
}

TEST(Compiler, RegistrySources) {
  const std::string h = emit_registry_header({{"kws01", 16000}, {"ad01", 768}});
  EXPECT_NE(h.find("constexpr std::size_t kMaxArenaBytes = 16000;"), std::string::npos);
  EXPECT_NE(h.find("constexpr std::size_t ad01 = 768;"), std::string::npos);
  EXPECT_NE(h.find("#define TINYPERF_HAS_MODEL_AD01 1"), std::string::npos);
  const std::string c = emit_registry_source({{"kws01", 16000}, {"ad01", 768}});
  EXPECT_NE(c.find("kAll[] = {&kws01, &ad01}"), std::string::npos);
  EXPECT_TRUE(valid_model_id("kws01"));
  EXPECT_FALSE(valid_model_id("01kws"));
  EXPECT_FALSE(valid_model_id("kws-01"));
}

// ------------------------------------------------------------ set-up arithmetic

TEST(Quantize, MultiplierMatchesTfliteRules) {
  int32_t q = 0;
  int s = 0;
  quantize_multiplier(0.5, &q, &s);
  EXPECT_EQ(q, 1 << 30);
  EXPECT_EQ(s, 0);
  quantize_multiplier(1.0, &q, &s);
  EXPECT_EQ(q, 1 << 30);
  EXPECT_EQ(s, 1);
  quantize_multiplier(0.75, &q, &s);
  EXPECT_EQ(q, 3 << 29);
  EXPECT_EQ(s, 0);
  // Rounds up to 2^31 -> renormalized.
  quantize_multiplier(1.0 - std::ldexp(1.0, -40), &q, &s);
  EXPECT_EQ(q, 1 << 30);
  EXPECT_EQ(s, 1);
  // Below 2^-31: flushed to zero.
  quantize_multiplier(std::ldexp(1.0, -40), &q, &s);
  EXPECT_EQ(q, 0);
  EXPECT_EQ(s, 0);
  quantize_multiplier(0.0, &q, &s);
  EXPECT_EQ(q, 0);
  // Softmax with beta * scale = 1/16: 2^22 -> (2^30, 23); radius 31 * 2^26 / 2^23.
  ASSERT_TRUE(softmax_scaling(1.0, 1.0 / 16, 5, &q, &s));
  EXPECT_EQ(q, 1 << 30);
  EXPECT_EQ(s, 23);
  EXPECT_EQ(softmax_input_radius(5, 23), 248);
  // Smaller/greater-than-one range checks.
  EXPECT_FALSE(quantize_multiplier_smaller_than_one_exp(1.0, &q, &s));
  EXPECT_FALSE(quantize_multiplier_greater_than_one(0.9, &q, &s));
  // Per-tensor FC multiplies the scales in float first.
  const float a = 0.1f, b = 0.3f, c = 0.7f;
  EXPECT_EQ(fc_per_tensor_effective_scale(a, b, c), static_cast<double>(a * b) / c);
  EXPECT_EQ(conv_effective_scale(a, b, c), static_cast<double>(a) * b / c);
}

TEST(Quantize, ActivationRanges) {
  int32_t lo = 0, hi = 0;
  ASSERT_TRUE(int8_activation_range(0, 0.1f, 5, &lo, &hi));
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);
  ASSERT_TRUE(int8_activation_range(1, 0.1f, 5, &lo, &hi));  // RELU: zero point
  EXPECT_EQ(lo, 5);
  ASSERT_TRUE(int8_activation_range(3, 0.05f, -128, &lo, &hi));  // RELU6: 6/0.05 = 120
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, -8);
  ASSERT_TRUE(int8_activation_range(2, 0.5f, 0, &lo, &hi));  // RELU_N1_TO_1
  EXPECT_EQ(lo, -2);
  EXPECT_EQ(hi, 2);
  EXPECT_FALSE(int8_activation_range(4, 0.1f, 0, &lo, &hi));
}

// ------------------------------------------------------------ real models

struct RealModel {
  const char* id;
  const char* file;
  const char* golden;
  uint32_t tflm_arena;  // TFLM arena_used_bytes (x86-64) to stay at or below
};
const RealModel kRealModels[] = {
    {"kws01", "kws_ref_model.tflite", "kws", 24000},
    {"vww01", "vww_96_int8.tflite", "vww", 103400},
    {"ic01", "pretrainedResnet_quant.tflite", "ic", 55700},
    {"ad01", "ad01_int8.tflite", "ad", 3400},
};

std::string models_dir() {
  if (const char* env = std::getenv("TINYPERF_MODELS_DIR")) return env;
  return TP_MODELS_DIR;
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

TEST(RealModels, PlansFitTflmArenas) {
  for (const RealModel& r : kRealModels) {
    const std::string path = models_dir() + "/" + r.file;
    if (!exists(path)) GTEST_SKIP() << "no " << path;
    SCOPED_TRACE(r.id);
    CompiledModel m = compile_file(path, r.id);
    expect_valid_plan(m);
    EXPECT_LE(m.plan.arena_bytes, r.tflm_arena);
    // Lower bound: the largest set of tensors alive at one step.
    std::cout << "  " << one_line_summary(m) << "\n";
  }
}

TEST(RealModels, TruncatedRealModelIsRefused) {
  const std::string path = models_dir() + "/kws_ref_model.tflite";
  if (!exists(path)) GTEST_SKIP() << "no " << path;
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes.resize(bytes.size() / 2);
  const std::string e = refusal(bytes, "kws_ref_model.tflite");
  EXPECT_NE(e.find("kws_ref_model.tflite: malformed"), std::string::npos) << e;
}

// The first golden pair of a real model: its input as the model takes it
// and the expected output bytes; false when the model or goldens are absent.
bool first_golden(const RealModel& r, std::vector<int8_t>* input, std::string* want) {
  const std::string dir = std::string(TP_GOLDEN_DIR) + "/" + r.golden + "/";
  const std::string in_file = dir + (std::string(r.golden) == "ad" ? "random_00.qin.bin" : "random_00.in.bin");
  if (!exists(models_dir() + "/" + r.file) || !exists(in_file)) return false;
  std::ifstream fin(in_file, std::ios::binary);
  input->clear();
  for (char ch : std::string((std::istreambuf_iterator<char>(fin)), std::istreambuf_iterator<char>())) {
    const auto b = static_cast<uint8_t>(ch);
    // Raw image bytes become b - 128; kws and ad (qin) are int8 already.
    const bool image = std::string(r.golden) == "vww" || std::string(r.golden) == "ic";
    input->push_back(static_cast<int8_t>(image ? b - 128 : static_cast<int8_t>(b)));
  }
  std::ifstream fout(dir + "random_00.out.bin", std::ios::binary);
  *want = std::string((std::istreambuf_iterator<char>(fout)), std::istreambuf_iterator<char>());
  return true;
}

TEST(RealModels, InProcessExecutionMatchesGoldenSample) {
  // The compiler's parameters run through the reference kernels directly
  // (no code generation) reproduce the first golden pair of each model.
  for (const RealModel& r : kRealModels) {
    std::vector<int8_t> input;
    std::string want;
    if (!first_golden(r, &input, &want)) GTEST_SKIP() << "no model or goldens";
    SCOPED_TRACE(r.id);
    CompiledModel m = compile_file(models_dir() + "/" + r.file, r.id);
    const std::vector<int8_t> got = execute(m, input);
    ASSERT_EQ(got.size(), want.size());
    EXPECT_EQ(0, std::memcmp(got.data(), want.data(), want.size()));
  }
}

// ------------------------------------------------------------ in-place and fused execution

// Arena goals of the real models (peak RAM = arena + kernel scratch; the
// goals are 0.6x / 0.65x TFLM's M4 arenas less a few KB kept for the kernel
// backends' static scratch; vww01 and ad01 must not get worse).
struct RamGoal {
  const char* id;
  uint32_t whole_arena;  // every layer run whole (the plan before in-place execution)
  uint32_t goal;
};
const RamGoal kRamGoals[] = {
    {"kws01", 16000, 11000},
    {"vww01", 55296, 55296},
    {"ic01", 49152, 34000},
    {"ad01", 768, 768},
};

TEST(RealModels, PlansMeetRamGoals) {
  for (std::size_t i = 0; i < std::size(kRealModels); ++i) {
    const RealModel& r = kRealModels[i];
    const RamGoal& g = kRamGoals[i];
    ASSERT_STREQ(r.id, g.id);
    const std::string path = models_dir() + "/" + r.file;
    if (!exists(path)) GTEST_SKIP() << "no " << path;
    SCOPED_TRACE(r.id);
    CompiledModel m = compile_file(path, r.id);
    expect_valid_plan(m);
    EXPECT_LE(m.plan.arena_bytes, g.goal);
    EXPECT_EQ(m.arena_whole, g.whole_arena);
    PlanOptions whole;
    whole.in_place = false;
    CompiledModel w = compile_file(path, r.id, whole);
    expect_valid_plan(w);
    EXPECT_EQ(w.plan.arena_bytes, g.whole_arena);
    for (const LayerExec& e : w.exec) {
      EXPECT_TRUE(e.mode == ExecMode::kWhole || e.mode == ExecMode::kAlias);
    }
    // The model description states the true arena, and the source explains the plan.
    const std::string src = emit_model_source(m);
    EXPECT_NE(src.find("    " + std::to_string(m.plan.arena_bytes) + "u,  // arena_bytes"), std::string::npos);
    EXPECT_NE(src.find("// execution: "), std::string::npos);
    std::cout << "  " << one_line_summary(m) << " (" << m.arena_whole << " B whole)\n";
  }
}

// arm_dsp: FULLY_CONNECTED weights are written in row pairs
// (engine/kernels/backends/arm_dsp/fc_layout.h) where they fit, and read
// back to exactly the reference plan's weights; other backends keep them.
TEST(RealModels, ArmDspFullyConnectedRowPairs) {
  int paired = 0;
  for (const RealModel& r : kRealModels) {
    const std::string path = models_dir() + "/" + r.file;
    if (!exists(path)) GTEST_SKIP() << "no " << path;
    SCOPED_TRACE(r.id);
    PlanOptions o;
    o.backend = "arm_dsp";
    const CompiledModel m = compile_file(path, r.id, o);
    const CompiledModel ref = compile_file(path, r.id);
    ASSERT_EQ(m.layers.size(), ref.layers.size());
    for (std::size_t i = 0; i < m.layers.size(); ++i) {
      const Layer& l = m.layers[i];
      if (l.kind != LayerKind::kFullyConnected) continue;
      EXPECT_EQ(ref.layers[i].fc.filter_layout, 0);
      const int32_t K = l.fc.input_depth, N = l.fc.output_depth;
      if (l.fc.filter_layout == 0) {
        EXPECT_EQ(l.filter, ref.layers[i].filter);
        EXPECT_FALSE(tp::kernels::arm_dsp::fc_row_pairs_fit(K, N, ref.layers[i].filter.data())) << "layer " << i;
        continue;
      }
      ++paired;
      EXPECT_EQ(l.fc.filter_layout, tp::kernels::arm_dsp::kFcRowPairs);
      ASSERT_EQ(l.filter.size(), ref.layers[i].filter.size());
      for (int32_t row = 0; row < N; ++row) {
        for (int32_t j = 0; j < K; ++j) {
          ASSERT_EQ(tp::kernels::arm_dsp::fc_row_pairs_weight(l.filter.data(), K, N, row, j),
                    ref.layers[i].filter[static_cast<std::size_t>(row) * K + j])
              << "layer " << i << " row " << row << " input " << j;
        }
      }
      const std::string src = emit_model_source(m);
      EXPECT_NE(src.find("    1,  // filter_layout"), std::string::npos);
    }
  }
  EXPECT_GE(paired, 10);  // ad01's ten layers at least
}

// arm_dsp: the 1x1 convolutions within the per-layer limit (conv_layout.h;
// PlanOptions::conv_int16_max_weights: the compiler's default 4,096 B, the
// Cortex-M4 boards' 65,536 B) get int16 weights, read back to exactly the
// reference plan's; every other convolution keeps its int8 weights (those
// the limit alone kept are listed); the model's weight bytes count the
// doubled ones, and the compile line names both lists.
TEST(RealModels, ArmDspPointwiseInt16UnderTheBoardsLimit) {
  for (const int64_t limit : {int64_t{-1}, int64_t{65536}}) {
    SCOPED_TRACE(limit);
    int widened = 0, kept = 0;
    for (const RealModel& r : kRealModels) {
      const std::string path = models_dir() + "/" + r.file;
      if (!exists(path)) GTEST_SKIP() << "no " << path;
      SCOPED_TRACE(r.id);
      PlanOptions o;
      o.backend = "arm_dsp";
      if (limit >= 0) o.conv_int16_max_weights = limit;
      const int64_t lim = limit >= 0 ? limit : tp::kernels::arm_dsp::kConvInt16MaxWeights;
      const CompiledModel m = compile_file(path, r.id, o);
      const CompiledModel ref = compile_file(path, r.id);
      uint32_t extra = 0;
      std::vector<int> int16, by_limit;
      for (std::size_t i = 0; i < m.layers.size(); ++i) {
        const Layer& l = m.layers[i];
        if (l.kind != LayerKind::kConv2D) continue;
        const std::vector<int8_t>& w8 = ref.layers[i].filter;
        const bool shape = tp::kernels::arm_dsp::conv_int16_shape_fit(ref.layers[i].conv, ref.layers[i].has_bias);
        const bool fit = shape && static_cast<int64_t>(w8.size()) <= lim;
        if (shape && !fit) by_limit.push_back(static_cast<int>(i));
        if (l.conv.filter_layout == tp::kernels::arm_dsp::kConvSmallK) {  // ArmDspSmallKLayout below
          EXPECT_FALSE(shape) << "layer " << i;
          extra += static_cast<uint32_t>(l.filter.size() - w8.size());
          continue;
        }
        if (!fit) {
          EXPECT_EQ(l.conv.filter_layout, 0) << "layer " << i;
          EXPECT_EQ(l.filter, w8) << "layer " << i;
          continue;
        }
        ++widened;
        int16.push_back(static_cast<int>(i));
        extra += static_cast<uint32_t>(w8.size());
        EXPECT_EQ(l.conv.filter_layout, tp::kernels::arm_dsp::kConvInt16);
        EXPECT_EQ(l.conv.filter_data, l.filter.data());
        const int32_t K = l.conv.filter.c, cout = l.conv.output.c;
        ASSERT_EQ(l.filter.size(), 2 * w8.size());
        for (int32_t c = 0; c < cout; ++c) {
          for (int32_t k = 0; k < K; ++k) {
            ASSERT_EQ(tp::kernels::arm_dsp::conv_int16_weight(l.filter.data(), K, c, k),
                      w8[static_cast<std::size_t>(c) * K + k])
                << "layer " << i;
          }
        }
      }
      kept += static_cast<int>(by_limit.size());
      EXPECT_EQ(m.int16_layers, int16);
      EXPECT_EQ(m.int8_by_limit, by_limit);
      EXPECT_EQ(m.weight_bytes, ref.weight_bytes + extra);
      const std::string line = one_line_summary(m);
      EXPECT_EQ(line.find("int16 1x1 weights") != std::string::npos, !int16.empty() || !by_limit.empty()) << line;
      EXPECT_EQ(line.find("kept int8 by the limit") != std::string::npos, !by_limit.empty()) << line;
    }
    if (limit < 0) {
      EXPECT_EQ(widened, 4 + 5);  // kws01's four pointwise layers, vww01's first five
      EXPECT_EQ(kept, 8);         // vww01's other eight (8-64 KB each)
    } else {
      EXPECT_EQ(widened, 4 + 13);  // kws01's four, every pointwise layer of vww01
      EXPECT_EQ(kept, 0);
    }
  }
}

// arm_dsp: convolutions over few input channels (conv_smallk_layout.h: the
// first layers of vww01 and ic01 here, ic02's too) get the window-pair layout exactly
// where conv_smallk_fit accepts the reference plan's layer; every weight
// reads back (halved) to the reference's, the biases doubled and the
// requantization words are the layer's.
TEST(RealModels, ArmDspSmallKLayout) {
  namespace ad = tp::kernels::arm_dsp;
  int laid_out = 0;
  for (const RealModel& r : kRealModels) {
    const std::string path = models_dir() + "/" + r.file;
    if (!exists(path)) GTEST_SKIP() << "no " << path;
    SCOPED_TRACE(r.id);
    PlanOptions o;
    o.backend = "arm_dsp";
    const CompiledModel m = compile_file(path, r.id, o);
    const CompiledModel ref = compile_file(path, r.id);
    for (std::size_t i = 0; i < m.layers.size(); ++i) {
      const Layer& l = m.layers[i];
      const Layer& rl = ref.layers[i];
      if (l.kind != LayerKind::kConv2D) continue;
      const bool fit = ad::conv_int16_fit(rl.conv, rl.has_bias) == false &&
                       ad::conv_smallk_fit(rl.conv, rl.has_bias ? rl.conv.bias : nullptr);
      EXPECT_EQ(l.conv.filter_layout == ad::kConvSmallK, fit) << "layer " << i;
      if (!fit) continue;
      ++laid_out;
      EXPECT_EQ(l.conv.filter_data, l.filter.data());
      ASSERT_EQ(l.filter.size(), ad::smallk_blob_bytes(l.conv));
      const ad::SmallKShape s = ad::smallk_shape(l.conv);
      const int32_t cout = l.conv.output.c, fh = l.conv.filter.h, row = s.row_len;
      for (int32_t c = 0; c < cout; ++c) {
        for (int32_t ky = 0; ky < fh; ++ky) {
          for (int32_t t = 0; t < row; ++t) {
            ASSERT_EQ(ad::smallk_weight(l.filter.data(), s, c, ky, t),
                      rl.filter[(static_cast<std::size_t>(c) * fh + ky) * row + t])
                << "layer " << i;
          }
        }
        int32_t words[3 + 2];
        std::memcpy(&words[0], l.filter.data() + 4 * ad::smallk_bias_word(s.S, c), 4);
        std::memcpy(&words[4], l.filter.data() + 4 * (ad::smallk_bias_word(s.S, c) + 2), 4);
        std::memcpy(&words[1], l.filter.data() + 4 * ad::smallk_rq_word(s.S, c), 12);
        EXPECT_EQ(words[0], 2 * rl.bias[c]);
        EXPECT_EQ(words[4], 2 * rl.bias[c]);
        EXPECT_EQ(words[1], rl.multiplier[c]);
        EXPECT_EQ(words[3], -rl.shift[c]);
      }
    }
  }
  EXPECT_GE(laid_out, 2);  // vww01's and ic01's first convolutions (kws01's blob is over kSmallKMaxBlob)
}

// Kernel scratch planned in the arena for the arm_dsp backend
// (tinyperf/engine/scratch_need.h): every step gets what its kernels want,
// ad01's 640-deep FULLY_CONNECTED expands its input over itself, and the
// peak RAM goals (0.6x / 0.65x TFLM's M4 arenas) hold with the scratch in.
TEST(RealModels, ArmDspScratchIsPlannedInTheArena) {
  const uint32_t goals[] = {13692, 60425, 35747, 1548};
  for (std::size_t i = 0; i < std::size(kRealModels); ++i) {
    const RealModel& r = kRealModels[i];
    const std::string path = models_dir() + "/" + r.file;
    if (!exists(path)) GTEST_SKIP() << "no " << path;
    SCOPED_TRACE(r.id);
    PlanOptions o;
    o.backend = "arm_dsp";
    o.band_budget = 4608;  // boards/qemu_mps2_an386 (arch/cortex_m4f/cpu.cmake)
    CompiledModel m = compile_file(path, r.id, o);
    expect_valid_plan(m);
    EXPECT_LE(m.plan.arena_bytes, goals[i]);
    ASSERT_EQ(m.plan.scratch.size(), m.layers.size());
    for (std::size_t l = 0; l < m.layers.size(); ++l) {
      const Layer& ly = m.layers[l];
      if (m.exec[l].step != static_cast<int>(l) || m.exec[l].mode == ExecMode::kAlias) continue;
      uint32_t want = 0;
      if (ly.kind == LayerKind::kConv2D) want = tp::kernels::arm_dsp::scratch_need_conv(ly.conv).bytes;
      if (ly.kind == LayerKind::kDepthwiseConv2D) {
        want = tp::kernels::arm_dsp::scratch_need_depthwise(ly.depthwise).bytes;
      }
      if (ly.kind == LayerKind::kConv2D || ly.kind == LayerKind::kDepthwiseConv2D) {
        EXPECT_GT(want, 0u) << "layer " << l;
        // Never more than the old flat figure, but for one strip of the
        // stride-2 vertical pairs (scratch_need.h: vww01's layer 3, 3,920 B).
        const bool s2_strip = ly.kind == LayerKind::kDepthwiseConv2D && ly.depthwise.stride_h == 2 &&
                              ly.depthwise.output.w >= 12;
        EXPECT_LE(want, s2_strip ? 4096u : 2304u) << "layer " << l;
      }
      if (ly.kind == LayerKind::kFullyConnected && ly.fc.input_depth % 8 == 0) want = 2 * ly.fc.input_depth;
      if (ly.kind == LayerKind::kAdd) want = 2048;
      EXPECT_GE(m.plan.scratch[l].bytes, want) << "layer " << l;
      EXPECT_EQ(m.plan.scratch[l].offset % 16, 0u);
    }
    const std::string src = emit_model_source(m);
    EXPECT_NE(src.find("  scratch = {arena + "), std::string::npos);
    // The reference backend plans none: the kernels get an empty scratch.
    CompiledModel ref = compile_file(path, r.id);
    EXPECT_TRUE(ref.plan.scratch.empty());
    EXPECT_EQ(emit_model_source(ref).find("  scratch = {"), std::string::npos);
  }
  const std::string ad = models_dir() + "/ad01_int8.tflite";
  if (!exists(ad)) GTEST_SKIP() << "no " << ad;
  PlanOptions o;
  o.backend = "arm_dsp";
  CompiledModel m = compile_file(ad, "ad01", o);
  const TensorPlacement& in = m.plan.tensors[static_cast<std::size_t>(m.graph.input)];
  ASSERT_TRUE(m.plan.scratch[0].over_input);
  EXPECT_EQ(m.plan.scratch[0].bytes, 1280u);
  EXPECT_EQ(m.plan.scratch[0].offset + m.plan.scratch[0].bytes, in.offset + in.bytes);
  EXPECT_LE(m.plan.arena_bytes, 1408u);
  // check_program refuses a scratch over the output, over an input that is
  // read later, or over an input it does not end with.
  auto fails = [](const CompiledModel& c) {
    try {
      check_program(c);
    } catch (const CompileError& e) {
      return std::string(e.what()).find("scratch") != std::string::npos ||
             std::string(e.what()).find("overwritten") != std::string::npos;
    }
    return false;
  };
  EXPECT_FALSE(fails(m));
  {
    CompiledModel b = compile_file(ad, "ad01", o);
    const TensorPlacement& out = b.plan.tensors[static_cast<std::size_t>(b.layers[0].output)];
    b.plan.scratch[0].offset = out.offset / 16 * 16;
    EXPECT_TRUE(fails(b));
  }
  {
    CompiledModel b = compile_file(ad, "ad01", o);
    b.plan.scratch[0].bytes -= 16;
    EXPECT_TRUE(fails(b));  // overlaps the input but no longer ends with it
  }
  {
    CompiledModel b = compile_file(ad, "ad01", o);
    // Layer 1's scratch over layer 0's output... of layer 2's input, read later.
    const TensorPlacement& later = b.plan.tensors[static_cast<std::size_t>(b.layers[2].output)];
    b.plan.scratch[3].offset = later.offset / 16 * 16;
    b.plan.scratch[3].bytes = 256;
    b.plan.scratch[3].over_input = false;
    EXPECT_TRUE(fails(b));
  }
}

TEST(RealModels, ExpectedInPlaceAndFusedLayers) {
  const std::string kws = models_dir() + "/kws_ref_model.tflite";
  const std::string ic = models_dir() + "/pretrainedResnet_quant.tflite";
  if (!exists(kws) || !exists(ic)) GTEST_SKIP() << "no models";
  {
    CompiledModel m = compile_file(kws, "kws01");
    // Every depthwise and pointwise layer runs in place, in bands of several rows.
    for (int i = 1; i <= 8; ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ(m.exec[static_cast<std::size_t>(i)].mode, ExecMode::kInPlace);
      EXPECT_GE(m.exec[static_cast<std::size_t>(i)].band_rows, 2);
      EXPECT_LE(m.exec[static_cast<std::size_t>(i)].bands, 13);
    }
    const std::string src = emit_model_source(m);
    EXPECT_NE(src.find("for (uint32_t i = 0; i < "), std::string::npos);
    EXPECT_NE(src.find("k::depthwise_conv2d_s8(kLayer1Band"), std::string::npos);
    EXPECT_NE(summary_text(m).find("#1 DEPTHWISE_CONV_2D in place"), std::string::npos);
  }
  {
    CompiledModel m = compile_file(ic, "ic01");
    // The first residual block's second conv is fused with its ADD, and fed
    // band by band by the first: neither conv output exists whole.
    EXPECT_EQ(m.exec[2].mode, ExecMode::kFusedAdd);
    EXPECT_EQ(m.exec[2].partner, 3);
    EXPECT_EQ(m.exec[3].mode, ExecMode::kFusedIntoConv);
    EXPECT_EQ(m.exec[1].mode, ExecMode::kFeedsFused);
    EXPECT_EQ(m.exec[2].feeder, 1);
    EXPECT_GE(m.exec[2].band_rows, 2);
    EXPECT_FALSE(m.plan.tensors[static_cast<std::size_t>(m.layers[1].output)].in_arena);
    EXPECT_FALSE(m.plan.tensors[static_cast<std::size_t>(m.layers[2].output)].in_arena);
    // The second block's shortcut conv is fused with its ADD.
    EXPECT_EQ(m.exec[6].mode, ExecMode::kFusedAdd);
    EXPECT_NE(emit_model_source(m).find("copy_forward(arena, "), std::string::npos);
    const std::string src = emit_model_source(m);
    EXPECT_NE(src.find("k::add_s8(kLayer3Band0"), std::string::npos);
    EXPECT_NE(summary_text(m).find("#2 CONV_2D + #3 ADD fused"), std::string::npos);
  }
}

TEST(RealModels, PlannedExecutionMatchesWholeLayers) {
  // Every layer's output, computed by the planned program (bands, loops,
  // shifted in-place outputs, fused ADDs) over one arena, equals the whole-
  // tensor computation with separate buffers, on random inputs; under the
  // default plan, with many narrow bands, and with wide ones.
  for (const RealModel& r : kRealModels) {
    const std::string path = models_dir() + "/" + r.file;
    if (!exists(path)) GTEST_SKIP() << "no " << path;
    SCOPED_TRACE(r.id);
    std::vector<PlanOptions> options(3);
    options[1].band_budget = 1;  // one row per band wherever it can
    options[1].prune = false;
    options[2].band_budget = 4096;
    options[2].prune = false;
    for (std::size_t o = 0; o < options.size(); ++o) {
      CompiledModel m = compile_file(path, r.id, options[o]);
      expect_valid_plan(m);
      for (uint32_t seed = 1; seed <= (o == 0 ? 3u : 1u); ++seed) {
        expect_program_matches_unplanned(m, random_input(m, seed),
                                         std::string(r.id) + " options " + std::to_string(o) +
                                             " seed " + std::to_string(seed));
      }
    }
  }
}

// Whether check_program refuses m with a message containing `text`.
bool check_fails_with(const CompiledModel& m, const char* text) {
  try {
    check_program(m);
  } catch (const CompileError& e) {
    return std::string(e.what()).find(text) != std::string::npos;
  }
  return false;
}

TEST(RealModels, CheckProgramCatchesBrokenPlans) {
  const std::string kws = models_dir() + "/kws_ref_model.tflite";
  const std::string ic = models_dir() + "/pretrainedResnet_quant.tflite";
  if (!exists(kws) || !exists(ic)) GTEST_SKIP() << "no models";
  auto fails = [](const CompiledModel& m) { return check_fails_with(m, "fails its check"); };
  auto first_block = [](const CompiledModel& m, int layer) -> std::size_t {
    for (std::size_t b = 0; b < m.program.size(); ++b) {
      if (m.program[b].layer == layer && !m.program[b].calls.empty()) return b;
    }
    return m.program.size();
  };
  {  // An in-place band written one row too low overwrites rows still needed.
    CompiledModel m = compile_file(kws, "kws01");
    EXPECT_FALSE(fails(m));
    const std::size_t b = first_block(m, 1);
    ASSERT_LT(b, m.program.size());
    Access& w = m.program[b].calls[0].write;
    w.offset = m.exec[1].bottom_up ? w.offset - 320 : w.offset + 320;
    EXPECT_TRUE(fails(m));
  }
  {  // In-place bands run in the wrong order.
    CompiledModel m = compile_file(kws, "kws01");
    std::vector<Block> layer2;
    std::vector<Block> rest;
    for (const Block& blk : m.program) (blk.layer == 2 ? layer2 : rest).push_back(blk);
    ASSERT_GT(layer2.size(), 1u);
    std::reverse(layer2.begin(), layer2.end());
    for (Block& blk : layer2) {
      for (Call& c : blk.calls) {
        for (Access* a : {&c.reads[0], &c.write}) {
          a->offset = static_cast<uint32_t>(a->offset + static_cast<int64_t>(a->step) * (blk.count - 1));
          a->tensor_offset = static_cast<uint32_t>(a->tensor_offset + static_cast<int64_t>(a->tensor_step) * (blk.count - 1));
          a->step = -a->step;
          a->tensor_step = -a->tensor_step;
        }
      }
    }
    m.program.clear();
    bool inserted = false;
    for (const Block& blk : rest) {
      if (blk.layer > 2 && !inserted) {
        m.program.insert(m.program.end(), layer2.begin(), layer2.end());
        inserted = true;
      }
      m.program.push_back(blk);
    }
    EXPECT_TRUE(fails(m));
  }
  {  // A band told it has a padding row above where the real row exists.
    CompiledModel m = compile_file(kws, "kws01");
    const std::size_t b = first_block(m, 3);
    ASSERT_LT(b, m.program.size());
    BandShape& s = m.layers[3].bands[static_cast<std::size_t>(m.program[b + 1].calls[0].variant)];
    s.pad_h = 1;
    EXPECT_TRUE(fails(m));
  }
  // The fused conv's (layer 2) first call and the ADD call after it.
  auto fused_calls = [](CompiledModel& m) -> std::pair<Call*, Call*> {
    for (Block& blk : m.program) {
      for (std::size_t j = 0; j + 1 < blk.calls.size(); ++j) {
        if (blk.calls[j].layer == 2 && !blk.calls[j].copy) return {&blk.calls[j], &blk.calls[j + 1]};
      }
    }
    return {nullptr, nullptr};
  };
  {  // The fused conv's temporary moved over the operand the ADD writes.
    CompiledModel m = compile_file(ic, "ic01");
    EXPECT_FALSE(fails(m));
    auto [conv, add] = fused_calls(m);
    ASSERT_TRUE(conv != nullptr);
    const uint32_t x = m.plan.tensors[static_cast<std::size_t>(m.layers[3].output)].offset;
    conv->write.offset = x + 1024;
    add->reads[static_cast<std::size_t>(m.exec[2].operand)].offset = x + 1024;
    EXPECT_TRUE(fails(m));
  }
  {  // The feeding conv's window read one row off (the window did not slide).
    CompiledModel m = compile_file(ic, "ic01");
    ASSERT_EQ(m.exec[1].mode, ExecMode::kFeedsFused);
    bool mutated = false;
    for (Block& blk : m.program) {
      for (Call& c : blk.calls) {
        if (c.copy && !mutated) {
          c.reads[0].offset += 512;
          mutated = true;
        }
      }
    }
    ASSERT_TRUE(mutated);
    EXPECT_TRUE(fails(m));
  }
}

// A small model with every shape of banded layer: a dilated conv, depthwise
// 3x3 stride 1 and 2, a channel-expanding 1x1, a residual block whose second
// conv fuses with its ADD, a 5x5 stride-2 VALID conv, a SAME average pool,
// an ADD over one of its inputs, global pooling, FC, softmax.
std::vector<uint8_t> banding_model(int32_t h, int32_t w, int32_t c, int32_t dilation) {
  ModelBuilder b;
  auto& fbb = b.fbb();
  const int32_t c2 = 2 * c;
  const int32_t h2 = (h + 1) / 2, w2 = (w + 1) / 2;
  const int32_t h3 = (h2 - 5) / 2 + 1, w3 = (w2 - 5) / 2 + 1;
  auto scales = [](int32_t n) {
    std::vector<float> v;
    for (int32_t i = 0; i < n; ++i) v.push_back(0.002f + 0.0005f * static_cast<float>(i % 3));
    return v;
  };
  const int in = b.act("in", {1, h, w, c}, 0.05f, -3);
  const int t0 = b.act("t0", {1, h, w, c}, 0.06f, -20);
  const int t1 = b.act("t1", {1, h, w, c}, 0.05f, -10);
  const int t2 = b.act("t2", {1, h, w, c2}, 0.07f, 4);
  const int t3 = b.act("t3", {1, h2, w2, c2}, 0.06f, -7);
  const int t4 = b.act("t4", {1, h2, w2, c2}, 0.05f, -30);
  const int t5 = b.act("t5", {1, h2, w2, c2}, 0.08f, 2);
  const int t6 = b.act("t6", {1, h2, w2, c2}, 0.09f, -5);
  const int t7 = b.act("t7", {1, h3, w3, c}, 0.1f, 3);
  const int t8 = b.act("t8", {1, h3, w3, c}, 0.1f, 3);
  const int t9 = b.act("t9", {1, h3, w3, c}, 0.12f, -1);
  const int t10 = b.act("t10", {1, 1, 1, c}, 0.12f, -1);
  const int t11 = b.act("t11", {1, c}, 0.12f, -1);
  const int t12 = b.act("t12", {1, 5}, 0.2f, 0);
  const int out = b.act("out", {1, 5}, 1.0f / 256, -128);
  const int k_conv = b.code(kOpConv2D), k_dw = b.code(kOpDepthwiseConv2D), k_add = b.code(kOpAdd),
            k_pool = b.code(kOpAveragePool2D), k_reshape = b.code(kOpReshape),
            k_fc = b.code(kOpFullyConnected), k_softmax = b.code(kOpSoftmax);
  auto conv = [&](int input, int output, int32_t cin, int32_t cout, int32_t k, int padding, int stride,
                  int act, int dil) {
    const int wt = b.weights("w", {cout, k, k, cin}, scales(cout), 0);
    const int bs = b.bias("b", cout, 0.0001f);
    b.op(k_conv, {input, wt, bs}, {output}, tfl::BuiltinOptions_Conv2DOptions,
         tfl::CreateConv2DOptions(fbb, static_cast<int8_t>(padding), stride, stride,
                                  static_cast<int8_t>(act), dil, dil).Union());
  };
  auto dw = [&](int input, int output, int32_t ch, int stride) {
    const int wt = b.weights("dw", {1, 3, 3, ch}, scales(ch), 3);
    const int bs = b.bias("db", ch, 0.0001f);
    b.op(k_dw, {input, wt, bs}, {output}, tfl::BuiltinOptions_DepthwiseConv2DOptions,
         tfl::CreateDepthwiseConv2DOptions(fbb, 0, stride, stride, 1, 1).Union());
  };
  conv(in, t0, c, c, 3, 0, 1, 1, dilation);
  dw(t0, t1, c, 1);
  conv(t1, t2, c, c2, 1, 0, 1, 3, 1);
  dw(t2, t3, c2, 2);
  conv(t3, t4, c2, c2, 3, 0, 1, 1, 1);
  conv(t4, t5, c2, c2, 3, 0, 1, 0, 1);
  b.op(k_add, {t3, t5}, {t6}, tfl::BuiltinOptions_AddOptions, tfl::CreateAddOptions(fbb, 1).Union());
  conv(t6, t7, c2, c, 5, 1, 2, 0, 1);
  b.op(k_pool, {t7}, {t8}, tfl::BuiltinOptions_Pool2DOptions,
       tfl::CreatePool2DOptions(fbb, 0, 1, 1, 3, 3, 0).Union());
  b.op(k_add, {t8, t7}, {t9}, tfl::BuiltinOptions_AddOptions, tfl::CreateAddOptions(fbb, 0).Union());
  b.op(k_pool, {t9}, {t10}, tfl::BuiltinOptions_Pool2DOptions,
       tfl::CreatePool2DOptions(fbb, 1, 1, 1, w3, h3, 0).Union());
  b.op(k_reshape, {t10}, {t11});
  const int fw = b.weights("fc_w", {5, c}, {0.01f}, 0);
  const int fb = b.bias("fc_b", 5, 0.0012f);
  b.op(k_fc, {t11, fw, fb}, {t12}, tfl::BuiltinOptions_FullyConnectedOptions,
       tfl::CreateFullyConnectedOptions(fbb, 0).Union());
  b.op(k_softmax, {t12}, {out}, tfl::BuiltinOptions_SoftmaxOptions,
       tfl::CreateSoftmaxOptions(fbb, 1.0f).Union());
  return b.finish({in}, {out});
}

// arm_mve: the planar 3x3 depthwise may write its output over its input
// (scratch_need.h dw_alias_step: it copies each channel's rows into its
// scratch first, and output channel c lands on input channel c when the
// offsets differ by a multiple of C). kws01's depthwise layers then run as
// one call each inside their input's buffer instead of two bands; the
// checker holds every call to that contract: without it (another backend),
// or off by a non-multiple of C, the plan fails.
// The K = 40 im2col kernel of arm_mve reads up to 8 bytes past its last
// weight row (ScratchNeed::filter_read_past): kws01's first filter (64 rows
// of 10 x 4) is emitted with 16 zero bytes after it there, and without them
// for the other backends and the 1x1 filters (rows of 64 bytes).
TEST(RealModels, ArmMveFilterPaddingAsTheBackendAsks) {
  const std::string kws = models_dir() + "/kws_ref_model.tflite";
  if (!exists(kws)) GTEST_SKIP() << "no models";
  for (const char* backend : {"arm_mve", "reference"}) {
    SCOPED_TRACE(backend);
    PlanOptions o;
    o.backend = backend;
    const CompiledModel m = compile_file(kws, "kws01", o);
    const Layer& first = m.layers[0];
    ASSERT_EQ(first.kind, LayerKind::kConv2D);
    ASSERT_EQ(first.filter.size(), 64u * 40u);
    const bool mve = std::string(backend) == "arm_mve";
    EXPECT_EQ(backend_scratch_need(backend, first).filter_read_past, mve ? 16u : 0u);
    const std::string src = emit_model_source(m);
    EXPECT_NE(src.find(mve ? "kFilter0[2576]" : "kFilter0[2560]"), std::string::npos);
    // The 1x1 layers' rows are whole chunks: no padding.
    EXPECT_NE(src.find("kFilter2[4096]"), std::string::npos);
  }
}

// A layer's weights in the plain [output channel][...] order (unpacking
// arm_mve's 8-channel blocks).
std::vector<int8_t> plain_filter(const Layer& l) {
  if (l.kind != LayerKind::kConv2D || l.conv.filter_layout != tp::kernels::arm_mve::kConvBlock8) return l.filter;
  const int32_t K = l.conv.filter.c, cout = l.conv.output.c;
  std::vector<int8_t> plain(static_cast<std::size_t>(cout) * K);
  for (int32_t c = 0; c < cout; ++c) {
    for (int32_t k = 0; k < K; ++k) plain[c * K + k] = l.filter[tp::kernels::arm_mve::conv_block8_index(K, c, k)];
  }
  return plain;
}

// arm_mve: the dense 1x1 convolutions over 40 or 128-256 channels with zero
// point -128 get the 8-channel block layout (conv_layout.h), no other layer
// (nor any for another backend); the index is one to one; unpacked, the
// weights are the plain ones (up to the order of the channels); vww01 has 7
// such layers.
TEST(RealModels, ArmMveBlock8Layout) {
  namespace am = tp::kernels::arm_mve;
  for (const int32_t K : {40, 128, 192, 256}) {
    const int32_t kp = am::conv_block8_row(K);
    EXPECT_EQ(kp, K == 40 ? 48 : K);
    std::vector<int> seen(static_cast<std::size_t>(16 * kp), 0);
    for (int32_t c = 0; c < 16; ++c) {
      for (int32_t k = 0; k < K; ++k) ++seen.at(am::conv_block8_index(K, c, k));
    }
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 16 * K) << K;
  }
  EXPECT_EQ(am::conv_block8_index(128, 9, 70), 8u * 128 + 512 + 64 + 6);
  EXPECT_EQ(am::conv_block8_index(40, 9, 39), 8u * 48 + 48 + 39);
  for (const RealModel& r : kRealModels) {
    const std::string path = models_dir() + "/" + r.file;
    if (!std::ifstream(path)) GTEST_SKIP() << "no model";
    SCOPED_TRACE(r.id);
    PlanOptions o;
    o.backend = "arm_mve";
    const CompiledModel mve = compile_file(path, r.id, o);
    const CompiledModel ref = compile_file(path, r.id);
    int blocked = 0;
    ASSERT_EQ(mve.layers.size(), ref.layers.size());
    for (std::size_t i = 0; i < mve.layers.size(); ++i) {
      const Layer& l = mve.layers[i];
      EXPECT_EQ(ref.layers[i].conv.filter_layout, 0);
      if (l.kind != LayerKind::kConv2D) continue;
      const bool fit = l.conv.filter.h == 1 && l.conv.filter.w == 1 && l.conv.stride_h == 1 &&
                       l.conv.stride_w == 1 && am::conv_block8_depth(l.conv.filter.c) &&
                       l.conv.output.c % 8 == 0 && l.conv.requant.output_offset == -128;
      EXPECT_EQ(l.conv.filter_layout == am::kConvBlock8, fit) << "layer " << i;
      blocked += fit;
      // (sorted: the channels are ordered by shift for arm_mve)
      std::vector<int8_t> a = plain_filter(l), b = ref.layers[i].filter;
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      EXPECT_EQ(a, b) << "layer " << i;
      if (fit) {
        EXPECT_EQ(l.filter.size(), static_cast<std::size_t>(l.conv.output.c) * am::conv_block8_row(l.conv.filter.c));
      }
    }
    if (std::string(r.id) == "vww01") {
      EXPECT_EQ(blocked, 7);  // the five 6x6x128 -> 128, 3x3x128 -> 256, 3x3x256 -> 256
    }
  }
}

// A model compiled with its channels ordered by shift as for arm_mve
// (group_channels_by_shift; *reordered: the layers it reordered) but
// planned for the reference kernels, which in-process execution runs.
CompiledModel compile_grouped(Graph graph, const std::string& id, int* reordered) {
  CompiledModel m;
  m.id = id;
  m.graph = std::move(graph);
  m.layers = lower_graph(m.graph);
  *reordered = group_channels_by_shift(&m.layers, m.graph);
  for (Layer& l : m.layers) l.bind_pointers();
  plan_model(&m);
  return m;
}

// arm_mve: the CONV_2D output channels reordered by shift
// (group_channels_by_shift), run through the reference kernels (planned for
// them: the arm_mve plan writes outputs over inputs where only its kernels
// allow it), give every model's first golden output exactly; the compiler
// reorders them so for arm_mve (the same shifts per layer, in another
// order); kws01's 1x1 layers then have at least 14 of their 16 output
// groups of one shift (4-15 before); ic01's convolutions feeding a residual
// ADD keep their output order.
TEST(RealModels, ArmMveChannelsGroupedByShift) {
  for (const RealModel& r : kRealModels) {
    std::vector<int8_t> input;
    std::string want;
    if (!first_golden(r, &input, &want)) GTEST_SKIP() << "no model or goldens";
    SCOPED_TRACE(r.id);
    const std::string path = models_dir() + "/" + r.file;
    int n = 0;
    const CompiledModel m = compile_grouped(read_tflite_file(path), r.id, &n);
    const CompiledModel ref = compile_file(path, r.id);
    PlanOptions o;
    o.backend = "arm_mve";
    const CompiledModel mve = compile_file(path, r.id, o);
    const std::vector<int8_t> got = execute(m, input);
    ASSERT_EQ(got.size(), want.size());
    EXPECT_EQ(0, std::memcmp(got.data(), want.data(), want.size()));
    int reordered = 0;
    ASSERT_EQ(m.layers.size(), ref.layers.size());
    ASSERT_EQ(mve.layers.size(), ref.layers.size());
    for (std::size_t i = 0; i < m.layers.size(); ++i) {
      const Layer& a = m.layers[i];
      const Layer& b = ref.layers[i];
      EXPECT_EQ(a.shift, mve.layers[i].shift) << "layer " << i;
      EXPECT_EQ(a.filter, plain_filter(mve.layers[i])) << "layer " << i;
      std::vector<int32_t> sa = a.shift, sb = b.shift;
      std::sort(sa.begin(), sa.end());
      std::sort(sb.begin(), sb.end());
      EXPECT_EQ(sa, sb) << "layer " << i;
      if (a.kind == LayerKind::kConv2D && a.shift != b.shift) ++reordered;
      if (std::string(r.id) == "kws01" && a.kind == LayerKind::kConv2D && a.conv.filter.h == 1) {
        int uniform = 0;
        for (std::size_t g = 0; g + 4 <= a.shift.size(); g += 4) {
          uniform += a.shift[g] == a.shift[g + 1] && a.shift[g] == a.shift[g + 2] && a.shift[g] == a.shift[g + 3];
        }
        EXPECT_GE(uniform, 14) << "layer " << i;
      }
      if (std::string(r.id) == "ic01" && a.kind == LayerKind::kConv2D) {
        bool feeds_add = false;
        for (const Layer& q : m.layers) {
          if (q.kind != LayerKind::kAdd) continue;
          for (int t : q.inputs) feeds_add = feeds_add || t == a.output;
        }
        if (feeds_add) {
          EXPECT_EQ(a.shift, b.shift) << "layer " << i;
          EXPECT_EQ(a.folded_bias, b.folded_bias) << "layer " << i;
        }
      }
    }
    EXPECT_EQ(reordered, n);
    if (std::string(r.id) == "kws01") {
      EXPECT_EQ(n, 5);
    }
  }
}

// group_channels_by_shift on a synthetic chain: a 1x1 convolution with
// shifts that vary by channel, read by a depthwise layer and a 1x1
// convolution (reordered: the run through the reference kernels matches
// the unordered model's output), and a 1x1 convolution read by a grouped
// convolution (2 groups), itself read by a 1x1 one (neither reordered: a
// grouped convolution's channels belong to its groups).
TEST(Compiler, ChannelsGroupedByShiftOnlyWhereExact) {
  for (const bool grouped : {false, true}) {
    SCOPED_TRACE(grouped ? "grouped reader" : "depthwise reader");
    ModelBuilder b;
    const int in = b.act("in", {1, 4, 4, 8}, 0.5f, -2);
    std::vector<float> sc;
    for (int i = 0; i < 16; ++i) sc.push_back(0.004f * static_cast<float>(1 << (i * 7 % 5)));
    const int w1 = b.weights("w1", {16, 1, 1, 8}, sc, 0);
    const int b1 = b.bias("b1", 16, 0.002f);
    const int a1 = b.act("a1", {1, 4, 4, 16}, 0.3f, -128);
    const int w2 = grouped ? b.weights("w2", {16, 1, 1, 8}, sc, 0) : b.weights("w2", {1, 3, 3, 16}, sc, 3);
    const int b2 = b.bias("b2", 16, 0.001f);
    const int a2 = b.act("a2", {1, 4, 4, 16}, 0.2f, 7);
    const int w3 = b.weights("w3", {8, 1, 1, 16}, {0.01f}, 0);
    const int out = b.act("out", {1, 4, 4, 8}, 0.25f, 3);
    auto& fbb = b.fbb();
    const int k_conv = b.code(kOpConv2D);
    const int k_dw = b.code(kOpDepthwiseConv2D);
    b.op(k_conv, {in, w1, b1}, {a1}, tfl::BuiltinOptions_Conv2DOptions,
         tfl::CreateConv2DOptions(fbb, 0, 1, 1, 1).Union());
    if (grouped) {
      b.op(k_conv, {a1, w2, b2}, {a2}, tfl::BuiltinOptions_Conv2DOptions,
           tfl::CreateConv2DOptions(fbb, 0, 1, 1, 0).Union());
    } else {
      b.op(k_dw, {a1, w2, b2}, {a2}, tfl::BuiltinOptions_DepthwiseConv2DOptions,
           tfl::CreateDepthwiseConv2DOptions(fbb, 0, 1, 1, 1, 0).Union());
    }
    b.op(k_conv, {a2, w3, -1}, {out}, tfl::BuiltinOptions_Conv2DOptions,
         tfl::CreateConv2DOptions(fbb, 0, 1, 1, 0).Union());
    const std::vector<uint8_t> bytes = b.finish({in}, {out});
    const CompiledModel ref = compile_graph(read_tflite_buffer(bytes, "syn.tflite"), "syn");
    int n = 0;
    const CompiledModel m = compile_grouped(read_tflite_buffer(bytes, "syn.tflite"), "syn", &n);
    // the first layer's shifts vary (its reordering is not the identity)
    std::vector<int32_t> sorted = ref.layers[0].shift;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_NE(sorted, ref.layers[0].shift);
    EXPECT_EQ(n, grouped ? 0 : 1);
    EXPECT_EQ(m.layers[0].shift == ref.layers[0].shift, grouped);
    std::vector<int8_t> input(4 * 4 * 8);
    for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<int8_t>((i * 53 + 7) % 256 - 128);
    const std::vector<int8_t> got = execute(m, input), want = execute(ref, input);
    EXPECT_EQ(got, want);
    std::vector<int8_t> distinct = want;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    EXPECT_GE(distinct.size(), 16u);  // (an output that can show a wrong order)
  }
}

TEST(RealModels, ArmMveDepthwiseWritesOverItsInput) {
  const std::string kws = models_dir() + "/kws_ref_model.tflite";
  if (!exists(kws)) GTEST_SKIP() << "no models";
  PlanOptions o;
  o.backend = "arm_mve";
  o.band_budget = 4480;  // arch/cortex_m55/cpu.cmake
  auto fails = [](const CompiledModel& m) { return check_fails_with(m, "overlaps input"); };
  CompiledModel m = compile_file(kws, "kws01", o);
  expect_valid_plan(m);
  EXPECT_FALSE(fails(m));
  const Call* dw = nullptr;
  for (int i : {1, 3, 5, 7}) {
    SCOPED_TRACE(i);
    const LayerExec& e = m.exec[static_cast<std::size_t>(i)];
    EXPECT_EQ(e.mode, ExecMode::kInPlace);
    EXPECT_EQ(e.bands, 1);
    EXPECT_EQ(e.shift % 64, 0);
    EXPECT_LT(std::abs(e.shift), 8000);  // the output overlaps the input
  }
  for (const Block& blk : m.program) {
    for (const Call& c : blk.calls) {
      if (c.layer == 1 && dw == nullptr) dw = &c;
    }
  }
  ASSERT_TRUE(dw != nullptr);
  EXPECT_LT(dw->write.offset, dw->reads[0].offset + dw->reads[0].bytes);  // overlapping
  EXPECT_LT(dw->reads[0].offset, dw->write.offset + dw->write.bytes);
  EXPECT_NE(summary_text(m).find("#1 DEPTHWISE_CONV_2D one whole call"), std::string::npos);
  EXPECT_NE(summary_text(m).find("the arm_mve kernel reads each input byte before its output covers it"),
            std::string::npos);
  // The reference backend has no such contract: the same program fails.
  m.backend = "reference";
  EXPECT_TRUE(fails(m));
  m.backend = "arm_mve";
  // Output and input 16 bytes off a multiple of C: output channel c would
  // land on input channel c + 16.
  for (Block& blk : m.program) {
    for (Call& c : blk.calls) {
      if (c.layer == 1) c.write.offset += 16;
    }
  }
  EXPECT_TRUE(fails(m));
  // The reference plan keeps two bands with the output beside its rows.
  CompiledModel r = compile_file(kws, "kws01");
  EXPECT_GT(r.exec[1].bands, 1);
}

TEST(Banding, BandedExecutionEqualsWholeOnRandomInputs) {
  struct Case {
    int32_t h, w, c, dilation;
  };
  const Case cases[] = {{13, 9, 4, 1}, {16, 10, 3, 2}, {21, 11, 2, 1}, {11, 12, 8, 3}, {30, 9, 1, 1}};
  const uint32_t budgets[] = {1, 40, 200, 1000, 100000};
  for (const Case& k : cases) {
    const std::vector<uint8_t> bytes = banding_model(k.h, k.w, k.c, k.dilation);
    for (uint32_t budget : budgets) {
      for (bool prune : {false, true}) {
        PlanOptions o;
        o.band_budget = budget;
        o.prune = prune;
        CompiledModel m = compile_graph(read_tflite_buffer(bytes, "band.tflite"), "band", o);
        const std::string what = "h " + std::to_string(k.h) + " w " + std::to_string(k.w) + " c " +
                                 std::to_string(k.c) + " d " + std::to_string(k.dilation) + " budget " +
                                 std::to_string(budget) + (prune ? " pruned" : "");
        SCOPED_TRACE(what);
        expect_valid_plan(m);
        if (!prune) {
          // Everything that can run in bands does.
          EXPECT_EQ(m.exec[0].mode, ExecMode::kInPlace);
          EXPECT_EQ(m.exec[1].mode, ExecMode::kInPlace);
          EXPECT_EQ(m.exec[2].mode, ExecMode::kInPlace);
          EXPECT_EQ(m.exec[3].mode, ExecMode::kInPlace);
          EXPECT_EQ(m.exec[4].mode, ExecMode::kFeedsFused);  // band by band ahead of layer 5
          EXPECT_EQ(m.exec[4].partner, 5);
          EXPECT_EQ(m.exec[5].mode, ExecMode::kFusedAdd);
          EXPECT_EQ(m.exec[5].feeder, 4);
          EXPECT_EQ(m.exec[6].mode, ExecMode::kFusedIntoConv);
          EXPECT_EQ(m.exec[7].mode, ExecMode::kInPlace);
          EXPECT_EQ(m.exec[8].mode, ExecMode::kWhole);  // its input feeds the ADD too
          EXPECT_EQ(m.exec[9].mode, ExecMode::kAddInPlace);
          if (budget == 1) {
            EXPECT_EQ(m.exec[1].band_rows, 1);
          }
        } else {
          PlanOptions whole;
          whole.in_place = false;
          CompiledModel w = compile_graph(read_tflite_buffer(bytes, "band.tflite"), "band", whole);
          EXPECT_LE(m.plan.arena_bytes, w.plan.arena_bytes);
        }
        for (uint32_t seed = 1; seed <= 2; ++seed) {
          expect_program_matches_unplanned(m, random_input(m, seed), what);
        }
        // Whatever was in the arena before does not matter.
        const std::vector<int8_t> in = random_input(m, 7);
        EXPECT_EQ(execute(m, in, {}, 0x00), execute(m, in, {}, 0xA5));
      }
    }
  }
}

TEST(Runtime, CopyForwardEqualsMemmoveFromBelow) {
  // Word and byte paths, disjoint and overlapping (destination below).
  for (uint32_t bytes : {0u, 1u, 15u, 16u, 48u, 1024u, 1030u}) {
    for (uint32_t src : {0u, 3u, 16u, 64u, 1040u}) {
      for (uint32_t dst = 0; dst <= src; dst += (src > 16 ? 16 : 1)) {
        std::vector<uint8_t> a(2200), b;
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(i * 131 + 7);
        b = a;
        tp::engine::copy_forward(a.data(), dst, src, bytes);
        std::memmove(b.data() + dst, b.data() + src, bytes);
        EXPECT_EQ(a, b) << "dst " << dst << " src " << src << " bytes " << bytes;
      }
    }
  }
}

}  // namespace
