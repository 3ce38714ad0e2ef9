// The contract between the model compiler's generated code and the firmware.
//
// The compiler (tools/model_compiler) turns one .tflite file into one C++
// translation unit that defines a `const tp::engine::ModelDesc` describing the
// model and a `run` function executing it as a straight sequence of kernel
// calls over one caller-provided arena.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tp::engine {

// Alignment the caller guarantees for the arena base.
inline constexpr std::size_t kArenaAlignment = 16;

struct TensorDesc {
  uint32_t offset;     // byte offset of the tensor in the arena
  uint32_t bytes;      // size in bytes (int8: element count)
  float scale;         // quantization scale
  int32_t zero_point;  // quantization zero point
  uint8_t rank;        // number of valid entries in dims
  int32_t dims[4];
};

// Optional per-layer observer (used by profiling tools; nullptr in normal
// runs). `fn` is called before layer i (0 <= i < layer_count) and once more
// with i == layer_count after the last layer.
struct LayerProbe {
  void (*fn)(void* ctx, uint32_t layer);
  void* ctx;
};

struct ModelDesc {
  const char* id;            // benchmark id, e.g. "kws01"
  const char* source_file;   // the .tflite file it was compiled from
  const char* kernel_backend;  // the kernels it was planned for (tinyperf-compile --backend)
  uint32_t arena_bytes;      // arena the model needs, scratch included
  TensorDesc input;
  TensorDesc output;
  uint64_t macs;             // multiply-accumulates per inference
  uint32_t weight_bytes;     // constant data in flash (weights, biases, tables)
  uint32_t layer_count;
  const char* const* layer_names;  // layer_count entries, e.g. "CONV_2D"
  const uint64_t* layer_macs;      // layer_count entries
  // Runs one inference. `arena` is at least arena_bytes long and aligned to
  // kArenaAlignment; the input tensor must be filled in before the call.
  void (*run)(uint8_t* arena, const LayerProbe* probe);
};

}  // namespace tp::engine
