// The compiler's result for one model: layers with their precomputed kernel
// parameters, the memory plan, and the figures the summary prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph.h"
#include "tinyperf/engine/kernels.h"
#include "tinyperf/engine/scratch_need.h"

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

// The shape of one band of a layer run in row bands: a CONV_2D,
// DEPTHWISE_CONV_2D or AVERAGE_POOL_2D over the output rows [out_row,
// out_row + output.h) reads the input rows [in_row, in_row + input.h), all
// of which exist in the full input; pad_h counts the padding rows above the
// band (non-zero only for a band touching the top edge), and rows missing
// below follow from the shapes exactly as for the whole tensor (a band
// touching the bottom edge ends its input at the last input row). An ADD
// band covers `size` elements.
struct BandShape {
  tp::kernels::Shape4 input{};
  tp::kernels::Shape4 output{};
  int16_t pad_h = 0;
  int32_t size = 0;  // ADD: elements
  bool operator==(const BandShape& o) const;
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

  // Row-band variants of the parameters (see BandShape), filled in by the
  // planner for layers it runs in bands. Variant v of the kernel parameters
  // is the layer's own parameters with the shapes of bands[v].
  std::vector<BandShape> bands;
  tp::kernels::ConvParams conv_band(int v) const;
  tp::kernels::DepthwiseConvParams depthwise_band(int v) const;
  tp::kernels::AvgPoolParams pool_band(int v) const;
  tp::kernels::AddParams add_band(int v) const;
};

struct TensorPlacement {
  bool in_arena = false;  // false: constant, unused, or never materialized whole
                          // (the output of a conv fused with its ADD)
  uint32_t offset = 0;
  uint32_t bytes = 0;
  int buffer = -1;  // planner buffer (alias group) index
  int first = 0;    // live range in layer steps (see MemoryPlan)
  int last = 0;
};

struct MemoryPlan {
  uint32_t arena_bytes = 0;
  uint32_t live_peak_bytes = 0;  // most buffer bytes alive at one step (lower bound)
  std::vector<TensorPlacement> tensors;  // indexed by tensor index
  // Planner buffers with their live ranges in layer steps. A buffer is an
  // alias group: tensors that share bytes by design (RESHAPE output and
  // input; the input and output of a layer run in place, the output
  // possibly shifted; an ADD and the operand it overwrites), each at its own
  // offset inside the buffer; or a temporary of a banded layer. Buffers
  // alive at the same step never share bytes.
  struct Buffer {
    uint32_t bytes = 0;
    uint32_t offset = 0;
    int first = 0;
    int last = 0;
    std::vector<int> tensors;
    int temp_of_layer = -1;    // a temporary of this layer (no tensors)
    int scratch_of_step = -1;  // the kernels' scratch at this step (no tensors)
  };
  std::vector<Buffer> buffers;
  // The kernels' scratch at each layer step (tinyperf/engine/scratch_need.h
  // for the backend planned for; bytes 0: none). Either a buffer of its own
  // alive at that step only, or, for a FULLY_CONNECTED whose input dies
  // there, ending where that input ends (its buffer grown to hold it).
  struct Scratch {
    uint32_t offset = 0;
    uint32_t bytes = 0;
    bool over_input = false;
  };
  std::vector<Scratch> scratch;  // indexed by step (empty: no scratch anywhere)
};

// ------------------------------------------------------------ execution

// How the planner runs one layer.
enum class ExecMode {
  kWhole,          // one kernel call over whole tensors (output apart from inputs)
  kAlias,          // RESHAPE: no code, the output aliases the input
  kInPlace,        // CONV_2D / DEPTHWISE_CONV_2D / AVERAGE_POOL_2D in row bands whose
                   // outputs go over input rows no later band reads: the output
                   // tensor sits `shift` bytes from the input in the same buffer
  kFusedAdd,       // CONV_2D / DEPTHWISE_CONV_2D in row bands into a temporary, each
                   // band added at once (by the ADD layer `partner`) into the ADD's
                   // other operand, which becomes the ADD's output: the conv output
                   // never exists whole
  kFusedIntoConv,  // ADD run band by band by layer `partner` (kFusedAdd)
  kFeedsFused,     // CONV_2D / DEPTHWISE_CONV_2D whose output only feeds the
                   // kFusedAdd layer `partner`: run band by band just ahead of
                   // it into a window of the rows its bands need (the window
                   // slides by a copy), so its output never exists whole either
  kAddInPlace,     // ADD writing over its input `operand` (element-wise, same index)
};

const char* exec_mode_name(ExecMode m);

struct LayerExec {
  ExecMode mode = ExecMode::kWhole;
  int step = 0;            // layer step at which it runs (a fused ADD: its conv's)
  int32_t band_rows = 0;   // kInPlace / kFusedAdd: output rows per band (last may be fewer)
  int32_t bands = 0;
  bool bottom_up = false;  // kInPlace: bands from the bottom rows up
  int32_t shift = 0;       // kInPlace: output offset - input offset, bytes
  int partner = -1;        // kFusedAdd: the ADD layer; kFusedIntoConv: the conv layer;
                           // kFeedsFused: the kFusedAdd layer it feeds
  int feeder = -1;         // kFusedAdd: the kFeedsFused layer feeding it, or -1
  int operand = -1;        // kFusedAdd: the ADD input the conv output is;
                           // kAddInPlace: the input overwritten
  int temp_buffer = -1;    // kFusedAdd: the temporary's planner buffer; kFeedsFused: the window's
  uint32_t temp_bytes = 0;
  uint32_t arena_without = 0;  // arena if this layer ran whole (0: not computed)
  bool scratch_apart = false;  // its kernel scratch in a buffer of its own even where
                               // it could start at the dying input
};

