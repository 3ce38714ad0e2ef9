// vww01 (visual wake words, MobileNetV1 0.25): 96x96 RGB uint8 bytes, each
// becomes b - 128 in the input tensor; results are the 2 dequantized class
// scores (0 = no person, 1 = person).
#include "../common/classification.h"
#include "../adapters.h"
#include "tinyperf/models/registry.h"

#if defined(TINYPERF_HAS_MODEL_VWW01)
namespace tp::bench {
namespace {

void load(const uint8_t* raw, int8_t* input_tensor) {
  detail::uint8_to_int8(raw, input_tensor, models::vww01.input.bytes);
}

std::size_t results(const int8_t* output_tensor, const uint8_t*, float* values,
                    std::size_t max_values) {
  return detail::dequantize_outputs(models::vww01.output, output_tensor, values, max_values);
}

}  // namespace

const Benchmark kVww01 = {"vww01", &models::vww01, 27648, &load, &results};

}  // namespace tp::bench
#endif
