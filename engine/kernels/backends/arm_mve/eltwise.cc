// AVERAGE_POOL_2D and ADD for the arm_mve backend.
#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

#include "mve_kernels.h"
#include "mve_util.h"

namespace tp::kernels::mve {

// Field order is fixed: gen_gemm_asm.py's ADDA.
struct AddArgs {
  const int8_t* in1;
  const int8_t* in2;
  int8_t* out;
  int32_t size;
  int32_t off1, off2, left_shift;
  int32_t m1, s1, m2, s2, mo, so;
  int32_t out_offset, act_min, act_max;
};

extern "C" {
#include "dw_mve_decls.inc"
}

namespace {

// TFLite's rounded division of a window sum by its element count, 4 lanes:
// sign(a) floor((|a| + count / 2) / count) (the reference's (a +- half) /
// count, truncated toward zero), the quotient by an unsigned multiply-high
// with m = ceil(2^32 / count): for n = |a| + count / 2 < 2^16 and count <=
// 256 the product's excess n (m count - 2^32) / (count 2^32) < 2^-16 stays
// below the 1 / count a quotient's fraction is short of the next integer,
// so the high word is floor(n / count) exactly. count 1 divides by nothing.
struct Divisor {
  int32_t count = 0, half = 0;
  uint32_t m = 0;  // ceil(2^32 / count); count 1: unused
  void set(int32_t c) {
    if (c == count) return;  // the same count as the last window (all but the edges)
    count = c;
    half = c / 2;
    const uint64_t two32 = uint64_t{1} << 32;
    m = c > 1 ? static_cast<uint32_t>(two32 / static_cast<uint32_t>(c) + (two32 % static_cast<uint32_t>(c) != 0)) : 0;
  }
};

inline int32x4_t rounded_div(int32x4_t a, const Divisor& d) {
  if (d.count == 1) return a;
  const uint32x4_t n = vreinterpretq_u32_s32(vaddq_n_s32(vabsq_s32(a), d.half));
  const int32x4_t q = vreinterpretq_s32_u32(vmulhq_u32(n, vdupq_n_u32(d.m)));
  return vnegq_m_s32(q, q, vcmpltq_n_s32(a, 0));
}

// 8 channels' sums (16-bit lanes) divided, clamped and stored as int8
// (the lanes of `pr`).
inline void store_means(int8_t* out, int16x8_t acc, const Divisor& d, int32_t act_min, int32_t act_max,
                        mve_pred16_t pr) {
  int32x4_t lo = rounded_div(vmovlbq_s16(acc), d);  // lanes 0, 2, 4, 6
  int32x4_t hi = rounded_div(vmovltq_s16(acc), d);  // lanes 1, 3, 5, 7
  lo = vminq_s32(vmaxq_s32(lo, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
  hi = vminq_s32(vmaxq_s32(hi, vdupq_n_s32(act_min)), vdupq_n_s32(act_max));
  const int16x8_t r = vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), lo), hi);
  vstrbq_p_s16(out, r, pr);
}

// Runs of 16 pixels or more of window_sums<true> (set-up and the two
// more sums' add cost more than they save on shorter ones, vww01's 9):
// two pixels a step, both through one pointer (immediate offsets up to C
// + 8 <= 127, a low register for the widening loads) into two more sums,
// 5 instructions a pixel against 7 (kws01's 125-pixel window); other C
// through two pointers, 5.5. C a multiple of 16 (full groups). Returns the
// pixels summed (the even part of run_len); s advances past them.
__attribute__((noinline)) int32_t long_run_sums(const int8_t*& s, int32_t run_len, int32_t c_n, int16x8_t* a0,
                                                int16x8_t* a1) {
  int16x8_t x0 = *a0, x1 = *a1;
  int32_t i = 0;
  const uint32_t pairs = static_cast<uint32_t>(run_len / 2);
  int16x8_t y0 = vdupq_n_s16(0), y1 = vdupq_n_s16(0);
  int16x8_t t0, t1;
  const int32_t step = 2 * c_n;
  switch (c_n) {
#define TP_AVG_PAIRS(C)                                                                             \
  case C:                                                                                           \
    __asm__ volatile(                                                                               \
        "  wls lr, %[n], 2f\n"                                                                      \
        "1:\n"                                                                                      \
        "  vldrb.s16 %q[t0], [%[s]]\n"                                                              \
        "  vldrb.s16 %q[t1], [%[s], #8]\n"                                                          \
        "  vadd.i16 %q[x0], %q[x0], %q[t0]\n"                                                       \
        "  vldrb.s16 %q[t0], [%[s], #" #C "]\n"                                                     \
        "  vadd.i16 %q[x1], %q[x1], %q[t1]\n"                                                       \
        "  vldrb.s16 %q[t1], [%[s], #" #C " + 8]\n"                                                 \
        "  vadd.i16 %q[y0], %q[y0], %q[t0]\n"                                                       \
        "  add %[s], %[st]\n"                                                                       \
        "  vadd.i16 %q[y1], %q[y1], %q[t1]\n"                                                       \
        "  le lr, 1b\n"                                                                             \
        "2:\n"                                                                                      \
        : [s] "+l"(s), [x0] "+w"(x0), [x1] "+w"(x1), [y0] "+w"(y0), [y1] "+w"(y1), [t0] "=&w"(t0),  \
          [t1] "=&w"(t1)                                                                            \
        : [n] "r"(pairs), [st] "r"(step)                                                            \
        : "lr", "memory");                                                                          \
    i = 2 * static_cast<int32_t>(pairs);                                                            \
    break;
    TP_AVG_PAIRS(16)
    TP_AVG_PAIRS(32)
    TP_AVG_PAIRS(48)
    TP_AVG_PAIRS(64)
    TP_AVG_PAIRS(80)
    TP_AVG_PAIRS(96)
    TP_AVG_PAIRS(112)
#undef TP_AVG_PAIRS
    default: {
      // wider channel counts: a second pointer one pixel on
      const int8_t* t = s + c_n;
      __asm__ volatile(
          "  wls lr, %[n], 2f\n"
          "1:\n"
          "  vldrb.s16 %q[t0], [%[s]]\n"
          "  vldrb.s16 %q[t1], [%[s], #8]\n"
          "  vadd.i16 %q[x0], %q[x0], %q[t0]\n"
          "  vldrb.s16 %q[t0], [%[t]]\n"
          "  vadd.i16 %q[x1], %q[x1], %q[t1]\n"
          "  vldrb.s16 %q[t1], [%[t], #8]\n"
          "  vadd.i16 %q[y0], %q[y0], %q[t0]\n"
          "  add %[s], %[st]\n"
          "  add %[t], %[st]\n"
          "  vadd.i16 %q[y1], %q[y1], %q[t1]\n"
          "  le lr, 1b\n"
          "2:\n"
          : [s] "+l"(s), [t] "+l"(t), [x0] "+w"(x0), [x1] "+w"(x1), [y0] "+w"(y0), [y1] "+w"(y1),
            [t0] "=&w"(t0), [t1] "=&w"(t1)
          : [n] "r"(pairs), [st] "r"(step)
          : "lr", "memory");
      i = 2 * static_cast<int32_t>(pairs);
      break;
    }
  }
  *a0 = vaddq_s16(x0, y0);
  *a1 = vaddq_s16(x1, y1);
  return i;
}

// The window sums of 16 channels from s: `runs` runs of `run_len` pixels
// (c_n bytes apart), row_skip bytes between runs. kFull: all 16 channels
// exist, the loads need no predicate (no VPST per load).
// kLong: runs of 16 pixels or more (long_run_sums; its own instantiation,
// so that the short runs' loop keeps its registers).
template <bool kFull, bool kLong = false>
inline void window_sums(const int8_t* s, int32_t runs, int32_t run_len, int32_t c_n, int32_t row_skip,
                        mve_pred16_t pa, mve_pred16_t pb, int16x8_t* a0, int16x8_t* a1) {
  int16x8_t x0 = vdupq_n_s16(0), x1 = vdupq_n_s16(0);
  for (int32_t r = 0; r < runs; ++r) {
    int32_t i = 0;
    if constexpr (kLong) i = long_run_sums(s, run_len, c_n, &x0, &x1);
    for (; i < run_len; ++i) {
      x0 = vaddq_s16(x0, kFull ? vldrbq_s16(s) : vldrbq_z_s16(s, pa));
      x1 = vaddq_s16(x1, kFull ? vldrbq_s16(s + 8) : vldrbq_z_s16(s + 8, pb));
      s += c_n;
    }
    s += row_skip;
  }
  *a0 = x0;
  *a1 = x1;
}

inline mve_pred16_t lanes16(int32_t left) {
  return vctp16q(static_cast<uint32_t>(left > 0 ? left : 0));
}

}  // namespace