// An arena range a kernel call reads or writes. In a loop, iteration i uses
// offset + i * step and tensor_offset + i * tensor_step. `tensor` and
// `tensor_offset` say which bytes it holds (checked by check_program).
struct Access {
  uint32_t offset = 0;
  int32_t step = 0;
  uint32_t bytes = 0;
  int tensor = -1;
  uint32_t tensor_offset = 0;
  int32_t tensor_step = 0;
};

// One kernel call: the kernel of layers[layer].kind with its own parameters
// (variant -1) or band variant `variant`; reads in argument order. Or, with
// `copy`, a copy of reads[0] to write (front to back, so the destination
// may overlap the source from below), made for layer `layer`.
struct Call {
  int layer = -1;
  int variant = -1;
  bool copy = false;
  std::vector<Access> reads;
  Access write;
};

// `count` iterations of `calls` (count 1: straight-line code), run at the
// step of layer `layer`.
struct Block {
  int layer = -1;
  uint32_t count = 1;
  std::vector<Call> calls;
};

// Options of the planner.
struct PlanOptions {
  bool in_place = true;  // false: every layer whole (the plan without in-place execution)
  // Most bytes a banded layer may add to its buffer (the shift of an
  // in-place layer beyond the larger of its tensors, or a fused layer's
  // temporary) when bands are first sized; bands are then widened wherever
  // that does not raise the arena.
  uint32_t band_budget = 1024;
  // false: keep every layer that can run in place or fused so, with its
  // first band sizes (tests use it to exercise banding on small models).
  bool prune = true;
  // Kernel backend the model is planned for: its kernels' scratch
  // (engine/kernels/backends/<backend>/scratch_need.h) is planned in the arena.
  std::string backend = "reference";
  // arm_dsp: most bytes of int8 weights a 1x1 convolution may have for the
  // compiler to write them as int16 (engine/kernels/backends/arm_dsp/
  // conv_layout.h; twice the flash): the board's declaration
  // (TP_BOARD_CONV_INT16_MAX_WEIGHTS), 0 for none.
  int64_t conv_int16_max_weights = 4096;
};

// The kernel backends: the folders under engine/kernels/backends
// (cmake/kernel_backends.cmake), e.g. "reference, arm_dsp, arm_mve".
bool known_backend(const std::string& name);
std::string known_backends();

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
  std::vector<LayerExec> exec;  // indexed by layer
  std::vector<Block> program;   // the calls run() makes, in order
  uint32_t arena_whole = 0;     // arena with every layer run whole (for summaries)
  uint64_t macs = 0;
  uint32_t weight_bytes = 0;
  std::string backend = "reference";  // the kernel backend planned for (PlanOptions::backend)
  // arm_dsp int16 pointwise weights (PlanOptions::conv_int16_max_weights):
  // the layers written as int16, and those whose shape would take the layout
  // but whose weights are above the limit (kept int8).
  std::vector<int> int16_layers;
  std::vector<int> int8_by_limit;
  int64_t conv_int16_max_weights = 0;
};

// Validates every operator and precomputes its parameters. Throws
// CompileError naming the model and operator on anything unsupported.
std::vector<Layer> lower_graph(const Graph& graph);

// arm_mve: each CONV_2D's output channels reordered so that groups of 4
// share a right shift (the Helium GEMM kernels' pair loops by immediate
// shift, gen_gemm_asm.py SHIFT_U2), where every reader of the output takes
// the order: depthwise layers (depth multiplier 1), average pools and
// reshapes carry it on, CONV_2D and FULLY_CONNECTED readers take it in
// their weights' input positions; not where the order would reach the model
// output, another kind of layer or a grouped convolution (neither a grouped
// convolution's own outputs). Bit-exact (a renaming of channels).
// Returns the layers reordered.
int group_channels_by_shift(std::vector<Layer>* layers, const Graph& graph);

// Plans execution and memory: chooses which layers run in place or fused
// (planner.cc), places every buffer (16-byte aligned offsets; buffers alive
// at the same step do not overlap), fills in m->exec, m->plan, m->program and
// the layers' band variants, and checks the result with check_program.
void plan_model(CompiledModel* m, const PlanOptions& options = {});

// Replays the program over a shadow arena recording which tensor byte each
// arena byte holds: every read must find the bytes it names, no kernel
// output may overlap its inputs (an ADD may write exactly over one input),
// band parameters must describe the rows they are given, and the model
// output must be in place at the end. Throws CompileError on any violation.
void check_program(const CompiledModel& m);

// What the kernels of `backend` want for layer l (scratch_need.h of its
// folder; nothing for a backend without one), including whether one whole
// call may write its output over its input (ScratchNeed::alias_step).
tp::kernels::ScratchNeed backend_scratch_need(const std::string& backend, const Layer& l);

// read + lower + plan.
CompiledModel compile_graph(Graph graph, const std::string& id, const PlanOptions& options = {});
CompiledModel compile_file(const std::string& path, const std::string& id,
                           const PlanOptions& options = {});

}  // namespace tp::compiler
