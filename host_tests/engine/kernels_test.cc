// Reference kernels on small hand-made tensors with hand-derived results,
// and the dispatching entry points against the reference ones.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tinyperf/engine/kernels.h"

namespace {

namespace k = tp::kernels;

// Requantization by exactly 0.5 (multiplier 2^30, shift 0) or 1.0 (2^30,
// shift 1), no activation.
const int32_t kHalfMultiplier[] = {1 << 30, 1 << 30, 1 << 30, 1 << 30};
const int32_t kShift0[] = {0, 0, 0, 0};
const int32_t kShift1[] = {1, 1, 1, 1};

k::Requant requant(const int32_t* shift, int32_t zp, int32_t lo = -128, int32_t hi = 127) {
  return k::Requant{kHalfMultiplier, shift, zp, lo, hi, 1};
}

TEST(Conv2D, PaddingSkipsOutsidePointsAndUsesInputOffset) {
  // 2x2 input, one channel, zero point 3; 3x3 all-ones filter, SAME padding
  // (pad 1): each output sums the (x - 3) of the in-image neighbours.
  const int8_t input[] = {4, 5, 6, 7};  // real values 1, 2, 3, 4
  const int8_t filter[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  const int32_t bias[] = {10};
  k::ConvParams p{};
  p.input = {1, 2, 2, 1};
  p.filter = {1, 3, 3, 1};
  p.output = {1, 2, 2, 1};
  p.input_offset = -3;
  p.stride_h = p.stride_w = 1;
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = p.pad_w = 1;
  p.filter_data = filter;
  p.bias = bias;
  p.requant = requant(kShift1, -5);  // x1.0, output zero point -5
  int8_t out[4] = {};
  k::ref::conv2d_s8(p, input, out);
  // Every 3x3 window around a 2x2 image covers all four pixels: 1+2+3+4+10.
  for (int8_t v : out) EXPECT_EQ(v, 20 - 5);
}

TEST(Conv2D, StridePerChannelRequantAndClamp) {
  // 3x3 input (2 channels), 1x1 filter with 2 output channels, stride 2.
  std::vector<int8_t> input(18);
  for (int i = 0; i < 18; ++i) input[i] = static_cast<int8_t>(i);
  const int8_t filter[] = {1, 0,    // oc0 = ch0
                           0, 100};  // oc1 = 100 * ch1
  const int32_t mult[] = {1 << 30, 1 << 30};
  const int32_t shift[] = {1, 0};  // oc0 x1.0, oc1 x0.5
  k::ConvParams p{};
  p.input = {1, 3, 3, 2};
  p.filter = {2, 1, 1, 2};
  p.output = {1, 2, 2, 2};
  p.stride_h = p.stride_w = 2;
  p.dilation_h = p.dilation_w = 1;
  p.filter_data = filter;
  p.requant = {mult, shift, 0, -128, 127, 1};
  int8_t out[8] = {};
  k::ref::conv2d_s8(p, input.data(), out);
  // Output pixels read input pixels (0,0), (0,2), (2,0), (2,2): offsets 0, 4, 12, 16.
  const int px[] = {0, 4, 12, 16};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(out[2 * i], px[i]);
    const int want = 100 * (px[i] + 1) / 2;  // exact halves of even numbers
    EXPECT_EQ(out[2 * i + 1], want > 127 ? 127 : want) << i;
  }
}

TEST(Conv2D, GroupsAndDilation) {
  // 1x3 input with 2 channels, 2 groups (filter depth 1), 1x2 filter with
  // dilation 2: out[oc] = x[0][oc] * w0 + x[2][oc] * w1.
  const int8_t input[] = {1, 10, 2, 20, 3, 30};
  const int8_t filter[] = {1, 2,   // oc0 (group 0)
                           3, 1};  // oc1 (group 1)
  k::ConvParams p{};
  p.input = {1, 1, 3, 2};
  p.filter = {2, 1, 2, 1};
  p.output = {1, 1, 1, 2};
  p.stride_h = p.stride_w = 1;
  p.dilation_h = 1;
  p.dilation_w = 2;
  p.filter_data = filter;
  p.requant = requant(kShift1, 0);
  int8_t out[2] = {};
  k::ref::conv2d_s8(p, input, out);
  EXPECT_EQ(out[0], 1 * 1 + 3 * 2);
  EXPECT_EQ(out[1], 10 * 3 + 30 * 1);
}

TEST(DepthwiseConv2D, MultiplierAndPadding) {
  // 2x2 input, 1 channel, depth multiplier 2, 2x2 filter, pad 0 with output
  // 1x1 and pad 1 top-left variant.
  const int8_t input[] = {1, 2, 3, 4};
  const int8_t filter[] = {1, -1, 1, -1, 1, -1, 1, -1};  // [1,2,2,2]: m0 = +1, m1 = -1
  const int32_t bias[] = {0, 100};
  k::DepthwiseConvParams p{};
  p.input = {1, 2, 2, 1};
  p.filter = {1, 2, 2, 2};
  p.output = {1, 1, 1, 2};
  p.stride_h = p.stride_w = 1;
  p.dilation_h = p.dilation_w = 1;
  p.depth_multiplier = 2;
  p.filter_data = filter;
  p.bias = bias;
  p.requant = requant(kShift1, 0);
  int8_t out[2] = {};
  k::ref::depthwise_conv2d_s8(p, input, out);
  EXPECT_EQ(out[0], 10);
  EXPECT_EQ(out[1], 90);

  // Same with padding 1 and 2x2 output: window at (0,0) sees only input(0,0).
  p.output = {1, 2, 2, 2};
  p.pad_h = p.pad_w = 1;
  int8_t out2[8] = {};
  k::ref::depthwise_conv2d_s8(p, input, out2);
  EXPECT_EQ(out2[0], 1);         // (0,0) m0
  EXPECT_EQ(out2[1], 100 - 1);   // (0,0) m1
  EXPECT_EQ(out2[6], 10);        // (1,1) m0: all four
}

TEST(FullyConnected, FoldedBiasAndActivationClamp) {
  // 2 batches x 3 inputs, 2 units. Input zero point 5 folded into the bias:
  // folded = bias - 5 * sum(w).
  const int8_t input[] = {5, 6, 7, 8, 9, 10};
  const int8_t w[] = {1, 2, 3, -1, -1, -1};
  const int32_t bias[] = {4, 0};
  const int32_t folded[] = {4 - 5 * 6, 0 - 5 * -3};
  k::FullyConnectedParams p{};
  p.batches = 2;
  p.input_depth = 3;
  p.output_depth = 2;
  p.filter_data = w;
  p.folded_bias = folded;
  // Per-tensor x1.0 requant, output zero point 1, activation range [0, 127].
  p.requant = k::Requant{kHalfMultiplier, kShift1, 1, 0, 127, 0};
  int8_t out[4] = {};
  k::ref::fully_connected_s8(p, input, out);
  // TFLite form: sum w * (x - 5) + bias.
  for (int b = 0; b < 2; ++b) {
    for (int o = 0; o < 2; ++o) {
      int32_t acc = bias[o];
      for (int i = 0; i < 3; ++i) acc += w[o * 3 + i] * (input[b * 3 + i] - 5);
      int32_t want = acc + 1;
      if (want < 0) want = 0;
      EXPECT_EQ(out[b * 2 + o], want) << b << " " << o;
    }
  }
}

TEST(AvgPool2D, RoundsHalfAwayFromZeroAndSkipsPadding) {
  // 2x2 window over a 3x3 input with stride 2 and pad 0... plus padded edges:
  // SAME padding for 3x3 / 2x2 stride 2 -> output 2x2, pad 0 (total 1 -> 0).
  const int8_t input[] = {1, 2, 0,   //
                          0, 0, -3,  //
                          -1, -2, 5};
  k::AvgPoolParams p{};
  p.input = {1, 3, 3, 1};
  p.output = {1, 2, 2, 1};
  p.filter_h = p.filter_w = 2;
  p.stride_h = p.stride_w = 2;
  p.act_min = -128;
  p.act_max = 127;
  int8_t out[4] = {};
  k::ref::avg_pool2d_s8(p, input, out);
  EXPECT_EQ(out[0], 1);   // (1+2+0+0)/4 = 0.75 -> 1
  EXPECT_EQ(out[1], -2);  // (0-3)/2 = -1.5 -> -2 (window clipped to 2 elements)
  EXPECT_EQ(out[2], -2);  // (-1-2)/2 = -1.5 -> -2
  EXPECT_EQ(out[3], 5);   // single element
  // Activation clamp.
  p.act_min = 0;
  p.act_max = 2;
  k::ref::avg_pool2d_s8(p, input, out);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[3], 2);
}

