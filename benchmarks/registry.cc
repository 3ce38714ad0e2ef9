// tp::bench registry: the adapters of the models compiled into this build,
// in the fixed order kws01, vww01, ic01, ad01 (then the newer ones: sww01).
#include <cstring>

#include "adapters.h"
#include "tinyperf/models/registry.h"

namespace tp::bench {

const Benchmark* const kAll[] = {
#if defined(TINYPERF_HAS_MODEL_KWS01)
    &kKws01,
#endif
#if defined(TINYPERF_HAS_MODEL_VWW01)
    &kVww01,
#endif
#if defined(TINYPERF_HAS_MODEL_IC01)
    &kIc01,
#endif
#if defined(TINYPERF_HAS_MODEL_AD01)
    &kAd01,
#endif
#if defined(TINYPERF_HAS_MODEL_SWW01)
    &kSww01,
#endif
    nullptr,  // keeps the array non-empty; not counted
};

const std::size_t kCount = sizeof(kAll) / sizeof(kAll[0]) - 1;

const Benchmark* find(const char* id) {
  if (id == nullptr) return nullptr;
  for (std::size_t i = 0; i < kCount; ++i) {
    if (std::strcmp(kAll[i]->id, id) == 0) return kAll[i];
  }
  return nullptr;
}

}  // namespace tp::bench
