// ADD, int8, same-shape inputs. Reference implementation: TFLite's integer
// add: both inputs are rescaled to a common scale (twice the larger input
// scale) with 20 bits of headroom, summed, and rescaled to the output.
#include "requant.h"

namespace tp::kernels::ref {

void add_s8(const AddParams& p, const int8_t* input1, const int8_t* input2,
            int8_t* output) {
  using namespace tp::fixedpoint;
  for (int32_t i = 0; i < p.size; ++i) {
    const int32_t v1 = (p.input1_offset + input1[i]) * (int32_t{1} << p.left_shift);
    const int32_t v2 = (p.input2_offset + input2[i]) * (int32_t{1} << p.left_shift);
    const int32_t s1 = multiply_by_quantized_multiplier_smaller_than_one(
        v1, p.input1_multiplier, p.input1_shift);
    const int32_t s2 = multiply_by_quantized_multiplier_smaller_than_one(
        v2, p.input2_multiplier, p.input2_shift);
    const int32_t sum = s1 + s2;
    const int32_t out = multiply_by_quantized_multiplier_smaller_than_one(
                            sum, p.output_multiplier, p.output_shift) +
                        p.output_offset;
    output[i] = static_cast<int8_t>(detail::clamp(out, p.act_min, p.act_max));
  }
}

}  // namespace tp::kernels::ref
