// The arm_dsp kernels' scratch: the range the generated code passes with
// each call (tp::kernels::Scratch, planned in the arena by the model
// compiler from this folder's scratch_need.h). Kernels size
// their blocking to scratch_bytes() and fall back (smaller blocks, table-free
// ADD, the reference kernels) when it is smaller or absent.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/engine/kernels.h"
#include "scratch_need.h"

namespace tp::kernels::arm_dsp {

// 16-byte aligned (LDRD/LDM on the halfword activations need 8).
inline int16_t* scratch16(Scratch s) { return static_cast<int16_t*>(s.data); }
inline std::size_t scratch_bytes(Scratch s) { return s.data != nullptr ? s.bytes & ~std::size_t{15} : 0; }

}  // namespace tp::kernels::arm_dsp
