// The libgcc helpers the project writes for the cross compilers whose
// libgcc.a cannot be used as is, one portable source for every CPU that
// needs them (arch/<cpu>/cpu.cmake lists this file):
// - ARC EM (arch/arc_em): Debian's arc-linux-gnu libgcc.a is built for ARC
//   HS (its objects carry Tag_ARC_CPU_base ARCHS and ISA_config LL64 / FPUD /
//   DIV_REM: 64-bit loads and stores and double-precision FPU instructions
//   an EM9D does not have; the linker refuses to merge them with
//   -mcpu=em4_fpuda objects). The firmware needs 64-bit division and
//   remainder (the microsecond clock, the number formatter), single-precision
//   division (no fsdiv in -mcpu=em4_fpuda) and roundf (ad01's input
//   quantization; there is no libm on that target).
// - Xtensa LX106 call0 (arch/xtensa_lx): the helpers GCC's Xtensa port
//   writes in assembly (lib1funcs.S: 32-bit division and remainder, 64-bit
//   multiply, single-precision multiply and int-to-float) are not in
//   Debian's gcc-xtensa-lx106 package, which expects them from the ESP8266's
//   ROM; the ESP32 ROM has its own, at addresses this image does not link
//   against. 64-bit division too: the package's __udivdi3 calls __udivsi3.
// Written in C++ that compiles to plain 32-bit core instructions (32-bit
// multiply, shifts; division only where the core has it, TP_SOFT_HW_DIV32).
// The linker takes from this file only the helpers an image calls
// (-ffunction-sections, --gc-sections). Checked bit for bit on the host
// against the compiler's own operators (host_tests/drivers/soft_helpers_test.cc).
#include <cstdint>
#include <cstring>

// Host tests compile this file with TP_HELPER renaming each helper, so
// that the test binary's own libgcc and libm stay in use.
#ifndef TP_HELPER
#define TP_HELPER(name) name
#endif

// 1 when the core divides 32-bit integers itself (ARC EM's DIV_REM option):
// 64-bit divisions of 32-bit values then take the hardware path.
#ifndef TP_SOFT_HW_DIV32
#if defined(__ARC_DIVREM__)
#define TP_SOFT_HW_DIV32 1
#else
#define TP_SOFT_HW_DIV32 0
#endif
#endif

