// DEPTHWISE_CONV_2D with channels in vector lanes for the arm_mve backend:
// Kx1 columns over [N, H, 1, C] (sww01's four layers: 3x1, 5x1, 10x1, 15x1
// over 40 / 128 channels) and, through a list of tap pointers, any other
// depthwise shape the 3x3 kernels (depthwise.cc) do not take.
//
// One output pixel at a time, 16 channels a step: per tap one 16-byte input
// load and one 16-byte filter load (C bytes between taps), VMULLB / VMULLT.S8
// into the int16 products of the even / odd channels. Two taps' products
// are summed in int16: |x w| <= 128 * 127 = 16,256 unless w = -128, so a
// pair overflows only if a channel has -128 in both taps (x = -128 twice:
// 2 x 16,384 = 2^15); the kernel checks the second tap of every pair per
// call and otherwise widens every tap. Then the sums are widened (VMOVLB /
// VMOVLT.S16) into the four int32 accumulators of the channels 4k, 4k+1,
// 4k+2, 4k+3, started from the folded bias (VLD4 splits 16 consecutive
// values into exactly that order). The requantization runs in the lanes
// (TFLite's double rounding: VQRDMULH, the sign fixup, VRSHL; a left shift
// wrapping before VQRDMULH), the four accumulators narrow back into channel
// order (VQMOVNB/T twice, the output zero point added in 16-bit lanes; the
// activation clamp after, when it is not the whole int8 range) and one
// 16-byte store writes the 16 outputs. A last group of C % 16 channels runs
// predicated (its bias and requantization values copied once per call into
// 16-entry arrays, so that nothing past the arrays is read).
//
// Order of reads and writes: output pixels in order (rows top-down),
// channels ascending, every input of a pixel's group read before its store.
//
// Paths:
// - A column whose output rows have every tap inside the input (sww01's:
//   VALID) walks the taps with one pointer (stride dilation_h * C); with
//   per-channel requantization, the whole int8 range, no -128 pair and no
//   live shift-0 channel (the usual TFLite layer), all such rows of a call
//   run in one assembly routine (tp_mve_dwc_even / _odd below; GCC 12's
//   code from the intrinsics spilled an accumulator in the tap loop).
// - Everything else in C++ with intrinsics (group()): rows of a column that
//   reach into the padding and any KxK shape take a list of the taps' input
//   pixels built per output pixel in the scratch, taps in the padding
//   pointing at a row of C input zero points there too (the folded bias
//   counts every tap: a zero-point input adds w * -input_offset, which
//   cancels the folded bias's share, as in dw_lanes). Depth multipliers
//   2, 4, 8, 16 read the input bytes by a byte gather (lane l: input
//   channel (c + l) / m).
//
// Fallbacks (the reference kernel runs, the differential test counts them):
// a depth multiplier other than 1, 2, 4, 8, 16, more than kLanesMaxTaps
// taps, less scratch than scratch_need_depthwise asks for a shape that needs
// the tap list.
#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

#include <cstddef>

#include "mve_kernels.h"
#include "mve_util.h"
#include "scratch_need.h"

#ifdef TP_MVE_STATS
extern "C" int tp_mve_fast_calls[40];  // dispatch.cc
#endif

