// Shared helpers of the arm_mve backend (private).
#pragma once

#include <arm_mve.h>

#include <cstdint>

#include "tinyperf/engine/kernels.h"

namespace tp::kernels::mve {

// Pointer `base + bytes` without C++ pointer-arithmetic rules (the result
// may lie outside the object: only predicated-off lanes ever touch it).
template <typename T>
inline T* offset_ptr(T* base, int32_t bytes) {
  return reinterpret_cast<T*>(reinterpret_cast<uintptr_t>(base) + static_cast<uintptr_t>(bytes));
}

inline bool aligned(const void* p, uintptr_t a) {
  return (reinterpret_cast<uintptr_t>(p) & (a - 1)) == 0;
}

// Largest of n int32 values (n >= 1; v 4-byte aligned): 4 a step (the
// per-channel shifts of every layer call: 0.75 instructions a channel
// instead of 5), the rest one by one.
inline int32_t max_s32(const int32_t* v, int32_t n) {
  int32x4_t m4 = vdupq_n_s32(INT32_MIN);
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) m4 = vmaxq_s32(m4, vldrwq_s32(v + i));
  int32_t m = vmaxvq_s32(INT32_MIN, m4);
  for (; i < n; ++i) m = v[i] > m ? v[i] : m;
  return m;
}

// Requantization data in the form the kernels use: 4-lane groups.
struct RqInfo {
  const int32_t* mult;
  const int32_t* shift;
  int32_t rq_stride;  // 16 per-channel, 0 per-tensor
  bool ok;            // no left shift, whole int8 activation range
  bool fix;           // some channel with a nonzero multiplier has shift 0 (the
                      // rounding fixup must be masked; a zero multiplier gives 0
                      // whatever the shift, so such channels need no mask)
  bool no_fix;        // ok and fixup_hidden: no rounding fixup at all
  int32_t m8[8];      // per-tensor: the multiplier / shift repeated (8: as many
  int32_t s8[8];      // as the widest kernel group, conv.cc run_b8, reads)
};

// The rounding fixup (-1 added to negative values before VRSHL, so that its
// round-half-up becomes TFLite's round-half-away-from-zero) only changes a
// negative tie, and both roundings then give r <= 0. When the clamp's bottom
// is at or above the output zero point (zero point -128 with the whole int8
// range: every ReLU / ReLU6 output), r + zero point clamps to act_min for
// either: the fixup cannot show and the kernels leave it out.
inline bool fixup_hidden(const Requant& rq) { return rq.act_min >= rq.output_offset; }

// Index of the kernel variant for the rounding fixup (GemmKernel::fn):
// 0 the sign fixup, 1 masked by the shift, 2 none.
inline int fixup_variant(const RqInfo& r) { return r.no_fix ? 2 : r.fix ? 1 : 0; }

// Whether a depthwise filter's taps may be summed in pairs (taps 2k, 2k + 1)
// in int16 lanes: x w + x' w' reaches 2^15 only with 128 * 128 twice, so no
// second tap of a pair (taps 1, 3, 5, ...) may hold -128. (TFLite's int8
// filters are symmetric, [-127, 127]; other files are served too.) Filter
// [taps][c_n].
inline bool tap_pairs_fit_s16(const int8_t* filter, int32_t taps, int32_t c_n) {
  // (lane-wise minima, one reduction at the end; the tail's lanes past C
  // load 0, which cannot be the minimum's -128)
  int8x16_t m = vdupq_n_s8(0);
  for (int32_t t = 1; t < taps; t += 2) {
    const int8_t* f = filter + t * c_n;
    int32_t i = 0;
    for (; i + 16 <= c_n; i += 16) m = vminq_s8(m, vldrbq_s8(f + i));
    if (i < c_n) m = vminq_s8(m, vldrbq_z_s8(f + i, vctp8q(static_cast<uint32_t>(c_n - i))));
  }
  return vminvq_s8(0, m) > -128;
}

inline void prepare_rq(const Requant& rq, int32_t channels, RqInfo* r) {
  const int32_t n = rq.per_channel ? channels : 1;
  const int32_t max_shift = max_s32(rq.shift, n);
  r->ok = max_shift <= 0 && rq.act_min == -128 && rq.act_max == 127;
  r->no_fix = r->ok && fixup_hidden(rq);
  // The masked fixup only when a channel with a nonzero multiplier has shift
  // 0 (a zero multiplier gives 0 whatever the shift: vww01's dead channels);
  // the scan runs only when the largest shift is 0 and the fixup can show.
  r->fix = false;
  for (int32_t i = 0; max_shift == 0 && !r->no_fix && i < n; ++i) {
    if (rq.shift[i] == 0 && rq.multiplier[i] != 0) {
      r->fix = true;
      break;
    }
  }
  if (rq.per_channel) {
    r->mult = rq.multiplier;
    r->shift = rq.shift;
    r->rq_stride = 16;
  } else {
    for (int i = 0; i < 8; ++i) {
      r->m8[i] = rq.multiplier[0];
      r->s8[i] = rq.shift[0];
    }
    r->mult = r->m8;
    r->shift = r->s8;
    r->rq_stride = 0;
  }
}

}  // namespace tp::kernels::mve
