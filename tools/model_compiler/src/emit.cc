#include "emit.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>

#include "error.h"

namespace tp::compiler {
namespace {

std::string with_commas(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Exact float literal (hex float, C++17).
std::string float_literal(float f) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%af", static_cast<double>(f));
  return buf;
}

std::string float_decimal(float f) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(f));
  return buf;
}

// zero_tail: that many more elements, 0 (the initializer leaves them out).
template <typename T>
void emit_array(std::ostringstream& o, const char* type, const std::string& name,
                const std::vector<T>& values, bool align16, std::size_t zero_tail = 0) {
  o << (align16 ? "alignas(16) " : "") << "const " << type << " " << name << "["
    << values.size() + zero_tail << "] = {\n";
  std::size_t width = 1;
  o << ' ';
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string number = std::to_string(static_cast<int64_t>(values[i]));
    if (width + number.size() + 2 > 100) {
      o << "\n ";
      width = 1;
    }
    o << ' ' << number << ',';
    width += number.size() + 2;
  }
  o << "\n";
  o << "};\n";
}

std::string shape4(const tp::kernels::Shape4& s) {
  std::ostringstream o;
  o << "{" << s.n << ", " << s.h << ", " << s.w << ", " << s.c << "}";
  return o.str();
}

std::string requant(const tp::kernels::Requant& r, const std::string& mult,
                    const std::string& shift) {
  std::ostringstream o;
  o << "{" << mult << ", " << shift << ", " << r.output_offset << ", " << r.act_min << ", "
    << r.act_max << ", " << static_cast<int>(r.per_channel)
    << "},  // requant: multiplier, shift, out zp, act min/max, per_channel";
  return o.str();
}

std::string tensor_desc(const CompiledModel& m, int index) {
  const Tensor& t = m.graph.tensors[static_cast<std::size_t>(index)];
  const TensorPlacement& p = m.plan.tensors[static_cast<std::size_t>(index)];
  if (t.shape.size() > 4) {
    throw CompileError(m.graph.source_file + ": " + t.describe() +
                       " has rank " + std::to_string(t.shape.size()) +
                       "; model inputs and outputs may have at most 4 dimensions");
  }
  std::ostringstream o;
  o << "{" << p.offset << ", " << t.elements() << ", " << float_literal(t.scales[0]) << ", "
    << (t.zero_points.empty() ? 0 : t.zero_points[0]) << ", " << t.shape.size() << ", {";
  for (std::size_t i = 0; i < 4; ++i) {
    o << (i ? ", " : "") << (i < t.shape.size() ? t.shape[i] : 0);
  }
  o << "}}";
  return o.str();
}

const char* kind_header(LayerKind k) {
  switch (k) {
    case LayerKind::kConv2D: return "ConvParams";
    case LayerKind::kDepthwiseConv2D: return "DepthwiseConvParams";
    case LayerKind::kFullyConnected: return "FullyConnectedParams";
    case LayerKind::kAveragePool2D: return "AvgPoolParams";
    case LayerKind::kAdd: return "AddParams";
    case LayerKind::kSoftmax: return "SoftmaxParams";
    case LayerKind::kReshape: return "";
  }
  return "";
}

std::string tensor_name(const CompiledModel&, int t) { return "tensor #" + std::to_string(t); }

uint32_t row_bytes(const tp::kernels::Shape4& s) { return static_cast<uint32_t>(s.w * s.c); }

tp::kernels::Shape4 output_shape(const Layer& l) {
  switch (l.kind) {
    case LayerKind::kConv2D: return l.conv.output;
    case LayerKind::kDepthwiseConv2D: return l.depthwise.output;
    default: return l.pool.output;
  }
}

// How the planner runs the layers that do not simply run whole.
// Whether an in-place layer's one call writes its output over part of its
// input (a backend's alias_step contract), not beside it.
bool output_over_input(const CompiledModel& m, const Layer& l, const LayerExec& e) {
  return e.mode == ExecMode::kInPlace && e.bands == 1 &&
         std::abs(static_cast<int64_t>(e.shift)) < m.graph.tensors[static_cast<std::size_t>(l.inputs[0])].elements();
}

