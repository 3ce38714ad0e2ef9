// Armv7E-M DSP instructions used by the arm_dsp kernels, as inline
// functions: the instruction itself on a DSP-capable Arm target, a portable
// emulation with the same result bits elsewhere (host tests run the same
// kernel code against tp::kernels::ref).
//
// Naming follows the instructions. Halfword lanes: "lo" = bits 0..15,
// "hi" = bits 16..31. sxtb16(x) = (int16)byte0 | (int16)byte2 << 16, and
// sxtb16_ror8(x) the same of bytes 1 and 3: with activations stored as
// (x0,x2),(x1,x3) pairs, an int8 weight word multiplies without repacking.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__ARM_FEATURE_DSP) && defined(__thumb2__)
#define TP_ARM_DSP_NATIVE 1
#else
#define TP_ARM_DSP_NATIVE 0
#endif

namespace tp::kernels::arm_dsp {

// Unaligned-safe loads/stores (a single LDR/STR on the M4).
inline uint32_t load32(const void* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline void store32(void* p, uint32_t v) { std::memcpy(p, &v, 4); }

// Signed halfword lanes of a word, and a word from two halfwords.
inline int32_t lo16(uint32_t x) { return static_cast<int16_t>(x & 0xFFFFu); }
inline int32_t hi16(uint32_t x) { return static_cast<int16_t>(x >> 16); }
inline uint32_t pack16(int32_t lo, int32_t hi) {
  return (static_cast<uint32_t>(lo) & 0xFFFFu) | (static_cast<uint32_t>(hi) << 16);
}

#if TP_ARM_DSP_NATIVE

inline uint32_t sxtb16(uint32_t x) {
  uint32_t r;
  __asm__("sxtb16 %0, %1" : "=r"(r) : "r"(x));
  return r;
}
inline uint32_t sxtb16_ror8(uint32_t x) {
  uint32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
inline uint32_t sxtab16(uint32_t a, uint32_t x) {
  uint32_t r;
  __asm__("sxtab16 %0, %1, %2" : "=r"(r) : "r"(a), "r"(x));
  return r;
}
inline uint32_t sxtab16_ror8(uint32_t a, uint32_t x) {
  uint32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
  return r;
}
inline uint32_t sadd16(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm__("sadd16 %0, %1, %2" : "=r"(r) : "r"(a), "r"(b) : "cc");
  return r;
}
inline int32_t smlad(uint32_t a, uint32_t b, int32_t acc) {
  int32_t r;
  __asm__("smlad %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
}
inline int32_t smlabb(uint32_t a, uint32_t b, int32_t acc) {
  int32_t r;
  __asm__("smlabb %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
}
inline int32_t smlatt(uint32_t a, uint32_t b, int32_t acc) {
  int32_t r;
  __asm__("smlatt %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
}
inline int32_t smlabt(uint32_t a, uint32_t b, int32_t acc) {
  int32_t r;
  __asm__("smlabt %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
}
inline int32_t smlatb(uint32_t a, uint32_t b, int32_t acc) {
  int32_t r;
  __asm__("smlatb %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
  return r;
}
// (ra * 2^32 + rn * rm + 2^31) >> 32
inline int32_t smmlar(int32_t rn, int32_t rm, int32_t ra) {
  int32_t r;
  __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(rn), "r"(rm), "r"(ra));
  return r;
}
inline int32_t ssat8(int32_t x) {
  int32_t r;
  __asm__("ssat %0, #8, %1" : "=r"(r) : "r"(x) : "cc");
  return r;
}
inline int32_t qadd(int32_t a, int32_t b) {
  int32_t r;
  __asm__("qadd %0, %1, %2" : "=r"(r) : "r"(a), "r"(b) : "cc");
  return r;
}
inline uint32_t pkhbt(uint32_t lo, uint32_t hi) {  // lo.lo | hi.lo << 16
  uint32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
}
inline uint32_t pkhtb(uint32_t hi, uint32_t lo) {  // lo.hi | hi.hi << 16
  uint32_t r;
  __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(hi), "r"(lo));
  return r;
}

#else  // portable emulation

inline int32_t byte_s(uint32_t x, int i) { return static_cast<int8_t>((x >> (8 * i)) & 0xFFu); }

inline uint32_t sxtb16(uint32_t x) { return pack16(byte_s(x, 0), byte_s(x, 2)); }
inline uint32_t sxtb16_ror8(uint32_t x) { return pack16(byte_s(x, 1), byte_s(x, 3)); }
inline uint32_t sxtab16(uint32_t a, uint32_t x) {
  return pack16(lo16(a) + byte_s(x, 0), hi16(a) + byte_s(x, 2));
}
inline uint32_t sxtab16_ror8(uint32_t a, uint32_t x) {
  return pack16(lo16(a) + byte_s(x, 1), hi16(a) + byte_s(x, 3));
}
inline uint32_t sadd16(uint32_t a, uint32_t b) {
  return pack16(lo16(a) + lo16(b), hi16(a) + hi16(b));
}
inline int32_t wrap_add(int32_t a, int64_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t smlad(uint32_t a, uint32_t b, int32_t acc) {
  return wrap_add(acc, int64_t{lo16(a)} * lo16(b) + int64_t{hi16(a)} * hi16(b));
}
inline int32_t smlabb(uint32_t a, uint32_t b, int32_t acc) { return wrap_add(acc, lo16(a) * lo16(b)); }
inline int32_t smlatt(uint32_t a, uint32_t b, int32_t acc) { return wrap_add(acc, hi16(a) * hi16(b)); }
inline int32_t smlabt(uint32_t a, uint32_t b, int32_t acc) { return wrap_add(acc, lo16(a) * hi16(b)); }
inline int32_t smlatb(uint32_t a, uint32_t b, int32_t acc) { return wrap_add(acc, hi16(a) * lo16(b)); }
inline int32_t smmlar(int32_t rn, int32_t rm, int32_t ra) {
  const uint64_t v = (static_cast<uint64_t>(static_cast<uint32_t>(ra)) << 32) +
                     static_cast<uint64_t>(int64_t{rn} * rm) + (uint64_t{1} << 31);
  return static_cast<int32_t>(static_cast<uint32_t>(v >> 32));
}
inline int32_t ssat8(int32_t x) { return x < -128 ? -128 : (x > 127 ? 127 : x); }
inline int32_t qadd(int32_t a, int32_t b) {
  const int64_t s = int64_t{a} + b;
  return s > INT32_MAX ? INT32_MAX : (s < INT32_MIN ? INT32_MIN : static_cast<int32_t>(s));
}
inline uint32_t pkhbt(uint32_t lo, uint32_t hi) { return (lo & 0xFFFFu) | (hi << 16); }
inline uint32_t pkhtb(uint32_t hi, uint32_t lo) { return (hi & 0xFFFF0000u) | (lo >> 16); }

#endif

}  // namespace tp::kernels::arm_dsp
