// Lowering: validates each TFLite operator against what the int8 kernels
// implement and precomputes its parameters exactly as TFLite Micro's
// Prepare() functions do (conv_common.cc, depthwise_conv_common.cc,
// fully_connected_common.cc, pooling_common.cc, add_common.cc,
// softmax_common.cc and kernels/kernel_util.cc).
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "compiled_model.h"
#include "error.h"
#include "quantize.h"
#include "tflite_subset_generated.h"

namespace tp::compiler {
namespace {

constexpr const char* kSupportedOps =
    "ADD, AVERAGE_POOL_2D, CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, "
    "RESHAPE, SOFTMAX";

const char* activation_name(int a) {
  switch (a) {
    case 0: return "NONE";
    case 1: return "RELU";
    case 2: return "RELU_N1_TO_1";
    case 3: return "RELU6";
    case 4: return "TANH";
    case 5: return "SIGN_BIT";
    default: return "UNKNOWN";
  }
}

class Lowerer {
 public:
  explicit Lowerer(const Graph& g) : g_(g) {}

  std::vector<Layer> run() {
    check_graph_io();
    std::vector<Layer> layers;
    produced_.insert(g_.input);
    for (const Operator& op : g_.operators) {
      Layer l = lower(op);
      for (int t : l.inputs) {
        if (!produced_.count(t)) {
          refuse(op, g_.tensors[t].describe() +
                         " is read before any operator writes it (operators "
                         "out of execution order?)");
        }
      }
      if (produced_.count(l.output)) {
        refuse(op, g_.tensors[l.output].describe() + " is written twice");
      }
      produced_.insert(l.output);
      layers.push_back(std::move(l));
    }
    if (!produced_.count(g_.output)) {
      throw CompileError(g_.source_file + ": the model output " +
                         g_.tensors[g_.output].describe() +
                         " is not written by any operator");
    }
    return layers;
  }

 private:
  [[noreturn]] void refuse(const Operator& op, const std::string& msg) const {
    throw CompileError(g_.source_file + ": " + op.describe() + ": " + msg);
  }

  void check_graph_io() const {
    for (int idx : {g_.input, g_.output}) {
      const Tensor& t = g_.tensors[idx];
      const char* role = idx == g_.input ? "input" : "output";
      if (t.is_constant()) {
        throw CompileError(g_.source_file + ": the model " + role + " " +
                           t.describe() + " is a constant");
      }
      if (t.type != kTypeInt8) {
        throw CompileError(g_.source_file + ": the model " + role + " " +
                           t.describe() + " has type " + tensor_type_name(t.type) +
                           "; only INT8 models are supported");
      }
    }
  }

  // ---------------------------------------------------------------- tensors

  const Tensor& tensor(const Operator& op, std::size_t pos, const char* role,
                       bool io_output = false) const {
    const std::vector<int>& list = io_output ? op.outputs : op.inputs;
    if (pos >= list.size() || list[pos] < 0) {
      refuse(op, std::string("missing ") + role + " tensor");
    }
    return g_.tensors[list[pos]];
  }

  void check_int8_quant(const Operator& op, const Tensor& t, const char* role) const {
    if (t.type != kTypeInt8) {
      refuse(op, std::string(role) + " " + t.describe() + " has type " +
                     tensor_type_name(t.type) +
                     "; only INT8 activations are supported");
    }
    if (t.scales.size() != 1 || t.zero_points.size() > 1) {
      refuse(op, std::string(role) + " " + t.describe() +
                     " needs exactly one quantization scale and zero point "
                     "(per-tensor int8)");
    }
    const float s = t.scales[0];
    if (!(s > 0.0f) || !std::isfinite(s)) {
      refuse(op, std::string(role) + " " + t.describe() + " has an invalid scale");
    }
    const int64_t zp = zero_point(t);
    if (zp < -128 || zp > 127) {
      refuse(op, std::string(role) + " " + t.describe() + " has zero point " +
                     std::to_string(zp) + " outside the int8 range");
    }
  }

  static int32_t zero_point(const Tensor& t) {
    return t.zero_points.empty() ? 0 : static_cast<int32_t>(t.zero_points[0]);
  }

  // An activation input: int8, per-tensor quantized, not a constant.
  const Tensor& activation_input(const Operator& op, std::size_t pos,
                                 const char* role = "input") const {
    const Tensor& t = tensor(op, pos, role);
    if (t.is_constant()) {
      refuse(op, std::string(role) + " " + t.describe() +
                     " is a constant; constant activation inputs are not supported");
    }
    check_int8_quant(op, t, role);
    return t;
  }

  const Tensor& activation_output(const Operator& op) const {
    if (op.outputs.size() != 1) {
      refuse(op, "expected exactly one output, found " + std::to_string(op.outputs.size()));
    }
    const Tensor& t = tensor(op, 0, "output", true);
    if (t.is_constant()) refuse(op, "output " + t.describe() + " has constant data");
    check_int8_quant(op, t, "output");
    return t;
  }

