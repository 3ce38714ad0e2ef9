// FULLY_CONNECTED, int8. Reference implementation of TFLite's integer fully
// connected layer, with the input zero point folded into the bias by the
// compiler (exact: see FullyConnectedParams).
#include "requant.h"

namespace tp::kernels::ref {

void fully_connected_s8(const FullyConnectedParams& p, const int8_t* input,
                        int8_t* output) {
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* in = input + b * p.input_depth;
    for (int32_t o = 0; o < p.output_depth; ++o) {
      const int8_t* w = p.filter_data + o * p.input_depth;
      int32_t acc = p.folded_bias[o];
      for (int32_t i = 0; i < p.input_depth; ++i) {
        acc += static_cast<int32_t>(w[i]) * static_cast<int32_t>(in[i]);
      }
      output[b * p.output_depth + o] = detail::requantize(acc, p.requant, o);
    }
  }
}

}  // namespace tp::kernels::ref
