// kws01 (keyword spotting, DS-CNN): 490 int8 MFCC bytes copied into the
// input tensor unchanged; results are the 12 dequantized class scores.
#include "../adapters.h"
#include "../common/int8_passthrough.h"
#include "tinyperf/models/registry.h"

#if defined(TINYPERF_HAS_MODEL_KWS01)
namespace tp::bench {

constinit const Benchmark kKws01 = int8_passthrough<models::kws01>("kws01", declared::kKws01InputBytes);

}  // namespace tp::bench
#endif
