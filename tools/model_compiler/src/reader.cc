// .tflite reading: file -> verified flatbuffer -> Graph.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "error.h"
#include "graph.h"
#include "tflite_subset_generated.h"

namespace tp::compiler {
namespace {

struct OpName {
  int code;
  const char* name;
};

constexpr OpName kOpNames[] = {
#include "builtin_op_names.inc"
};

[[noreturn]] void fail(const std::string& file, const std::string& msg) {
  throw CompileError(file + ": " + msg);
}

}  // namespace

const char* tensor_type_name(int type) {
  static const char* const kNames[] = {
      "FLOAT32", "FLOAT16", "INT32",     "UINT8",  "INT64",   "STRING",
      "BOOL",    "INT16",   "COMPLEX64", "INT8",   "FLOAT64", "COMPLEX128",
      "UINT64",  "RESOURCE", "VARIANT",  "UINT32", "UINT16",  "INT4",
      "BFLOAT16", "INT2",   "UINT4",     "FLOAT8_E4M3FN", "FLOAT8_E5M2"};
  if (type >= 0 && type < static_cast<int>(std::size(kNames))) return kNames[type];
  return "UNKNOWN_TYPE";
}

const char* builtin_op_name(int code) {
  for (const OpName& n : kOpNames) {
    if (n.code == code) return n.name;
  }
  return "UNKNOWN_OP";
}

int64_t Tensor::elements() const {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

std::string Tensor::shape_string() const {
  std::ostringstream s;
  s << '[';
  for (std::size_t i = 0; i < shape.size(); ++i) s << (i ? "," : "") << shape[i];
  s << ']';
  return s.str();
}

std::string printable_text(const std::string& text, std::size_t max_bytes) {
  std::string out;
  const bool cut = text.size() > max_bytes;
  const std::size_t n = cut ? (max_bytes > 3 ? max_bytes - 3 : 0) : text.size();
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool comment_end = c == '/' && !out.empty() && out.back() == '*';
    char safe = (c < 0x20 || c > 0x7E || c == '\\' || comment_end) ? '?' : static_cast<char>(c);
    if (safe == '?' && !out.empty() && out.back() == '?') safe = '_';  // no "??": no trigraph
    out += safe;
  }
  if (cut) out += "...";
  return out;
}

std::string Tensor::describe() const {
  return "tensor #" + std::to_string(index) + " '" + printable_text(name) + "'";
}

std::string Operator::describe() const {
  return "operator #" + std::to_string(index) + " (" + name + ")";
}

Graph read_tflite_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CompileError(path + ": cannot open file");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) throw CompileError(path + ": read error");
  return read_tflite_buffer(std::move(bytes), path);
}

