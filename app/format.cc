#include "format.h"

#include <cstring>

namespace tp::app {
namespace {

// Unsigned big integer in base 1e9, just big enough for any finite float
// times 1000 (< 2^139 < 1e42: five limbs).
struct BigDec {
  static constexpr uint32_t kBase = 1000000000u;
  uint32_t limb[6] = {};
  int n = 1;

  void set(uint64_t v) {
    n = 0;
    do {
      limb[n++] = static_cast<uint32_t>(v % kBase);
      v /= kBase;
    } while (v != 0);
  }
  void mul2() {
    uint32_t carry = 0;
    for (int i = 0; i < n; ++i) {
      const uint64_t x = uint64_t{limb[i]} * 2 + carry;
      limb[i] = static_cast<uint32_t>(x % kBase);
      carry = static_cast<uint32_t>(x / kBase);
    }
    if (carry) limb[n++] = carry;
  }
  // Decimal digits, most significant first.
  std::size_t write(char* out) const {
    std::size_t len = format_u64(limb[n - 1], out);
    for (int i = n - 2; i >= 0; --i) {
      uint32_t v = limb[i];
      for (int d = 8; d >= 0; --d) {
        out[len + static_cast<std::size_t>(d)] = static_cast<char>('0' + v % 10);
        v /= 10;
      }
      len += 9;
    }
    return len;
  }
};

std::size_t put(char* out, const char* s) {
  const std::size_t n = std::strlen(s);
  std::memcpy(out, s, n);
  return n;
}

}  // namespace

std::size_t format_u64(uint64_t v, char* out) {
  char tmp[20];
  std::size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (std::size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
  return n;
}

std::size_t format_fixed3(float v, char* out) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  const bool negative = (bits >> 31) != 0;
  const uint32_t biased = (bits >> 23) & 0xFF;
  uint32_t mant = bits & 0x7FFFFF;

  std::size_t len = 0;
  if (biased == 0xFF) {
    if (negative) out[len++] = '-';
    return len + put(out + len, mant ? "nan" : "inf");
  }
  // value = mant * 2^exp exactly
  int exp;
  if (biased == 0) {
    exp = -149;  // subnormal (or zero)
  } else {
    mant |= 0x800000;
    exp = static_cast<int>(biased) - 150;
  }
  if (negative) out[len++] = '-';

  // scaled = mant * 1000 * 2^exp, rounded to an integer, ties to even.
  const uint64_t m1000 = uint64_t{mant} * 1000u;  // < 2^34
  BigDec scaled;
  if (exp >= 0) {
    scaled.set(m1000);
    for (int i = 0; i < exp; ++i) scaled.mul2();
  } else {
    const int s = -exp;
    uint64_t q = 0;
    bool round_up = false;
    if (s < 40) {
      q = m1000 >> s;
      const uint64_t rem = m1000 & ((uint64_t{1} << s) - 1);
      const uint64_t half = uint64_t{1} << (s - 1);
      round_up = rem > half || (rem == half && (q & 1));
    }  // else m1000 / 2^s < 2^34 / 2^40 < 0.5: rounds to 0
    if (round_up) ++q;
    scaled.set(q);
  }

  // Split into integer part and three decimals.
  char digits[kMaxFixed3];
  std::size_t nd = scaled.write(digits);
  if (nd < 4) {  // pad to at least "d.ddd"
    std::memmove(digits + (4 - nd), digits, nd);
    std::memset(digits, '0', 4 - nd);
    nd = 4;
  }
  std::memcpy(out + len, digits, nd - 3);
  len += nd - 3;
  out[len++] = '.';
  std::memcpy(out + len, digits + nd - 3, 3);
  return len + 3;
}

bool parse_u32(const char* s, std::size_t len, uint32_t& value) {
  if (len == 0 || len > 9) return false;
  uint32_t v = 0;
  for (std::size_t i = 0; i < len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<uint32_t>(s[i] - '0');
  }
  value = v;
  return true;
}

}  // namespace tp::app