  // Constant int8 weights, symmetric (all zero points 0), per tensor or per
  // channel along `channel_dim` with `channels` entries.
  const Tensor& weights(const Operator& op, std::size_t pos, std::size_t rank,
                        int channel_dim) const {
    const Tensor& t = tensor(op, pos, "filter");
    if (!t.is_constant()) {
      refuse(op, "filter " + t.describe() + " is not a constant; only constant weights are supported");
    }
    if (t.type != kTypeInt8) {
      refuse(op, "filter " + t.describe() + " has type " + tensor_type_name(t.type) +
                     "; only INT8 weights are supported");
    }
    if (t.shape.size() != rank) {
      refuse(op, "filter " + t.describe() + " has shape " + t.shape_string() +
                     "; expected rank " + std::to_string(rank));
    }
    if (static_cast<int64_t>(t.data_bytes) != t.elements()) {
      refuse(op, "filter " + t.describe() + " holds " + std::to_string(t.data_bytes) +
                     " bytes for " + std::to_string(t.elements()) + " elements");
    }
    const std::size_t channels = static_cast<std::size_t>(t.shape[channel_dim]);
    if (t.scales.empty()) {
      refuse(op, "filter " + t.describe() + " is not quantized");
    }
    if (t.scales.size() != 1 && t.scales.size() != channels) {
      refuse(op, "filter " + t.describe() + " has " + std::to_string(t.scales.size()) +
                     " scales for " + std::to_string(channels) + " channels");
    }
    if (t.scales.size() > 1 && t.quantized_dimension != channel_dim) {
      refuse(op, "filter " + t.describe() + " is quantized along dimension " +
                     std::to_string(t.quantized_dimension) + "; expected " +
                     std::to_string(channel_dim));
    }
    for (float s : t.scales) {
      if (!(s > 0.0f) || !std::isfinite(s)) {
        refuse(op, "filter " + t.describe() + " has an invalid scale");
      }
    }
    for (int64_t zp : t.zero_points) {
      if (zp != 0) {
        refuse(op, "filter " + t.describe() +
                       " has a non-zero zero point; int8 weights must be symmetric");
      }
    }
    return t;
  }

  // Optional constant int32 bias with `channels` entries; nullptr if omitted.
  const Tensor* bias(const Operator& op, std::size_t pos, int64_t channels) const {
    if (pos >= op.inputs.size() || op.inputs[pos] < 0) return nullptr;
    const Tensor& t = g_.tensors[op.inputs[pos]];
    if (!t.is_constant()) {
      refuse(op, "bias " + t.describe() + " is not a constant");
    }
    if (t.type != kTypeInt32) {
      refuse(op, "bias " + t.describe() + " has type " + tensor_type_name(t.type) +
                     "; only INT32 biases are supported with int8 activations");
    }
    if (t.elements() != channels || static_cast<int64_t>(t.data_bytes) != channels * 4) {
      refuse(op, "bias " + t.describe() + " has shape " + t.shape_string() +
                     "; expected " + std::to_string(channels) + " elements");
    }
    return &t;
  }

  static std::vector<int32_t> int32_data(const Tensor& t) {
    std::vector<int32_t> v(static_cast<std::size_t>(t.elements()));
    for (std::size_t i = 0; i < v.size(); ++i) {
      const uint8_t* p = t.data + 4 * i;  // little-endian in the file
      v[i] = static_cast<int32_t>(static_cast<uint32_t>(p[0]) |
                                  (static_cast<uint32_t>(p[1]) << 8) |
                                  (static_cast<uint32_t>(p[2]) << 16) |
                                  (static_cast<uint32_t>(p[3]) << 24));
    }
    return v;
  }

  static std::vector<int8_t> int8_data(const Tensor& t) {
    std::vector<int8_t> v(t.data_bytes);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int8_t>(t.data[i]);
    return v;
  }

  static tp::kernels::Shape4 shape4(const Tensor& t) {
    return {t.shape[0], t.shape[1], t.shape[2], t.shape[3]};
  }

  void require_rank(const Operator& op, const Tensor& t, std::size_t rank,
                    const char* role) const {
    if (t.shape.size() != rank) {
      refuse(op, std::string(role) + " " + t.describe() + " has shape " +
                     t.shape_string() + "; expected rank " + std::to_string(rank));
    }
  }

  template <typename T>
  const T* options(const Operator& op, const T* opts, const char* table) const {
    if (opts == nullptr) refuse(op, std::string("missing or mismatched ") + table);
    return opts;
  }

  void activation_range(const Operator& op, int activation, const Tensor& out,
                        int32_t* lo, int32_t* hi) const {
    if (activation < 0 || activation > 3) {
      refuse(op, std::string("fused activation ") + activation_name(activation) +
                     " is not supported (supported: NONE, RELU, RELU_N1_TO_1, RELU6)");
    }
    if (!int8_activation_range(activation, out.scales[0], zero_point(out), lo, hi)) {
      refuse(op, std::string("cannot quantize the bounds of fused activation ") +
                     activation_name(activation));
    }
    if (*lo > *hi) refuse(op, "empty output range for the fused activation");
  }

  int16_t small(const Operator& op, int64_t v, const char* what) const {
    if (v < 0 || v > 32767) {
      refuse(op, std::string(what) + " " + std::to_string(v) + " is out of range");
    }
    return static_cast<int16_t>(v);
  }

