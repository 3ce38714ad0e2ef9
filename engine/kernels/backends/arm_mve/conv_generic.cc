// CONV_2D shapes the specialised Helium paths (conv.cc: 1x1 and 3x3 with
// C_in a multiple of 16 and a generated GEMM kernel for the shape) do not
// take, e.g. ic02's 3x3 layers over 40 and 80 channels and its 3x3x160
// (K = 1440 taps): one output pixel at a time, its window copied into a
// column in the layer's scratch (planned in the arena: scratch_need.h) (padding taps hold the input zero point, which the folded
// bias cancels), then four output channels at a time, 16 taps a step with
// VMLADAVA (a last predicated step for K % 16), and the reference's
// requantization.
// With room for two columns (2 * K rounded up to 16 bytes) it runs pixel
// pairs instead: both windows interleaved 16 taps at a time in the scratch
// (one pointer reads both), each weight vector load shared by the two
// pixels (8 VMLADAVA a step over 4 channels x 2 pixels), and the four
// channels of a pixel requantized in one vector (VQRDMULH, the sign fixup,
// VRSHL: TFLite's rounding) when no shift is a left shift.
// Bit-exact with the reference kernel; slower than the specialised paths,
// several times faster than the reference.
#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

#include <cstddef>

#include "../../reference/requant.h"
#include "mve_kernels.h"
#include "mve_util.h"

