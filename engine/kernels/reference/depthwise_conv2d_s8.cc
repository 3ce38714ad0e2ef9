// DEPTHWISE_CONV_2D, int8. Reference implementation: TFLite's integer
// depthwise convolution (output channel = input channel * multiplier + m).
#include "requant.h"

namespace tp::kernels::ref {

void depthwise_conv2d_s8(const DepthwiseConvParams& p, const int8_t* input,
                         int8_t* output) {
  for (int32_t n = 0; n < p.output.n; ++n) {
    for (int32_t oy = 0; oy < p.output.h; ++oy) {
      const int32_t in_y0 = oy * p.stride_h - p.pad_h;
      for (int32_t ox = 0; ox < p.output.w; ++ox) {
        const int32_t in_x0 = ox * p.stride_w - p.pad_w;
        for (int32_t ic = 0; ic < p.input.c; ++ic) {
          for (int32_t m = 0; m < p.depth_multiplier; ++m) {
            const int32_t oc = ic * p.depth_multiplier + m;
            int32_t acc = 0;
            for (int32_t ky = 0; ky < p.filter.h; ++ky) {
              const int32_t in_y = in_y0 + ky * p.dilation_h;
              if (in_y < 0 || in_y >= p.input.h) continue;  // zero padding
              for (int32_t kx = 0; kx < p.filter.w; ++kx) {
                const int32_t in_x = in_x0 + kx * p.dilation_w;
                if (in_x < 0 || in_x >= p.input.w) continue;
                const int32_t x = input[detail::offset(p.input, n, in_y, in_x, ic)];
                const int32_t w = p.filter_data[detail::offset(p.filter, 0, ky, kx, oc)];
                acc += w * (x + p.input_offset);
              }
            }
            if (p.bias != nullptr) acc += p.bias[oc];
            output[detail::offset(p.output, n, oy, ox, oc)] = detail::requantize(acc, p.requant, oc);
          }
        }
      }
    }
  }
}

}  // namespace tp::kernels::ref