  struct Window {
    int32_t out = 0;
    int32_t pad = 0;
  };

  // TFLite ComputeOutSizeChecked + ComputePaddingWithOffset.
  Window window(const Operator& op, int padding, int32_t in, int32_t filter,
                int32_t stride, int32_t dilation, const char* axis) const {
    if (padding != 0 && padding != 1) {
      refuse(op, "unknown padding type " + std::to_string(padding));
    }
    if (stride <= 0 || dilation <= 0 || filter <= 0) {
      refuse(op, std::string("invalid stride, dilation or filter size along ") + axis);
    }
    const int64_t effective = (static_cast<int64_t>(filter) - 1) * dilation + 1;
    const int64_t out = padding == 0 ? (static_cast<int64_t>(in) + stride - 1) / stride
                                     : (static_cast<int64_t>(in) + stride - effective) / stride;
    if (out <= 0) refuse(op, std::string("empty output along ") + axis);
    int64_t total = (out - 1) * stride + effective - in;
    if (total < 0) total = 0;
    Window w;
    w.out = static_cast<int32_t>(out);
    w.pad = static_cast<int32_t>(total / 2);
    return w;
  }

  void expect_shape(const Operator& op, const Tensor& out,
                    const std::vector<int32_t>& expected) const {
    if (out.shape != expected) {
      Tensor tmp;
      tmp.shape = expected;
      refuse(op, "output " + out.describe() + " has shape " + out.shape_string() +
                     " but the operator produces " + tmp.shape_string());
    }
  }

  // The int32 accumulator holds at most 2^16 products of int8 x (int8 -
  // zero point) without overflow (TFLite relies on the same bound).
  void check_accumulation_depth(const Operator& op, int64_t depth) const {
    if (depth > 65536) {
      refuse(op, "accumulation depth " + std::to_string(depth) +
                     " exceeds 65536: the int32 accumulator could overflow");
    }
  }

  // Per-channel requantization of CONV_2D / DEPTHWISE_CONV_2D
  // (PopulateConvolutionQuantizationParams).
  void conv_requant(Layer& l, const Tensor& in, const Tensor& filter,
                    const Tensor& out, int32_t channels) const {
    l.multiplier.resize(static_cast<std::size_t>(channels));
    l.shift.resize(static_cast<std::size_t>(channels));
    const bool per_channel = filter.scales.size() > 1;
    for (int32_t c = 0; c < channels; ++c) {
      const float fs = per_channel ? filter.scales[static_cast<std::size_t>(c)] : filter.scales[0];
      int32_t q = 0;
      int s = 0;
      quantize_multiplier(conv_effective_scale(in.scales[0], fs, out.scales[0]), &q, &s);
      l.multiplier[static_cast<std::size_t>(c)] = q;
      l.shift[static_cast<std::size_t>(c)] = s;
    }
  }

  // ---------------------------------------------------------------- operators

  Layer lower(const Operator& op) {
    switch (op.code) {
      case kOpConv2D: return conv2d(op);
      case kOpDepthwiseConv2D: return depthwise(op);
      case kOpFullyConnected: return fully_connected(op);
      case kOpAveragePool2D: return average_pool(op);
      case kOpAdd: return add(op);
      case kOpSoftmax: return softmax(op);
      case kOpReshape: return reshape(op);
      default:
        refuse(op, "operator " + op.name + " is not supported (supported: " +
                       kSupportedOps + ")");
    }
  }

  Layer base(const Operator& op, LayerKind kind) const {
    Layer l;
    l.kind = kind;
    l.op_index = op.index;
    l.op_name = op.name;
    return l;
  }

