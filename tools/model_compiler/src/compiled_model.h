// The compiler's result for one model: layers with their precomputed kernel
// parameters, the memory plan, and the figures the summary prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph.h"
#include "tinyperf/engine/kernels.h"

namespace tp::compiler {

enum class LayerKind {
  kConv2D,
  kDepthwiseConv2D,
  kFullyConnected,
  kAveragePool2D,
  kAdd,
  kSoftmax,
  kReshape,  // no code: its output aliases its input
};

struct Layer {
  LayerKind kind = LayerKind::kReshape;
  int op_index = -1;
  std::string op_name;       // TFLite builtin name, e.g. "CONV_2D"
  std::string detail;        // human description for summaries / comments
  std::vector<int> inputs;   // activation tensors read
  int output = -1;           // activation tensor written
  uint64_t macs = 0;

  // Kernel parameters; pointer members are left null here and bound to the
  // arrays below by the emitter (or by tests running kernels in process).
  tp::kernels::ConvParams conv{};
  tp::kernels::DepthwiseConvParams depthwise{};
  tp::kernels::FullyConnectedParams fc{};
  tp::kernels::AvgPoolParams pool{};
  tp::kernels::AddParams add{};
  tp::kernels::SoftmaxParams softmax{};

  // Constant arrays the layer needs (flash).
  std::vector<int8_t> filter;
  std::vector<int32_t> bias;        // FULLY_CONNECTED: folded bias
  bool has_bias = false;
  // CONV_2D / DEPTHWISE_CONV_2D: bias + input_offset * sum of each output
  // channel's filter taps (see kernels.h, folded_bias).
  std::vector<int32_t> folded_bias;
  std::vector<int32_t> multiplier;  // requantization, per channel or one
  std::vector<int32_t> shift;

  // Binds the pointer members of the kernel parameters to the arrays above.
  void bind_pointers();
  uint32_t constant_bytes() const;
};

struct TensorPlacement {
  bool in_arena = false;
  uint32_t offset = 0;
  uint32_t bytes = 0;
  int buffer = -1;  // planner buffer (alias group) index
};

struct MemoryPlan {
  uint32_t arena_bytes = 0;
  uint32_t live_peak_bytes = 0;  // most bytes alive at one step (lower bound)
  std::vector<TensorPlacement> tensors;  // indexed by tensor index
  // Planner buffers (alias groups) with their live ranges in layer steps.
  struct Buffer {
    uint32_t bytes = 0;
    uint32_t offset = 0;
    int first = 0;
    int last = 0;
    std::vector<int> tensors;
  };
  std::vector<Buffer> buffers;
};

// Move-only: tensors and kernel parameters point into the owned buffers.
struct CompiledModel {
  CompiledModel() = default;
  CompiledModel(CompiledModel&&) = default;
  CompiledModel& operator=(CompiledModel&&) = default;
  CompiledModel(const CompiledModel&) = delete;
  CompiledModel& operator=(const CompiledModel&) = delete;

  std::string id;  // benchmark id, e.g. "kws01"
  Graph graph;
  std::vector<Layer> layers;
  MemoryPlan plan;
  uint64_t macs = 0;
  uint32_t weight_bytes = 0;
};

// Validates every operator and precomputes its parameters. Throws
// CompileError naming the model and operator on anything unsupported.
std::vector<Layer> lower_graph(const Graph& graph);

// Plans the arena: every activation tensor gets an offset (16-byte aligned)
// such that tensors alive at the same time do not overlap.
MemoryPlan plan_memory(const Graph& graph, const std::vector<Layer>& layers,
                       uint32_t alignment = 16);

// read + lower + plan.
CompiledModel compile_graph(Graph graph, const std::string& id);
CompiledModel compile_file(const std::string& path, const std::string& id);

}  // namespace tp::compiler