namespace tp::kernels::mve {

namespace {

// Slot layout (P pixels interleaved): logical tap t of slot s lives at
// (t / 16) * 16 * P + s * 16 + t % 16, so one pointer reads the same 16
// taps of every pixel.
template <int P>
inline int8_t* slot_at(int8_t* col, int32_t t, int32_t slot) {
  return col + (t & ~15) * P + slot * 16 + (t & 15);
}

// Copies len taps from src to logical taps [t, t + len) of slot `slot`:
// a predicated piece up to the next 16-tap boundary, whole 16-tap chunks,
// a predicated last piece.
template <int P>
inline void slot_copy(int8_t* col, int32_t t, int32_t slot, const int8_t* src, int32_t len) {
  const int32_t head = (16 - (t & 15)) & 15;
  if (head != 0) {
    const int32_t n = head < len ? head : len;
    const mve_pred16_t m = vctp8q(static_cast<uint32_t>(n));
    vstrbq_p_s8(slot_at<P>(col, t, slot), vldrbq_z_s8(src, m), m);
    t += n;
    src += n;
    len -= n;
  }
  int8_t* d = slot_at<P>(col, t, slot);  // t is a multiple of 16 here (or len is 0)
  for (; len >= 16; len -= 16, src += 16, d += 16 * P) vstrbq_s8(d, vldrbq_s8(src));
  if (len > 0) {
    const mve_pred16_t m = vctp8q(static_cast<uint32_t>(len));
    vstrbq_p_s8(d, vldrbq_z_s8(src, m), m);
  }
}

// Fills logical taps [t, t + len) of slot `slot` with v.
template <int P>
inline void slot_fill(int8_t* col, int32_t t, int32_t slot, int8_t v, int32_t len) {
  const int8x16_t d = vdupq_n_s8(v);
  while (len > 0) {
    int32_t n = 16 - (t & 15);
    if (n > len) n = len;
    vstrbq_p_s8(slot_at<P>(col, t, slot), d, vctp8q(static_cast<uint32_t>(n)));
    t += n;
    len -= n;
  }
}

// The window of output pixel (n, oy, ox) into slot `slot` (padding taps:
// the input zero point; whole filter rows when no tap is outside).
template <int P>
void slot_window(const ConvParams& p, const int8_t* input, int32_t n, int32_t oy, int32_t ox,
                 int8_t* col, int32_t slot, int8_t pad) {
  const int32_t cin = p.input.c, fh = p.filter.h, fw = p.filter.w;
  const int32_t row = fw * cin;
  const int32_t y0 = oy * p.stride_h - p.pad_h;
  const int32_t x0 = ox * p.stride_w - p.pad_w;
  int32_t t = 0;
  for (int32_t ky = 0; ky < fh; ++ky, t += row) {
    const int32_t y = y0 + ky * p.dilation_h;
    if (y < 0 || y >= p.input.h) {
      slot_fill<P>(col, t, slot, pad, row);
      continue;
    }
    const int8_t* line = input + (n * p.input.h + y) * p.input.w * cin;
    if (p.dilation_w == 1 && x0 >= 0 && x0 + fw <= p.input.w) {
      slot_copy<P>(col, t, slot, line + x0 * cin, row);
      continue;
    }
    for (int32_t kx = 0; kx < fw; ++kx) {
      const int32_t x = x0 + kx * p.dilation_w;
      if (x >= 0 && x < p.input.w) {
        slot_copy<P>(col, t + kx * cin, slot, line + x * cin, cin);
      } else {
        slot_fill<P>(col, t + kx * cin, slot, pad, cin);
      }
    }
  }
}

// TFLite's MultiplyByQuantizedMultiplier for shifts <= 0 on 4 lanes, + the
// output offset, clamped to the whole int8 range (the caller checked
// RqInfo::ok).
inline int32x4_t requant_v(int32x4_t acc, int32x4_t mult, int32x4_t shift, int32_t out_offset) {
  int32x4_t v = vqrdmulhq_s32(acc, mult);
  // Negative values with a right shift: one less before VRSHL's round half
  // up, so that ties round away from zero (shift 0: no fixup).
  v = vqaddq_s32(v, vshrq_n_s32(vandq_s32(v, shift), 31));
  v = vrshlq_s32(v, shift);
  v = vaddq_n_s32(v, out_offset);
  return vmaxq_s32(vminq_s32(v, vdupq_n_s32(127)), vdupq_n_s32(-128));
}

inline int32x4_t vec4(int32_t a, int32_t b, int32_t c, int32_t d) {
  int32x4_t v = vdupq_n_s32(a);
  v = vsetq_lane_s32(b, v, 1);
  v = vsetq_lane_s32(c, v, 2);
  return vsetq_lane_s32(d, v, 3);
}

// One block of 4 pixels x 2 channels (slot layout) or 2 pixels x 4
// channels in assembly: the accumulators start at the channels' folded
// bias, 16 taps a step, a last step of `tail` taps (weights predicated:
// the slots' bytes past K multiply zeros); the steps two per loop
// iteration. VMLADAVA accumulates only into
// even registers, so the eight accumulators take r0, r2, ..., r12 and lr,
// which GCC does not manage (it moved and spilled them every step: 23-25
// instructions a step instead of 16).
struct DotArgs {
  const int8_t* x;       // 0: the slots' taps
  const int8_t* w[4];    // 4: weight rows (w[0..1] or w[0..3])
  int32_t steps;         // 20: whole 16-tap steps
  int32_t tail;          // 24: K % 16
  const int32_t* bias;   // 28: folded bias of the block's first channel
  int32_t acc[8];        // 32: p4c2: a[s][c] at c * 4 + s; p2c4: at s * 4 + c
};
static_assert(offsetof(DotArgs, acc) == 32);
extern "C" void tp_mve_dot_p4c2(DotArgs* d);
extern "C" void tp_mve_dot_p2c4(DotArgs* d);
asm(R"(
  .text
  .syntax unified
  .thumb
  .p2align 2
  .type tp_mve_dot_p4c2, %function
  .thumb_func
tp_mve_dot_p4c2:
  push {r4-r11, lr}
  vpush {d8-d9}
  mov r11, r0
  ldr r1, [r11, #0]
  ldr r3, [r11, #4]
  ldr r5, [r11, #8]
  ldr r7, [r11, #20]
  ldr r9, [r11, #28]
  ldrd r0, r2, [r9]
  mov r4, r0
  mov r8, r0
  mov r12, r0
  mov r6, r2
  mov r10, r2
  mov lr, r2
  .macro tp_p4c2_step
  vldrb.8 q4, [r3], #16
  vldmia r1!, {d0-d7}
  vmladava.s8 r0, q0, q4
  vmladava.s8 r4, q1, q4
  vmladava.s8 r8, q2, q4
  vmladava.s8 r12, q3, q4
  vldrb.8 q4, [r5], #16
  vmladava.s8 r2, q0, q4
  vmladava.s8 r6, q1, q4
  vmladava.s8 r10, q2, q4
  vmladava.s8 lr, q3, q4
  .endm
  lsrs r7, r7, #1
  bcc 4f
  tp_p4c2_step
4:
  cbz r7, 2f
1:
  tp_p4c2_step
  tp_p4c2_step
  subs r7, r7, #1
  bne 1b
2:
  ldr r9, [r11, #24]
  cmp r9, #0
  beq 3f
  vctp.8 r9
  vpst
  vldrbt.8 q4, [r3]
  vldmia r1, {d0-d7}
  vmladava.s8 r0, q0, q4
  vmladava.s8 r4, q1, q4
  vmladava.s8 r8, q2, q4
  vmladava.s8 r12, q3, q4
  vpst
  vldrbt.8 q4, [r5]
  vmladava.s8 r2, q0, q4
  vmladava.s8 r6, q1, q4
  vmladava.s8 r10, q2, q4
  vmladava.s8 lr, q3, q4
3:
  strd r0, r4, [r11, #32]
  strd r8, r12, [r11, #40]
  strd r2, r6, [r11, #48]
  strd r10, lr, [r11, #56]
  vpop {d8-d9}
  pop {r4-r11, pc}
  .size tp_mve_dot_p4c2, .-tp_mve_dot_p4c2

  .p2align 2
  .type tp_mve_dot_p2c4, %function
  .thumb_func
tp_mve_dot_p2c4:
  push {r0, r4-r11, lr}
  vpush {d8-d9}
  mov r11, r0
  ldr r1, [r11, #0]
  ldr r3, [r11, #4]
  ldr r5, [r11, #8]
  ldr r7, [r11, #12]
  ldr r9, [r11, #16]
  ldr r12, [r11, #28]
  ldrd r0, r2, [r12]
  ldrd r4, r6, [r12, #8]
  mov r8, r0
  mov r10, r2
  mov r12, r4
  mov lr, r6
  .macro tp_p2c4_step
  vldmia r1!, {d0-d3}
  vldrb.8 q4, [r3], #16
  vmladava.s8 r0, q0, q4
  vmladava.s8 r8, q1, q4
  vldrb.8 q4, [r5], #16
  vmladava.s8 r2, q0, q4
  vmladava.s8 r10, q1, q4
  vldrb.8 q4, [r7], #16
  vmladava.s8 r4, q0, q4
  vmladava.s8 r12, q1, q4
  vldrb.8 q4, [r9], #16
  vmladava.s8 r6, q0, q4
  vmladava.s8 lr, q1, q4
  .endm
  ldr r11, [r11, #20]
  lsrs r11, r11, #1
  bcc 4f
  tp_p2c4_step
4:
  cmp r11, #0
  beq 2f
1:
  tp_p2c4_step
  tp_p2c4_step
  subs r11, r11, #1
  bne 1b
2:
  ldr r11, [sp, #16]
  ldr r11, [r11, #24]
  cmp r11, #0
  beq 3f
  vctp.8 r11
  vldmia r1, {d0-d3}
  vpst
  vldrbt.8 q4, [r3]
  vmladava.s8 r0, q0, q4
  vmladava.s8 r8, q1, q4
  vpst
  vldrbt.8 q4, [r5]
  vmladava.s8 r2, q0, q4
  vmladava.s8 r10, q1, q4
  vpst
  vldrbt.8 q4, [r7]
  vmladava.s8 r4, q0, q4
  vmladava.s8 r12, q1, q4
  vpst
  vldrbt.8 q4, [r9]
  vmladava.s8 r6, q0, q4
  vmladava.s8 lr, q1, q4
3:
  ldr r11, [sp, #16]
  strd r0, r2, [r11, #32]
  strd r4, r6, [r11, #40]
  strd r8, r10, [r11, #48]
  strd r12, lr, [r11, #56]
  vpop {d8-d9}
  pop {r0, r4-r11, pc}
  .size tp_mve_dot_p2c4, .-tp_mve_dot_p2c4
)");

// A whole pixel group in assembly: every block of channels (C_out / C of
// them) of the P pixels whose windows are in the slots, the accumulators
// requantized in vector lanes (VMOV Dd from the core registers, then
// VQRDMULH, the sign fixup, VRSHL, saturating narrowing with the zero point
// added in 16-bit lanes: TFLite's rounding and clamp to the whole int8
// range) and scattered to the pixels' outputs. Only with RqInfo::ok. The
// pointers that advance from block to block live in the argument block,
// read and written back with one LDM and one STM per block; the weight
// pointers run on from row to row; the 16-tap steps run four per loop
// iteration.
struct GroupArgs {
  const int32_t* mult;   // 0: multiplier of the block's first channel
  const int32_t* shift;  // 4: its shift
  int32_t out_off;       // 8: output zero point
  int8_t* out;           // 12: slot 0's output at the block's first channel
  int32_t blocks;        // 16: blocks (>= 1)
  int32_t rq_step;       // 20: multiplier / shift bytes per block (0: per tensor)
  const int32_t* bias;   // 24: folded bias of the block's first channel
  const int8_t* x;       // 28: the slots' taps
  int32_t tail;          // 32: K % 16
  int32_t k;             // 36: K
  int32_t steps;         // 40: whole 16-tap steps
  const int8_t* w;       // 44: weight row of the first channel
  uint32_t gofs[4];      // 48: p4c2: multiplier gather offsets {0, 4, 0, 4}
  uint16_t oofs[8];      // 64: the 8 outputs' byte offsets from slot 0's (16-bit lanes: q0's
                         //     accumulators in the even lanes, q1's in the odd ones)
};
static_assert(offsetof(GroupArgs, w) == 44 && offsetof(GroupArgs, oofs) == 64);
extern "C" void tp_mve_grp_p4c2(GroupArgs* g);
extern "C" void tp_mve_grp_p2c4(GroupArgs* g);
// The same with the step count fixed (no loop book-keeping; the first step
// starts the accumulators with VMLADAV, the bias added in vector lanes
// before the requantization): ic02's K = 360 (22 steps + 8 taps) and
// K = 1440 (90 steps) 4 x 2, K = 720 (45 steps) 2 x 4.
extern "C" void tp_mve_grp_p4c2_k360(GroupArgs* g);
extern "C" void tp_mve_grp_p4c2_k1440(GroupArgs* g);
extern "C" void tp_mve_grp_p2c4_k720(GroupArgs* g);
asm(R"(
  .text
  .syntax unified
  .thumb
  @ q0, q1 <- requantized (mult q2, shift q3), q4 clobbered; narrowed
  @ together (16-bit lanes: q0's even, q1's odd), the zero point r4 added,
  @ narrowed to bytes and scattered with the 16-bit offsets \offs from r6
  .macro tp_grp_rq_store offs
  vqrdmulh.s32 q0, q0, q2
  vqrdmulh.s32 q1, q1, q2
  vand q4, q0, q3
  vshr.s32 q4, q4, #31
  vqadd.s32 q0, q0, q4
  vand q4, q1, q3
  vshr.s32 q4, q4, #31
  vqadd.s32 q1, q1, q4
  vrshl.s32 q0, q0, q3
  vrshl.s32 q1, q1, q3
  vqmovnb.s32 q0, q0
  vqmovnt.s32 q0, q1
  vqadd.s16 q0, q0, r4
  vqmovnb.s16 q0, q0
  vstrb.16 q0, [r6, \offs]
  .endm

  .macro tp_p4c2_stepx op
  vldrb.8 q4, [r3], #16
  vldmia r1!, {d0-d7}
  \op r0, q0, q4
  \op r4, q1, q4
  \op r8, q2, q4
  \op r12, q3, q4
  vldrb.8 q4, [r5], #16
  \op r2, q0, q4
  \op r6, q1, q4
  \op r10, q2, q4
  \op lr, q3, q4
  .endm

  .macro tp_p2c4_stepx op
  vldmia r1!, {d0-d3}
  vldrb.8 q4, [r3], #16
  \op r0, q0, q4
  \op r8, q1, q4
  vldrb.8 q4, [r5], #16
  \op r2, q0, q4
  \op r10, q1, q4
  vldrb.8 q4, [r7], #16
  \op r4, q0, q4
  \op r12, q1, q4
  vldrb.8 q4, [r9], #16
  \op r6, q0, q4
  \op lr, q1, q4
  .endm

  @ u = 0: steps and tail from the arguments, accumulators start at the
  @ bias; else u steps, then i - 1 iterations of u steps, then a tail of t
  @ taps, the bias added before the requantization
  .macro tp_grp_p4c2 name, u, i, t
  .p2align 2
  .type \name, %function
  .thumb_func
\name:
  push {r4-r11, lr}
  vpush {d8-d15}
  mov r11, r0
  add r0, r11, #48
  vldrw.u32 q7, [r0]
  vldrw.u32 q5, [r0, #16]
  .if \u == 0
  ldr r9, [r11, #24]
  ldrd r12, lr, [r9], #8
  str r9, [r11, #24]
  .endif
  ldr r3, [r11, #44]
  ldr r5, [r11, #36]
  add r5, r3
  .if \u != 0 && \t > 0
  movs r9, #\t
  vctp.8 r9
  .endif
10:
  ldr r1, [r11, #28]
  .if \u == 0
  mov r0, r12
  mov r4, r12
  mov r8, r12
  mov r2, lr
  mov r6, lr
  mov r10, lr
  ldr r7, [r11, #40]
  lsrs r7, r7, #1
  bcc 4f
  tp_p4c2_step
4:
  lsrs r7, r7, #1
  bcc 5f
  tp_p4c2_step
  tp_p4c2_step
5:
  cmp r7, #0
  beq 2f
1:
  tp_p4c2_step
  tp_p4c2_step
  tp_p4c2_step
  tp_p4c2_step
  subs r7, r7, #1
  bne 1b
2:
  ldr r9, [r11, #32]
  cmp r9, #0
  beq 3f
  .else
  tp_p4c2_stepx vmladav.s8
  .rept \u - 1
  tp_p4c2_step
  .endr
  .if \i > 1
  movs r7, #\i - 1
1:
  .rept \u
  tp_p4c2_step
  .endr
  subs r7, r7, #1
  bne 1b
  .endif
  .endif
  .if \u == 0
  vctp.8 r9
  .endif
  .if \u == 0 || \t > 0
  vpst
  vldrbt.8 q4, [r3]
  vldmia r1, {d0-d7}
  vmladava.s8 r0, q0, q4
  vmladava.s8 r4, q1, q4
  vmladava.s8 r8, q2, q4
  vmladava.s8 r12, q3, q4
  vpst
  vldrbt.8 q4, [r5]
  vmladava.s8 r2, q0, q4
  vmladava.s8 r6, q1, q4
  vmladava.s8 r10, q2, q4
  vmladava.s8 lr, q3, q4
  .endif
3:
  vmov d0, r0, r2
  vmov d1, r4, r6
  vmov d2, r8, r10
  vmov d3, r12, lr
  ldm r11, {r0, r2, r4, r6, r7, r8, r9}
  .if \u != 0
  vldrw.u32 q6, [r9, q7]
  vadd.i32 q0, q0, q6
  vadd.i32 q1, q1, q6
  .endif
  vldrw.u32 q2, [r0, q7]
  vldrw.u32 q3, [r2, q7]
  tp_grp_rq_store q5
  .if \u == 0
  subs r7, #1
  beq 9f
  add r0, r8
  add r2, r8
  adds r6, #2
  ldrd r12, lr, [r9], #8
  stm r11, {r0, r2, r4, r6, r7, r8, r9}
  ldrd r9, r8, [r11, #32]
  add r3, r5, r9
  add r5, r3, r8
  b 10b
  .else
  add r0, r8
  add r2, r8
  adds r6, #2
  adds r9, #8
  subs r7, #1
  stm r11, {r0, r2, r4, r6, r7, r8, r9}
  ldrd r0, r8, [r11, #32]
  add r3, r5, r0
  add r5, r3, r8
  bne 10b
  .endif
9:
  vpop {d8-d15}
  pop {r4-r11, pc}
  .size \name, .-\name
  .endm

  .macro tp_grp_p2c4 name, u, i, t
  .p2align 2
  .type \name, %function
  .thumb_func
\name:
  push {r4-r11, lr}
  vpush {d8-d15}
  sub sp, #8
  str r0, [sp]
  mov r11, r0
  add r0, r11, #64
  vldrw.u32 q5, [r0]
  ldr r3, [r11, #44]
  ldr r0, [r11, #36]
  add r5, r3, r0
  add r7, r5, r0
  add r9, r7, r0
  .if \u == 0
  ldr r12, [r11, #24]
  ldrd r0, r2, [r12]
  ldrd r4, r6, [r12, #8]
  adds r12, #16
  str r12, [r11, #24]
  .endif
10:
  ldr r1, [r11, #28]
  .if \u == 0
  mov r8, r0
  mov r10, r2
  mov r12, r4
  mov lr, r6
  ldr r11, [r11, #40]
  lsrs r11, r11, #1
  bcc 4f
  tp_p2c4_step
4:
  lsrs r11, r11, #1
  bcc 5f
  tp_p2c4_step
  tp_p2c4_step
5:
  cmp r11, #0
  beq 2f
1:
  tp_p2c4_step
  tp_p2c4_step
  tp_p2c4_step
  tp_p2c4_step
  subs r11, r11, #1
  bne 1b
2:
  ldr r11, [sp]
  ldr r11, [r11, #32]
  cmp r11, #0
  beq 3f
  .else
  tp_p2c4_stepx vmladav.s8
  .rept \u - 1
  tp_p2c4_step
  .endr
  .if \i > 1
  movs r11, #\i - 1
1:
  .rept \u
  tp_p2c4_step
  .endr
  subs r11, r11, #1
  bne 1b
  .endif
  .if \t > 0
  movs r11, #\t
  .endif
  .endif
  .if \u == 0 || \t > 0
  vctp.8 r11
  vldmia r1, {d0-d3}
  vpst
  vldrbt.8 q4, [r3]
  vmladava.s8 r0, q0, q4
  vmladava.s8 r8, q1, q4
  vpst
  vldrbt.8 q4, [r5]
  vmladava.s8 r2, q0, q4
  vmladava.s8 r10, q1, q4
  vpst
  vldrbt.8 q4, [r7]
  vmladava.s8 r4, q0, q4
  vmladava.s8 r12, q1, q4
  vpst
  vldrbt.8 q4, [r9]
  vmladava.s8 r6, q0, q4
  vmladava.s8 lr, q1, q4
  .endif
3:
  vmov d0, r0, r2
  vmov d1, r4, r6
  vmov d2, r8, r10
  vmov d3, r12, lr
  ldr r11, [sp]
  ldm r11, {r0, r2, r4, r6, r7, r8, r10}
  .if \u != 0
  vldrw.u32 q6, [r10]
  vadd.i32 q0, q0, q6
  vadd.i32 q1, q1, q6
  .endif
  vldrw.u32 q2, [r0]
  vldrw.u32 q3, [r2]
  tp_grp_rq_store q5
  .if \u == 0
  subs r7, #1
  beq 9f
  .endif
  add r0, r8
  add r2, r8
  adds r6, #4
  adds r10, #16
  .if \u != 0
  subs r7, #1
  .endif
  stm r11, {r0, r2, r4, r6, r7, r8, r10}
  .if \u == 0
  ldrd r0, r2, [r10, #-16]
  ldrd r4, r6, [r10, #-8]
  .endif
  ldrd r1, r10, [r11, #32]
  add r3, r9, r1
  add r5, r3, r10
  add r7, r5, r10
  add r9, r7, r10
  .if \u == 0
  b 10b
  .else
  bne 10b
  .endif
9:
  add sp, #8
  vpop {d8-d15}
  pop {r4-r11, pc}
  .size \name, .-\name
  .endm

  tp_grp_p4c2 tp_mve_grp_p4c2, 0, 0, 0
  tp_grp_p4c2 tp_mve_grp_p4c2_k360, 22, 1, 8
  tp_grp_p4c2 tp_mve_grp_p4c2_k1440, 15, 6, 0
  tp_grp_p2c4 tp_mve_grp_p2c4, 0, 0, 0
  tp_grp_p2c4 tp_mve_grp_p2c4_k720, 45, 1, 0
)");

// The windows of `slots` output pixels whose taps are all inside the input
// (dilation_w 1), pix_step bytes apart in the input: each `rows` runs of
// `row` contiguous bytes, src_stride apart, copied to logical taps 0, row,
// 2 row, ... of consecutive slots (P slots): per run a predicated head up
// to the next 16-tap boundary, whole 16-byte chunks in a low-overhead loop
// (3 instructions a chunk), a predicated tail.
struct WinArgs {
  int8_t* cs;            // 0: col + 16 * first slot
  const int8_t* src;     // 4: first tap of the first pixel
  int32_t row;           // 8: bytes per run
  int32_t rows;          // 12: runs (>= 1)
  int32_t src_stride;    // 16: bytes between runs
  int32_t slots;         // 20: pixels (>= 1)
  int32_t pix_step;      // 24: bytes between the pixels' first taps
  int32_t t0;            // 28: logical tap of the first run's first byte
};
extern "C" void tp_mve_slot_win4(const WinArgs* a);
extern "C" void tp_mve_slot_win2(const WinArgs* a);
asm(R"(
  .text
  .syntax unified
  .thumb
  .macro tp_slot_win name, lsl_p, step
  .p2align 2
  .type \name, %function
  .thumb_func
\name:
  push {r4-r11, lr}
  ldr r5, [r0, #28]
  push {r5, r6}
  ldm r0, {r0-r4, r9, r10}
  mul r3, r3, r2
  add r3, r5
20:
  ldr r5, [sp]
  mov r11, r1
1:
  and r6, r5, #15
  bic r7, r5, #15
  add r7, r0, r7, lsl #\lsl_p
  mov r8, r2
  mov r12, r11
  cbz r6, 2f
  add lr, r7, r6
  rsb r6, r6, #16
  cmp r6, r8
  it gt
  movgt r6, r8
  vctp.8 r6
  vpstt
  vldrbt.8 q0, [r12]
  vstrbt.8 q0, [lr]
  add r12, r6
  sub r8, r6
  add r7, #\step
2:
  lsrs lr, r8, #4
  wls lr, lr, 3f
4:
  vldrb.8 q0, [r12], #16
  vstrb.8 q0, [r7], #\step
  le lr, 4b
3:
  ands r8, r8, #15
  beq 5f
  vctp.8 r8
  vpstt
  vldrbt.8 q0, [r12]
  vstrbt.8 q0, [r7]
5:
  add r5, r2
  add r11, r4
  cmp r5, r3
  bne 1b
  adds r0, #16
  add r1, r10
  subs r9, #1
  bne 20b
  pop {r5, r6}
  pop {r4-r11, pc}
  .size \name, .-\name
  .endm
  tp_slot_win tp_mve_slot_win4, 2, 64
  tp_slot_win tp_mve_slot_win2, 1, 32
)");

// The same for runs of a whole number of 16-byte chunks (every run starts
// on a chunk), unrolled per run: ic02's 3x3 over 80 channels (240-byte
// runs, 2 slots) and over 160 (480-byte runs, 4 slots).
extern "C" void tp_mve_slot_win2_c15(const WinArgs* a);
extern "C" void tp_mve_slot_win4_c30(const WinArgs* a);
asm(R"(
  .text
  .syntax unified
  .thumb
  .macro tp_slot_win_chunks name, step, chunks
  .p2align 2
  .type \name, %function
  .thumb_func
\name:
  push {r4-r10, lr}
  ldm r0, {r0-r4, r9, r10}
20:
  mov r5, r0
  mov r6, r1
  mov r7, r3
21:
  mov r12, r6
  .rept \chunks
  vldrb.8 q0, [r12], #16
  vstrb.8 q0, [r5], #\step
  .endr
  add r6, r4
  subs r7, #1
  bne 21b
  adds r0, #16
  add r1, r10
  subs r9, #1
  bne 20b
  pop {r4-r10, pc}
  .size \name, .-\name
  .endm
  tp_slot_win_chunks tp_mve_slot_win2_c15, 32, 15
  tp_slot_win_chunks tp_mve_slot_win4_c30, 64, 30
)");

// The same for 4 slots, 3 runs of 120 bytes (ic02's 3x3 over 40 channels,
// K = 360), unrolled: 21 whole chunks, and the three 8-byte pieces (the end
// of run 0, the start of run 1 in the same chunk, the end of run 2) moved
// under one 8-lane predicate.
extern "C" void tp_mve_slot_win4_r120x3(const WinArgs* a);
asm(R"(
  .text
  .syntax unified
  .thumb
  .p2align 2
  .type tp_mve_slot_win4_r120x3, %function
  .thumb_func
tp_mve_slot_win4_r120x3:
  push {r4-r10, lr}
  ldm r0, {r0-r4, r9, r10}
  movs r6, #8
  vctp.8 r6
20:
  mov r12, r1
  mov r5, r0
  .rept 7
  vldrb.8 q0, [r12], #16
  vstrb.8 q0, [r5], #64
  .endr
  add r6, r1, r4
  vpstt
  vldrbt.8 q0, [r12]
  vstrbt.8 q0, [r5]
  vpstt
  vldrbt.8 q0, [r6]
  vstrbt.8 q0, [r5, #8]
  adds r6, #8
  adds r5, #64
  .rept 7
  vldrb.8 q0, [r6], #16
  vstrb.8 q0, [r5], #64
  .endr
  add r12, r1, r4, lsl #1
  .rept 7
  vldrb.8 q0, [r12], #16
  vstrb.8 q0, [r5], #64
  .endr
  vpstt
  vldrbt.8 q0, [r12]
  vstrbt.8 q0, [r5]
  adds r0, #16
  add r1, r10
  subs r9, #1
  bne 20b
  pop {r4-r10, pc}
  .size tp_mve_slot_win4_r120x3, .-tp_mve_slot_win4_r120x3
)");

// 1x1 convolution in place, K = 16 * N taps: a pixel pair's every block of
// 4 channels in assembly, the two pixels read where they are (xa, xb), the
// N steps unrolled (weight rows run on from one to the next: K is a whole
// number of steps), the group kernels' requantization and book-keeping.
// GroupArgs as for tp_mve_grp_p2c4, with x = pixel a, and pixel b's taps in
// place of `tail` (offset 32); `steps` and `k` unused.
extern "C" void tp_mve_1x1_p2c4_s5(GroupArgs* g);
asm(R"(
  .text
  .syntax unified
  .thumb
  .macro tp_1x1_p2c4_step op
  vldrb.8 q0, [r1], #16
  vldrb.8 q1, [r3], #16
  vldrb.8 q4, [r5], #16
  \op r0, q0, q4
  \op r8, q1, q4
  vldrb.8 q4, [r7], #16
  \op r2, q0, q4
  \op r10, q1, q4
  vldrb.8 q4, [r9], #16
  \op r4, q0, q4
  \op r12, q1, q4
  vldrb.8 q4, [r11], #16
  \op r6, q0, q4
  \op lr, q1, q4
  .endm

  .macro tp_1x1_p2c4 name, n, k
  .p2align 2
  .type \name, %function
  .thumb_func
\name:
  push {r4-r11, lr}
  vpush {d8-d15}
  sub sp, #8
  str r0, [sp]
  mov r11, r0
  add r0, r11, #64
  vldrw.u32 q5, [r0]
  ldrd r1, r3, [r11, #28]
  ldr r5, [r11, #44]
  add r7, r5, #\k
  add r9, r7, #\k
  add r11, r9, #\k
10:
  tp_1x1_p2c4_step vmladav.s8
  .rept \n - 1
  tp_1x1_p2c4_step vmladava.s8
  .endr
  vmov d0, r0, r2
  vmov d1, r4, r6
  vmov d2, r8, r10
  vmov d3, r12, lr
  ldr r1, [sp]
  ldm r1, {r0, r2, r4, r6, r8, r10, r12}
  vldrw.u32 q6, [r12]
  vadd.i32 q0, q0, q6
  vadd.i32 q1, q1, q6
  vldrw.u32 q2, [r0]
  vldrw.u32 q3, [r2]
  tp_grp_rq_store q5
  subs r8, #1
  beq 9f
  add r0, r10
  add r2, r10
  adds r6, #4
  adds r12, #16
  stm r1, {r0, r2, r4, r6, r8, r10, r12}
  ldrd r1, r3, [r1, #28]
  mov r5, r11
  add r7, r5, #\k
  add r9, r7, #\k
  add r11, r9, #\k
  b 10b
9:
  add sp, #8
  vpop {d8-d15}
  pop {r4-r11, pc}
  .size \name, .-\name
  .endm
  tp_1x1_p2c4 tp_mve_1x1_p2c4_s5, 5, 80
)");

// Windows inside the input (WinArgs with t0 = 0): the unrolled routine
// when the runs fit one.
template <int P>
inline void copy_windows(const WinArgs& a) {
  if constexpr (P == 4) {
    if (a.row == 120 && a.rows == 3) {
      tp_mve_slot_win4_r120x3(&a);
    } else if (a.row == 480) {
      tp_mve_slot_win4_c30(&a);
    } else {
      tp_mve_slot_win4(&a);
    }
  } else {
    if (a.row == 240) {
      tp_mve_slot_win2_c15(&a);
    } else {
      tp_mve_slot_win2(&a);
    }
  }
}

// The window of a pixel with padding taps (dilation_w 1; x0, y0: its first
// tap's position): the slot filled with the input zero point, then each
// input row's taps inside the input copied as one run by the assembly.
template <int P>
void slot_window_border(const ConvParams& p, const int8_t* input, int32_t n, int32_t x0, int32_t y0,
                        int8_t* col, int32_t s, int8_t pad) {
  const int32_t cin = p.input.c, fw = p.filter.w;
  const int32_t row = fw * cin;
  const int32_t K = p.filter.h * row;
  const int8x16_t v = vdupq_n_s8(pad);
  int8_t* d = col + 16 * s;
  for (int32_t t = 0; t < K; t += 16, d += 16 * P) vstrbq_s8(d, v);
  const int32_t kx0 = x0 < 0 ? -x0 : 0;
  const int32_t kx1 = x0 + fw > p.input.w ? p.input.w - x0 : fw;
  if (kx1 <= kx0) return;
  for (int32_t ky = 0; ky < p.filter.h; ++ky) {
    const int32_t y = y0 + ky * p.dilation_h;
    if (y < 0 || y >= p.input.h) continue;
    const WinArgs a{col + 16 * s, input + ((n * p.input.h + y) * p.input.w + x0 + kx0) * cin, (kx1 - kx0) * cin,
                    1, 0, 1, 0, ky * row + kx0 * cin};
    if constexpr (P == 4) {
      tp_mve_slot_win4(&a);
    } else {
      tp_mve_slot_win2(&a);
    }
  }
}

// Every output channel of P pixels whose windows are interleaved in col
// (slot layout), C channels at a time (P * C = 8 accumulators): per 16
// taps one VLDM of the P slots' 16 bytes (contiguous in the slot layout)
// and C weight loads shared by P * C VMLADAVA. out[s]:
// slot s's output pixel (slots past the last pixel repeat it).
template <int P, int C>
void slot_channels(const ConvParams& p, const RqInfo& rq, const int8_t* col, int8_t* const* out) {
  static_assert((P == 2 && C == 4) || (P == 4 && C == 2));
  const int32_t cout = p.output.c;
  const int32_t K = p.filter.h * p.filter.w * p.input.c;
  const int32_t K16 = K & ~15;
  const int32_t steps = K16 / 16;
  const int32_t out_off = p.requant.output_offset;
  int32_t oc = 0;
  // The scatter offsets are 16-bit.
  if (rq.ok && cout >= C && (out[P - 1] - out[0]) + cout <= 65535) {
    GroupArgs g;
    g.mult = rq.mult;
    g.shift = rq.shift;
    g.out_off = out_off;
    g.out = out[0];
    g.blocks = cout / C;
    g.rq_step = rq.rq_stride != 0 ? 4 * C : 0;
    g.bias = p.folded_bias;
    g.x = col;
    g.tail = K - K16;
    g.k = K;
    g.steps = steps;
    g.w = p.filter_data;
    const uint16_t d1 = static_cast<uint16_t>(out[1] - out[0]);
    if constexpr (P == 4) {
      // q0 = {s0c0, s0c1, s1c0, s1c1}, q1 = {s2c0, s2c1, s3c0, s3c1}
      const uint16_t d2 = static_cast<uint16_t>(out[2 % P] - out[0]);
      const uint16_t d3 = static_cast<uint16_t>(out[3 % P] - out[0]);
      const uint16_t o[8] = {0, d2, 1, static_cast<uint16_t>(d2 + 1), d1, d3, static_cast<uint16_t>(d1 + 1),
                             static_cast<uint16_t>(d3 + 1)};
      for (int i = 0; i < 8; ++i) g.oofs[i] = o[i];
      for (int i = 0; i < 4; ++i) g.gofs[i] = (i & 1) * 4;
      if (K == 360) {
        tp_mve_grp_p4c2_k360(&g);
      } else if (K == 1440) {
        tp_mve_grp_p4c2_k1440(&g);
      } else {
        tp_mve_grp_p4c2(&g);
      }
    } else {
      // q0 = pixel 0's 4 channels, q1 = pixel 1's
      for (int i = 0; i < 8; ++i) g.oofs[i] = static_cast<uint16_t>((i & 1) * d1 + i / 2);
      if (K == 720) {
        tp_mve_grp_p2c4_k720(&g);
      } else {
        tp_mve_grp_p2c4(&g);
      }
    }
    oc = (cout / C) * C;
  }
  DotArgs d;
  d.x = col;
  d.steps = steps;
  d.tail = K - K16;
  for (; oc + C <= cout; oc += C) {
    d.w[0] = p.filter_data + oc * K;
    d.w[1] = d.w[0] + K;
    if constexpr (C == 4) {
      d.w[2] = d.w[1] + K;
      d.w[3] = d.w[2] + K;
    }
    d.bias = p.folded_bias + oc;
    // a[s][c]
    auto acc = [&d](int s, int c) { return C == 4 ? d.acc[s * 4 + c] : d.acc[c * 4 + s]; };
    if constexpr (C == 4) {
      tp_mve_dot_p2c4(&d);
    } else {
      tp_mve_dot_p4c2(&d);
    }
    if (rq.ok && C == 4) {
      const int32_t k = rq.rq_stride != 0 ? oc : 0;
      const int32x4_t mult = vldrwq_s32(rq.mult + k);
      const int32x4_t shift = vldrwq_s32(rq.shift + k);
      for (int s = 0; s < P; ++s) {
        vstrbq_s32(out[s] + oc, requant_v(vldrwq_s32(d.acc + 4 * s), mult, shift, out_off));
      }
    } else if (rq.ok && P == 4) {
      const uint32x4_t offs = vreinterpretq_u32_s32(
          vec4(0, static_cast<int32_t>(out[1] - out[0]), static_cast<int32_t>(out[2 % P] - out[0]),
               static_cast<int32_t>(out[3 % P] - out[0])));
      for (int c = 0; c < C; ++c) {
        const int32_t k = rq.rq_stride != 0 ? oc + c : 0;
        const int32x4_t v = requant_v(vldrwq_s32(d.acc + 4 * c), vdupq_n_s32(rq.mult[k]),
                                      vdupq_n_s32(rq.shift[k]), out_off);
        vstrbq_scatter_offset_s32(out[0] + oc + c, offs, v);
      }
    } else {
      for (int s = 0; s < P; ++s) {
        for (int c = 0; c < C; ++c) out[s][oc + c] = ref::detail::requantize(acc(s, c), p.requant, oc + c);
      }
    }
  }
  for (; oc < cout; ++oc) {  // the last C_out % C channels, one at a time
    const int8_t* w = p.filter_data + oc * K;
    for (int s = 0; s < P; ++s) {
      int32_t a = p.folded_bias[oc];
      for (int32_t i = 0; i < K; i += 16) {
        const mve_pred16_t m = vctp8q(static_cast<uint32_t>(K - i));
        a = vmladavaq_s8(a, vldrbq_z_s8(col + i * P + 16 * s, m), vldrbq_z_s8(w + i, m));
      }
      out[s][oc] = ref::detail::requantize(a, p.requant, oc);
    }
  }
}

// Pixels P at a time (raster order), their windows in col (P * K16 bytes
// of scratch, slot layout).
template <int P, int C>
void conv_slots(const ConvParams& p, const int8_t* input, int8_t* output, int8_t* col, int8_t pad) {
  const int32_t cout = p.output.c;
  RqInfo rq;
  prepare_rq(p.requant, cout, &rq);
  const int32_t pixels = p.output.h * p.output.w;
  const int32_t ow = p.output.w;
  // Windows inside the input: whole runs of fw * C_in bytes (dilation_w 1).
  const bool fast_rows = p.dilation_w == 1;
  const int32_t row = p.filter.w * p.input.c;
  const int32_t y_span = (p.filter.h - 1) * p.dilation_h + 1;
  const int32_t src_stride = p.dilation_h * p.input.w * p.input.c;
  // Whole groups (P consecutive pixels, C_out a multiple of C): the group
  // kernel, its arguments set once per call but for the 5 that advance.
  const int32_t K = p.filter.h * row;
  GroupArgs g;
  void (*kern)(GroupArgs*) = nullptr;
  if (rq.ok && cout % C == 0 && P * cout <= 65535) {
    g.out_off = p.requant.output_offset;
    g.rq_step = rq.rq_stride != 0 ? 4 * C : 0;
    g.x = col;
    g.tail = K & 15;
    g.k = K;
    g.steps = K >> 4;
    g.w = p.filter_data;
    const int32_t c = cout;
    if constexpr (P == 4) {
      const int32_t o[8] = {0, 2 * c, 1, 2 * c + 1, c, 3 * c, c + 1, 3 * c + 1};
      for (int i = 0; i < 8; ++i) g.oofs[i] = static_cast<uint16_t>(o[i]);
      for (int i = 0; i < 4; ++i) g.gofs[i] = (i & 1) * 4;
      kern = K == 360 ? tp_mve_grp_p4c2_k360 : (K == 1440 ? tp_mve_grp_p4c2_k1440 : tp_mve_grp_p4c2);
    } else {
      for (int i = 0; i < 8; ++i) g.oofs[i] = static_cast<uint16_t>((i & 1) * c + i / 2);
      kern = K == 720 ? tp_mve_grp_p2c4_k720 : tp_mve_grp_p2c4;
    }
  }
  for (int32_t n = 0; n < p.output.n; ++n) {
    int8_t* const out_img = output + n * pixels * cout;
    for (int32_t q = 0, oy = 0, ox = 0; q < pixels; q += P) {
      // oy, ox: pixel q. The P pixels on one output row, every window inside
      // the input: one call copies them all.
      const int32_t y0 = oy * p.stride_h - p.pad_h, x0 = ox * p.stride_w - p.pad_w;
      if (fast_rows && q + P <= pixels && ox + P <= ow && x0 >= 0 &&
          x0 + (P - 1) * p.stride_w + p.filter.w <= p.input.w && y0 >= 0 && y0 + y_span <= p.input.h) {
        const WinArgs a{col, input + ((n * p.input.h + y0) * p.input.w + x0) * p.input.c, row, p.filter.h,
                        src_stride, P, p.stride_w * p.input.c, 0};
        copy_windows<P>(a);
      } else {
        for (int s = 0; s < P; ++s) {
          const int32_t qs = q + s < pixels ? q + s : pixels - 1;
          const int32_t sy = qs / ow, sx = qs % ow;
          const int32_t sy0 = sy * p.stride_h - p.pad_h, sx0 = sx * p.stride_w - p.pad_w;
          if (fast_rows && sx0 >= 0 && sx0 + p.filter.w <= p.input.w && sy0 >= 0 && sy0 + y_span <= p.input.h) {
            const WinArgs a{col + 16 * s, input + ((n * p.input.h + sy0) * p.input.w + sx0) * p.input.c, row,
                            p.filter.h, src_stride, 1, 0, 0};
            copy_windows<P>(a);
          } else if (fast_rows) {
            slot_window_border<P>(p, input, n, sx0, sy0, col, s, pad);
          } else {
            slot_window<P>(p, input, n, sy, sx, col, s, pad);
          }
        }
      }
      ox += P;
      while (ox >= ow) {
        ox -= ow;
        ++oy;
      }
      if (kern != nullptr && q + P <= pixels) {
        g.mult = rq.mult;
        g.shift = rq.shift;
        g.bias = p.folded_bias;
        g.blocks = cout / C;
        g.out = out_img + q * cout;
        kern(&g);
        continue;
      }
      int8_t* out[P];
      for (int s = 0; s < P; ++s) {
        const int32_t qs = q + s < pixels ? q + s : pixels - 1;  // past the end: the last pixel again
        out[s] = out_img + qs * cout;
      }
      slot_channels<P, C>(p, rq, col, out);
    }
  }
}

// 1x1 convolution without padding (ic02's 1x1 /2 over 80 channels, planned
// with no scratch): the windows are input pixels, read in place, two
// pixels x four channels a step.
void conv_1x1_pairs(const ConvParams& p, const int8_t* input, int8_t* output) {
  const int32_t cout = p.output.c;
  const int32_t K = p.input.c;
  const int32_t K16 = K & ~15;
  RqInfo rq;
  prepare_rq(p.requant, cout, &rq);
  const int32_t out_off = p.requant.output_offset;
  const int32_t pixels = p.output.h * p.output.w;
  const int32_t ow = p.output.w;
  for (int32_t n = 0; n < p.output.n; ++n) {
    int8_t* const out_img = output + n * pixels * cout;
    for (int32_t q = 0; q < pixels; q += 2) {
      const int32_t q1 = q + 1 < pixels ? q + 1 : q;
      int8_t* const out0 = out_img + q * cout;
      int8_t* const out1 = out_img + q1 * cout;
      const int8_t* const xa =
          input + ((n * p.input.h + (q / ow) * p.stride_h) * p.input.w + (q % ow) * p.stride_w) * K;
      const int8_t* const xb =
          input + ((n * p.input.h + (q1 / ow) * p.stride_h) * p.input.w + (q1 % ow) * p.stride_w) * K;
      int32_t oc = 0;
      if (K == 80 && rq.ok && cout >= 4 && (out1 - out0) + cout <= 65535) {  // ic02's 1x1 /2 over 80 channels
        GroupArgs g;
        g.mult = rq.mult;
        g.shift = rq.shift;
        g.out_off = out_off;
        g.out = out0;
        g.blocks = cout / 4;
        g.rq_step = rq.rq_stride != 0 ? 16 : 0;
        g.bias = p.folded_bias;
        g.x = xa;
        g.tail = static_cast<int32_t>(reinterpret_cast<uintptr_t>(xb));
        g.w = p.filter_data;
        const int32_t d1 = static_cast<int32_t>(out1 - out0);
        for (int i = 0; i < 8; ++i) g.oofs[i] = static_cast<uint16_t>((i & 1) * d1 + i / 2);
        tp_mve_1x1_p2c4_s5(&g);
        oc = (cout / 4) * 4;
      }
      for (; oc + 4 <= cout; oc += 4) {
        const int8_t* w0 = p.filter_data + oc * K;
        int32_t a[4], b[4];
        for (int c = 0; c < 4; ++c) a[c] = b[c] = p.folded_bias[oc + c];
        int32_t i = 0;
        for (; i < K16; i += 16) {
          const int8x16_t x0 = vldrbq_s8(xa + i), x1 = vldrbq_s8(xb + i);
          for (int c = 0; c < 4; ++c) {
            const int8x16_t wv = vldrbq_s8(w0 + c * K + i);
            a[c] = vmladavaq_s8(a[c], x0, wv);
            b[c] = vmladavaq_s8(b[c], x1, wv);
          }
        }
        if (i < K) {
          const mve_pred16_t m = vctp8q(static_cast<uint32_t>(K - i));
          const int8x16_t x0 = vldrbq_z_s8(xa + i, m), x1 = vldrbq_z_s8(xb + i, m);
          for (int c = 0; c < 4; ++c) {
            const int8x16_t wv = vldrbq_z_s8(w0 + c * K + i, m);
            a[c] = vmladavaq_s8(a[c], x0, wv);
            b[c] = vmladavaq_s8(b[c], x1, wv);
          }
        }
        if (rq.ok) {
          const int32_t k = rq.rq_stride != 0 ? oc : 0;
          const int32x4_t mult = vldrwq_s32(rq.mult + k);
          const int32x4_t shift = vldrwq_s32(rq.shift + k);
          vstrbq_s32(out0 + oc, requant_v(vec4(a[0], a[1], a[2], a[3]), mult, shift, out_off));
          vstrbq_s32(out1 + oc, requant_v(vec4(b[0], b[1], b[2], b[3]), mult, shift, out_off));
        } else {
          for (int c = 0; c < 4; ++c) {
            out0[oc + c] = ref::detail::requantize(a[c], p.requant, oc + c);
            out1[oc + c] = ref::detail::requantize(b[c], p.requant, oc + c);
          }
        }
      }
      for (; oc < cout; ++oc) {
        const int8_t* w = p.filter_data + oc * K;
        int32_t a = p.folded_bias[oc], b = a;
        for (int32_t i = 0; i < K; i += 16) {
          const mve_pred16_t m = vctp8q(static_cast<uint32_t>(K - i));
          const int8x16_t wv = vldrbq_z_s8(w + i, m);
          a = vmladavaq_s8(a, vldrbq_z_s8(xa + i, m), wv);
          b = vmladavaq_s8(b, vldrbq_z_s8(xb + i, m), wv);
        }
        out0[oc] = ref::detail::requantize(a, p.requant, oc);
        out1[oc] = ref::detail::requantize(b, p.requant, oc);
      }
    }
  }
}

}  // namespace


bool conv2d_generic(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch) {
  if (p.filter.c != p.input.c || p.folded_bias == nullptr) return false;  // grouped: reference
  const int32_t cin = p.input.c, fh = p.filter.h, fw = p.filter.w, cout = p.output.c;
  const int32_t K = fh * fw * cin;
  if (K > kGenericMaxTaps || K <= 0) return false;
  const int8_t pad = static_cast<int8_t>(-p.input_offset);  // the input zero point
  // 1x1 without padding (e.g. ic02's 1x1 /2 over 80 channels, which the
  // planner gives no scratch): the windows are the input pixels.
  if (fh == 1 && fw == 1 && p.pad_h == 0 && p.pad_w == 0 && p.output.h > 0 && p.output.w > 0 &&
      (p.output.h - 1) * p.stride_h < p.input.h && (p.output.w - 1) * p.stride_w < p.input.w) {
    conv_1x1_pairs(p, input, output);
    return true;
  }
  if (scratch.data == nullptr || scratch.bytes < static_cast<std::size_t>(K)) return false;
  int8_t* const col = static_cast<int8_t*>(scratch.data);
  // (the slots are read by VLDM, which wants 4-aligned addresses: the
  // planner's scratch is 16-aligned; anything else takes the reference)
  if ((reinterpret_cast<uintptr_t>(col) & 3) != 0) return false;
  const std::size_t k16 = static_cast<std::size_t>((K + 15) & ~15);
  if (scratch.bytes >= 4 * k16) {
    conv_slots<4, 2>(p, input, output, col, pad);
    return true;
  }
  if (scratch.bytes >= 2 * k16) {
    conv_slots<2, 4>(p, input, output, col, pad);
    return true;
  }
  const int32_t row = fw * cin;
  const int32_t K16 = K & ~15;  // whole 16-tap steps; the rest is one predicated step
  for (int32_t n = 0; n < p.output.n; ++n) {
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      const int32_t y0 = oy * p.stride_h - p.pad_h;
      for (int32_t ox = 0; ox < p.output.w; ++ox) {
        const int32_t x0 = ox * p.stride_w - p.pad_w;
        // The window, row by row (whole filter rows when no tap is outside).
        int8_t* c = col;
        for (int32_t ky = 0; ky < fh; ++ky, c += row) {
          const int32_t y = y0 + ky * p.dilation_h;
          const bool row_in = y >= 0 && y < p.input.h;
          if (row_in && p.dilation_w == 1 && x0 >= 0 && x0 + fw <= p.input.w) {
            const int8_t* src = input + ((n * p.input.h + y) * p.input.w + x0) * cin;
            for (int32_t i = 0; i < row; i += 16) {
              const mve_pred16_t m = vctp8q(static_cast<uint32_t>(row - i));
              vstrbq_p_s8(c + i, vldrbq_z_s8(src + i, m), m);
            }
            continue;
          }
          for (int32_t kx = 0; kx < fw; ++kx) {
            const int32_t x = x0 + kx * p.dilation_w;
            int8_t* d = c + kx * cin;
            if (row_in && x >= 0 && x < p.input.w) {
              const int8_t* src = input + ((n * p.input.h + y) * p.input.w + x) * cin;
              for (int32_t i = 0; i < cin; ++i) d[i] = src[i];
            } else {
              for (int32_t i = 0; i < cin; ++i) d[i] = pad;
            }
          }
        }
        int8_t* out = output + ((n * p.output.h + oy) * p.output.w + ox) * cout;
        int32_t oc = 0;
        for (; oc + 4 <= cout; oc += 4) {
          const int8_t* w0 = p.filter_data + oc * K;
          const int8_t* w1 = w0 + K;
          const int8_t* w2 = w1 + K;
          const int8_t* w3 = w2 + K;
          int32_t a0 = p.folded_bias[oc], a1 = p.folded_bias[oc + 1];
          int32_t a2 = p.folded_bias[oc + 2], a3 = p.folded_bias[oc + 3];
          int32_t i = 0;
          for (; i < K16; i += 16) {
            const int8x16_t x = vldrbq_s8(col + i);
            a0 = vmladavaq_s8(a0, x, vldrbq_s8(w0 + i));
            a1 = vmladavaq_s8(a1, x, vldrbq_s8(w1 + i));
            a2 = vmladavaq_s8(a2, x, vldrbq_s8(w2 + i));
            a3 = vmladavaq_s8(a3, x, vldrbq_s8(w3 + i));
          }
          if (i < K) {  // the last K % 16 taps
            const mve_pred16_t m = vctp8q(static_cast<uint32_t>(K - i));
            const int8x16_t x = vldrbq_z_s8(col + i, m);
            a0 = vmladavaq_s8(a0, x, vldrbq_z_s8(w0 + i, m));
            a1 = vmladavaq_s8(a1, x, vldrbq_z_s8(w1 + i, m));
            a2 = vmladavaq_s8(a2, x, vldrbq_z_s8(w2 + i, m));
            a3 = vmladavaq_s8(a3, x, vldrbq_z_s8(w3 + i, m));
          }
          out[oc] = ref::detail::requantize(a0, p.requant, oc);
          out[oc + 1] = ref::detail::requantize(a1, p.requant, oc + 1);
          out[oc + 2] = ref::detail::requantize(a2, p.requant, oc + 2);
          out[oc + 3] = ref::detail::requantize(a3, p.requant, oc + 3);
        }
        for (; oc < cout; ++oc) {
          const int8_t* w = p.filter_data + oc * K;
          int32_t a = p.folded_bias[oc];
          for (int32_t i = 0; i < K; i += 16) {
            const mve_pred16_t m = vctp8q(static_cast<uint32_t>(K - i));
            a = vmladavaq_s8(a, vldrbq_z_s8(col + i, m), vldrbq_z_s8(w + i, m));
          }
          out[oc] = ref::detail::requantize(a, p.requant, oc);
        }
      }
    }
  }
  return true;
}

}  // namespace tp::kernels::mve

#endif  // __ARM_FEATURE_MVE
