// Small helpers used by the code the model compiler generates.
#pragma once

#include <cstdint>
#include <cstring>

#include "tinyperf/engine/model.h"

namespace tp::engine {

// Calls the layer probe, if any, before layer `layer` (or after the last
// one with layer == layer_count).
inline void probe_layer(const LayerProbe* probe, uint32_t layer) {
  if (probe != nullptr && probe->fn != nullptr) probe->fn(probe->ctx, layer);
}

inline int8_t* arena_s8(uint8_t* arena, uint32_t offset) {
  return reinterpret_cast<int8_t*>(arena + offset);
}

// Copies `bytes` bytes of the arena from offset `src` to offset `dst`, front
// to back, so the destination may overlap the source from below (dst <=
// src). Generated code uses it to slide a window of rows; it copies words
// when offsets and size allow (the C library's memcpy may copy bytes).
inline void copy_forward(uint8_t* arena, uint32_t dst, uint32_t src, uint32_t bytes) {
  uint8_t* d = arena + dst;
  const uint8_t* s = arena + src;
  if (((dst | src | bytes) & 15u) == 0) {
    for (uint32_t i = 0; i < bytes; i += 16) {
      uint32_t a, b, c, e;
      std::memcpy(&a, s + i, 4);
      std::memcpy(&b, s + i + 4, 4);
      std::memcpy(&c, s + i + 8, 4);
      std::memcpy(&e, s + i + 12, 4);
      // Opaque values: keeps the compiler from turning the loop back into a
      // library call.
      __asm__("" : "+r"(a), "+r"(b), "+r"(c), "+r"(e));
      std::memcpy(d + i, &a, 4);
      std::memcpy(d + i + 4, &b, 4);
      std::memcpy(d + i + 8, &c, 4);
      std::memcpy(d + i + 12, &e, 4);
    }
    return;
  }
  for (uint32_t i = 0; i < bytes; ++i) {
    d[i] = s[i];
    __asm__ volatile("" : : : "memory");
  }
}

// Copies `bytes` bytes from src to dst (no overlap): the benchmarks' input
// loads, which run in every timed inference. picolibc's memcpy (Debian's
// build) copies byte by byte, ~4 instructions a byte on both QEMU boards, so
// with picolibc this copies words when both pointers are 4-aligned (out of
// line: one copy in the image); newlib's and the host's memcpy are already
// word-wise (and the SparkFun Edge's newlib image has no flash to spare).
// With Helium, 16 bytes a step (the last one's tail predicated), any
// alignment.
#if defined(__PICOLIBC__)
[[gnu::noinline]] inline void copy_bytes(void* dst, const void* src, uint32_t bytes) {
  auto* d = static_cast<uint8_t*>(dst);
  const auto* s = static_cast<const uint8_t*>(src);
#if defined(__ARM_FEATURE_MVE)
  // A tail-predicated low-overhead loop: 3 instructions per 16 bytes.
  __asm__ volatile(
      "  wlstp.8 lr, %[n], 2f\n"
      "1:\n"
      "  vldrb.u8 q0, [%[s]], #16\n"
      "  vstrb.8 q0, [%[d]], #16\n"
      "  letp lr, 1b\n"
      "2:\n"
      : [s] "+r"(s), [d] "+r"(d)
      : [n] "r"(bytes)
      : "lr", "d0", "d1", "memory");
#else
  uint32_t i = 0;
  if (((reinterpret_cast<uintptr_t>(d) | reinterpret_cast<uintptr_t>(s)) & 3u) == 0) {
    for (; i + 4 <= bytes; i += 4) {
      uint32_t w;
      std::memcpy(&w, s + i, 4);
      __asm__("" : "+r"(w));  // (see copy_forward)
      std::memcpy(d + i, &w, 4);
    }
  }
  for (; i < bytes; ++i) {
    d[i] = s[i];
    __asm__ volatile("" : : : "memory");
  }
#endif
}
#else
inline void copy_bytes(void* dst, const void* src, uint32_t bytes) { std::memcpy(dst, src, bytes); }
#endif

}  // namespace tp::engine