std::string execution_text(const CompiledModel& m) {
  std::ostringstream o;
  std::ostringstream lines;
  for (std::size_t i = 0; i < m.exec.size(); ++i) {
    const LayerExec& e = m.exec[i];
    const Layer& l = m.layers[i];
    const std::string saves =
        e.arena_without > m.plan.arena_bytes
            ? " Without it: arena " + with_commas(e.arena_without) + " B."
            : "";
    switch (e.mode) {
      case ExecMode::kWhole:
      case ExecMode::kAlias:
      case ExecMode::kFusedIntoConv:
        break;
      case ExecMode::kInPlace: {
        const uint32_t rows = row_bytes(output_shape(l));
        if (e.bands == 1) {
          lines << "  #" << i << " " << l.op_name << " one whole call, its output ";
          if (e.shift == 0) {
            lines << "written over its input " << tensor_name(m, l.inputs[0]);
          } else {
            lines << "placed " << std::abs(e.shift) << " B " << (e.shift < 0 ? "below" : "above")
                  << " its input " << tensor_name(m, l.inputs[0]) << " in the same buffer";
          }
          lines << " (the input dies here";
          if (output_over_input(m, l, e)) {
            lines << "; the " << m.backend << " kernel reads each input byte before its output covers it";
          }
          lines << ")." << saves << "\n";
          break;
        }
        lines << "  #" << i << " " << l.op_name << " in place: " << e.bands << " band"
              << (e.bands == 1 ? "" : "s") << " of " << e.band_rows << " output row"
              << (e.band_rows == 1 ? "" : "s") << " (" << with_commas(rows * static_cast<uint32_t>(e.band_rows))
              << " B), " << (e.bottom_up ? "bottom-up" : "top-down") << "; its input "
              << tensor_name(m, l.inputs[0]) << " dies here, so the output is written into the same buffer "
              << std::abs(e.shift) << " B " << (e.shift < 0 ? "below" : "above")
              << " it, each band over input rows no later band reads." << saves << "\n";
        break;
      }
      case ExecMode::kFeedsFused: {
        const LayerExec& f = m.exec[static_cast<std::size_t>(e.partner)];
        lines << "  #" << i << " " << l.op_name << " feeds #" << e.partner << " band by band: before each of its "
              << f.bands << " bands, this layer computes the rows it lacks into a " << with_commas(e.temp_bytes)
              << " B window (rows shared with the previous band move to the front): its output "
              << tensor_name(m, l.output) << " never exists whole either." << saves << "\n";
        break;
      }
      case ExecMode::kFusedAdd: {
        const Layer& add = m.layers[static_cast<std::size_t>(e.partner)];
        const int x = add.inputs[static_cast<std::size_t>(1 - e.operand)];
        lines << "  #" << i << " " << l.op_name << " + #" << e.partner << " ADD fused: " << e.bands
              << " band" << (e.bands == 1 ? "" : "s") << " of " << e.band_rows << " output row"
              << (e.band_rows == 1 ? "" : "s") << " into a " << with_commas(e.temp_bytes)
              << " B temporary, each band added at once into the same rows of the other operand "
              << tensor_name(m, x) << ", which becomes the ADD output (it dies there): the conv output "
              << tensor_name(m, l.output) << " never exists whole." << saves << "\n";
        break;
      }
      case ExecMode::kAddInPlace:
        lines << "  #" << i << " ADD in place: writes over its input "
              << tensor_name(m, l.inputs[static_cast<std::size_t>(e.operand)])
              << " (element-wise, same index), which dies here." << saves << "\n";
        break;
    }
  }
  const std::string text = lines.str();
  o << "execution: " << (text.empty() ? "every layer runs whole (one call on whole tensors)\n"
                                       : "the other layers run whole\n" + text);
  return o.str();
}

std::string param_name(int layer, int variant) {
  return "kLayer" + std::to_string(layer) + (variant < 0 ? "" : "Band" + std::to_string(variant));
}

std::string offset_expr(const Access& a) {
  std::ostringstream o;
  o << a.offset << "u";
  if (a.step > 0) o << " + " << a.step << "u * i";
  if (a.step < 0) o << " - " << -static_cast<int64_t>(a.step) << "u * i";
  return o.str();
}

std::string arena_ptr(const Access& a) { return "arena_s8(arena, " + offset_expr(a) + ")"; }

