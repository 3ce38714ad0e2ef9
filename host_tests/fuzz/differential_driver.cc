// The differential fuzz target's program (host_tests/fuzz/differential.py):
// runs the one model compiled into it (registry: tp::models::kAll[0]) on
// random inputs over an arena of exactly the size the compiler planned,
// under AddressSanitizer and UBSan. A model the compiler accepted must run
// clean: any out-of-bounds access, overflow or misalignment is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <random>
#include <vector>

#include "tinyperf/engine/model.h"
#include "tinyperf/models/registry.h"

int main(int argc, char** argv) {
  const tp::engine::ModelDesc& m = *tp::models::kAll[0];
  const unsigned seed = argc > 1 ? static_cast<unsigned>(std::strtoul(argv[1], nullptr, 10)) : 1;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 4;
  if (m.arena_bytes > (64u << 20)) {
    std::printf("arena %u bytes: larger than the 64 MB this harness runs\n", m.arena_bytes);
    return 0;
  }
  // Exactly arena_bytes, aligned as the firmware guarantees: ASan sees the end.
  auto* arena = static_cast<uint8_t*>(::operator new(m.arena_bytes ? m.arena_bytes : 1,
                                                     std::align_val_t{tp::engine::kArenaAlignment}));
  std::mt19937 rng(seed);
  for (int r = 0; r < runs; ++r) {
    for (uint32_t i = 0; i < m.arena_bytes; ++i) arena[i] = static_cast<uint8_t>(rng());
    m.run(arena, nullptr);
  }
  uint32_t sum = 0;
  for (uint32_t i = 0; i < m.output.bytes; ++i) sum += arena[m.output.offset + i];
  std::printf("%s: %d runs clean, arena %u B, output checksum %u\n", m.id, runs, m.arena_bytes, sum);
  ::operator delete(arena, std::align_val_t{tp::engine::kArenaAlignment});
  return 0;
}
