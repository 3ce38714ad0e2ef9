// Runs the sww01 pipeline (tp::sww01::Pipeline: the on-device feature
// extractor, the model and the detection rule) over a raw stream of mono
// int16 little-endian samples and writes one record per hop for
// test_features.py to compare with its independent numpy computation:
//   40 int8 features, 40 float32 features (before quantization),
//   3 int8 model scores, 1 byte flags (bit 0 detected, bit 1 sync).
// usage: sww01_features_tool IN.raw OUT.bin
//        sww01_features_tool --model WINDOWS.bin OUT.bin
//   (the second form runs the compiled model alone on each 1200-byte int8
//   window and writes its 3 int8 scores: the host's windows, our model)
#include <cstdio>
#include <cstring>
#include <vector>

#include "tinyperf/sww01/pipeline.h"

namespace {
tp::sww01::Pipeline g_pipeline;  // static storage, as on the device
}

int run_model(const char* in_path, const char* out_path) {
  std::FILE* in = std::fopen(in_path, "rb");
  std::FILE* out = std::fopen(out_path, "wb");
  if (in == nullptr || out == nullptr) return 2;
  const tp::engine::ModelDesc& m = tp::models::sww01;
  std::vector<uint8_t> storage(m.arena_bytes + 16);
  uint8_t* arena = storage.data() + (16 - reinterpret_cast<std::uintptr_t>(storage.data()) % 16) % 16;
  std::vector<int8_t> window(m.input.bytes);
  while (std::fread(window.data(), 1, window.size(), in) == window.size()) {
    std::memcpy(arena + m.input.offset, window.data(), window.size());
    m.run(arena, nullptr);
    std::fwrite(arena + m.output.offset, 1, m.output.bytes, out);
  }
  std::fclose(in);
  return std::fclose(out) == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--model") == 0) return run_model(argv[2], argv[3]);
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s IN.raw OUT.bin\n", argv[0]);
    return 2;
  }
  std::FILE* in = std::fopen(argv[1], "rb");
  std::FILE* out = std::fopen(argv[2], "wb");
  if (in == nullptr || out == nullptr) {
    std::fprintf(stderr, "cannot open %s or %s\n", argv[1], argv[2]);
    return 2;
  }
  std::vector<int16_t> hop(tp::sww01::kHopSamples);
  g_pipeline.reset();
  while (std::fread(hop.data(), sizeof(int16_t), hop.size(), in) == hop.size()) {
    const tp::sww01::HopResult r = g_pipeline.push_hop(hop.data());
    const int8_t* newest = g_pipeline.window() + (tp::sww01::kFrames - 1) * tp::sww01::kFeatures;
    std::fwrite(newest, 1, tp::sww01::kFeatures, out);
    std::fwrite(g_pipeline.last_features(), sizeof(float), tp::sww01::kFeatures, out);
    std::fwrite(r.scores, 1, 3, out);
    const uint8_t flags = static_cast<uint8_t>((r.detected ? 1 : 0) | (r.sync ? 2 : 0));
    std::fwrite(&flags, 1, 1, out);
  }
  std::fclose(in);
  return std::fclose(out) == 0 ? 0 : 1;
}
