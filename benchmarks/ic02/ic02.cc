// ic02 (image classification, the large ResNet on CIFAR-10): 32x32 RGB uint8 bytes,
// the shared image-classifier adapter; 10 class scores.
#include "../adapters.h"
#include "../common/image_classifier.h"
#include "tinyperf/models/registry.h"

#if defined(TINYPERF_HAS_MODEL_IC02)
namespace tp::bench {

constinit const Benchmark kIc02 = image_classifier<models::ic02>("ic02", declared::kIc02InputBytes);

}  // namespace tp::bench
#endif
