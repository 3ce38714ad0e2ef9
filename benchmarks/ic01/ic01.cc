// ic01 (image classification, ResNet-8 on CIFAR-10): 32x32 RGB uint8 bytes,
// each becomes b - 128 in the input tensor; results are the 10 dequantized
// class scores.
#include "../common/classification.h"
#include "../adapters.h"
#include "tinyperf/models/registry.h"

#if defined(TINYPERF_HAS_MODEL_IC01)
namespace tp::bench {
namespace {

void load(const uint8_t* raw, int8_t* input_tensor) {
  detail::uint8_to_int8(raw, input_tensor, models::ic01.input.bytes);
}

std::size_t results(const int8_t* output_tensor, const uint8_t*, float* values,
                    std::size_t max_values) {
  return detail::dequantize_outputs(models::ic01.output, output_tensor, values, max_values);
}

}  // namespace

const Benchmark kIc01 = {"ic01", &models::ic01, 3072, &load, &results};

}  // namespace tp::bench
#endif