  Layer conv2d(const Operator& op) {
    Layer l = base(op, LayerKind::kConv2D);
    const auto* o = options(op, op.raw->builtin_options_as_Conv2DOptions(), "Conv2DOptions");
    if (op.inputs.size() < 2 || op.inputs.size() > 3) refuse(op, "expected 2 or 3 inputs");
    const Tensor& in = activation_input(op, 0);
    const Tensor& out = activation_output(op);
    require_rank(op, in, 4, "input");
    const Tensor& filter = weights(op, 1, 4, 0);
    const int32_t oc = filter.shape[0], kh = filter.shape[1], kw = filter.shape[2],
                  fic = filter.shape[3];
    const Tensor* b = bias(op, 2, oc);
    if (o->quantized_bias_type() != 0 && o->quantized_bias_type() != kTypeInt32) {
      refuse(op, std::string("quantized_bias_type ") + tensor_type_name(o->quantized_bias_type()) +
                     " is not supported");
    }
    if (in.shape[3] % fic != 0) {
      refuse(op, "input depth " + std::to_string(in.shape[3]) +
                     " is not a multiple of the filter depth " + std::to_string(fic));
    }
    const int32_t groups = in.shape[3] / fic;
    if (oc % groups != 0) refuse(op, "output channels are not divisible by the group count");
    check_accumulation_depth(op, static_cast<int64_t>(kh) * kw * fic);
    const Window wy = window(op, o->padding(), in.shape[1], kh, o->stride_h(), o->dilation_h_factor(), "height");
    const Window wx = window(op, o->padding(), in.shape[2], kw, o->stride_w(), o->dilation_w_factor(), "width");
    expect_shape(op, out, {in.shape[0], wy.out, wx.out, oc});

    tp::kernels::ConvParams& p = l.conv;
    p.input = shape4(in);
    p.filter = shape4(filter);
    p.output = shape4(out);
    p.input_offset = -zero_point(in);
    p.stride_h = small(op, o->stride_h(), "stride");
    p.stride_w = small(op, o->stride_w(), "stride");
    p.dilation_h = small(op, o->dilation_h_factor(), "dilation");
    p.dilation_w = small(op, o->dilation_w_factor(), "dilation");
    p.pad_h = small(op, wy.pad, "padding");
    p.pad_w = small(op, wx.pad, "padding");
    conv_requant(l, in, filter, out, oc);
    p.requant.output_offset = zero_point(out);
    p.requant.per_channel = 1;
    activation_range(op, o->fused_activation_function(), out, &p.requant.act_min, &p.requant.act_max);
    l.filter = int8_data(filter);
    if (b) {
      l.bias = int32_data(*b);
      l.has_bias = true;
    }
    fold_bias(l, oc, p.input_offset, /*channel_stride=*/1,
              /*taps=*/static_cast<std::size_t>(kh) * static_cast<std::size_t>(kw) *
                  static_cast<std::size_t>(fic),
              /*per_channel_block=*/true);
    l.inputs = {in.index};
    l.output = out.index;
    l.macs = static_cast<uint64_t>(out.elements()) * static_cast<uint64_t>(kh) *
             static_cast<uint64_t>(kw) * static_cast<uint64_t>(fic);
    std::ostringstream d;
    d << kh << "x" << kw << " s" << o->stride_h() << "x" << o->stride_w()
      << (o->padding() == 0 ? " SAME" : " VALID");
    if (o->dilation_h_factor() != 1 || o->dilation_w_factor() != 1) {
      d << " d" << o->dilation_h_factor() << "x" << o->dilation_w_factor();
    }
    if (groups > 1) d << " groups " << groups;
    d << " " << activation_name(o->fused_activation_function())
      << (filter.scales.size() > 1 ? " per-channel" : " per-tensor");
    l.detail = d.str();
    return l;
  }

  // folded_bias[c] = bias[c] + input_offset * sum of output channel c's taps.
  // OHWI filters keep a channel's taps together (per_channel_block); 1HWC
  // depthwise filters interleave channels (tap t of channel c at t*stride+c).
  static void fold_bias(Layer& l, int32_t channels, int32_t input_offset,
                        std::size_t channel_stride, std::size_t taps, bool per_channel_block) {
    l.folded_bias.assign(static_cast<std::size_t>(channels), 0);
    for (std::size_t c = 0; c < l.folded_bias.size(); ++c) {
      int64_t sum = 0;
      for (std::size_t t = 0; t < taps; ++t) {
        sum += per_channel_block ? l.filter[c * taps + t] : l.filter[t * channel_stride + c];
      }
      const int64_t folded = (l.has_bias ? l.bias[c] : 0) + static_cast<int64_t>(input_offset) * sum;
      l.folded_bias[c] = static_cast<int32_t>(folded);
    }
  }

  Layer depthwise(const Operator& op) {
    Layer l = base(op, LayerKind::kDepthwiseConv2D);
    const auto* o = options(op, op.raw->builtin_options_as_DepthwiseConv2DOptions(),
                            "DepthwiseConv2DOptions");
    if (op.inputs.size() < 2 || op.inputs.size() > 3) refuse(op, "expected 2 or 3 inputs");
    const Tensor& in = activation_input(op, 0);
    const Tensor& out = activation_output(op);
    require_rank(op, in, 4, "input");
    const Tensor& filter = weights(op, 1, 4, 3);
    if (filter.shape[0] != 1) refuse(op, "filter " + filter.describe() + " must have shape [1,H,W,C]");
    const int32_t kh = filter.shape[1], kw = filter.shape[2], oc = filter.shape[3];
    const Tensor* b = bias(op, 2, oc);
    const int32_t dm = o->depth_multiplier();
    if (dm <= 0 || static_cast<int64_t>(in.shape[3]) * dm != oc) {
      refuse(op, "depth_multiplier " + std::to_string(dm) + " does not match input depth " +
                     std::to_string(in.shape[3]) + " and output depth " + std::to_string(oc));
    }
    const Window wy = window(op, o->padding(), in.shape[1], kh, o->stride_h(), o->dilation_h_factor(), "height");
    const Window wx = window(op, o->padding(), in.shape[2], kw, o->stride_w(), o->dilation_w_factor(), "width");
    expect_shape(op, out, {in.shape[0], wy.out, wx.out, oc});

    tp::kernels::DepthwiseConvParams& p = l.depthwise;
    p.input = shape4(in);
    p.filter = shape4(filter);
    p.output = shape4(out);
    p.input_offset = -zero_point(in);
    p.stride_h = small(op, o->stride_h(), "stride");
    p.stride_w = small(op, o->stride_w(), "stride");
    p.dilation_h = small(op, o->dilation_h_factor(), "dilation");
    p.dilation_w = small(op, o->dilation_w_factor(), "dilation");
    p.pad_h = small(op, wy.pad, "padding");
    p.pad_w = small(op, wx.pad, "padding");
    p.depth_multiplier = small(op, dm, "depth_multiplier");
    conv_requant(l, in, filter, out, oc);
    p.requant.output_offset = zero_point(out);
    p.requant.per_channel = 1;
    activation_range(op, o->fused_activation_function(), out, &p.requant.act_min, &p.requant.act_max);
    l.filter = int8_data(filter);
    if (b) {
      l.bias = int32_data(*b);
      l.has_bias = true;
    }
    fold_bias(l, oc, p.input_offset, /*channel_stride=*/oc,
              /*taps=*/static_cast<std::size_t>(kh) * static_cast<std::size_t>(kw),
              /*per_channel_block=*/false);
    l.inputs = {in.index};
    l.output = out.index;
    l.macs = static_cast<uint64_t>(out.elements()) * static_cast<uint64_t>(kh) *
             static_cast<uint64_t>(kw);
    std::ostringstream d;
    d << kh << "x" << kw << " s" << o->stride_h() << "x" << o->stride_w()
      << (o->padding() == 0 ? " SAME" : " VALID");
    if (o->dilation_h_factor() != 1 || o->dilation_w_factor() != 1) {
      d << " d" << o->dilation_h_factor() << "x" << o->dilation_w_factor();
    }
    if (dm != 1) d << " multiplier " << dm;
    d << " " << activation_name(o->fused_activation_function())
      << (filter.scales.size() > 1 ? " per-channel" : " per-tensor");
    l.detail = d.str();
    return l;
  }

