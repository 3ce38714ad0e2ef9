// What a backend's kernels want as scratch for one layer. Each backend with
// scratch declares it in its own folder, engine/kernels/backends/<name>/
// scratch_need.h (functions scratch_need_conv, _depthwise, _fully_connected
// and _add in tp::kernels::<name>); the model compiler plans that much in the
// arena (cmake/kernel_backends.cmake lists the backends for it) and the
// generated code passes it with each call (tp::kernels::Scratch).
#pragma once

#include <cstdint>

namespace tp::kernels {

struct ScratchNeed {
  uint32_t bytes = 0;
  // The scratch may end where the layer's (first) input ends, covering it,
  // when that input is not read after this layer: the kernel reads each
  // input byte before writing over it (arm_dsp FULLY_CONNECTED expands its
  // int8 input to int16 front to back, 2 output bytes per input byte).
  bool may_overlap_input = false;
  // Output over input (kernels.h otherwise forbids it): alias_step > 0 lets
  // one call on the whole tensors write its output over its (first) input,
  // at the input's offset plus any multiple of alias_step. The arm_mve
  // planar depthwise kernel does: it copies all of a channel's input rows
  // into its scratch before it writes any output of that channel, and
  // output channel c then only lands on input bytes of channel c. The model
  // compiler then runs such a layer as one call inside its input's buffer,
  // and check_program holds each call to the contract.
  int32_t alias_step = 0;
  // Bytes the kernels may read past the end of the layer's filter array
  // (never using them): the model compiler emits that many zero bytes after
  // it (not counted as weights). arm_mve's K = 40 and K = 27 im2col kernels
  // read their weight rows' last 16-byte chunk whole.
  uint32_t filter_read_past = 0;
};

inline uint32_t scratch_align16(uint64_t v) { return static_cast<uint32_t>((v + 15) / 16 * 16); }

}  // namespace tp::kernels