TEST(Add, SameScalesAndSaturation) {
  // Both inputs and the output with scale s, zero points 1, 2 and 0:
  // out = (a - 1) + (b - 2), saturated to int8.
  // With equal scales: input multipliers 0.5 (2^30, shift 0), output
  // multiplier 2 / 2^20 = 2^-19 (2^30, shift -18).
  k::AddParams p{};
  p.size = 4;
  p.input1_offset = -1;
  p.input2_offset = -2;
  p.left_shift = 20;
  p.input1_multiplier = p.input2_multiplier = 1 << 30;
  p.input1_shift = p.input2_shift = 0;
  p.output_multiplier = 1 << 30;
  p.output_shift = -18;
  p.output_offset = 0;
  p.act_min = -128;
  p.act_max = 127;
  const int8_t a[] = {1, 11, 127, -128};
  const int8_t b[] = {2, -18, 127, -128};
  int8_t out[4] = {};
  k::ref::add_s8(p, a, b, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 10 - 20);
  EXPECT_EQ(out[2], 127);   // 126 + 125 saturates
  EXPECT_EQ(out[3], -128);  // -129 - 130 saturates
}

TEST(Softmax, UniformRowsAndCutoff) {
  // beta * input_scale = 1/16 (typical logits): multiplier/shift as the
  // compiler derives them for 2^26 / 16 = 2^22 -> q = 2^30, left shift 23.
  k::SoftmaxParams p{};
  p.input_multiplier = 1 << 30;
  p.input_left_shift = 23;
  p.diff_min = -(31 << 3);  // floor(31 * 2^26 / 2^23)
  // Row 0: 4 equal logits -> 1/4 each -> 64 - 128 = -64.
  // Row 1: one dominant logit, others below diff_min -> 127 and -128.
  p.outer_size = 2;
  p.depth = 4;
  const int8_t input[] = {7, 7, 7, 7, 100, -128, -128, -128};
  int8_t out[8] = {};
  k::ref::softmax_s8(p, input, out);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], -64);
  EXPECT_EQ(out[4], 127);  // probability 1.0 -> 256 - 128 saturates to 127
  for (int i = 5; i < 8; ++i) EXPECT_EQ(out[i], -128);
}

