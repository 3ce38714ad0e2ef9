// The adapter objects defined in <id>/<id>.cc (private to benchmarks/).
#pragma once

#include "tinyperf/benchmarks/benchmark.h"

namespace tp::bench {
extern const Benchmark kKws01;
extern const Benchmark kVww01;
extern const Benchmark kIc01;
extern const Benchmark kAd01;
extern const Benchmark kSww01;

// ad01's input conversion of one float (ad01/ad01.cc; tested on the host
// against std::round).
int8_t ad01_quantize(float f, float scale, int32_t zero_point);
}  // namespace tp::bench
