// AVERAGE_POOL_2D, int8 (input and output share quantization). Reference
// implementation: TFLite's integer average pool; padded positions are left
// out of the average, which is rounded half away from zero.
#include "requant.h"

namespace tp::kernels::ref {

void avg_pool2d_s8(const AvgPoolParams& p, const int8_t* input, int8_t* output) {
  for (int32_t n = 0; n < p.output.n; ++n) {
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      const int32_t in_y0 = oy * p.stride_h - p.pad_h;
      const int32_t ky_begin = in_y0 < 0 ? -in_y0 : 0;
      const int32_t ky_end = p.filter_h < p.input.h - in_y0 ? p.filter_h : p.input.h - in_y0;
      for (int32_t ox = 0; ox < p.output.w; ++ox) {
        const int32_t in_x0 = ox * p.stride_w - p.pad_w;
        const int32_t kx_begin = in_x0 < 0 ? -in_x0 : 0;
        const int32_t kx_end = p.filter_w < p.input.w - in_x0 ? p.filter_w : p.input.w - in_x0;
        for (int32_t c = 0; c < p.output.c; ++c) {
          int32_t acc = 0;
          int32_t count = 0;
          for (int32_t ky = ky_begin; ky < ky_end; ++ky) {
            for (int32_t kx = kx_begin; kx < kx_end; ++kx) {
              acc += input[detail::offset(p.input, n, in_y0 + ky, in_x0 + kx, c)];
              ++count;
            }
          }
          // The compiler guarantees every window holds at least one element.
          acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          output[detail::offset(p.output, n, oy, ox, c)] =
              static_cast<int8_t>(detail::clamp(acc, p.act_min, p.act_max));
        }
      }
    }
  }
}

}  // namespace tp::kernels::ref
