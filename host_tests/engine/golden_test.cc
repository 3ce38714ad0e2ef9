// Bit-exactness against the golden outputs of TFLite Micro's reference
// kernels: every pair of every golden/<model>/manifest.json runs through the
// benchmark adapter (raw bytes -> input tensor), the compiled model and the
// adapter's result function.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "json.h"
#include "tinyperf/benchmarks/benchmark.h"
#include "tinyperf/models/registry.h"

namespace {

using tp::testing::Json;

std::string golden_dir() {
  if (const char* env = std::getenv("TINYPERF_GOLDEN_DIR")) return env;
  return TP_GOLDEN_DIR;
}

bool read_file(const std::string& path, std::vector<uint8_t>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

std::vector<uint8_t> must_read(const std::string& path) {
  std::vector<uint8_t> v;
  if (!read_file(path, &v)) ADD_FAILURE() << "cannot read " << path;
  return v;
}

Json load_manifest(const std::string& folder) {
  std::vector<uint8_t> bytes;
  const std::string path = golden_dir() + "/" + folder + "/manifest.json";
  if (!read_file(path, &bytes)) return Json();
  return Json::parse(std::string(bytes.begin(), bytes.end()));
}

// 16-byte aligned arena of the model's size.
struct Arena {
  explicit Arena(std::size_t bytes) : storage(bytes + 16) {
    const auto addr = reinterpret_cast<std::uintptr_t>(storage.data());
    base = storage.data() + ((16 - addr % 16) % 16);
  }
  std::vector<uint8_t> storage;
  uint8_t* base;
};

std::string hex_diff(const int8_t* got, const uint8_t* want, std::size_t n) {
  std::ostringstream o;
  int shown = 0;
  for (std::size_t i = 0; i < n && shown < 8; ++i) {
    if (static_cast<uint8_t>(got[i]) != want[i]) {
      o << " [" << i << "] got " << int(got[i]) << " want " << int(static_cast<int8_t>(want[i]));
      ++shown;
    }
  }
  return o.str();
}

struct Run {
  std::vector<int8_t> input_tensor;
  std::vector<int8_t> output_tensor;
  std::vector<float> values;
};

// Runs one inference the way the firmware does.
Run infer(const tp::bench::Benchmark& b, const uint8_t* raw) {
  const tp::engine::ModelDesc& m = *b.model;
  Arena arena(m.arena_bytes);
  // Poison the arena: the model must not depend on its initial contents.
  std::memset(arena.base, 0xA5, m.arena_bytes);
  int8_t* in = reinterpret_cast<int8_t*>(arena.base + m.input.offset);
  b.load_input(raw, in);
  Run r;
  r.input_tensor.assign(in, in + m.input.bytes);
  m.run(arena.base, nullptr);
  const int8_t* out = reinterpret_cast<const int8_t*>(arena.base + m.output.offset);
  r.output_tensor.assign(out, out + m.output.bytes);
  r.values.resize(64);
  r.values.resize(b.results(out, raw, r.values.data(), r.values.size()));
  return r;
}

void check_classification(const char* id, const char* folder) {
  const tp::bench::Benchmark* b = tp::bench::find(id);
  if (b == nullptr) GTEST_SKIP() << id << " is not in this build";
  const Json manifest = load_manifest(folder);
  if (manifest.is(Json::Type::kNull)) GTEST_SKIP() << "no goldens in " << golden_dir();
  const std::string dir = golden_dir() + "/" + folder + "/";
  const Json& pairs = manifest["pairs"];
  ASSERT_GT(pairs.size(), 0u);
  int checked = 0;
  for (const Json& p : pairs.array()) {
    SCOPED_TRACE(std::string(id) + " " + p["id"].str());
    const std::vector<uint8_t> input = must_read(dir + p["input"].str());
    const std::vector<uint8_t> expected = must_read(dir + p["output"].str());
    ASSERT_EQ(input.size(), b->raw_input_bytes);
    ASSERT_EQ(expected.size(), b->model->output.bytes);
    const Run r = infer(*b, input.data());
    EXPECT_EQ(0, std::memcmp(r.output_tensor.data(), expected.data(), expected.size()))
        << hex_diff(r.output_tensor.data(), expected.data(), expected.size());
    // Class scores are the dequantized outputs listed in the manifest.
    const Json& deq = p["output_dequant"];
    ASSERT_EQ(r.values.size(), deq.size());
    for (std::size_t i = 0; i < deq.size(); ++i) {
      EXPECT_EQ(r.values[i], deq[i].as_float()) << "class " << i;
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(pairs.size()));
}

TEST(Golden, Kws01) { check_classification("kws01", "kws"); }
TEST(Golden, Vww01) { check_classification("vww01", "vww"); }
TEST(Golden, Ic01) { check_classification("ic01", "ic"); }
TEST(Golden, Ic02) { check_classification("ic02", "ic02"); }
TEST(Golden, Sww01) { check_classification("sww01", "sww01"); }

// ad01: quantized input, output tensor and float32 score of one window.
void check_ad_window(const tp::bench::Benchmark& b, const uint8_t* raw, const uint8_t* qin,
                     const uint8_t* out, const Json& score) {
  const Run r = infer(b, raw);
  EXPECT_EQ(0, std::memcmp(r.input_tensor.data(), qin, 640))
      << "quantized input" << hex_diff(r.input_tensor.data(), qin, 640);
  EXPECT_EQ(0, std::memcmp(r.output_tensor.data(), out, 640))
      << "output" << hex_diff(r.output_tensor.data(), out, 640);
  ASSERT_EQ(r.values.size(), 1u);
  // Exact float32 equality with the manifest value parsed as float32.
  EXPECT_EQ(r.values[0], score.as_float())
      << "score " << r.values[0] << " manifest " << score.number_text();
}

TEST(Golden, Ad01) {
  const tp::bench::Benchmark* b = tp::bench::find("ad01");
  if (b == nullptr) GTEST_SKIP() << "ad01 is not in this build";
  const Json manifest = load_manifest("ad");
  if (manifest.is(Json::Type::kNull)) GTEST_SKIP() << "no goldens in " << golden_dir();
  const std::string dir = golden_dir() + "/ad/";
  int windows = 0;
  for (const Json& p : manifest["pairs"].array()) {
    SCOPED_TRACE("ad01 " + p["id"].str());
    const std::vector<uint8_t> input = must_read(dir + p["input"].str());
    const std::vector<uint8_t> qin = must_read(dir + p["input_tensor"].str());
    const std::vector<uint8_t> out = must_read(dir + p["output"].str());
    if (p.has("windows")) {
      // A whole file: 2560-byte windows at a 512-byte stride.
      const std::size_t n = static_cast<std::size_t>(p["windows"].as_int());
      const std::size_t width = static_cast<std::size_t>(p["window_bytes"].as_int());
      const std::size_t stride = static_cast<std::size_t>(p["stride_bytes"].as_int());
      ASSERT_EQ(width, b->raw_input_bytes);
      ASSERT_EQ(qin.size(), n * 640);
      ASSERT_EQ(out.size(), n * 640);
      ASSERT_GE(input.size(), (n - 1) * stride + width);
      const Json& scores = p["window_scores_mse_vs_float_input"];
      ASSERT_EQ(scores.size(), n);
      for (std::size_t w = 0; w < n; ++w) {
        SCOPED_TRACE("window " + std::to_string(w));
        check_ad_window(*b, input.data() + w * stride, qin.data() + w * 640,
                        out.data() + w * 640, scores[w]);
        ++windows;
      }
    } else {
      ASSERT_EQ(input.size(), b->raw_input_bytes);
      check_ad_window(*b, input.data(), qin.data(), out.data(),
                      p["anomaly_score_mse_vs_float_input"]);
      ++windows;
    }
  }
  EXPECT_GE(windows, 196 + 1 + 32);
}

TEST(Golden, ModelFiguresMatchManifests) {
  const struct {
    const char* id;
    const char* folder;
  } kModels[] = {{"kws01", "kws"}, {"vww01", "vww"}, {"ic01", "ic"}, {"ad01", "ad"},
                 {"ic02", "ic02"}, {"sww01", "sww01"}};
  for (const auto& e : kModels) {
    const tp::engine::ModelDesc* m = tp::models::find(e.id);
    if (m == nullptr) continue;  // not in this build
    const Json manifest = load_manifest(e.folder);
    if (manifest.is(Json::Type::kNull)) GTEST_SKIP() << "no goldens";
    SCOPED_TRACE(e.id);
    EXPECT_EQ(m->macs, static_cast<uint64_t>(manifest["macs"].as_int()));
    const Json& in = manifest["input_tensor"];
    const Json& out = manifest["output_tensor"];
    EXPECT_EQ(m->input.bytes, static_cast<uint32_t>(in["bytes"].as_int()));
    EXPECT_EQ(m->output.bytes, static_cast<uint32_t>(out["bytes"].as_int()));
    EXPECT_EQ(m->input.zero_point, in["zero_point"].as_int());
    EXPECT_EQ(m->output.zero_point, out["zero_point"].as_int());
    EXPECT_EQ(m->input.scale, in["scale"].as_float());
    EXPECT_EQ(m->output.scale, out["scale"].as_float());
    ASSERT_EQ(m->input.rank, in["dims"].size());
    for (std::size_t i = 0; i < m->input.rank; ++i) EXPECT_EQ(m->input.dims[i], in["dims"][i].as_int());
    // The plan is at least as compact as TFLM's arena on x86-64.
    EXPECT_LE(m->arena_bytes, static_cast<uint32_t>(manifest["arena_used_bytes_x86_64"].as_int()));
    EXPECT_EQ(m->arena_bytes % tp::engine::kArenaAlignment, 0u);
    EXPECT_EQ(m->input.offset % 16, 0u);
    EXPECT_EQ(m->output.offset % 16, 0u);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < m->layer_count; ++i) sum += m->layer_macs[i];
    EXPECT_EQ(sum, m->macs);
    EXPECT_LE(m->arena_bytes, tp::models::kMaxArenaBytes);
    // Layer counts per op match the manifest's op table.
    const Json& ops = manifest["ops"];
    uint32_t total = 0;
    for (uint32_t i = 0; i < m->layer_count; ++i) {
      ASSERT_TRUE(ops.has(m->layer_names[i])) << m->layer_names[i];
    }
    for (const char* name : {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "AVERAGE_POOL_2D",
                             "ADD", "RESHAPE", "SOFTMAX"}) {
      if (!ops.has(name)) continue;
      uint32_t count = 0;
      uint64_t macs = 0;
      for (uint32_t i = 0; i < m->layer_count; ++i) {
        if (std::strcmp(m->layer_names[i], name) == 0) {
          ++count;
          macs += m->layer_macs[i];
        }
      }
      EXPECT_EQ(count, static_cast<uint32_t>(ops[name]["count"].as_int())) << name;
      EXPECT_EQ(macs, static_cast<uint64_t>(ops[name]["macs"].as_int())) << name;
      total += count;
    }
    EXPECT_EQ(total, m->layer_count);
  }
}

TEST(Golden, LayerProbeSeesEveryLayer) {
  ASSERT_GT(tp::bench::kCount, 0u);
  const tp::bench::Benchmark* b = tp::bench::kAll[0];
  const tp::engine::ModelDesc& m = *b->model;
  Arena arena(m.arena_bytes);
  std::vector<uint32_t> seen;
  tp::engine::LayerProbe probe{
      [](void* ctx, uint32_t layer) { static_cast<std::vector<uint32_t>*>(ctx)->push_back(layer); },
      &seen};
  std::vector<uint8_t> raw(b->raw_input_bytes, 0);
  b->load_input(raw.data(), reinterpret_cast<int8_t*>(arena.base + m.input.offset));
  m.run(arena.base, &probe);
  ASSERT_EQ(seen.size(), m.layer_count + 1);
  for (uint32_t i = 0; i <= m.layer_count; ++i) EXPECT_EQ(seen[i], i);
}

TEST(Registry, FindAndOrder) {
  // The models of this build, in the fixed order.
  std::vector<const char*> ids;
#if defined(TINYPERF_HAS_MODEL_KWS01)
  ids.push_back("kws01");
#endif
#if defined(TINYPERF_HAS_MODEL_VWW01)
  ids.push_back("vww01");
#endif
#if defined(TINYPERF_HAS_MODEL_IC01)
  ids.push_back("ic01");
#endif
#if defined(TINYPERF_HAS_MODEL_AD01)
  ids.push_back("ad01");
#endif
#if defined(TINYPERF_HAS_MODEL_IC02)
  ids.push_back("ic02");
#endif
#if defined(TINYPERF_HAS_MODEL_SWW01)
  ids.push_back("sww01");
#endif
  ASSERT_EQ(tp::bench::kCount, ids.size());
  ASSERT_EQ(tp::models::kCount, ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_STREQ(tp::bench::kAll[i]->id, ids[i]);
    EXPECT_EQ(tp::bench::find(ids[i]), tp::bench::kAll[i]);
    EXPECT_EQ(tp::bench::kAll[i]->model, tp::models::find(ids[i]));
    EXPECT_STREQ(tp::bench::kAll[i]->model->id, ids[i]);
  }
  EXPECT_EQ(tp::bench::find("nope"), nullptr);
  EXPECT_EQ(tp::bench::find(nullptr), nullptr);
  EXPECT_EQ(tp::models::find("nope"), nullptr);
  std::size_t max_arena = 0;
  for (std::size_t i = 0; i < tp::models::kCount; ++i) {
    max_arena = std::max<std::size_t>(max_arena, tp::models::kAll[i]->arena_bytes);
  }
  EXPECT_EQ(max_arena, tp::models::kMaxArenaBytes);
  const struct {
    const char* id;
    uint32_t bytes;
  } kRaw[] = {{"kws01", 490}, {"vww01", 27648}, {"ic01", 3072}, {"ad01", 2560}, {"ic02", 3072}};
  for (const auto& r : kRaw) {
    if (const tp::bench::Benchmark* b = tp::bench::find(r.id)) {
      EXPECT_EQ(b->raw_input_bytes, r.bytes);
    }
  }
}

}  // namespace