// A C++ string literal with the text: printable (printable_text), then '"',
// backslash and '?' (no trigraph can form) escaped.
std::string string_literal(const std::string& text) {
  std::string out = "\"";
  for (char c : printable_text(text, 4096)) {
    if (c == '"' || c == '\\' || c == '?') out += '\\';
    out += c;
  }
  return out + "\"";
}

// One // comment line: no byte a compiler could read as the end of the
// comment or a line splice (CR, LF, backslash, anything not printable).
std::string comment_line(const std::string& text) { return "// " + printable_text(text, 4096); }

// emit_model_source's parts, in the order they appear in the file.

// The summary as comments, the includes, the opening of the anonymous namespace.
void emit_preamble(std::ostringstream& o, const CompiledModel& m) {
  o << comment_line("Generated by tinyperf-compile from " + m.graph.source_file + ". Do not edit.") << "\n//\n";
  {
    std::istringstream s(summary_text(m));
    std::string line;
    while (std::getline(s, line)) o << comment_line(line) << "\n";
  }
  o << "\n#include <cstdint>\n\n"
       "#include \"tinyperf/engine/kernels.h\"\n"
       "#include \"tinyperf/engine/model.h\"\n"
       "#include \"tinyperf/engine/runtime.h\"\n\n"
       "namespace {\n\nnamespace k = tp::kernels;\n";
}