TEST(Softmax, TwoClassesMatchLogistic) {
  // Two logits differing by d: p = 1 / (1 + exp(-d / 16)).
  k::SoftmaxParams p{};
  p.input_multiplier = 1 << 30;
  p.input_left_shift = 23;
  p.diff_min = -(31 << 3);
  p.outer_size = 1;
  p.depth = 2;
  for (int d = 0; d <= 100; d += 5) {
    const int8_t input[] = {static_cast<int8_t>(d), 0};
    int8_t out[2] = {};
    k::ref::softmax_s8(p, input, out);
    const double prob = 1.0 / (1.0 + std::exp(-d / 16.0));
    EXPECT_NEAR(out[0] + 128, prob * 256, 1.0) << d;
    EXPECT_NEAR(out[1] + 128, (1 - prob) * 256, 1.0) << d;
  }
}

TEST(Dispatch, EntryPointsMatchReference) {
  // Whatever the backend, the tp::kernels entry points must equal ref::.
  std::vector<int8_t> input(5 * 5 * 3);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<int8_t>(i * 37 % 251 - 125);
  std::vector<int8_t> filter(4 * 3 * 3 * 3);
  for (std::size_t i = 0; i < filter.size(); ++i) filter[i] = static_cast<int8_t>(i * 53 % 255 - 127);
  const int32_t bias[] = {100, -200, 300, -400};
  const int32_t mult[] = {1518500250, 1200000000, 2000000000, 1073741824};
  const int32_t shift[] = {-7, -8, -9, -6};
  k::ConvParams p{};
  p.input = {1, 5, 5, 3};
  p.filter = {4, 3, 3, 3};
  p.output = {1, 3, 3, 4};
  p.input_offset = 7;
  p.stride_h = p.stride_w = 2;
  p.dilation_h = p.dilation_w = 1;
  p.pad_h = p.pad_w = 1;
  p.filter_data = filter.data();
  p.bias = bias;
  p.requant = {mult, shift, -3, -128, 127, 1};
  std::vector<int8_t> a(36), b(36);
  k::ref::conv2d_s8(p, input.data(), a.data());
  k::conv2d_s8(p, input.data(), b.data(), k::Scratch{});
  EXPECT_EQ(a, b);
}

}  // namespace