  Layer fully_connected(const Operator& op) {
    Layer l = base(op, LayerKind::kFullyConnected);
    const auto* o = options(op, op.raw->builtin_options_as_FullyConnectedOptions(),
                            "FullyConnectedOptions");
    if (op.inputs.size() < 2 || op.inputs.size() > 3) refuse(op, "expected 2 or 3 inputs");
    if (o->weights_format() != 0) refuse(op, "shuffled weights format is not supported");
    if (o->quantized_bias_type() != 0 && o->quantized_bias_type() != kTypeInt32) {
      refuse(op, std::string("quantized_bias_type ") + tensor_type_name(o->quantized_bias_type()) +
                     " is not supported");
    }
    const Tensor& in = activation_input(op, 0);
    const Tensor& out = activation_output(op);
    const Tensor& filter = weights(op, 1, 2, 0);
    const int32_t units = filter.shape[0], depth = filter.shape[1];
    const Tensor* b = bias(op, 2, units);
    if (out.shape.empty() || out.shape.back() != units) {
      refuse(op, "output " + out.describe() + " has shape " + out.shape_string() +
                     "; its last dimension must be " + std::to_string(units));
    }
    const int64_t batches = out.elements() / units;
    if (in.elements() != batches * depth) {
      refuse(op, "input " + in.describe() + " has " + std::to_string(in.elements()) +
                     " elements; expected " + std::to_string(batches) + " x " +
                     std::to_string(depth));
    }
    check_accumulation_depth(op, depth);
    const float in_scale = in.scales[0];
    const float out_scale = out.scales[0];
    const bool per_channel = filter.scales.size() > 1;
    if (per_channel) {
      l.multiplier.resize(static_cast<std::size_t>(units));
      l.shift.resize(static_cast<std::size_t>(units));
      for (int32_t c = 0; c < units; ++c) {
        int32_t q = 0;
        int s = 0;
        quantize_multiplier(conv_effective_scale(in_scale, filter.scales[static_cast<std::size_t>(c)], out_scale), &q, &s);
        l.multiplier[static_cast<std::size_t>(c)] = q;
        l.shift[static_cast<std::size_t>(c)] = s;
      }
    } else {
      // GetQuantizedConvolutionMultipler: TFLite checks the bias scale
      // against input_scale * filter_scale and refuses the model otherwise.
      if (b) {
        const double product = static_cast<double>(in_scale) * static_cast<double>(filter.scales[0]);
        const double bias_scale = b->scales.empty() ? 0.0 : static_cast<double>(b->scales[0]);
        if (std::abs(product - bias_scale) / static_cast<double>(out_scale) > 0.02) {
          refuse(op, "bias scale does not match input_scale * filter_scale "
                     "(TFLite refuses this model too)");
        }
      }
      int32_t q = 0;
      int s = 0;
      quantize_multiplier(fc_per_tensor_effective_scale(in_scale, filter.scales[0], out_scale), &q, &s);
      l.multiplier = {q};
      l.shift = {s};
    }
    tp::kernels::FullyConnectedParams& p = l.fc;
    p.batches = static_cast<int32_t>(batches);
    p.input_depth = depth;
    p.output_depth = units;
    p.requant.output_offset = zero_point(out);
    p.requant.per_channel = per_channel ? 1 : 0;
    activation_range(op, o->fused_activation_function(), out, &p.requant.act_min, &p.requant.act_max);
    l.filter = int8_data(filter);
    // Fold the input zero point into the bias:
    //   sum_i w*(x + input_offset) + bias = sum_i w*x + (bias + input_offset * sum_i w)
    // evaluated with int32 wrap-around like the kernel's accumulator.
    const std::vector<int32_t> raw_bias = b ? int32_data(*b) : std::vector<int32_t>(static_cast<std::size_t>(units), 0);
    const int32_t input_offset = -zero_point(in);
    l.bias.resize(static_cast<std::size_t>(units));
    for (int32_t c = 0; c < units; ++c) {
      int64_t sum = 0;
      for (int32_t i = 0; i < depth; ++i) sum += l.filter[static_cast<std::size_t>(c) * depth + i];
      const int64_t folded = static_cast<int64_t>(raw_bias[static_cast<std::size_t>(c)]) + input_offset * sum;
      l.bias[static_cast<std::size_t>(c)] = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(folded)));
    }
    l.has_bias = true;
    l.inputs = {in.index};
    l.output = out.index;
    l.macs = static_cast<uint64_t>(batches) * static_cast<uint64_t>(units) * static_cast<uint64_t>(depth);
    std::ostringstream d;
    d << depth << "->" << units << " " << activation_name(o->fused_activation_function())
      << (per_channel ? " per-channel" : " per-tensor");
    l.detail = d.str();
    return l;
  }