// One constexpr parameter struct per layer variant the program calls (the
// layer's own and its band variants), each under a comment on the layer.
void emit_parameters(std::ostringstream& o, const CompiledModel& m) {
  // Parameter structs the program uses: the layer's own (variant -1) and
  // its band variants.
  std::set<std::pair<int, int>> used;
  for (const Block& b : m.program) {
    for (const Call& c : b.calls) used.insert({c.layer, c.variant});
  }

  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const Layer& l = m.layers[i];
    const LayerExec& e = m.exec[i];
    o << "\n" << comment_line("---- layer " + std::to_string(i) + ": " + l.op_name + " " + l.detail) << "\n";
    if (e.mode == ExecMode::kInPlace && e.bands == 1) {
      o << "// one call, output beside its input in the same buffer\n";
    } else if (e.mode != ExecMode::kWhole && e.mode != ExecMode::kAlias) {
      o << "// " << exec_mode_name(e.mode);
      if (e.mode == ExecMode::kFusedAdd) o << " #" << e.partner;
      if (e.mode == ExecMode::kFusedIntoConv) o << " #" << e.partner << " (runs there)";
      if (e.mode == ExecMode::kFeedsFused) o << " #" << e.partner;
      if (e.mode == ExecMode::kInPlace || e.mode == ExecMode::kFusedAdd || e.mode == ExecMode::kFeedsFused) {
        o << ": " << e.bands << " bands of " << e.band_rows << " output rows";
      }
      o << "\n";
    }
    if (l.kind == LayerKind::kReshape) continue;
    const std::string n = std::to_string(i);
    const std::string filter = "kFilter" + n, bias = "kBias" + n, mult = "kMultiplier" + n,
                      shift = "kShift" + n;
    if (!l.filter.empty()) {
      // Zero bytes after the filter where the backend's kernels read past it
      // (ScratchNeed::filter_read_past; not counted as weights).
      emit_array(o, "int8_t", filter, l.filter, true, backend_scratch_need(m.backend, l).filter_read_past);
    }
    if (l.has_bias) emit_array(o, "int32_t", bias, l.bias, true);
    const std::string folded = "kFoldedBias" + n;
    if (!l.folded_bias.empty()) emit_array(o, "int32_t", folded, l.folded_bias, true);
    if (!l.multiplier.empty()) {
      emit_array(o, "int32_t", mult, l.multiplier, false);
      emit_array(o, "int32_t", shift, l.shift, false);
    }
    const std::string bias_ptr = l.has_bias ? bias : "nullptr";
    for (int v = -1; v < static_cast<int>(l.bands.size()); ++v) {
      if (!used.count({static_cast<int>(i), v})) continue;
      o << "constexpr k::" << kind_header(l.kind) << " " << param_name(static_cast<int>(i), v) << " = {";
      if (v >= 0) o << "  // band variant";
      o << "\n";
      switch (l.kind) {
        case LayerKind::kConv2D: {
          const auto p = l.conv_band(v);
          o << "    " << shape4(p.input) << ",  // input\n"
            << "    " << shape4(p.filter) << ",  // filter (OHWI)\n"
            << "    " << shape4(p.output) << ",  // output\n"
            << "    " << p.input_offset << ",  // input_offset\n"
            << "    " << p.stride_h << ", " << p.stride_w << ", " << p.dilation_h << ", "
            << p.dilation_w << ", " << p.pad_h << ", " << p.pad_w
            << ",  // stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w\n"
            << "    " << filter << ", " << bias_ptr << ",\n"
            << "    " << requant(p.requant, mult, shift) << ",\n"
            << "    " << folded << ",  // folded_bias\n"
            << "    " << p.filter_layout << ",  // filter_layout\n";
          break;
        }
        case LayerKind::kDepthwiseConv2D: {
          const auto p = l.depthwise_band(v);
          o << "    " << shape4(p.input) << ",  // input\n"
            << "    " << shape4(p.filter) << ",  // filter (1HWC)\n"
            << "    " << shape4(p.output) << ",  // output\n"
            << "    " << p.input_offset << ",  // input_offset\n"
            << "    " << p.stride_h << ", " << p.stride_w << ", " << p.dilation_h << ", "
            << p.dilation_w << ", " << p.pad_h << ", " << p.pad_w << ", " << p.depth_multiplier
            << ",  // stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w, depth_multiplier\n"
            << "    " << filter << ", " << bias_ptr << ",\n"
            << "    " << requant(p.requant, mult, shift) << ",\n"
            << "    " << folded << ",  // folded_bias\n";
          break;
        }
        case LayerKind::kFullyConnected: {
          const auto& p = l.fc;
          o << "    " << p.batches << ", " << p.input_depth << ", " << p.output_depth
            << ",  // batches, input_depth, output_depth\n"
            << "    " << filter << ", " << bias << ",  // filter, folded_bias\n"
            << "    " << requant(p.requant, mult, shift) << "\n"
            << "    " << p.filter_layout << ",  // filter_layout\n";
          break;
        }
        case LayerKind::kAveragePool2D: {
          const auto p = l.pool_band(v);
          o << "    " << shape4(p.input) << ",  // input\n"
            << "    " << shape4(p.output) << ",  // output\n"
            << "    " << p.filter_h << ", " << p.filter_w << ", " << p.stride_h << ", " << p.stride_w
            << ", " << p.pad_h << ", " << p.pad_w
            << ",  // filter_h, filter_w, stride_h, stride_w, pad_h, pad_w\n"
            << "    " << p.act_min << ", " << p.act_max << ",  // act_min, act_max\n";
          break;
        }
        case LayerKind::kAdd: {
          const auto p = l.add_band(v);
          o << "    " << p.size << ",  // size\n"
            << "    " << p.input1_offset << ", " << p.input2_offset << ", " << p.left_shift
            << ",  // input1_offset, input2_offset, left_shift\n"
            << "    " << p.input1_multiplier << ", " << p.input1_shift << ", "
            << p.input2_multiplier << ", " << p.input2_shift << ", " << p.output_multiplier << ", "
            << p.output_shift << ",  // multipliers and shifts: input1, input2, output\n"
            << "    " << p.output_offset << ", " << p.act_min << ", " << p.act_max
            << ",  // output_offset, act_min, act_max\n";
          break;
        }
        case LayerKind::kSoftmax: {
          const auto& p = l.softmax;
          o << "    " << p.outer_size << ", " << p.depth << ", " << p.input_multiplier << ", "
            << p.input_left_shift << ", " << p.diff_min
            << ",  // outer_size, depth, input_multiplier, input_left_shift, diff_min\n";
          break;
        }
        case LayerKind::kReshape:
          break;
      }
      o << "};\n";
    }
  }
}

