// sww01 (streaming wake word, MLPerf Tiny): for `db`, the raw input is the
// model's int8 feature tensor [1,30,1,40] (30 frames of 40 log-mel features,
// scale 0.00370104262, zero point -128) copied in unchanged, so the model can
// be checked apart from the audio stream; results are the 3 dequantized
// class scores. The on-device feature extractor and the per-hop pipeline are
// in pipeline.cc (include/tinyperf/sww01/pipeline.h).
#include <cstring>

#include "../common/classification.h"
#include "../adapters.h"
#include "tinyperf/models/registry.h"

#if defined(TINYPERF_HAS_MODEL_SWW01)
namespace tp::bench {
namespace {

void load(const uint8_t* raw, int8_t* input_tensor) {
  std::memcpy(input_tensor, raw, models::sww01.input.bytes);
}

std::size_t results(const int8_t* output_tensor, const uint8_t*, float* values,
                    std::size_t max_values) {
  return detail::dequantize_outputs(models::sww01.output, output_tensor, values, max_values);
}

}  // namespace

const Benchmark kSww01 = {"sww01", &models::sww01, declared::kSww01InputBytes, &load, &results};

}  // namespace tp::bench
#endif