  Layer average_pool(const Operator& op) {
    Layer l = base(op, LayerKind::kAveragePool2D);
    const auto* o = options(op, op.raw->builtin_options_as_Pool2DOptions(), "Pool2DOptions");
    if (op.inputs.size() != 1) refuse(op, "expected 1 input");
    const Tensor& in = activation_input(op, 0);
    const Tensor& out = activation_output(op);
    require_rank(op, in, 4, "input");
    if (static_cast<double>(std::abs(in.scales[0] - out.scales[0])) > 1.0e-6 ||
        zero_point(in) != zero_point(out)) {
      refuse(op, "input and output quantization differ (TFLite requires them equal)");
    }
    const Window wy = window(op, o->padding(), in.shape[1], o->filter_height(), o->stride_h(), 1, "height");
    const Window wx = window(op, o->padding(), in.shape[2], o->filter_width(), o->stride_w(), 1, "width");
    expect_shape(op, out, {in.shape[0], wy.out, wx.out, in.shape[3]});
    // Every window must cover at least one input element.
    for (int32_t y = 0; y < wy.out; ++y) {
      const int32_t y0 = y * o->stride_h() - wy.pad;
      if (std::min(o->filter_height(), in.shape[1] - y0) <= std::max(0, -y0)) refuse(op, "empty pooling window");
    }
    for (int32_t x = 0; x < wx.out; ++x) {
      const int32_t x0 = x * o->stride_w() - wx.pad;
      if (std::min(o->filter_width(), in.shape[2] - x0) <= std::max(0, -x0)) refuse(op, "empty pooling window");
    }
    tp::kernels::AvgPoolParams& p = l.pool;
    p.input = shape4(in);
    p.output = shape4(out);
    p.filter_h = small(op, o->filter_height(), "filter height");
    p.filter_w = small(op, o->filter_width(), "filter width");
    p.stride_h = small(op, o->stride_h(), "stride");
    p.stride_w = small(op, o->stride_w(), "stride");
    p.pad_h = small(op, wy.pad, "padding");
    p.pad_w = small(op, wx.pad, "padding");
    activation_range(op, o->fused_activation_function(), out, &p.act_min, &p.act_max);
    l.inputs = {in.index};
    l.output = out.index;
    std::ostringstream d;
    d << o->filter_height() << "x" << o->filter_width() << " s" << o->stride_h() << "x"
      << o->stride_w() << (o->padding() == 0 ? " SAME" : " VALID") << " "
      << activation_name(o->fused_activation_function());
    l.detail = d.str();
    return l;
  }