// One kernel call (or copy) of the program, as a C++ statement.
std::string call_text(const CompiledModel& m, const Call& c) {
  const Layer& l = m.layers[static_cast<std::size_t>(c.layer)];
  std::ostringstream s;
  if (c.copy) {
    s << "copy_forward(arena, " << offset_expr(c.write) << ", " << offset_expr(c.reads[0]) << ", "
      << c.write.bytes << "u);";
    return s.str();
  }
  const std::string p = param_name(c.layer, c.variant);
  switch (l.kind) {
    case LayerKind::kConv2D: s << "k::conv2d_s8(" << p; break;
    case LayerKind::kDepthwiseConv2D: s << "k::depthwise_conv2d_s8(" << p; break;
    case LayerKind::kFullyConnected: s << "k::fully_connected_s8(" << p; break;
    case LayerKind::kAveragePool2D: s << "k::avg_pool2d_s8(" << p; break;
    case LayerKind::kAdd: s << "k::add_s8(" << p; break;
    case LayerKind::kSoftmax: s << "k::softmax_s8(" << p; break;
    case LayerKind::kReshape: break;
  }
  for (const Access& a : c.reads) s << ", " << arena_ptr(a);
  s << ", " << arena_ptr(c.write) << ", scratch);";
  return s.str();
}

// "rows a-b" of a banded call's output (first iteration; of the last
// kernel call before an ADD, i.e. the fused conv in a pipeline).
std::string rows_text(const CompiledModel& m, const Block& b) {
  std::size_t k = 0;
  for (std::size_t j = 0; j < b.calls.size(); ++j) {
    const LayerKind kind = m.layers[static_cast<std::size_t>(b.calls[j].layer)].kind;
    if (!b.calls[j].copy && kind != LayerKind::kAdd) k = j;
  }
  const Call& c = b.calls[k];
  const Layer& l = m.layers[static_cast<std::size_t>(c.layer)];
  const uint32_t row = row_bytes(output_shape(l));
  const uint32_t r0 = c.write.tensor_offset / row;
  const uint32_t rows = c.write.bytes / row;
  std::ostringstream s;
  if (b.count == 1) {
    s << "output rows " << r0 << "-" << r0 + rows - 1;
  } else {
    const int32_t d = c.write.tensor_step / static_cast<int32_t>(row);
    const int64_t last0 = static_cast<int64_t>(r0) + static_cast<int64_t>(d) * (b.count - 1);
    s << b.count << " bands of " << rows << " output rows, rows " << r0 << "-" << r0 + rows - 1
      << " to " << last0 << "-" << last0 + rows - 1;
  }
  return s.str();
}

// run(): the program, layer by layer, with the scratch of each step.
void emit_run(std::ostringstream& o, const CompiledModel& m) {
  o << "\nvoid run(uint8_t* arena, const tp::engine::LayerProbe* probe) {\n"
       "  using tp::engine::arena_s8;\n"
       "  using tp::engine::probe_layer;\n"
       "  k::Scratch scratch;  // the kernels' scratch for the layer running (planned in the arena)\n";
  bool copies = false;
  for (const Block& b : m.program) {
    for (const Call& c : b.calls) copies = copies || c.copy;
  }
  if (copies) o << "  using tp::engine::copy_forward;\n";
  std::size_t next_block = 0;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const Layer& l = m.layers[i];
    const LayerExec& e = m.exec[i];
    o << "  probe_layer(probe, " << i << ");\n";
    if (e.mode == ExecMode::kAlias) {
      o << "  // RESHAPE: output aliases the input at offset "
        << m.plan.tensors[static_cast<std::size_t>(l.output)].offset << "\n";
    } else if (e.mode == ExecMode::kFusedIntoConv) {
      o << "  // ADD: run band by band with layer " << e.partner << " above\n";
    } else if (e.mode == ExecMode::kInPlace && e.bands == 1) {
      o << "  // output placed " << std::abs(e.shift) << " B " << (e.shift < 0 ? "below" : "above")
        << " the input, in the same buffer"
        << (output_over_input(m, l, e) ? " (overlapping it: the backend's kernel allows it, scratch_need.h)" : "")
        << "\n";
    } else if (e.mode == ExecMode::kInPlace) {
      o << "  // in place, " << (e.bottom_up ? "bottom-up" : "top-down") << "; output "
        << std::abs(e.shift) << " B " << (e.shift < 0 ? "below" : "above") << " the input\n";
    } else if (e.mode == ExecMode::kFusedAdd && e.feeder >= 0) {
      o << "  // runs band by band with layer " << e.feeder << " above\n";
    } else if (e.mode == ExecMode::kFusedAdd) {
      o << "  // fused with ADD layer " << e.partner << ": bands into the temporary at "
        << m.plan.buffers[static_cast<std::size_t>(e.temp_buffer)].offset
        << ", each added into the other operand\n";
    } else if (e.mode == ExecMode::kFeedsFused) {
      const LayerExec& f = m.exec[static_cast<std::size_t>(e.partner)];
      o << "  // layers " << i << ", " << e.partner << " and " << f.partner
        << " (ADD) band by band: this layer's rows into the window at "
        << m.plan.buffers[static_cast<std::size_t>(e.temp_buffer)].offset << ", layer " << e.partner
        << "'s band into the temporary at " << m.plan.buffers[static_cast<std::size_t>(f.temp_buffer)].offset
        << ", added into the other operand\n";
    } else if (e.mode == ExecMode::kAddInPlace) {
      o << "  // ADD in place: output over input " << e.operand + 1 << "\n";
    }
    // The kernels' scratch for the calls of this step (set before every
    // step that runs kernels once any step has some, so that no kernel
    // sees a range planned for another layer), passed with every call.
    if (!m.plan.scratch.empty() && e.step == static_cast<int>(i) && e.mode != ExecMode::kAlias) {
      const MemoryPlan::Scratch& sc = m.plan.scratch[i];
      if (sc.bytes == 0) {
        o << "  scratch = {};\n";
      } else {
        o << "  scratch = {arena + " << sc.offset << "u, " << sc.bytes << "u};"
          << (sc.over_input ? "  // over the input, which dies here" : "") << "\n";
      }
    }
    for (; next_block < m.program.size() && m.program[next_block].layer == static_cast<int>(i);
         ++next_block) {
      const Block& b = m.program[next_block];
      if (b.calls.empty()) continue;
      const bool banded =
          (e.mode == ExecMode::kInPlace || e.mode == ExecMode::kFusedAdd || e.mode == ExecMode::kFeedsFused) &&
          e.bands > 1;
      if (b.count == 1) {
        if (banded) o << "  // " << rows_text(m, b) << "\n";
        for (const Call& c : b.calls) o << "  " << call_text(m, c) << "\n";
      } else {
        o << "  // " << rows_text(m, b) << "\n";
        o << "  for (uint32_t i = 0; i < " << b.count << "u; ++i) {\n";
        for (const Call& c : b.calls) o << "    " << call_text(m, c) << "\n";
        o << "  }\n";
      }
    }
  }
  o << "  probe_layer(probe, " << m.layers.size() << ");\n}\n\n";
}

