// CRC-32/ISO-HDLC, the CRC zlib's crc32() and Python's zlib.crc32 compute:
// reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
// Bitwise, no table: `db crc` runs once per load, not per inference.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tp::app {

inline uint32_t crc32(const uint8_t* data, std::size_t length) {
  uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < length; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

}  // namespace tp::app
