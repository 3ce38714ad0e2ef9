// vww01 (visual wake words, MobileNetV1 0.25): 96x96 RGB uint8 bytes, the
// shared image-classifier adapter; 2 class scores (0 = no person, 1 = person).
#include "../adapters.h"
#include "../common/image_classifier.h"
#include "tinyperf/models/registry.h"

#if defined(TINYPERF_HAS_MODEL_VWW01)
namespace tp::bench {

constinit const Benchmark kVww01 = image_classifier<models::vww01>("vww01", declared::kVww01InputBytes);

}  // namespace tp::bench
#endif
