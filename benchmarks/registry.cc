// tp::bench registry: the adapters of the benchmarks in this image, in their
// declared order (benchmarks/<id>/benchmark.json "order"; the generated
// declared.h lists them).
#include <cstring>

#include "adapters.h"

namespace tp::bench {

const Benchmark* const kAll[] = {
#define TP_ADAPTER_ENTRY(Name) &k##Name,
    TP_BENCHMARK_ADAPTERS(TP_ADAPTER_ENTRY)
#undef TP_ADAPTER_ENTRY
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
