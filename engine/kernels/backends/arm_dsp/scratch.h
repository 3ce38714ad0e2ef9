// The arm_dsp kernels' scratch: the range the generated code hands over
// with tp::kernels::set_scratch before each layer (planned in the arena by
// the model compiler from tinyperf/engine/scratch_need.h). Kernels size
// their blocking to scratch_bytes() and fall back (smaller blocks, table-free
// ADD, the reference kernels) when it is smaller or absent.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/engine/kernels.h"
#include "tinyperf/engine/scratch_need.h"

namespace tp::kernels::arm_dsp {

// 16-byte aligned (LDRD/LDM on the halfword activations need 8).
inline int16_t* scratch16() { return static_cast<int16_t*>(tp::kernels::scratch_data()); }
inline std::size_t scratch_bytes() { return tp::kernels::scratch_size() & ~std::size_t{15}; }

}  // namespace tp::kernels::arm_dsp