// The layer tables and the model's description (tp::models::<id>).
void emit_description(std::ostringstream& o, const CompiledModel& m) {
  o << "const char* const kLayerNames[" << m.layers.size() << "] = {";
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    o << (i % 4 == 0 ? "\n    " : " ") << string_literal(m.layers[i].op_name) << ",";
  }
  o << "\n};\n\nconst uint64_t kLayerMacs[" << m.layers.size() << "] = {";
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    o << (i % 6 == 0 ? "\n    " : " ") << m.layers[i].macs << "u,";
  }
  o << "\n};\n\n}  // namespace\n\n";

  o << "namespace tp::models {\n\n"
    << "extern const tp::engine::ModelDesc " << m.id << ";\n"
    << "const tp::engine::ModelDesc " << m.id << " = {\n"
    << "    \"" << m.id << "\",  // id\n"
    << "    " << string_literal(m.graph.source_file) << ",  // source_file\n"
    << "    " << string_literal(m.backend) << ",  // kernel_backend\n"
    << "    " << m.plan.arena_bytes << "u,  // arena_bytes\n"
    << "    " << tensor_desc(m, m.graph.input) << ",  // input\n"
    << "    " << tensor_desc(m, m.graph.output) << ",  // output\n"
    << "    " << m.macs << "u,  // macs\n"
    << "    " << m.weight_bytes << "u,  // weight_bytes\n"
    << "    " << m.layers.size() << "u,  // layer_count\n"
    << "    kLayerNames,\n"
    << "    kLayerMacs,\n"
    << "    &run,\n"
    << "};\n\n}  // namespace tp::models\n";
}

}  // namespace

