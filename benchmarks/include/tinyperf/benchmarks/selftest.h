// Golden pairs compiled into the image for the `selftest` command
// (cmake/selftest.cmake generates them from the shared golden outputs):
// the raw input exactly as the host would send it with `db`, and the int8
// output tensor TensorFlow Lite computes for it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tp::bench {

struct GoldenPair {
  const char* model_id;    // benchmark id ("kws01", ...)
  const uint8_t* input;    // raw bytes, Benchmark::raw_input_bytes long
  std::size_t input_bytes;
  const uint8_t* output;   // expected output tensor bytes
  std::size_t output_bytes;
  const char* source;      // golden file it came from ("kws/random_00")
};

struct SelftestPairs {
  const GoldenPair* pairs;
  std::size_t count;  // 0: built without (-DTP_SELFTEST=OFF)
};

extern const SelftestPairs kSelftestPairs;

}  // namespace tp::bench
