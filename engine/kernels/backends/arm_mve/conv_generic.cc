// CONV_2D shapes the specialised Helium paths (conv.cc: 1x1 and 3x3 with
// C_in a multiple of 16 and a generated GEMM kernel for the shape) do not
// take, e.g. ic02's 3x3 layers over 40 and 80 channels and its 3x3x160
// (K = 1440 taps): one output pixel at a time, its window copied into a
// column in the layer's scratch (planned in the arena: scratch_need.h) (padding taps hold the input zero point, which the folded
// bias cancels), then four output channels at a time, 16 taps a step with
// VMLADAVA (a last predicated step for K % 16), and the reference's
// requantization.
// Bit-exact with the reference kernel; slower than the specialised paths,
// several times faster than the reference.
#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

#include "../../reference/requant.h"
#include "mve_kernels.h"

namespace tp::kernels::mve {

bool conv2d_generic(const ConvParams& p, const int8_t* input, int8_t* output, const Scratch& scratch) {
  if (p.filter.c != p.input.c || p.folded_bias == nullptr) return false;  // grouped: reference
  const int32_t cin = p.input.c, fh = p.filter.h, fw = p.filter.w, cout = p.output.c;
  const int32_t K = fh * fw * cin;
  if (K > kGenericMaxTaps || K <= 0 || scratch.data == nullptr || scratch.bytes < static_cast<std::size_t>(K)) {
    return false;
  }
  int8_t* const col = static_cast<int8_t*>(scratch.data);
  const int8_t pad = static_cast<int8_t>(-p.input_offset);  // the input zero point
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
