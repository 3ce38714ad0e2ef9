// CONV_2D, int8 activations, int8 per-channel (or per-tensor) weights,
// int32 bias. Reference implementation: TFLite's integer convolution.
#include "requant.h"

namespace tp::kernels::ref {

void conv2d_s8(const ConvParams& p, const int8_t* input, int8_t* output) {
  const int32_t groups = p.input.c / p.filter.c;
  const int32_t filters_per_group = p.output.c / groups;
  for (int32_t n = 0; n < p.output.n; ++n) {
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      const int32_t in_y0 = oy * p.stride_h - p.pad_h;
      for (int32_t ox = 0; ox < p.output.w; ++ox) {
        const int32_t in_x0 = ox * p.stride_w - p.pad_w;
        for (int32_t oc = 0; oc < p.output.c; ++oc) {
          const int32_t in_c0 = (oc / filters_per_group) * p.filter.c;
          int32_t acc = 0;
          for (int32_t ky = 0; ky < p.filter.h; ++ky) {
            const int32_t in_y = in_y0 + ky * p.dilation_h;
            if (in_y < 0 || in_y >= p.input.h) continue;  // zero padding
            for (int32_t kx = 0; kx < p.filter.w; ++kx) {
              const int32_t in_x = in_x0 + kx * p.dilation_w;
              if (in_x < 0 || in_x >= p.input.w) continue;
              const int8_t* in = input + detail::offset(p.input, n, in_y, in_x, in_c0);
              const int8_t* w = p.filter_data + detail::offset(p.filter, oc, ky, kx, 0);
              for (int32_t ic = 0; ic < p.filter.c; ++ic) {
                acc += static_cast<int32_t>(w[ic]) * (static_cast<int32_t>(in[ic]) + p.input_offset);
              }
            }
          }
          if (p.bias != nullptr) acc += p.bias[oc];
          output[detail::offset(p.output, n, oy, ox, oc)] = detail::requantize(acc, p.requant, oc);
        }
      }
    }
  }
}

}  // namespace tp::kernels::ref
