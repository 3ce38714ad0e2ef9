// kws01 (keyword spotting, DS-CNN): 490 int8 MFCC bytes copied into the
// input tensor unchanged; results are the 12 dequantized class scores.
#include <cstring>

#include "../common/classification.h"
#include "../adapters.h"
#include "tinyperf/models/registry.h"

#if defined(TINYPERF_HAS_MODEL_KWS01)
namespace tp::bench {
namespace {

void load(const uint8_t* raw, int8_t* input_tensor) {
  std::memcpy(input_tensor, raw, models::kws01.input.bytes);
}

std::size_t results(const int8_t* output_tensor, const uint8_t*, float* values,
                    std::size_t max_values) {
  return detail::dequantize_outputs(models::kws01.output, output_tensor, values, max_values);
}

}  // namespace

const Benchmark kKws01 = {"kws01", &models::kws01, declared::kKws01InputBytes, &load, &results};

}  // namespace tp::bench
#endif
