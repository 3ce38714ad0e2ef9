// Code generation: C++ sources for a compiled model and the model registry,
// and human-readable summaries.
#pragma once

#include <string>
#include <vector>

#include "compiled_model.h"

namespace tp::compiler {

// One translation unit defining `const tp::engine::ModelDesc tp::models::<id>`
// with the weights, the kernel parameters and the run function.
std::string emit_model_source(const CompiledModel& m);

struct RegistryEntry {
  std::string id;
  uint32_t arena_bytes = 0;
};
// tinyperf/models/registry.h and registry.cc for the given models.
std::string emit_registry_header(const std::vector<RegistryEntry>& models);
std::string emit_registry_source(const std::vector<RegistryEntry>& models);

// Multi-line human summary (ops, shapes, MACs, plan, quantization).
std::string summary_text(const CompiledModel& m);
// "kws01: 13 layers, 2,656,768 MACs, arena 16,000 B, weights 52,000 B"
std::string one_line_summary(const CompiledModel& m);

// Whether `id` can be used as a C++ identifier (letters, digits, _).
bool valid_model_id(const std::string& id);

}  // namespace tp::compiler
