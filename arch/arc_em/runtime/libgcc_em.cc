// The libgcc helpers the firmware needs on ARC EM, written here because
// Debian's arc-linux-gnu libgcc.a is built for ARC HS (its objects carry
// Tag_ARC_CPU_base ARCHS and ISA_config LL64 / FPUD / DIV_REM: 64-bit loads
// and stores and double-precision FPU instructions an EM9D does not have;
// the linker refuses to merge them with -mcpu=em4_fpuda objects).
// Needed by the firmware: 64-bit unsigned division and remainder (the
// microsecond clock, the number formatter), single-precision division (no
// fsdiv in -mcpu=em4_fpuda) and roundf (ad01's input quantization).
// Checked on the host against the compiler's own operators
// (host_tests/drivers/arc_runtime_test.cc).
#include <cstdint>
#include <cstring>

// Host tests compile this file with TP_HELPER renaming each helper, so
// that the test binary's own libgcc and libm stay in use.
#ifndef TP_HELPER
#define TP_HELPER(name) name
#endif

namespace {

// Shift-subtract division on 32-bit halves only (no 64-bit helper calls).
uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t* rem) {
  if (d == 0) {  // as the hardware's divu: no trap, a defined result
    if (rem) *rem = n;
    return ~uint64_t{0};
  }
  if ((n >> 32) == 0 && (d >> 32) == 0) {
    const uint32_t n32 = static_cast<uint32_t>(n), d32 = static_cast<uint32_t>(d);
    if (rem) *rem = n32 % d32;
    return n32 / d32;
  }
  uint64_t q = 0, r = 0;
  for (int i = 63; i >= 0; --i) {
    r = (r << 1) | ((n >> i) & 1u);
    if (r >= d) {
      r -= d;
      q |= uint64_t{1} << i;
    }
  }
  if (rem) *rem = r;
  return q;
}

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

int clz32(uint32_t x) {
  int n = 0;
  if (!x) return 32;
  while (!(x & 0x80000000u)) x <<= 1, ++n;
  return n;
}

}  // namespace

extern "C" {

uint64_t TP_HELPER(__udivdi3)(uint64_t n, uint64_t d) { return udivmod64(n, d, nullptr); }
uint64_t TP_HELPER(__umoddi3)(uint64_t n, uint64_t d) {
  uint64_t r;
  udivmod64(n, d, &r);
  return r;
}
int64_t TP_HELPER(__divdi3)(int64_t n, int64_t d) {
  const bool neg = (n < 0) != (d < 0);
  const uint64_t un = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const uint64_t ud = d < 0 ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
  const uint64_t q = udivmod64(un, ud, nullptr);
  return static_cast<int64_t>(neg ? 0 - q : q);
}
int64_t TP_HELPER(__moddi3)(int64_t n, int64_t d) {
  const uint64_t un = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const uint64_t ud = d < 0 ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
  uint64_t r;
  udivmod64(un, ud, &r);
  return static_cast<int64_t>(n < 0 ? 0 - r : r);
}

// IEEE 754 binary32 division, round to nearest even, with subnormals,
// infinities and NaNs.
float TP_HELPER(__divsf3)(float a, float b) {
  const uint32_t ua = bits(a), ub = bits(b);
  const uint32_t sign = (ua ^ ub) & 0x80000000u;
  int ea = static_cast<int>((ua >> 23) & 0xFF), eb = static_cast<int>((ub >> 23) & 0xFF);
  uint32_t ma = ua & 0x7FFFFFu, mb = ub & 0x7FFFFFu;
  const uint32_t qnan = 0x7FC00000u;
  if (ea == 0xFF) {
    if (ma) return from_bits(ua | 0x400000u);
    if (eb == 0xFF) return from_bits(mb ? (ub | 0x400000u) : qnan);  // inf/inf
    return from_bits(sign | 0x7F800000u);
  }
  if (eb == 0xFF) {
    if (mb) return from_bits(ub | 0x400000u);
    return from_bits(sign);  // x / inf = 0
  }
  if (eb == 0 && mb == 0) {
    if (ea == 0 && ma == 0) return from_bits(qnan);  // 0/0
    return from_bits(sign | 0x7F800000u);             // x/0 = inf
  }
  if (ea == 0 && ma == 0) return from_bits(sign);
  // Normalize: mantissas with the hidden bit at bit 23.
  if (ea == 0) {
    const int s = clz32(ma) - 8;
    ma <<= s;
    ea = 1 - s;
  } else {
    ma |= 0x800000u;
  }
  if (eb == 0) {
    const int s = clz32(mb) - 8;
    mb <<= s;
    eb = 1 - s;
  } else {
    mb |= 0x800000u;
  }
  int e = ea - eb + 127;
  // Quotient with 26 significant bits or more: (ma << 26) / mb in [2^25, 2^27).
  uint64_t rem;
  uint64_t q = udivmod64(static_cast<uint64_t>(ma) << 26, mb, &rem);
  uint32_t sticky = rem != 0;
  if (q < (uint64_t{1} << 26)) {  // ma < mb: one bit less
    q <<= 1;
    --e;
    // recompute exactly: (ma << 27) / mb
    q = udivmod64(static_cast<uint64_t>(ma) << 27, mb, &rem);
    sticky = rem != 0;
  }
  // q has 27 bits: 24 result bits + 3 guard bits (bit 26 is the hidden bit).
  uint32_t m = static_cast<uint32_t>(q);
  if (e <= 0) {  // subnormal result: shift right, keeping sticky bits
    const int shift = 1 - e;
    if (shift >= 32) {
      sticky |= m != 0;
      m = 0;
    } else {
      sticky |= (m & ((1u << shift) - 1)) != 0;
      m >>= shift;
    }
    e = 0;
  }
  const uint32_t guard = m & 7u;
  m >>= 3;
  const bool round_up = guard > 4 || (guard == 4 && (sticky || (m & 1u)));
  if (round_up) ++m;
  if (e == 0) {
    // m may have become normal by rounding (hidden bit set): exponent 1.
    return from_bits(sign | m);
  }
  if (m >= 0x1000000u) {  // rounding overflowed the mantissa
    m >>= 1;
    ++e;
  }
  if (e >= 0xFF) return from_bits(sign | 0x7F800000u);
  return from_bits(sign | (static_cast<uint32_t>(e) << 23) | (m & 0x7FFFFFu));
}

// Round half away from zero (C's roundf).
float TP_HELPER(roundf)(float x) {
  const uint32_t u = bits(x);
  const int e = static_cast<int>((u >> 23) & 0xFF) - 127;
  if (e >= 23) return x;  // integral already, or inf/NaN
  if (e < -1) return from_bits(u & 0x80000000u);  // |x| < 0.5
  if (e == -1) return from_bits((u & 0x80000000u) | 0x3F800000u);  // 0.5 <= |x| < 1
  const uint32_t frac = 0x7FFFFFu >> e;
  uint32_t r = u + (0x400000u >> e);  // add one half
  r &= ~frac;
  return from_bits(r);
}

}  // extern "C"
