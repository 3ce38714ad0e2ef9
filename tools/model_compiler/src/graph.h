// In-memory form of a .tflite model as the compiler sees it: the one
// subgraph's tensors and operators, with constant data pointing into the
// loaded file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tp::tfl {
struct Operator;  // flatc-generated (tflite_subset_generated.h)
}

namespace tp::compiler {

// TFLite TensorType codes the compiler deals with.
enum TensorTypeCode : int {
  kTypeFloat32 = 0,
  kTypeInt32 = 2,
  kTypeInt8 = 9,
};

const char* tensor_type_name(int type);
const char* builtin_op_name(int code);  // "UNKNOWN_OP_<n>" for unknown codes

// TFLite BuiltinOperator codes the compiler implements.
enum BuiltinCode : int {
  kOpAdd = 0,
  kOpAveragePool2D = 1,
  kOpConv2D = 3,
  kOpDepthwiseConv2D = 4,
  kOpFullyConnected = 9,
  kOpReshape = 22,
  kOpSoftmax = 25,
  kOpCustom = 32,
};

struct Tensor {
  int index = -1;
  std::string name;
  int type = -1;
  std::vector<int32_t> shape;
  std::vector<float> scales;        // empty when not quantized
  std::vector<int64_t> zero_points;
  int quantized_dimension = 0;
  const uint8_t* data = nullptr;    // constant data (nullptr: activation)
  std::size_t data_bytes = 0;

  bool is_constant() const { return data != nullptr; }
  int64_t elements() const;
  std::string shape_string() const;  // e.g. "[1,49,10,1]"
  std::string describe() const;      // "tensor #3 'name'"
};

struct Operator {
  int index = -1;
  int code = -1;              // BuiltinOperator
  std::string name;           // builtin name, or "CUSTOM(<custom_code>)"
  std::vector<int> inputs;    // tensor indices, -1 = omitted optional input
  std::vector<int> outputs;
  const tp::tfl::Operator* raw = nullptr;  // options are read from here

  std::string describe() const;  // "operator #2 (CONV_2D)"
};

struct Graph {
  std::string source_path;  // as given
  std::string source_file;  // base name
  std::vector<uint8_t> bytes;  // the file (constant data points into it)
  std::vector<Tensor> tensors;
  std::vector<Operator> operators;
  int input = -1;   // the single graph input tensor
  int output = -1;  // the single graph output tensor
};

// Text from a model file (tensor names, custom operator codes) or its file
// name, made safe to print and to put in a generated C++ comment: every byte
// outside printable ASCII becomes '?', so do a backslash (a line splice at the
// end of a // comment) and the '/' of "*/", and the second '?' of "??" becomes
// '_' (no trigraph); text longer than max_bytes is
// cut there and ends with "...". A model file is untrusted input.
std::string printable_text(const std::string& text, std::size_t max_bytes = 256);

// Reads and verifies a .tflite flatbuffer. Throws CompileError with a
// message naming the file on anything malformed or out of scope for the
// reader (several subgraphs, sparse or variable tensors, ...).
Graph read_tflite_file(const std::string& path);
Graph read_tflite_buffer(std::vector<uint8_t> bytes, const std::string& name);

}  // namespace tp::compiler