// The Kx1 column depthwise kernel of the Arm backends (sww01's layers)
// against the reference on random shapes, filters, requantization and
// inputs, including an output written in place below its input as the
// planner's bands do. It refuses what it does not handle.
#include <algorithm>

#include "../../engine/kernels/reference/depthwise_column.h"

namespace {

TEST(DepthwiseColumn, EqualsReferenceOnRandomLayers) {
  uint32_t s = 7;
  auto rnd = [&s](int32_t lo, int32_t hi) {
    s = s * 1664525u + 1013904223u;
    return lo + static_cast<int32_t>((s >> 8) % static_cast<uint32_t>(hi - lo + 1));
  };
  for (int trial = 0; trial < 200; ++trial) {
    const int32_t C = rnd(1, 136), K = rnd(1, 16), H = K + rnd(0, 20), N = rnd(1, 2);
    const int32_t OH = H - K + 1;
    std::vector<int8_t> in(N * H * C), filt(K * C);
    std::vector<int32_t> bias(C), folded(C), mult(C), shift(C);
    for (auto& v : in) v = static_cast<int8_t>(rnd(-128, 127));
    for (auto& v : filt) v = static_cast<int8_t>(rnd(-127, 127));
    const int32_t input_offset = rnd(-127, 128);
    for (int32_t c = 0; c < C; ++c) {
      bias[c] = rnd(-20000, 20000);
      int32_t sum = 0;
      for (int32_t k2 = 0; k2 < K; ++k2) sum += filt[k2 * C + c];
      folded[c] = bias[c] + input_offset * sum;
      mult[c] = rnd(1 << 30, 0x7FFFFFFF);
      shift[c] = rnd(-12, 2);
    }
    k::DepthwiseConvParams p{};
    p.input = {N, H, 1, C};
    p.filter = {1, K, 1, C};
    p.output = {N, OH, 1, C};
    p.input_offset = input_offset;
    p.stride_h = p.stride_w = 1;
    p.dilation_h = p.dilation_w = 1;
    p.depth_multiplier = 1;
    p.filter_data = filt.data();
    p.bias = bias.data();
    p.requant = k::Requant{mult.data(), shift.data(), rnd(-128, 127), rnd(-128, -1), rnd(0, 127), 1};
    p.folded_bias = folded.data();
    std::vector<int8_t> want(N * OH * C), got(N * OH * C, 0x5A);
    k::ref::depthwise_conv2d_s8(p, in.data(), want.data());
    ASSERT_TRUE(k::ref::depthwise_column_s8(p, in.data(), got.data()));
    ASSERT_EQ(want, got) << "trial " << trial << " C " << C << " K " << K << " H " << H;
    if (N == 1) {
      // In place, output rows below the input's (one buffer), as a band.
      std::vector<int8_t> buf(C + H * C);
      std::copy(in.begin(), in.end(), buf.begin() + C);
      ASSERT_TRUE(k::ref::depthwise_column_s8(p, buf.data() + C, buf.data()));
      ASSERT_TRUE(std::equal(want.begin(), want.end(), buf.begin())) << "in place, trial " << trial;
    }
  }
  k::DepthwiseConvParams q{};
  q.input = {1, 5, 2, 4};
  q.filter = {1, 3, 1, 4};
  q.output = {1, 3, 2, 4};
  q.depth_multiplier = 1;
  q.stride_h = q.stride_w = q.dilation_h = q.dilation_w = 1;
  int8_t dummy[64] = {};
  const int32_t fb[4] = {};
  q.folded_bias = fb;
  EXPECT_FALSE(k::ref::depthwise_column_s8(q, dummy, dummy));  // width 2
  q.input.w = q.output.w = 1;
  q.pad_h = 1;
  EXPECT_FALSE(k::ref::depthwise_column_s8(q, dummy, dummy));  // padding
}

}  // namespace