bool valid_model_id(const std::string& id) {
  if (id.empty() || (id[0] >= '0' && id[0] <= '9')) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string one_line_summary(const CompiledModel& m) {
  std::ostringstream o;
  o << m.id << ": " << m.layers.size() << " layers, " << with_commas(m.macs)
    << " MACs, arena " << with_commas(m.plan.arena_bytes) << " B, weights "
    << with_commas(m.weight_bytes) << " B (" << m.graph.source_file << ")";
  // Which 1x1 convolutions got the arm_dsp int16 weights and which the
  // board's flash limit kept int8 (PlanOptions::conv_int16_max_weights).
  auto list = [&](const std::vector<int>& v) {
    std::ostringstream s;
    for (std::size_t j = 0; j < v.size(); ++j) s << (j == 0 ? "" : " ") << v[j];
    return s.str();
  };
  if (!m.int16_layers.empty() || !m.int8_by_limit.empty()) {
    o << "; int16 1x1 weights (limit " << with_commas(static_cast<uint64_t>(m.conv_int16_max_weights))
      << " B a layer): layers " << (m.int16_layers.empty() ? "none" : list(m.int16_layers));
    if (!m.int8_by_limit.empty()) o << "; kept int8 by the limit: layers " << list(m.int8_by_limit);
  }
  return o.str();
}

std::string summary_text(const CompiledModel& m) {
  std::ostringstream o;
  auto tensor_line = [&](const char* role, int idx) {
    const Tensor& t = m.graph.tensors[static_cast<std::size_t>(idx)];
    o << role << t.describe() << " " << tensor_type_name(t.type) << " " << t.shape_string()
      << " scale " << float_decimal(t.scales.empty() ? 0.0f : t.scales[0]) << " zero_point "
      << (t.zero_points.empty() ? 0 : t.zero_points[0]) << " (arena offset "
      << m.plan.tensors[static_cast<std::size_t>(idx)].offset << ")\n";
  };
  o << "model:  " << printable_text(m.graph.source_path, 4096) << (m.id.empty() ? "" : " (id " + m.id + ")") << "\n";
  tensor_line("input:  ", m.graph.input);
  tensor_line("output: ", m.graph.output);
  o << "layers: " << m.layers.size() << "\n";
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %3s  %-18s %-16s %10s %8s %8s  %s\n", "#", "op", "output",
                "MACs", "weights", "offset", "detail");
  o << buf;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const Layer& l = m.layers[i];
    const Tensor& out = m.graph.tensors[static_cast<std::size_t>(l.output)];
    const TensorPlacement& p = m.plan.tensors[static_cast<std::size_t>(l.output)];
    std::string detail = l.detail;
    if (i < m.exec.size() && m.exec[i].mode != ExecMode::kWhole && m.exec[i].mode != ExecMode::kAlias) {
      const bool beside = m.exec[i].mode == ExecMode::kInPlace && m.exec[i].bands == 1;
      const bool over = output_over_input(m, l, m.exec[i]);
      detail += "; " + std::string(over     ? "output over its input"
                                   : beside ? "output beside its input"
                                            : exec_mode_name(m.exec[i].mode));
    }
    std::snprintf(buf, sizeof buf, "  %3zu  %-18s %-16s %10s %8s %8s  %s\n", i, l.op_name.c_str(),
                  out.shape_string().c_str(), with_commas(l.macs).c_str(),
                  with_commas(l.constant_bytes()).c_str(),
                  p.in_arena ? std::to_string(p.offset).c_str() : "-", detail.c_str());
    o << buf;
  }
  uint64_t filters = 0, biases = 0, requant_bytes = 0;
  for (const Layer& l : m.layers) {
    filters += l.filter.size();
    biases += 4 * l.bias.size();
    requant_bytes += 4 * (l.multiplier.size() + l.shift.size());
  }
  o << "MACs:   " << with_commas(m.macs) << "\n";
  o << "weights (flash): " << with_commas(m.weight_bytes) << " B (filters "
    << with_commas(filters) << ", biases " << with_commas(biases) << ", requantization "
    << with_commas(requant_bytes) << ")\n";
  o << execution_text(m);
  o << "arena:  " << with_commas(m.plan.arena_bytes) << " B (" << m.plan.buffers.size()
    << " buffers, 16-byte aligned; peak of simultaneously live buffers "
    << with_commas(m.plan.live_peak_bytes) << " B; " << with_commas(m.arena_whole)
    << " B with every layer run whole)\n";
  o << "buffers:\n";
  std::snprintf(buf, sizeof buf, "  %8s %8s  %-7s  %s\n", "offset", "bytes", "steps", "contents");
  o << buf;
  for (const MemoryPlan::Buffer& b : m.plan.buffers) {
    std::string what;
    if (b.temp_of_layer >= 0) {
      what = "temporary of layer " + std::to_string(b.temp_of_layer);
    } else if (b.scratch_of_step >= 0) {
      what = "kernel scratch of layer " + std::to_string(b.scratch_of_step);
    } else {
      std::ostringstream w;
      w << "tensors";
      for (std::size_t k = 0; k < b.tensors.size(); ++k) {
        const int t = b.tensors[k];
        const TensorPlacement& p = m.plan.tensors[static_cast<std::size_t>(t)];
        w << (k ? ", #" : " #") << t;
        if (p.offset != b.offset) w << " at +" << p.offset - b.offset;
      }
      what = w.str();
    }
    const std::string steps = std::to_string(b.first) + "-" + std::to_string(b.last);
    std::snprintf(buf, sizeof buf, "  %8u %8s  %-7s  ", b.offset, with_commas(b.bytes).c_str(),
                  steps.c_str());
    o << buf << what << "\n";
  }
  return o.str();
}

