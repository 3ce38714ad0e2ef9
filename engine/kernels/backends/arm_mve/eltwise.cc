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

// Window sums in 16-bit lanes (8 channels at a time; exact for windows of
// up to 256 elements), then TFLite's rounded division per channel.
bool avg_pool2d(const AvgPoolParams& p, const int8_t* input, int8_t* output) {
  if (p.filter_h * p.filter_w > 256) return false;
  const int32_t c_n = p.output.c;
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
        const int32_t half = count / 2;
        const int8_t* win = input + ((n * p.input.h + in_y0 + ky_begin) * p.input.w + in_x0 + kx_begin) * c_n;
        const int32_t row_skip = (p.input.w - (kx_end - kx_begin)) * c_n;
        int8_t* out = output + ((n * p.output.h + oy) * p.output.w + ox) * c_n;
        for (int32_t c0 = 0; c0 < c_n; c0 += 8) {
          const mve_pred16_t pr = vctp16q(static_cast<uint32_t>(c_n - c0));
          int16x8_t acc = vdupq_n_s16(0);
          const int8_t* s = win + c0;
          for (int32_t ky = ky_begin; ky < ky_end; ++ky) {
            for (int32_t kx = kx_begin; kx < kx_end; ++kx) {
              acc = vaddq_s16(acc, vldrbq_z_s16(s, pr));
              s += c_n;
            }
            s += row_skip;
          }
          alignas(16) int16_t sums[8];
          vst1q_s16(sums, acc);
          const int32_t lanes = c_n - c0 < 8 ? c_n - c0 : 8;
          for (int32_t i = 0; i < lanes; ++i) {
            const int32_t a = sums[i];
            int32_t v = a > 0 ? (a + half) / count : (a - half) / count;
            v = v < p.act_min ? p.act_min : (v > p.act_max ? p.act_max : v);
            out[c0 + i] = static_cast<int8_t>(v);
          }
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
