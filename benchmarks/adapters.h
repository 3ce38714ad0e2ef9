// The adapter objects defined in <id>/<id>.cc (private to benchmarks/): one
// per benchmark in this image, as the generated declared.h lists them.
#pragma once

#include "tinyperf/benchmarks/benchmark.h"
#include "tinyperf/benchmarks/declared.h"

namespace tp::bench {
#define TP_DECLARE_ADAPTER(Name) extern const Benchmark k##Name;
TP_BENCHMARK_ADAPTERS(TP_DECLARE_ADAPTER)
#undef TP_DECLARE_ADAPTER

// ad01's input conversion of one float (ad01/ad01.cc; tested on the host
// against std::round).
int8_t ad01_quantize(float f, float scale, int32_t zero_point);
}  // namespace tp::bench
