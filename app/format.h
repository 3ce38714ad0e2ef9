// Small text formatting without the printf family.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tp::app {

// Writes v in decimal; returns the number of characters (no terminator).
std::size_t format_u64(uint64_t v, char* out);

// Writes exactly what C's printf("%0.3f", (double)v) writes: the float's
// exact binary value rounded to three decimals, ties to even, "-" for any
// negative value including -0 and ones that round to zero, "inf"/"nan".
// `out` needs kMaxFixed3 bytes. Returns the length (no terminator).
inline constexpr std::size_t kMaxFixed3 = 48;
std::size_t format_fixed3(float v, char* out);

// Parses a non-negative decimal integer (digits only, at most 9 of them, so
// it always fits). Returns false on anything else.
bool parse_u32(const char* s, std::size_t len, uint32_t& value);

// Hex digit value, or -1.
inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace tp::app