  Layer add(const Operator& op) {
    Layer l = base(op, LayerKind::kAdd);
    const auto* o = options(op, op.raw->builtin_options_as_AddOptions(), "AddOptions");
    if (op.inputs.size() != 2) refuse(op, "expected 2 inputs");
    const Tensor& in1 = activation_input(op, 0, "input 1");
    const Tensor& in2 = activation_input(op, 1, "input 2");
    const Tensor& out = activation_output(op);
    if (in1.shape != out.shape || in2.shape != out.shape) {
      refuse(op, "broadcasting (inputs " + in1.shape_string() + " and " + in2.shape_string() +
                     ", output " + out.shape_string() + ") is not supported");
    }
    tp::kernels::AddParams& p = l.add;
    p.size = static_cast<int32_t>(out.elements());
    p.input1_offset = -zero_point(in1);
    p.input2_offset = -zero_point(in2);
    p.output_offset = zero_point(out);
    p.left_shift = 20;
    const float s1 = in1.scales[0], s2 = in2.scales[0];
    const double twice_max_input_scale = 2 * static_cast<double>(std::max(s1, s2));
    const double real_input1_multiplier = static_cast<double>(s1) / twice_max_input_scale;
    const double real_input2_multiplier = static_cast<double>(s2) / twice_max_input_scale;
    const double real_output_multiplier =
        twice_max_input_scale / ((1 << p.left_shift) * static_cast<double>(out.scales[0]));
    int sh = 0;
    if (!quantize_multiplier_smaller_than_one_exp(real_input1_multiplier, &p.input1_multiplier, &sh)) {
      refuse(op, "input 1 rescaling multiplier out of range");
    }
    p.input1_shift = sh;
    if (!quantize_multiplier_smaller_than_one_exp(real_input2_multiplier, &p.input2_multiplier, &sh)) {
      refuse(op, "input 2 rescaling multiplier out of range");
    }
    p.input2_shift = sh;
    if (!quantize_multiplier_smaller_than_one_exp(real_output_multiplier, &p.output_multiplier, &sh)) {
      refuse(op, "output rescaling multiplier out of range (output scale too small "
                 "relative to the inputs)");
    }
    p.output_shift = sh;
    activation_range(op, o->fused_activation_function(), out, &p.act_min, &p.act_max);
    l.inputs = {in1.index, in2.index};
    l.output = out.index;
    l.detail = activation_name(o->fused_activation_function());
    return l;
  }

  Layer softmax(const Operator& op) {
    Layer l = base(op, LayerKind::kSoftmax);
    const auto* o = options(op, op.raw->builtin_options_as_SoftmaxOptions(), "SoftmaxOptions");
    if (op.inputs.size() != 1) refuse(op, "expected 1 input");
    const Tensor& in = activation_input(op, 0);
    const Tensor& out = activation_output(op);
    if (in.shape != out.shape || in.shape.empty()) refuse(op, "input and output shapes differ");
    if (zero_point(out) != -128 || out.scales[0] != 1.0f / 256) {
      refuse(op, "int8 output must have scale 1/256 and zero point -128 (as TFLite requires)");
    }
    const int32_t depth = in.shape.back();
    if (depth > 4095) refuse(op, "softmax over more than 4095 classes is not supported");
    constexpr int kScaledDiffIntegerBits = 5;
    tp::kernels::SoftmaxParams& p = l.softmax;
    p.depth = depth;
    p.outer_size = static_cast<int32_t>(in.elements() / depth);
    int left_shift = 0;
    if (!softmax_scaling(static_cast<double>(o->beta()), static_cast<double>(in.scales[0]),
                         kScaledDiffIntegerBits, &p.input_multiplier, &left_shift)) {
      refuse(op, "beta * input_scale is too small for the int8 softmax");
    }
    p.input_left_shift = left_shift;
    p.diff_min = static_cast<int32_t>(
        -1.0 * softmax_input_radius(kScaledDiffIntegerBits, left_shift));
    l.inputs = {in.index};
    l.output = out.index;
    std::ostringstream d;
    d << "beta " << o->beta();
    l.detail = d.str();
    return l;
  }

  Layer reshape(const Operator& op) {
    Layer l = base(op, LayerKind::kReshape);
    if (op.inputs.empty() || op.inputs.size() > 2) refuse(op, "expected 1 or 2 inputs");
    const Tensor& in = activation_input(op, 0);
    const Tensor& out = activation_output(op);
    if (in.elements() != out.elements()) {
      refuse(op, "input " + in.shape_string() + " and output " + out.shape_string() +
                     " have different element counts");
    }
    l.inputs = {in.index};
    l.output = out.index;
    l.detail = "alias " + in.shape_string() + " -> " + out.shape_string();
    return l;
  }

  const Graph& g_;
  std::set<int> produced_;
};

}  // namespace

void Layer::bind_pointers() {
  const int32_t* b = has_bias ? bias.data() : nullptr;
  tp::kernels::Requant* rq = nullptr;
  switch (kind) {
    case LayerKind::kConv2D:
      conv.filter_data = filter.data();
      conv.bias = b;
      conv.folded_bias = folded_bias.data();
      rq = &conv.requant;
      break;
    case LayerKind::kDepthwiseConv2D:
      depthwise.filter_data = filter.data();
      depthwise.bias = b;
      depthwise.folded_bias = folded_bias.data();
      rq = &depthwise.requant;
      break;
    case LayerKind::kFullyConnected:
      fc.filter_data = filter.data();
      fc.folded_bias = b;
      rq = &fc.requant;
      break;
    default:
      break;
  }
  if (rq) {
    rq->multiplier = multiplier.data();
    rq->shift = shift.data();
  }
}

uint32_t Layer::constant_bytes() const {
  return static_cast<uint32_t>(filter.size() + 4 * bias.size() + 4 * folded_bias.size() +
                               4 * multiplier.size() + 4 * shift.size());
}

std::vector<Layer> lower_graph(const Graph& graph) { return Lowerer(graph).run(); }

