// The adapter objects defined in <id>/<id>.cc (private to benchmarks/).
#pragma once

#include "tinyperf/benchmarks/benchmark.h"

namespace tp::bench {
extern const Benchmark kKws01;
extern const Benchmark kVww01;
extern const Benchmark kIc01;
extern const Benchmark kAd01;
}  // namespace tp::bench
