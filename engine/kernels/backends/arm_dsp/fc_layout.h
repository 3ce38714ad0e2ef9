// FULLY_CONNECTED weights in "row pairs" (FullyConnectedParams::filter_layout
// kFcRowPairs), the layout the model compiler writes for the arm_dsp
// backend when fc_row_pairs_fit() allows it, so that one SMLAD serves two
// output rows (fc_m4.S):
//
// Rows 2p and 2p+1 share 2K bytes at 2pK. Input values j are taken in
// groups of 8 (K % 8 == 0); group g is 16 bytes at 2pK + 16g, four
// little-endian words matching the expanded input's words (x0,x2), (x1,x3),
// (x4,x6), (x5,x7) (fc.cc). Each halfword of them is, for its input j,
//   h = 256 * W[2p+1][j] + W[2p][j]   (an int16),
// so for the word X of two int16 inputs and the word H of their halfwords:
//   SMLAD(X, SXTB16(H)) adds row 2p's two products (the low byte of h, sign
//   extended, is W[2p][j]), and SMLAD(X, H) adds row 2p's + 256 x row 2p+1's.
// Started from the same value, the difference of the two sums is 256 x row
// 2p+1's sum: exact (after an arithmetic shift by 8) while that sum lies in
// [-2^23, 2^23), which 128 * sum_j |W[2p+1][j]| < 2^23 guarantees for int8
// inputs. With N odd the last row follows the pairs as a plain row.
// The compiler (tools/model_compiler, backend arm_dsp) and the tests include
// this header; fc.cc reads the layout, with a plain C++ fallback for layers
// its assembly does not take.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tp::kernels::arm_dsp {

inline constexpr int32_t kFcRowPairs = 1;
#define TP_ARM_DSP_FC_ROW_PAIRS 1  // for the compiler (planner.cc)

// Byte offset of weight (r, j) in the row-pair layout: for a paired row the
// offset of its halfword h (low byte first), else of the plain byte.
inline std::size_t fc_row_pairs_offset(int32_t K, int32_t N, int32_t r, int32_t j, bool* paired) {
  if ((N & 1) != 0 && r == N - 1) {
    *paired = false;
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(K) + static_cast<std::size_t>(j);
  }
  *paired = true;
  const int32_t jj = j & 7;
  const int32_t word = (jj >> 2) * 2 + (jj & 1);  // (x0,x2) (x1,x3) (x4,x6) (x5,x7)
  const int32_t half = (jj >> 1) & 1;
  return static_cast<std::size_t>(r >> 1) * 2 * static_cast<std::size_t>(K) +
         16 * static_cast<std::size_t>(j >> 3) + 4 * static_cast<std::size_t>(word) +
         2 * static_cast<std::size_t>(half);
}

// W[r][j] read back from the row-pair layout.
inline int8_t fc_row_pairs_weight(const int8_t* w, int32_t K, int32_t N, int32_t r, int32_t j) {
  bool paired = false;
  const std::size_t o = fc_row_pairs_offset(K, N, r, j, &paired);
  if (!paired) return w[o];
  const int32_t lo = w[o];  // sign-extended low byte: W[2p][j]
  if ((r & 1) == 0) return static_cast<int8_t>(lo);
  const int32_t h = static_cast<int32_t>(static_cast<uint8_t>(w[o])) +
                    256 * static_cast<int32_t>(w[o + 1]);  // the int16 halfword
  return static_cast<int8_t>((h - lo) / 256);
}

// Whether a [N][K] filter can be written in row pairs: K a multiple of 8,
// at least one pair, every h an int16 (not W[2p+1][j] = -128 with
// W[2p][j] < 0) and every odd row's 128 * sum |W| below 2^23.
inline bool fc_row_pairs_fit(int32_t K, int32_t N, const int8_t* w) {
  if (K < 8 || (K & 7) != 0 || N < 2) return false;
  for (int32_t p = 0; 2 * p + 1 < N; ++p) {
    const int8_t* even = w + static_cast<std::size_t>(2 * p) * static_cast<std::size_t>(K);
    const int8_t* odd = even + K;
    int64_t abs_sum = 0;
    for (int32_t j = 0; j < K; ++j) {
      if (odd[j] == -128 && even[j] < 0) return false;
      abs_sum += odd[j] < 0 ? -odd[j] : odd[j];
    }
    if (128 * abs_sum >= (int64_t{1} << 23)) return false;
  }
  return true;
}

// Writes the [N][K] filter `src` in row pairs to `dst` (N * K bytes);
// fc_row_pairs_fit(K, N, src) must hold.
inline void fc_row_pairs_pack(const int8_t* src, int8_t* dst, int32_t K, int32_t N) {
  for (int32_t r = 0; r < N; ++r) {
    for (int32_t j = 0; j < K; ++j) {
      bool paired = false;
      const std::size_t o = fc_row_pairs_offset(K, N, r, j, &paired);
      const int32_t v = src[static_cast<std::size_t>(r) * static_cast<std::size_t>(K) + static_cast<std::size_t>(j)];
      if (!paired) {
        dst[o] = static_cast<int8_t>(v);
      } else if ((r & 1) == 0) {
        const int32_t up = src[static_cast<std::size_t>(r + 1) * static_cast<std::size_t>(K) + static_cast<std::size_t>(j)];
        const int32_t h = 256 * up + v;  // in [-32768, 32767] by fc_row_pairs_fit
        const uint32_t u = static_cast<uint32_t>(h) & 0xFFFFu;
        dst[o] = static_cast<int8_t>(static_cast<uint8_t>(u & 0xFF));
        dst[o + 1] = static_cast<int8_t>(static_cast<uint8_t>(u >> 8));
      }
    }
  }
}

}  // namespace tp::kernels::arm_dsp