Graph read_tflite_buffer(std::vector<uint8_t> bytes, const std::string& name) {
  Graph g;
  g.source_path = name;
  const std::size_t slash = name.find_last_of("/\\");
  g.source_file = printable_text(slash == std::string::npos ? name : name.substr(slash + 1));
  g.bytes = std::move(bytes);
  const std::string& file = g.source_file;

  // Flatbuffers reads tables in place; the vector's storage is suitably
  // aligned for the verifier's alignment checks.
  const uint8_t* base = g.bytes.data();
  const std::size_t size = g.bytes.size();
  if (size < 8) {
    fail(file, "truncated or empty file (" + std::to_string(size) +
                   " bytes): not a TFLite flatbuffer");
  }
  if (!flatbuffers::BufferHasIdentifier(base, tfl::ModelIdentifier())) {
    fail(file, "not a TFLite flatbuffer (file identifier is not \"TFL3\")");
  }
  flatbuffers::Verifier verifier(base, size);
  if (!tfl::VerifyModelBuffer(verifier)) {
    fail(file, "malformed TFLite flatbuffer (flatbuffers verification failed; "
               "truncated or corrupted file?)");
  }
  const tfl::Model* model = tfl::GetModel(base);
  if (model->version() != 3) {
    fail(file, "unsupported TFLite schema version " +
                   std::to_string(model->version()) + " (expected 3)");
  }
  const auto* subgraphs = model->subgraphs();
  if (subgraphs == nullptr || subgraphs->size() != 1) {
    fail(file, "the model has " +
                   std::to_string(subgraphs ? subgraphs->size() : 0) +
                   " subgraphs; exactly one is supported");
  }
  const tfl::SubGraph* sg = subgraphs->Get(0);
  const auto* buffers = model->buffers();
  const auto* tensors = sg->tensors();
  if (tensors == nullptr) fail(file, "the subgraph has no tensors");

  g.tensors.resize(tensors->size());
  for (flatbuffers::uoffset_t i = 0; i < tensors->size(); ++i) {
    const tfl::Tensor* t = tensors->Get(i);
    Tensor& out = g.tensors[i];
    out.index = static_cast<int>(i);
    out.name = t->name() ? t->name()->str() : std::string();
    out.type = t->type();
    if (t->shape()) out.shape.assign(t->shape()->begin(), t->shape()->end());
    if (t->is_variable()) fail(file, out.describe() + " is a variable tensor: not supported");
    if (t->sparsity()) fail(file, out.describe() + " is sparse: not supported");
    int64_t elements = 1;
    for (int32_t d : out.shape) {
      if (d <= 0) {
        fail(file, out.describe() + " has shape " + out.shape_string() +
                       ": dynamic or empty dimensions are not supported");
      }
      elements *= d;
      if (elements > (int64_t{1} << 30)) {
        fail(file, out.describe() + " has shape " + out.shape_string() + ": too large");
      }
    }
    if (const tfl::QuantizationParameters* q = t->quantization()) {
      if (q->details_type() != tfl::QuantizationDetails_NONE) {
        fail(file, out.describe() + " uses custom quantization: not supported");
      }
      if (q->scale()) out.scales.assign(q->scale()->begin(), q->scale()->end());
      if (q->zero_point()) {
        out.zero_points.assign(q->zero_point()->begin(), q->zero_point()->end());
      }
      out.quantized_dimension = q->quantized_dimension();
    }
    const uint32_t b = t->buffer();
    if (b != 0) {
      if (buffers == nullptr || b >= buffers->size()) {
        fail(file, out.describe() + " refers to buffer " + std::to_string(b) +
                       " which does not exist");
      }
      const tfl::Buffer* buf = buffers->Get(b);
      if (buf->offset() > 1 || buf->size() > 0) {
        fail(file, out.describe() +
                       " keeps its data outside the flatbuffer: not supported");
      }
      if (buf->data() && buf->data()->size() > 0) {
        out.data = buf->data()->data();
        out.data_bytes = buf->data()->size();
      }
    }
  }

  auto check_index = [&](int idx, const std::string& what) {
    if (idx < -1 || idx >= static_cast<int>(g.tensors.size())) {
      fail(file, what + " refers to tensor " + std::to_string(idx) +
                     " which does not exist");
    }
  };

  if (!sg->inputs() || sg->inputs()->size() != 1) {
    fail(file, "the model has " + std::to_string(sg->inputs() ? sg->inputs()->size() : 0) +
                   " inputs; exactly one is supported");
  }
  if (!sg->outputs() || sg->outputs()->size() != 1) {
    fail(file, "the model has " + std::to_string(sg->outputs() ? sg->outputs()->size() : 0) +
                   " outputs; exactly one is supported");
  }
  g.input = sg->inputs()->Get(0);
  g.output = sg->outputs()->Get(0);
  check_index(g.input, "the model input");
  check_index(g.output, "the model output");
  if (g.input < 0 || g.output < 0) fail(file, "the model input or output is missing");

  const auto* codes = model->operator_codes();
  const auto* ops = sg->operators();
  if (ops == nullptr || ops->size() == 0) fail(file, "the model has no operators");
  g.operators.resize(ops->size());
  for (flatbuffers::uoffset_t i = 0; i < ops->size(); ++i) {
    const tfl::Operator* op = ops->Get(i);
    Operator& out = g.operators[i];
    out.index = static_cast<int>(i);
    out.raw = op;
    if (codes == nullptr || op->opcode_index() >= codes->size()) {
      fail(file, "operator #" + std::to_string(i) + " refers to operator code " +
                     std::to_string(op->opcode_index()) + " which does not exist");
    }
    const tfl::OperatorCode* oc = codes->Get(op->opcode_index());
    // Old converters only fill the byte-wide deprecated field, newer ones
    // both; codes >= 127 exist only in builtin_code.
    out.code = std::max<int>(oc->deprecated_builtin_code(), oc->builtin_code());
    out.name = builtin_op_name(out.code);
    if (out.code == kOpCustom) {
      out.name = std::string("CUSTOM(") +
                 (oc->custom_code() ? printable_text(oc->custom_code()->str(), 64) : std::string()) + ")";
    } else if (std::strcmp(out.name.c_str(), "UNKNOWN_OP") == 0) {
      out.name = "UNKNOWN_OP_" + std::to_string(out.code);
    }
    if (op->inputs()) out.inputs.assign(op->inputs()->begin(), op->inputs()->end());
    if (op->outputs()) out.outputs.assign(op->outputs()->begin(), op->outputs()->end());
    for (int idx : out.inputs) check_index(idx, out.describe());
    for (int idx : out.outputs) {
      check_index(idx, out.describe());
      if (idx < 0) fail(file, out.describe() + " has an omitted output");
    }
  }
  return g;
}

}  // namespace tp::compiler
