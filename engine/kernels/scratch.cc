// The kernels' scratch range (see set_scratch in kernels.h): set by the
// generated code before each layer, read by the backends' kernels.
#include "tinyperf/engine/kernels.h"

namespace tp::kernels {
namespace {

void* g_scratch_data = nullptr;
std::size_t g_scratch_size = 0;

}  // namespace

void set_scratch(void* data, std::size_t bytes) {
  g_scratch_data = data;
  g_scratch_size = data != nullptr ? bytes : 0;
}

void* scratch_data() { return g_scratch_data; }

std::size_t scratch_size() { return g_scratch_size; }

}  // namespace tp::kernels