namespace tp::kernels::mve {
namespace {

// Per-call values of the group loop.
struct LaneCtx {
  const int8_t* filter;
  int32_t c;        // output channels
  int32_t dm_log2;  // depth multiplier 1, 2, 4, 8, 16: input channel = output >> dm_log2
  int32_t taps;     // K
  const int32_t* bias;
  const int32_t* mult;  // per-channel (rq_inc 16) or 16 repeated values (0)
  const int32_t* shift;
  int32_t rq_inc;
  int16_t out_zp;
  bool clamp;  // the activation range is not the whole int8 range
  bool pairs;  // taps summed in pairs in int16 (no pair of -128 weights)
  bool fix;    // a channel of nonzero multiplier has shift 0, or a left
               // shift: the general requantization
  bool no_fix;  // the fast requantization needs no rounding fixup
                // (mve_util.h fixup_hidden)
  bool left;   // some shift > 0 (TFLite's left shift)
  int8_t act_min, act_max;
  // The last C % 16 channels: bias / multiplier / shift, 16 entries each.
  const int32_t* tail_bias;
  const int32_t* tail_mult;
  const int32_t* tail_shift;
};

// Word offsets of the channels of the accumulators' lanes (4k, 4k+1, ...).
alignas(16) constexpr uint32_t kOffs[16] = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};

// Tap source of the C++ path: a list of pointers (one per tap), or without
// one a walk from x by step.
struct Taps {
  const int8_t* const* list;
  const int8_t* x;
  int32_t step;
  const int8_t* at(int32_t t, int32_t c) const { return (list != nullptr ? list[t] : x + t * step) + c; }
};

template <bool kPred>
inline int8x16_t load(const int8_t* p, mve_pred16_t pr) {
  if constexpr (kPred) {
    return vldrbq_z_s8(p, pr);
  } else {
    (void)pr;
    return vldrbq_s8(p);
  }
}

// Input bytes of output channels c.. (multiplier m: lane l reads input
// channel (c + l) / m, a byte gather with offsets l / m; c % 16 == 0).
alignas(16) constexpr uint8_t kDmOffs[5][16] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
                                                {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7},
                                                {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3},
                                                {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1},
                                                {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};

template <bool kPred>
inline int8x16_t load_x(const LaneCtx& cx, const int8_t* p, mve_pred16_t pr) {
  if (cx.dm_log2 == 0) return load<kPred>(p, pr);
  const uint8x16_t off = vldrbq_u8(kDmOffs[cx.dm_log2]);
  if constexpr (kPred) {
    return vldrbq_gather_offset_z_s8(p, off, pr);
  } else {
    (void)pr;
    return vldrbq_gather_offset_s8(p, off);
  }
}

// The 16 (or, kPred, C % 16) channels from c of one output pixel.
template <bool kPred>
inline void group(const LaneCtx& cx, const Taps& taps, int32_t c, int8_t* out, const int32_t* bias, const int32_t* mult,
                  const int32_t* shift) {
  const mve_pred16_t pr = kPred ? vctp8q(static_cast<uint32_t>(cx.c - c)) : 0;
  const int32x4x4_t b = vld4q_s32(bias);
  int32x4_t a0 = b.val[0], a1 = b.val[1], a2 = b.val[2], a3 = b.val[3];
  const int8_t* w = cx.filter + c;
  const int32_t ci = c >> cx.dm_log2;  // the group's first input channel
  const int32_t k_n = cx.taps;
  int32_t t = 0;
  if (cx.pairs) {
    for (; t + 1 < k_n; t += 2) {
      // 4 accumulators, tap 0's 2 products, tap 1's input and filter fill
      // the 8 vector registers: tap 1's input is loaded again for its
      // second product (one load instead of spilling an accumulator).
      const int8x16_t x0 = load_x<kPred>(cx, taps.at(t, ci), pr);
      const int8x16_t w0 = load<kPred>(w, pr);
      int16x8_t pb = vmullbq_int_s8(x0, w0);
      int16x8_t pt = vmulltq_int_s8(x0, w0);
      const int8_t* x1p = taps.at(t + 1, ci);
      const int8x16_t w1 = load<kPred>(w + cx.c, pr);
      w += 2 * cx.c;
      pb = vaddq_s16(pb, vmullbq_int_s8(load_x<kPred>(cx, x1p, pr), w1));
      __asm__("" : "+r"(x1p));  // (not the same load to the compiler)
      pt = vaddq_s16(pt, vmulltq_int_s8(load_x<kPred>(cx, x1p, pr), w1));
      a0 = vaddq_s32(a0, vmovlbq_s16(pb));
      a2 = vaddq_s32(a2, vmovltq_s16(pb));
      a1 = vaddq_s32(a1, vmovlbq_s16(pt));
      a3 = vaddq_s32(a3, vmovltq_s16(pt));
    }
  }
  for (; t < k_n; ++t) {
    const int8x16_t x0 = load_x<kPred>(cx, taps.at(t, ci), pr);
    const int8x16_t w0 = load<kPred>(w, pr);
    w += cx.c;
    const int16x8_t pb = vmullbq_int_s8(x0, w0);
    const int16x8_t pt = vmulltq_int_s8(x0, w0);
    a0 = vaddq_s32(a0, vmovlbq_s16(pb));
    a2 = vaddq_s32(a2, vmovltq_s16(pb));
    a1 = vaddq_s32(a1, vmovlbq_s16(pt));
    a3 = vaddq_s32(a3, vmovltq_s16(pt));
  }
  // Requantization: VQRDMULH, one less for negative values with a right
  // shift (not when no_fix), VRSHL. Fast case (no shift 0 with a nonzero multiplier, no left
  // shift): the multipliers (VLD4: 4 registers) first, then the shifts, so
  // that 8 vector registers hold everything. Otherwise per accumulator the
  // multiplier and shift of its lanes by gathers, a left shift (wrapping,
  // as TFLite's) before VQRDMULH, the fixup masked by the right shift.
  if (!cx.fix) {
    const int32x4x4_t m = vld4q_s32(mult);
    a0 = vqrdmulhq_s32(a0, m.val[0]);
    a1 = vqrdmulhq_s32(a1, m.val[1]);
    a2 = vqrdmulhq_s32(a2, m.val[2]);
    a3 = vqrdmulhq_s32(a3, m.val[3]);
    if (!cx.no_fix) {
      a0 = vqaddq_s32(a0, vshrq_n_s32(a0, 31));
      a1 = vqaddq_s32(a1, vshrq_n_s32(a1, 31));
      a2 = vqaddq_s32(a2, vshrq_n_s32(a2, 31));
      a3 = vqaddq_s32(a3, vshrq_n_s32(a3, 31));
    }
    const int32x4x4_t sh = vld4q_s32(shift);
    a0 = vrshlq_s32(a0, sh.val[0]);
    a1 = vrshlq_s32(a1, sh.val[1]);
    a2 = vrshlq_s32(a2, sh.val[2]);
    a3 = vrshlq_s32(a3, sh.val[3]);
  } else {
    const bool left = cx.left;
    auto rq = [&](int32x4_t v, int i) {
      const uint32x4_t off = vldrwq_u32(kOffs + 4 * i);
      int32x4_t sv = vldrwq_gather_shifted_offset_s32(shift, off);
      if (left) {
        v = vshlq_s32(v, vmaxq_s32(sv, vdupq_n_s32(0)));
        sv = vminq_s32(sv, vdupq_n_s32(0));
      }
      v = vqrdmulhq_s32(v, vldrwq_gather_shifted_offset_s32(mult, off));
      v = vqaddq_s32(v, vshrq_n_s32(vandq_s32(v, sv), 31));
      return vrshlq_s32(v, sv);
    };
    a0 = rq(a0, 0);
    a1 = rq(a1, 1);
    a2 = rq(a2, 2);
    a3 = rq(a3, 3);
  }
  int16x8_t e = vqmovnbq_s32(vreinterpretq_s16_s32(a1), a0);  // 16-bit lane j: channel 2j
  e = vqmovntq_s32(e, a2);
  int16x8_t o = vqmovnbq_s32(vreinterpretq_s16_s32(a3), a1);  // channel 2j + 1
  o = vqmovntq_s32(o, a3);
  e = vqaddq_n_s16(e, cx.out_zp);
  o = vqaddq_n_s16(o, cx.out_zp);
  int8x16_t r = vqmovnbq_s16(vreinterpretq_s8_s16(o), e);
  r = vqmovntq_s16(r, o);
  // (saturated to int8 already: equal to TFLite's clamp of the int32 value)
  if (cx.clamp) r = vmaxq_s8(vminq_s8(r, vdupq_n_s8(cx.act_max)), vdupq_n_s8(cx.act_min));
  if constexpr (kPred) {
    vstrbq_p_s8(out, r, pr);
  } else {
    vstrbq_s8(out, r);
  }
}

// Rows of a walked column, their full groups of 16 channels (taps in pairs,
// the unmasked fixup, the whole int8 range) in assembly: GCC 12 spills an
// accumulator in the tap loop and the requantization's registers from the
// intrinsics of group(). Field order is fixed by the assembly's offsets.
struct DwcArgs {
  const int8_t* x;            // 0: first tap of the first row, channel 0
  const int8_t* w;            // 4: filter, channel 0 of tap 0
  int32_t step;               // 8: input bytes between taps
  int32_t c;                  // 12: filter bytes between taps (C)
  const int32_t* bias;        // 16: folded bias, channel 0
  const int32_t* mult;        // 20: per-channel (VLD4 writeback)
  const int32_t* shift;       // 24
  int8_t* out;                // 28: output of the first row, channel 0
  int32_t zp;                 // 32: output zero point
  int32_t groups;             // 36: full groups a row (0 when C < 16)
  int32_t pairs;              // 40: K / 2
  int32_t rows;               // 44: rows (>= 1)
  int32_t x_rew;              // 48: K step - 16 (back to the next group's first tap)
  int32_t w_rew;              // 52: K C - 16
  int32_t x_row_adv;          // 56: from the row's end (x + 16 groups) to the next row's first tap
  int32_t out_row_adv;        // 60: output bytes after the full groups to the next row
  int32_t tail;               // 64: C % 16 (its group predicated, after the full ones)
  const int32_t* tail_bias;   // 68: its bias, multipliers, shifts (16 entries each)
  const int32_t* tail_mult;   // 72
  const int32_t* tail_shift;  // 76
};
static_assert(sizeof(DwcArgs) == 80, "DwcArgs layout is fixed by the assembly");

extern "C" {
void tp_mve_dwc_even(const DwcArgs*);
void tp_mve_dwc_odd(const DwcArgs*);
void tp_mve_dwc_even_nr(const DwcArgs*);  // without the rounding fixup (LaneCtx::no_fix)
void tp_mve_dwc_odd_nr(const DwcArgs*);
// Step and C both 128, input and filter 4-aligned (sww01's layers): the
// steps by post-incremented VLDRW, no adds (20 instructions a pair of taps).
void tp_mve_dwc_even_128(const DwcArgs*);
void tp_mve_dwc_odd_128(const DwcArgs*);
void tp_mve_dwc_even_nr_128(const DwcArgs*);
void tp_mve_dwc_odd_nr_128(const DwcArgs*);
}

// Registers: r0 x, r1 w, r2 step, r3 C, r4 bias, r5 mult, r6 shift, r7 out,
// r8 output zero point, r9 groups left in the row, r10 x_rew, r11 w_rew,
// r12 pairs, lr the tap loop; the arguments' pointer and the rows left on
// the stack. Vector registers: the accumulators q0-q3 (channels 4k, 4k+2,
// 4k+1, 4k+3 in q0, q2, q1, q3: the bias by VLD4), the tap's input and
// filter q4 / q5, the products q6 / q7; tap 1 of a pair: its VMULLB into
// q4, its input loaded again for VMULLT (all 8 registers are taken). Per
// pair 24 instructions (5 loads, 4 pointer steps, 4 VMULL, 2 int16 sums, 4
// widenings, 4 accumulations, LE) for 32 MACs; 20 in the _128 variants,
// whose loads step the pointers. Per-channel (pc): the
// multiplier and shift VLD4s advance by 64 bytes (writeback); per-tensor
// (pt): 16 repeated values, no writeback.
__asm__(R"(
  .syntax unified
  @ One group of 16 channels (pred: the C % 16 lanes of P0, every memory
  @ access predicated).
  .macro TP_DWC_LD q, r, pred
  .if \pred
  vpst
  vldrbt.u8 \q, [\r]
  .else
  vldrb.u8 \q, [\r]
  .endif
  .endm
  @ A load, then the pointer's step: the add of the step register, or with
  @ imm (the step a constant, 4-aligned pointers) a post-incremented VLDRW.
  @ (imm only on full groups: no predicate.)
  .macro TP_DWC_LDS q, r, pred, imm, rs
  .if \imm
  vldrw.u32 \q, [\r], #\imm
  .else
  TP_DWC_LD \q, \r, \pred
  add \r, \rs
  .endif
  .endm
  .macro TP_DWC_GROUP odd, wb, pred, nofix, imm
  vld40.32 {q0, q1, q2, q3}, [r4]
  vld41.32 {q0, q1, q2, q3}, [r4]
  vld42.32 {q0, q1, q2, q3}, [r4]
  vld43.32 {q0, q1, q2, q3}, [r4]!
  wls lr, r12, 12f
11:
  TP_DWC_LDS q4, r0, \pred, \imm, r2
  TP_DWC_LDS q5, r1, \pred, \imm, r3
  vmullb.s8 q6, q4, q5
  vmullt.s8 q7, q4, q5
  .if \imm
  vldrw.u32 q4, [r0]
  .else
  TP_DWC_LD q4, r0, \pred
  .endif
  TP_DWC_LDS q5, r1, \pred, \imm, r3
  vmullb.s8 q4, q4, q5
  vadd.i16 q6, q6, q4
  TP_DWC_LDS q4, r0, \pred, \imm, r2
  vmullt.s8 q4, q4, q5
  vadd.i16 q7, q7, q4
  vmovlb.s16 q4, q6
  vadd.i32 q0, q0, q4
  vmovlt.s16 q4, q6
  vadd.i32 q2, q2, q4
  vmovlb.s16 q4, q7
  vadd.i32 q1, q1, q4
  vmovlt.s16 q4, q7
  vadd.i32 q3, q3, q4
  le lr, 11b
12:
  .if \odd
  TP_DWC_LDS q4, r0, \pred, \imm, r2
  TP_DWC_LDS q5, r1, \pred, \imm, r3
  vmullb.s8 q6, q4, q5
  vmullt.s8 q7, q4, q5
  vmovlb.s16 q4, q6
  vadd.i32 q0, q0, q4
  vmovlt.s16 q4, q6
  vadd.i32 q2, q2, q4
  vmovlb.s16 q4, q7
  vadd.i32 q1, q1, q4
  vmovlt.s16 q4, q7
  vadd.i32 q3, q3, q4
  .endif
  sub r0, r10
  sub r1, r11
  vld40.32 {q4, q5, q6, q7}, [r5]
  vld41.32 {q4, q5, q6, q7}, [r5]
  vld42.32 {q4, q5, q6, q7}, [r5]
  .if \wb
  vld43.32 {q4, q5, q6, q7}, [r5]!
  .else
  vld43.32 {q4, q5, q6, q7}, [r5]
  .endif
  vqrdmulh.s32 q0, q0, q4
  vqrdmulh.s32 q1, q1, q5
  vqrdmulh.s32 q2, q2, q6
  vqrdmulh.s32 q3, q3, q7
  .if !\nofix
  vshr.s32 q4, q0, #31
  vshr.s32 q5, q1, #31
  vshr.s32 q6, q2, #31
  vshr.s32 q7, q3, #31
  vqadd.s32 q0, q0, q4
  vqadd.s32 q1, q1, q5
  vqadd.s32 q2, q2, q6
  vqadd.s32 q3, q3, q7
  .endif
  vld40.32 {q4, q5, q6, q7}, [r6]
  vld41.32 {q4, q5, q6, q7}, [r6]
  vld42.32 {q4, q5, q6, q7}, [r6]
  .if \wb
  vld43.32 {q4, q5, q6, q7}, [r6]!
  .else
  vld43.32 {q4, q5, q6, q7}, [r6]
  .endif
  vrshl.s32 q0, q0, q4
  vrshl.s32 q1, q1, q5
  vrshl.s32 q2, q2, q6
  vrshl.s32 q3, q3, q7
  vqmovnb.s32 q4, q0
  vqmovnt.s32 q4, q2
  vqmovnb.s32 q5, q1
  vqmovnt.s32 q5, q3
  vqadd.s16 q4, q4, r8
  vqadd.s16 q5, q5, r8
  vqmovnb.s16 q6, q4
  vqmovnt.s16 q6, q5
  .if \pred
  vpst
  vstrbt.8 q6, [r7]
  .else
  vstrb.8 q6, [r7], #16
  .endif
  .endm

  .macro TP_DWC name, odd, nofix, imm
  .pushsection .text.\name, "ax", %progbits
  .thumb
  .global \name
  .type \name, %function
  .p2align 2
  .thumb_func
\name:
  push {r4-r11, lr}
  vpush {d8-d15}
  sub sp, #8
  str r0, [sp]
  ldr r9, [r0, #44]
  str r9, [sp, #4]
  ldm r0, {r0-r8}
  ldr r9, [sp]
  ldrd r10, r11, [r9, #48]
  ldr r12, [r9, #40]
  ldr r9, [r9, #36]
  cmp r9, #0
  beq 14f
10:
  TP_DWC_GROUP \odd, 1, 0, \nofix, \imm
  subs r9, #1
  bne 10b
14:
  @ the row's last C % 16 channels
  ldr r9, [sp]
  ldr lr, [r9, #64]
  cmp lr, #0
  beq 15f
  vctp.8 lr
  ldrd r4, r5, [r9, #68]
  ldr r6, [r9, #76]
  TP_DWC_GROUP \odd, 0, 1, \nofix, 0
15:
  @ next row: rows left?
  ldr r9, [sp, #4]
  subs r9, #1
  beq 19f
  str r9, [sp, #4]
  ldr r9, [sp]
  ldr lr, [r9, #56]
  add r0, lr
  ldr lr, [r9, #60]
  add r7, lr
  ldr r1, [r9, #4]
  ldrd r4, r5, [r9, #16]
  ldr r6, [r9, #24]
  ldr r9, [r9, #36]
  cmp r9, #0
  beq 14b
  b 10b
19:
  add sp, #8
  vpop {d8-d15}
  pop {r4-r11, pc}
  .size \name, . - \name
  .popsection
  .endm
  TP_DWC tp_mve_dwc_even, 0, 0, 0
  TP_DWC tp_mve_dwc_odd, 1, 0, 0
  TP_DWC tp_mve_dwc_even_nr, 0, 1, 0
  TP_DWC tp_mve_dwc_odd_nr, 1, 1, 0
  TP_DWC tp_mve_dwc_even_128, 0, 0, 128
  TP_DWC tp_mve_dwc_odd_128, 1, 0, 128
  TP_DWC tp_mve_dwc_even_nr_128, 0, 1, 128
  TP_DWC tp_mve_dwc_odd_nr_128, 1, 1, 128
  .purgem TP_DWC
  .purgem TP_DWC_GROUP
  .purgem TP_DWC_LD
)");

// `rows` walked rows (their full groups) from input row pointer x.
__attribute__((noinline)) void walk_rows_asm(const LaneCtx& cx, const int8_t* x, int32_t step, int32_t row_step,
                                             int32_t rows, int8_t* out) {
  DwcArgs a;
  const int32_t groups = cx.c >> 4;
  a.x = x;
  a.w = cx.filter;
  a.step = step;
  a.c = cx.c;
  a.bias = cx.bias;
  a.mult = cx.mult;
  a.shift = cx.shift;
  a.out = out;
  a.zp = cx.out_zp;
  a.groups = groups;
  a.pairs = cx.taps >> 1;
  a.rows = rows;
  a.x_rew = cx.taps * step - 16;
  a.w_rew = cx.taps * cx.c - 16;
  a.tail = cx.c & 15;
  a.tail_bias = cx.tail_bias;
  a.tail_mult = cx.tail_mult;
  a.tail_shift = cx.tail_shift;
  a.x_row_adv = row_step - 16 * groups - (a.tail != 0 ? 16 : 0);
  a.out_row_adv = cx.c - 16 * groups;
  using Fn = void (*)(const DwcArgs*);
  static constexpr Fn kFn[2][2][2] = {  // [step 128][no_fix][odd]
      {{tp_mve_dwc_even, tp_mve_dwc_odd}, {tp_mve_dwc_even_nr, tp_mve_dwc_odd_nr}},
      {{tp_mve_dwc_even_128, tp_mve_dwc_odd_128}, {tp_mve_dwc_even_nr_128, tp_mve_dwc_odd_nr_128}}};
  const bool s128 = step == 128 && cx.c == 128 && aligned(x, 4) && aligned(cx.filter, 4);
#ifdef TP_MVE_STATS
  if (s128) ++tp_mve_fast_calls[16];
#endif
  kFn[s128][cx.no_fix][cx.taps & 1](&a);
}

// Every channel of one output pixel.
__attribute__((noinline)) void pixel(const LaneCtx& cx, const Taps& taps, int8_t* out) {
  const int32_t full = cx.c & ~15;
  const int32_t* bias = cx.bias;
  const int32_t* mult = cx.mult;
  const int32_t* shift = cx.shift;
  for (int32_t c = 0; c < full; c += 16) {
    group<false>(cx, taps, c, out + c, bias, mult, shift);
    bias += 16;
    mult += cx.rq_inc;
    shift += cx.rq_inc;
  }
  if (full != cx.c) {
    group<true>(cx, taps, full, out + full, cx.tail_bias, cx.tail_mult, cx.tail_shift);
  }
}

// The whole layer.
__attribute__((noinline)) void run(const DepthwiseConvParams& p, const LaneCtx& cx, const int8_t* input, int8_t* output,
                                   int8_t* zrow, const int8_t** list) {
  // c_n: output channels (the output pixel's bytes); c_in: input channels
  // (the input pixel's bytes; c_n unless a depth multiplier > 1).
  const int32_t c_n = cx.c, c_in = p.input.c, in_h = p.input.h, in_w = p.input.w;
  const int32_t kh = p.filter.h, kw = p.filter.w;
  const int32_t dh = p.dilation_h, dw = p.dilation_w;
  const int32_t col_step = dh * in_w * c_in;
  const bool column = kw == 1 && in_w == 1 && p.output.w == 1 && p.pad_w == 0;
  for (int32_t n = 0; n < p.output.n; ++n) {
    const int8_t* in_n = input + n * in_h * in_w * c_in;
    int8_t* out = output + n * p.output.h * p.output.w * c_n;
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_h;
      if (column && iy0 >= 0 && iy0 + (kh - 1) * dh < in_h) {
        if (cx.pairs && !cx.fix && !cx.clamp && cx.rq_inc != 0 && cx.dm_log2 == 0) {
          // This row and every walked row after it in assembly: rows y
          // with y sh - pad_h + (kh - 1) dh < in_h, i.e. y sh <= lim (this
          // one is such a row: lim >= 0).
          const int32_t lim = in_h - 1 + p.pad_h - (kh - 1) * dh;
          int32_t end = lim / p.stride_h + 1;
          if (end > p.output.h) end = p.output.h;
          const int32_t rows = end - oy;
          walk_rows_asm(cx, in_n + iy0 * c_in, col_step, p.stride_h * c_in, rows, out);
          out += rows * c_n;
          oy += rows - 1;
        } else {
          pixel(cx, Taps{nullptr, in_n + iy0 * c_in, col_step}, out);
          out += c_n;
        }
        continue;
      }
      for (int32_t ox = 0; ox < p.output.w; ++ox) {
        const int32_t ix0 = ox * p.stride_w - p.pad_w;
        const int8_t** l = list;
        for (int32_t ky = 0; ky < kh; ++ky) {
          const int32_t iy = iy0 + ky * dh;
          const bool row_in = iy >= 0 && iy < in_h;
          const int8_t* row = in_n + iy * in_w * c_in;
          for (int32_t kx = 0; kx < kw; ++kx) {
            const int32_t ix = ix0 + kx * dw;
            *l++ = row_in && ix >= 0 && ix < in_w ? row + ix * c_in : zrow;
          }
        }
        pixel(cx, Taps{list, nullptr, 0}, out);
        out += c_n;
      }
    }
  }
}

}  // namespace

bool depthwise_lanes(const DepthwiseConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch) {
  const int32_t c_n = p.output.c;
  if (!arm_mve::dw_lanes_any_shape(p)) return false;
  if (p.output.n <= 0 || p.output.h <= 0 || p.output.w <= 0) return true;
  const Requant& rq = p.requant;
  const int32_t n_rq = rq.per_channel ? c_n : 1;
  const int32_t max_shift = max_s32(rq.shift, n_rq);
  // The tap list and the zero-point row, when the shape needs them.
  int8_t* zrow = nullptr;
  const int8_t** list = nullptr;
  const uint32_t need = arm_mve::dw_lanes_any_scratch(p);
  if (need > 0) {
    if (scratch.data == nullptr || scratch.bytes < need) return false;
    list = static_cast<const int8_t**>(scratch.data);
    zrow = static_cast<int8_t*>(scratch.data) + arm_mve::dw_lanes_list_bytes(p);
    const int8x16_t zp = vdupq_n_s8(static_cast<int8_t>(-p.input_offset));
    for (int32_t i = 0; i < c_n; i += 16) {
      vstrbq_p_s8(zrow + i, zp, vctp8q(static_cast<uint32_t>(c_n - i)));
    }
  }
  // Pairs of taps summed in int16 (mve_util.h tap_pairs_fit_s16).
  const int32_t k_n = p.filter.h * p.filter.w;
  const bool pairs = tap_pairs_fit_s16(p.filter_data, k_n, c_n);
  // A channel of nonzero multiplier with shift 0: the masked fixup.
  bool fix = max_shift > 0;
  for (int32_t i = 0; max_shift == 0 && i < n_rq; ++i) {
    if (rq.shift[i] == 0 && rq.multiplier[i] != 0) {
      fix = true;
      break;
    }
  }

  // 16-entry arrays: the tail group's bias, multipliers and shifts (lanes
  // past C: zero bias, copies); per-tensor: the multiplier and shift
  // repeated, for every group.
  alignas(16) int32_t tb[16], tm[16], ts[16];
  LaneCtx cx;
  cx.filter = p.filter_data;
  cx.c = c_n;
  cx.dm_log2 = __builtin_ctz(static_cast<uint32_t>(p.depth_multiplier));
  cx.taps = k_n;
  cx.bias = p.folded_bias;
  cx.out_zp = static_cast<int16_t>(rq.output_offset);
  cx.clamp = rq.act_min > -128 || rq.act_max < 127;
  cx.pairs = pairs;
  cx.fix = fix;
  cx.no_fix = fixup_hidden(rq);
  cx.left = max_shift > 0;
  cx.act_min = static_cast<int8_t>(rq.act_min < -128 ? -128 : rq.act_min);
  cx.act_max = static_cast<int8_t>(rq.act_max > 127 ? 127 : rq.act_max);
  const int32_t full_c = c_n & ~15;
  for (int32_t i = 0; full_c != c_n && i < 16; i += 4) {
    const mve_pred16_t pr = vctp32q(static_cast<uint32_t>(c_n - full_c - i));
    vstrwq_s32(tb + i, vldrwq_z_s32(p.folded_bias + full_c + i, pr));
  }
  if (rq.per_channel) {
    cx.mult = rq.multiplier;
    cx.shift = rq.shift;
    cx.rq_inc = 16;
    for (int32_t i = 0; full_c != c_n && i < 16; i += 4) {
      const mve_pred16_t pr = vctp32q(static_cast<uint32_t>(c_n - full_c - i));
      vstrwq_s32(tm + i, vldrwq_z_s32(rq.multiplier + full_c + i, pr));
      vstrwq_s32(ts + i, vldrwq_z_s32(rq.shift + full_c + i, pr));
    }
  } else {
    for (int32_t i = 0; i < 16; i += 4) {
      vstrwq_s32(tm + i, vdupq_n_s32(rq.multiplier[0]));
      vstrwq_s32(ts + i, vdupq_n_s32(rq.shift[0]));
    }
    cx.mult = tm;
    cx.shift = ts;
    cx.rq_inc = 0;
  }
  cx.tail_bias = tb;
  cx.tail_mult = tm;
  cx.tail_shift = ts;
#ifdef TP_MVE_STATS
  if (!pairs) ++tp_mve_fast_calls[10];    // a weight of -128: every tap widened
  if (need > 0) ++tp_mve_fast_calls[11];  // the tap list
  if (cx.no_fix && !cx.fix) ++tp_mve_fast_calls[15];  // no rounding fixup
#endif
  run(p, cx, input, output, zrow, list);
  return true;
}

}  // namespace tp::kernels::mve

#endif  // __ARM_FEATURE_MVE