namespace {

// Shift-subtract division (no division instruction, no helper calls).
uint32_t udivmod32(uint32_t n, uint32_t d, uint32_t* rem) {
  if (d == 0) {  // as ARC's divu: no trap, a defined result
    if (rem) *rem = n;
    return 0xFFFFFFFFu;
  }
  uint32_t q = 0, r = 0;
  for (int i = 31; i >= 0; --i) {
    r = (r << 1) | ((n >> i) & 1u);
    if (r >= d) {
      r -= d;
      q |= 1u << i;
    }
  }
  if (rem) *rem = r;
  return q;
}

// The same on 64 bits, on 32-bit halves only (no 64-bit helper calls).
uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t* rem) {
  if (d == 0) {
    if (rem) *rem = n;
    return ~uint64_t{0};
  }
  if (TP_SOFT_HW_DIV32 && (n >> 32) == 0 && (d >> 32) == 0) {
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

uint32_t magnitude(int32_t v) { return v < 0 ? 0u - static_cast<uint32_t>(v) : static_cast<uint32_t>(v); }
uint64_t magnitude(int64_t v) { return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v); }

// 32 x 32 -> 64 from 16-bit halves (LX106 has no MUL32_HIGH).
uint64_t umul32x32(uint32_t a, uint32_t b) {
  const uint32_t al = a & 0xFFFF, ah = a >> 16, bl = b & 0xFFFF, bh = b >> 16;
  const uint32_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const uint32_t mid = (ll >> 16) + (lh & 0xFFFF) + (hl & 0xFFFF);
  const uint32_t lo = (ll & 0xFFFF) | (mid << 16);
  const uint32_t hi = hh + (lh >> 16) + (hl >> 16) + (mid >> 16);
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

uint32_t fbits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float ffrom(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

int clz32(uint32_t x) {
  if (!x) return 32;
  int n = 0;
  while (!(x & 0x80000000u)) x <<= 1, ++n;
  return n;
}

// Unpacks a finite nonzero binary32 into a mantissa with its leading one at
// bit 23 and its exponent (subnormals normalized).
void normalize(uint32_t& m, int& e) {
  if (e == 0) {
    const int s = clz32(m) - 8;
    m <<= s;
    e = 1 - s;
  } else {
    m |= 0x800000u;
  }
}

// Rounds m (the value m x 2^(e - 127 - 26), m < 2^27 with its leading one at
// bit 26 when normal, 3 guard bits below the 24 kept) to nearest even and
// packs it with sign; sticky: any nonzero bit below m.
float round_pack(uint32_t sign, int e, uint32_t m, bool sticky) {
  if (e <= 0) {  // subnormal result: shift right, keeping sticky bits
    const int shift = 1 - e;
    if (shift >= 32) {
      sticky = sticky || m != 0;
      m = 0;
    } else {
      sticky = sticky || (m & ((1u << shift) - 1)) != 0;
      m >>= shift;
    }
    e = 0;
  }
  const uint32_t guard = m & 7u;
  m >>= 3;
  if (guard > 4 || (guard == 4 && (sticky || (m & 1u)))) ++m;
  if (e == 0) return ffrom(sign | m);  // subnormal (or rounded up to the smallest normal)
  if (m >= 0x1000000u) {  // rounding overflowed the mantissa
    m >>= 1;
    ++e;
  }
  if (e >= 0xFF) return ffrom(sign | 0x7F800000u);
  return ffrom(sign | (static_cast<uint32_t>(e) << 23) | (m & 0x7FFFFFu));
}

}  // namespace

extern "C" {

uint32_t TP_HELPER(__udivsi3)(uint32_t n, uint32_t d) { return udivmod32(n, d, nullptr); }
uint32_t TP_HELPER(__umodsi3)(uint32_t n, uint32_t d) {
  uint32_t r;
  udivmod32(n, d, &r);
  return r;
}
int32_t TP_HELPER(__divsi3)(int32_t n, int32_t d) {
  const uint32_t q = udivmod32(magnitude(n), magnitude(d), nullptr);
  return static_cast<int32_t>((n < 0) != (d < 0) ? 0u - q : q);
}
int32_t TP_HELPER(__modsi3)(int32_t n, int32_t d) {
  uint32_t r;
  udivmod32(magnitude(n), magnitude(d), &r);
  return static_cast<int32_t>(n < 0 ? 0u - r : r);
}
uint64_t TP_HELPER(__udivdi3)(uint64_t n, uint64_t d) { return udivmod64(n, d, nullptr); }
uint64_t TP_HELPER(__umoddi3)(uint64_t n, uint64_t d) {
  uint64_t r;
  udivmod64(n, d, &r);
  return r;
}
int64_t TP_HELPER(__divdi3)(int64_t n, int64_t d) {
  const uint64_t q = udivmod64(magnitude(n), magnitude(d), nullptr);
  return static_cast<int64_t>((n < 0) != (d < 0) ? 0 - q : q);
}
int64_t TP_HELPER(__moddi3)(int64_t n, int64_t d) {
  uint64_t r;
  udivmod64(magnitude(n), magnitude(d), &r);
  return static_cast<int64_t>(n < 0 ? 0 - r : r);
}

uint64_t TP_HELPER(__muldi3)(uint64_t a, uint64_t b) {
  const uint32_t al = static_cast<uint32_t>(a), ah = static_cast<uint32_t>(a >> 32);
  const uint32_t bl = static_cast<uint32_t>(b), bh = static_cast<uint32_t>(b >> 32);
  const uint64_t low = umul32x32(al, bl);
  const uint32_t cross = al * bh + ah * bl;  // only the low 32 bits matter
  return low + (static_cast<uint64_t>(cross) << 32);
}

float TP_HELPER(__floatsisf)(int32_t i) {
  if (i == 0) return ffrom(0);
  const uint32_t sign = i < 0 ? 0x80000000u : 0;
  const uint32_t a = magnitude(i);
  const int top = 31 - clz32(a);  // the leading one
  uint32_t m;
  bool sticky = false;
  if (top <= 26) {
    m = a << (26 - top);
  } else {
    const int s = top - 26;
    sticky = (a & ((1u << s) - 1)) != 0;
    m = a >> s;
  }
  return round_pack(sign, top + 127, m, sticky);
}

// IEEE 754 binary32 multiply and divide, round to nearest even, with
// subnormals, infinities and NaNs.
float TP_HELPER(__mulsf3)(float x, float y) {
  const uint32_t ux = fbits(x), uy = fbits(y);
  const uint32_t sign = (ux ^ uy) & 0x80000000u;
  int ex = static_cast<int>((ux >> 23) & 0xFF), ey = static_cast<int>((uy >> 23) & 0xFF);
  uint32_t mx = ux & 0x7FFFFFu, my = uy & 0x7FFFFFu;
  if (ex == 0xFF || ey == 0xFF) {
    if (ex == 0xFF && mx) return ffrom(ux | 0x400000u);
    if (ey == 0xFF && my) return ffrom(uy | 0x400000u);
    const bool zx = ex == 0 && mx == 0, zy = ey == 0 && my == 0;
    if (zx || zy) return ffrom(0x7FC00000u);  // inf x 0
    return ffrom(sign | 0x7F800000u);
  }
  if ((ex == 0 && mx == 0) || (ey == 0 && my == 0)) return ffrom(sign);
  normalize(mx, ex);
  normalize(my, ey);
  // Product of two 24-bit mantissas: 47 or 48 bits.
  const uint64_t p = umul32x32(mx, my);
  int e = ex + ey - 127;
  // Bring the leading one to bit 26: from bit 46 (shift 20) or 47 (shift 21).
  int shift = 20;
  if (p >> 47) {
    shift = 21;
    ++e;
  }
  const bool sticky = (p & ((uint64_t{1} << shift) - 1)) != 0;
  return round_pack(sign, e, static_cast<uint32_t>(p >> shift), sticky);
}

float TP_HELPER(__divsf3)(float a, float b) {
  const uint32_t ua = fbits(a), ub = fbits(b);
  const uint32_t sign = (ua ^ ub) & 0x80000000u;
  int ea = static_cast<int>((ua >> 23) & 0xFF), eb = static_cast<int>((ub >> 23) & 0xFF);
  uint32_t ma = ua & 0x7FFFFFu, mb = ub & 0x7FFFFFu;
  const uint32_t qnan = 0x7FC00000u;
  if (ea == 0xFF) {
    if (ma) return ffrom(ua | 0x400000u);
    if (eb == 0xFF) return ffrom(mb ? (ub | 0x400000u) : qnan);  // inf/inf
    return ffrom(sign | 0x7F800000u);
  }
  if (eb == 0xFF) {
    if (mb) return ffrom(ub | 0x400000u);
    return ffrom(sign);  // x / inf = 0
  }
  if (eb == 0 && mb == 0) {
    if (ea == 0 && ma == 0) return ffrom(qnan);  // 0/0
    return ffrom(sign | 0x7F800000u);           // x/0 = inf
  }
  if (ea == 0 && ma == 0) return ffrom(sign);
  normalize(ma, ea);
  normalize(mb, eb);
  int e = ea - eb + 127;
  // Quotient with its leading one at bit 26 (24 result bits + 3 guard bits):
  // (ma << 26) / mb when ma >= mb, else (ma << 27) / mb one exponent lower.
  int shift = 26;
  if (ma < mb) {
    shift = 27;
    --e;
  }
  uint64_t rem;
  const uint64_t q = udivmod64(static_cast<uint64_t>(ma) << shift, mb, &rem);
  return round_pack(sign, e, static_cast<uint32_t>(q), rem != 0);
}

// Round half away from zero (C's roundf).
float TP_HELPER(roundf)(float x) {
  const uint32_t u = fbits(x);
  const int e = static_cast<int>((u >> 23) & 0xFF) - 127;
  if (e >= 23) return x;  // integral already, or inf/NaN
  if (e < -1) return ffrom(u & 0x80000000u);  // |x| < 0.5
  if (e == -1) return ffrom((u & 0x80000000u) | 0x3F800000u);  // 0.5 <= |x| < 1
  const uint32_t frac = 0x7FFFFFu >> e;
  uint32_t r = u + (0x400000u >> e);  // add one half
  r &= ~frac;
  return ffrom(r);
}

}  // extern "C"