// Window sums in 16-bit lanes (16 channels a step in two vectors; exact
// for windows of up to 256 elements: |sum| <= 256 * 128), window rows that
// span whole input rows walked as one run, then TFLite's rounded division
// in the lanes (rounded_div).
bool avg_pool2d(const AvgPoolParams& p, const int8_t* input, int8_t* output) {
  if (p.filter_h * p.filter_w > 256) return false;
  const int32_t c_n = p.output.c;
  Divisor div;
  for (int32_t n = 0; n < p.output.n; ++n) {
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      const int32_t in_y0 = oy * p.stride_h - p.pad_h;
      const int32_t ky_begin = in_y0 < 0 ? -in_y0 : 0;
      const int32_t ky_end = p.filter_h < p.input.h - in_y0 ? p.filter_h : p.input.h - in_y0;
      for (int32_t ox = 0; ox < p.output.w; ++ox) {
        const int32_t in_x0 = ox * p.stride_w - p.pad_w;
        const int32_t kx_begin = in_x0 < 0 ? -in_x0 : 0;
        const int32_t kx_end = p.filter_w < p.input.w - in_x0 ? p.filter_w : p.input.w - in_x0;
        const int32_t count = (ky_end - ky_begin) * (kx_end - kx_begin);
        if (count <= 0) continue;
        div.set(count);
        const int8_t* win = input + ((n * p.input.h + in_y0 + ky_begin) * p.input.w + in_x0 + kx_begin) * c_n;
        const int32_t row_skip = (p.input.w - (kx_end - kx_begin)) * c_n;
        // Whole input rows: the window is one run of count pixels.
        const int32_t runs = row_skip == 0 ? 1 : ky_end - ky_begin;
        const int32_t run_len = row_skip == 0 ? count : kx_end - kx_begin;
        int8_t* out = output + ((n * p.output.h + oy) * p.output.w + ox) * c_n;
        for (int32_t c0 = 0; c0 < c_n; c0 += 16) {
          const mve_pred16_t pa = lanes16(c_n - c0), pb = lanes16(c_n - c0 - 8);
          int16x8_t a0, a1;
          if (c_n - c0 >= 16 && run_len >= 16) {
            window_sums<true, true>(win + c0, runs, run_len, c_n, row_skip, pa, pb, &a0, &a1);
          } else if (c_n - c0 >= 16) {
            window_sums<true>(win + c0, runs, run_len, c_n, row_skip, pa, pb, &a0, &a1);
          } else {
            window_sums<false>(win + c0, runs, run_len, c_n, row_skip, pa, pb, &a0, &a1);
          }
          store_means(out + c0, a0, div, p.act_min, p.act_max, pa);
          if (c_n - c0 > 8) store_means(out + c0 + 8, a1, div, p.act_min, p.act_max, pb);
        }
      }
    }
  }
  return true;
}

// TFLite's int8 ADD, 4 lanes at a time (generated assembly tp_mve_add).
// The output may alias an input (same index).
bool add(const AddParams& p, const int8_t* input1, const int8_t* input2, int8_t* output) {
  if (p.input1_shift > 0 || p.input2_shift > 0 || p.output_shift > 0 || p.left_shift < 0) {
    return false;
  }
  if (p.size <= 0) return true;
  const AddArgs a{input1,          input2,          output,
                  p.size,          p.input1_offset, p.input2_offset,
                  p.left_shift,    p.input1_multiplier, p.input1_shift,
                  p.input2_multiplier, p.input2_shift, p.output_multiplier,
                  p.output_shift,  p.output_offset, p.act_min,
                  p.act_max};
  tp_mve_add(&a);
  return true;
}

}  // namespace tp::kernels::mve

#endif  // __ARM_FEATURE_MVE
