// ic01 (image classification, ResNet-8 on CIFAR-10): 32x32 RGB uint8 bytes,
// the shared image-classifier adapter; 10 class scores.
#include "../adapters.h"
#include "../common/image_classifier.h"
#include "tinyperf/models/registry.h"

#if defined(TINYPERF_HAS_MODEL_IC01)
namespace tp::bench {

constinit const Benchmark kIc01 = image_classifier<models::ic01>("ic01", declared::kIc01InputBytes);

}  // namespace tp::bench
#endif