namespace {

// v[i] = old v[pi[i]] for each run of `c` entries (positions mod c).
template <typename T>
void permute_runs(std::vector<T>& v, const std::vector<int32_t>& pi, std::size_t run) {
  const std::size_t c = pi.size();
  if (v.size() % (run * c) != 0) throw CompileError("channel order: a vector that is not whole runs");
  const std::vector<T> old = v;
  for (std::size_t b = 0; b < v.size(); b += run * c) {
    for (std::size_t i = 0; i < c; ++i) {
      for (std::size_t r = 0; r < run; ++r) v[b + i * run + r] = old[b + static_cast<std::size_t>(pi[i]) * run + r];
    }
  }
}

// Per-channel vectors of C entries (one entry: per-tensor, left).
template <typename T>
void permute_channels(std::vector<T>& v, const std::vector<int32_t>& pi) {
  if (v.size() == pi.size()) permute_runs(v, pi, 1);
}

// A layer's per-output-channel constants (biases, requantization) in the
// order pi.
void permute_output_constants(Layer& l, const std::vector<int32_t>& pi) {
  permute_channels(l.bias, pi);
  permute_channels(l.folded_bias, pi);
  permute_channels(l.multiplier, pi);
  permute_channels(l.shift, pi);
}

}  // namespace

int group_channels_by_shift(std::vector<Layer>* layers, const Graph& graph) {
  std::vector<Layer>& ls = *layers;
  int changed = 0;
  // The layers reading each tensor.
  std::vector<std::vector<int>> readers(graph.tensors.size());
  for (std::size_t i = 0; i < ls.size(); ++i) {
    for (int t : ls[i].inputs) {
      if (t >= 0 && static_cast<std::size_t>(t) < readers.size()) readers[t].push_back(static_cast<int>(i));
    }
  }
  for (Layer& l : ls) {
    // (a grouped convolution's output channels belong to their groups:
    // never reordered)
    if (l.kind != LayerKind::kConv2D || l.output < 0 || l.conv.filter.c != l.conv.input.c) continue;
    const int32_t c = l.conv.output.c;
    if (c < 8 || c % 4 != 0 || l.shift.size() != static_cast<std::size_t>(c)) continue;
    // The order: each shift value's channels (ascending values, original
    // order within), whole groups of 4 first, the rest at the end.
    std::vector<int32_t> values(l.shift.begin(), l.shift.end());
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    std::vector<int32_t> pi, rest;
    for (int32_t v : values) {
      std::vector<int32_t> idx;
      for (int32_t i = 0; i < c; ++i) {
        if (l.shift[static_cast<std::size_t>(i)] == v) idx.push_back(i);
      }
      const std::size_t whole = idx.size() / 4 * 4;
      pi.insert(pi.end(), idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(whole));
      rest.insert(rest.end(), idx.begin() + static_cast<std::ptrdiff_t>(whole), idx.end());
    }
    pi.insert(pi.end(), rest.begin(), rest.end());
    bool identity = true;
    for (int32_t i = 0; i < c; ++i) identity = identity && pi[static_cast<std::size_t>(i)] == i;
    if (identity) continue;
    // The tensors carrying the new order (the output, through depthwise
    // layers of depth multiplier 1, average pools and reshapes) and their
    // readers that take it in their weights (CONV_2D, FULLY_CONNECTED); any
    // other reader, or the model output among them: the layer keeps its order.
    std::vector<int> carried{l.output}, depthwise, takers;
    bool ok = true;
    for (std::size_t k = 0; k < carried.size() && ok; ++k) {
      const int t = carried[k];
      if (t == graph.output || t == graph.input) {
        ok = false;
        break;
      }
      for (int r : readers[static_cast<std::size_t>(t)]) {
        Layer& q = ls[static_cast<std::size_t>(r)];
        if (q.inputs.size() != 1) {
          ok = false;
        } else if (q.kind == LayerKind::kDepthwiseConv2D && q.depthwise.depth_multiplier == 1 &&
                   q.depthwise.output.c == c) {
          depthwise.push_back(r);
          carried.push_back(q.output);
        } else if (q.kind == LayerKind::kAveragePool2D && q.pool.output.c == c) {
          carried.push_back(q.output);
        } else if (q.kind == LayerKind::kReshape) {
          carried.push_back(q.output);
        } else if (q.kind == LayerKind::kConv2D && q.conv.input.c == c && q.conv.filter.c == c) {
          takers.push_back(r);
        } else if (q.kind == LayerKind::kFullyConnected && q.fc.input_depth % c == 0) {
          takers.push_back(r);
        } else {
          ok = false;
        }
      }
    }
    if (!ok) continue;
    // The producer: its output channels (filter rows, biases, requantization).
    permute_runs(l.filter, pi, l.filter.size() / static_cast<std::size_t>(c));
    permute_output_constants(l, pi);
    // Depthwise layers: their channels (filter [1][kh][kw][C]: runs of 1).
    for (int r : depthwise) {
      Layer& q = ls[static_cast<std::size_t>(r)];
      permute_runs(q.filter, pi, 1);
      permute_output_constants(q, pi);
    }
    // Readers through their weights: the input positions mod C of each
    // filter row (CONV_2D [O][kh][kw][C], FULLY_CONNECTED [O][K]).
    for (int r : takers) permute_runs(ls[static_cast<std::size_t>(r)].filter, pi, 1);
    ++changed;
  }
  return changed;
}

}  // namespace tp::compiler