std::string emit_model_source(const CompiledModel& m) {
  if (!valid_model_id(m.id)) {
    throw CompileError("invalid model id '" + m.id + "' (must be a C++ identifier)");
  }
  std::ostringstream o;
  emit_preamble(o, m);
  emit_parameters(o, m);
  emit_run(o, m);
  emit_description(o, m);
  return o.str();
}

std::string emit_registry_header(const std::vector<RegistryEntry>& models) {
  uint32_t max_arena = 0;
  for (const RegistryEntry& e : models) max_arena = std::max(max_arena, e.arena_bytes);
  std::ostringstream o;
  o << "// Generated by tinyperf-compile. Do not edit.\n"
       "// The models compiled into this build.\n"
       "#pragma once\n\n"
       "#include <cstddef>\n\n"
       "#include \"tinyperf/engine/model.h\"\n\n";
  for (const RegistryEntry& e : models) {
    std::string upper;
    for (char c : e.id) upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    o << "#define TINYPERF_HAS_MODEL_" << upper << " 1\n";
  }
  o << "\nnamespace tp::models {\n\n";
  for (const RegistryEntry& e : models) {
    o << "extern const tp::engine::ModelDesc " << e.id << ";  // arena " << e.arena_bytes
      << " B\n";
  }
  // Each model's arena as a constant, for code that gives one model its own
  // static arena (the sww01 streaming pipeline).
  o << "\nnamespace arena_bytes {\n";
  for (const RegistryEntry& e : models) {
    o << "constexpr std::size_t " << e.id << " = " << e.arena_bytes << ";\n";
  }
  o << "}  // namespace arena_bytes\n";
  o << "\n// Every model in this build, in a fixed order.\n"
       "extern const tp::engine::ModelDesc* const kAll[];\n"
       "extern const std::size_t kCount;\n\n"
       "// Largest arena_bytes over kAll (size of a shared static arena).\n"
       "constexpr std::size_t kMaxArenaBytes = "
    << max_arena
    << ";\n\n"
       "// The model with that id, or nullptr.\n"
       "const tp::engine::ModelDesc* find(const char* id);\n\n"
       "}  // namespace tp::models\n";
  return o.str();
}

std::string emit_registry_source(const std::vector<RegistryEntry>& models) {
  std::ostringstream o;
  o << "// Generated by tinyperf-compile. Do not edit.\n"
       "#include \"tinyperf/models/registry.h\"\n\n"
       "#include <cstring>\n\n"
       "namespace tp::models {\n\n"
       "const tp::engine::ModelDesc* const kAll[] = {";
  for (std::size_t i = 0; i < models.size(); ++i) o << (i ? ", " : "") << "&" << models[i].id;
  if (models.empty()) o << "nullptr";
  o << "};\n"
    << "const std::size_t kCount = " << models.size() << ";\n\n"
    << "const tp::engine::ModelDesc* find(const char* id) {\n"
       "  if (id == nullptr) return nullptr;\n"
       "  for (std::size_t i = 0; i < kCount; ++i) {\n"
       "    if (std::strcmp(kAll[i]->id, id) == 0) return kAll[i];\n"
       "  }\n"
       "  return nullptr;\n"
       "}\n\n"
       "}  // namespace tp::models\n";
  return o.str();
}

}  // namespace tp::compiler
