// Small helpers used by the code the model compiler generates.
#pragma once

#include <cstdint>

#include "tinyperf/engine/model.h"

namespace tp::engine {

// Calls the layer probe, if any, before layer `layer` (or after the last
// one with layer == layer_count).
inline void probe_layer(const LayerProbe* probe, uint32_t layer) {
  if (probe != nullptr && probe->fn != nullptr) probe->fn(probe->ctx, layer);
}

inline int8_t* arena_s8(uint8_t* arena, uint32_t offset) {
  return reinterpret_cast<int8_t*>(arena + offset);
}

}  // namespace tp::engine
