// libgcc helpers missing from Debian's gcc-xtensa-lx106 libgcc.a: the ones
// GCC's Xtensa port writes in assembly (lib1funcs.S: 32-bit division and
// remainder, 64-bit multiply, single-precision multiply and int-to-float)
// are not in the package, which expects them from the ESP8266's ROM. The
// ESP32 ROM has its own, but at addresses this image does not link against,
// so they are written here, in C++ that compiles to LX106 core
// instructions (32-bit mull, shifts; no division). 64-bit division too: the
// package's __udivdi3 calls __udivsi3. Checked on the host against the
// compiler's own operators (host_tests/drivers/soft_helpers_test.cc).
#include <cstdint>
#include <cstring>

// Host tests compile this file with TP_HELPER renaming each helper, so
// that the test binary's own libgcc and libm stay in use.
#ifndef TP_HELPER
#define TP_HELPER(name) name
#endif

namespace {

uint32_t udivmod32(uint32_t n, uint32_t d, uint32_t* rem) {
  if (d == 0) {
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

uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t* rem) {
  if (d == 0) {
    if (rem) *rem = n;
    return ~uint64_t{0};
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

// 32 x 32 -> 64 from 16-bit halves (the core has no MUL32_HIGH).
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

// Rounds m (the value m x 2^(e - 127 - 26), m < 2^27 with its leading one at
// bit 26 when normal, 3 guard bits below the 24 kept) to nearest even and
// packs it with sign; sticky: any nonzero bit below m.
float round_pack(uint32_t sign, int e, uint32_t m, bool sticky) {
  if (e <= 0) {
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
  if (m >= 0x1000000u) {
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
  const uint32_t un = n < 0 ? 0u - static_cast<uint32_t>(n) : static_cast<uint32_t>(n);
  const uint32_t ud = d < 0 ? 0u - static_cast<uint32_t>(d) : static_cast<uint32_t>(d);
  const uint32_t q = udivmod32(un, ud, nullptr);
  return static_cast<int32_t>((n < 0) != (d < 0) ? 0u - q : q);
}
int32_t TP_HELPER(__modsi3)(int32_t n, int32_t d) {
  const uint32_t un = n < 0 ? 0u - static_cast<uint32_t>(n) : static_cast<uint32_t>(n);
  const uint32_t ud = d < 0 ? 0u - static_cast<uint32_t>(d) : static_cast<uint32_t>(d);
  uint32_t r;
  udivmod32(un, ud, &r);
  return static_cast<int32_t>(n < 0 ? 0u - r : r);
}
uint64_t TP_HELPER(__udivdi3)(uint64_t n, uint64_t d) { return udivmod64(n, d, nullptr); }
uint64_t TP_HELPER(__umoddi3)(uint64_t n, uint64_t d) {
  uint64_t r;
  udivmod64(n, d, &r);
  return r;
}
int64_t TP_HELPER(__divdi3)(int64_t n, int64_t d) {
  const uint64_t un = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const uint64_t ud = d < 0 ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
  const uint64_t q = udivmod64(un, ud, nullptr);
  return static_cast<int64_t>((n < 0) != (d < 0) ? 0 - q : q);
}
int64_t TP_HELPER(__moddi3)(int64_t n, int64_t d) {
  const uint64_t un = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const uint64_t ud = d < 0 ? 0 - static_cast<uint64_t>(d) : static_cast<uint64_t>(d);
  uint64_t r;
  udivmod64(un, ud, &r);
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
  uint32_t a = i < 0 ? 0u - static_cast<uint32_t>(i) : static_cast<uint32_t>(i);
  const int lz = clz32(a);  // leading one at bit 31 - lz
  const int top = 31 - lz;
  int e = top + 127;
  uint32_t m;
  bool sticky = false;
  if (top <= 26) {
    m = a << (26 - top);
  } else {
    const int s = top - 26;
    sticky = (a & ((1u << s) - 1)) != 0;
    m = a >> s;
  }
  return round_pack(sign, e, m, sticky);
}

float TP_HELPER(__mulsf3)(float x, float y) {
  const uint32_t ux = fbits(x), uy = fbits(y);
  const uint32_t sign = (ux ^ uy) & 0x80000000u;
  int ex = static_cast<int>((ux >> 23) & 0xFF), ey = static_cast<int>((uy >> 23) & 0xFF);
  uint32_t mx = ux & 0x7FFFFFu, my = uy & 0x7FFFFFu;
  if (ex == 0xFF || ey == 0xFF) {
    if ((ex == 0xFF && mx) ) return ffrom(ux | 0x400000u);
    if ((ey == 0xFF && my)) return ffrom(uy | 0x400000u);
    const bool zx = ex == 0 && mx == 0, zy = ey == 0 && my == 0;
    if (zx || zy) return ffrom(0x7FC00000u);  // inf x 0
    return ffrom(sign | 0x7F800000u);
  }
  if ((ex == 0 && mx == 0) || (ey == 0 && my == 0)) return ffrom(sign);
  if (ex == 0) {
    const int s = clz32(mx) - 8;
    mx <<= s;
    ex = 1 - s;
  } else {
    mx |= 0x800000u;
  }
  if (ey == 0) {
    const int s = clz32(my) - 8;
    my <<= s;
    ey = 1 - s;
  } else {
    my |= 0x800000u;
  }
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
  const uint32_t m = static_cast<uint32_t>(p >> shift);
  return round_pack(sign, e, m, sticky);
}

}  // extern "C"
