// tinyperf-compile: ahead-of-time compiler from int8 .tflite models to C++.
//
//   tinyperf-compile --id kws01 --out-dir DIR model.tflite [--id ID model ...]
//       writes DIR/model_<id>.cc per model, prints a one-line summary each
//   tinyperf-compile --registry-dir DIR --id kws01 model.tflite [...]
//       writes DIR/include/tinyperf/models/registry.h and DIR/registry.cc
//       (may be combined with --out-dir)
//   tinyperf-compile --summary model.tflite
//       prints layers, shapes, MACs, execution and arena plan, weight bytes,
//       quantization
//   --band-budget BYTES / --no-in-place / --conv-int16-max-weights BYTES:
//       planner options (PlanOptions)
//
// Exit status: 0 success, 1 the model was refused (message on stderr),
// 2 usage error. All or nothing: on any refusal or error no output file is
// written or changed (OutputFiles).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "compiled_model.h"
#include "emit.h"
#include "error.h"

namespace {

void usage(std::ostream& o) {
  o << "usage:\n"
       "  tinyperf-compile [--out-dir DIR] [--registry-dir DIR] [--quiet]\n"
       "                   --id ID MODEL.tflite [--id ID MODEL.tflite ...]\n"
       "  tinyperf-compile --summary MODEL.tflite [--id ID]\n"
       "  (both also take --backend NAME, --band-budget BYTES, --no-in-place and\n"
       "   --conv-int16-max-weights BYTES)\n"
       "\n"
       "  --out-dir DIR       write DIR/model_<ID>.cc for each model\n"
       "  --registry-dir DIR  write DIR/include/tinyperf/models/registry.h and\n"
       "                      DIR/registry.cc listing the given models\n"
       "  --summary           print a human summary of one model (or why it is\n"
       "                      refused); exit status 1 on refusal\n"
       "  --band-budget BYTES most bytes a layer run in row bands may add to the\n"
       "                      arena when its bands are first sized (default 1024;\n"
       "                      bands are then widened where the arena allows)\n"
       "  --backend NAME      kernel backend the image uses (a folder under\n"
       "                      engine/kernels/backends; default reference): the\n"
       "                      scratch its kernels want is planned in the arena\n"
       "  --no-in-place       run every layer whole (no in-place or fused layers)\n"
       "  --conv-int16-max-weights BYTES\n"
       "                      arm_dsp: 1x1 convolutions with at most BYTES of int8\n"
       "                      weights get them as int16 (twice the flash; default\n"
       "                      4096, 0: none)\n";
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw tp::compiler::CompileError("cannot write " + path);
  out << text;
  out.close();
  if (!out) throw tp::compiler::CompileError("error writing " + path);
}

void make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw tp::compiler::CompileError("cannot create directory " + path + ": " + ec.message());
}

// All or nothing: the files of a run are collected first and written only
// once every model compiled, each to a temporary file beside its place that
// is then renamed over it. A refused model, or a file that cannot be
// written, leaves the output directories as they were (temporaries removed).
class OutputFiles {
 public:
  void add(std::string path, std::string text) { files_.push_back({std::move(path), std::move(text)}); }

  void commit() {
    std::vector<std::string> temps;
    try {
      for (const File& f : files_) {
        make_dirs(std::filesystem::path(f.path).parent_path().string());
        temps.push_back(f.path + ".tmp-tinyperf-compile");
        write_file(temps.back(), f.text);
      }
    } catch (...) {
      remove_all(temps);
      throw;
    }
    for (std::size_t i = 0; i < files_.size(); ++i) {
      std::error_code ec;
      std::filesystem::rename(temps[i], files_[i].path, ec);
      if (ec) {
        remove_all(temps);
        throw tp::compiler::CompileError("cannot rename " + temps[i] + " to " + files_[i].path + ": " + ec.message());
      }
    }
  }

 private:
  struct File {
    std::string path, text;
  };
  static void remove_all(const std::vector<std::string>& paths) {
    for (const std::string& p : paths) {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
  }
  std::vector<File> files_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace tp::compiler;
  std::string out_dir, registry_dir;
  bool summary = false, quiet = false;
  PlanOptions plan_options;
  std::vector<std::pair<std::string, std::string>> models;  // id, path
  std::string pending_id;

  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* opt) -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "tinyperf-compile: " << opt << " needs a value\n";
        usage(std::cerr);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--out-dir") {
      out_dir = value("--out-dir");
    } else if (a == "--registry-dir") {
      registry_dir = value("--registry-dir");
    } else if (a == "--id") {
      pending_id = value("--id");
    } else if (a == "--summary") {
      summary = true;
    } else if (a == "--band-budget") {
      const std::string v = value("--band-budget");
      char* end = nullptr;
      const unsigned long n = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n == 0 || n > (1ul << 24)) {
        std::cerr << "tinyperf-compile: --band-budget needs a byte count (1 to 16777216)\n";
        return 2;
      }
      plan_options.band_budget = static_cast<uint32_t>(n);
    } else if (a == "--conv-int16-max-weights") {
      const std::string v = value("--conv-int16-max-weights");
      char* end = nullptr;
      const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n > (1ull << 30)) {
        std::cerr << "tinyperf-compile: --conv-int16-max-weights needs a byte count (0 to 1073741824)\n";
        return 2;
      }
      plan_options.conv_int16_max_weights = static_cast<int64_t>(n);
    } else if (a == "--backend") {
      const std::string v = value("--backend");
      if (!tp::compiler::known_backend(v)) {
        std::cerr << "tinyperf-compile: unknown --backend " << v << " (" << known_backends() << ")\n";
        return 2;
      }
      plan_options.backend = v;
    } else if (a == "--no-in-place") {
      plan_options.in_place = false;
    } else if (a == "--quiet") {
      quiet = true;
    } else if (a == "-h" || a == "--help") {
      usage(std::cout);
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "tinyperf-compile: unknown option " << a << "\n";
      usage(std::cerr);
      return 2;
    } else {
      models.emplace_back(pending_id, a);
      pending_id.clear();
    }
  }

  if (models.empty()) {
    usage(std::cerr);
    return 2;
  }

  if (summary) {
    if (models.size() != 1) {
      std::cerr << "tinyperf-compile: --summary takes one model\n";
      return 2;
    }
    try {
      CompiledModel m = compile_file(models[0].second, models[0].first, plan_options);
      std::cout << summary_text(m);
      return 0;
    } catch (const CompileError& e) {
      std::cout << "REFUSED: " << e.what() << "\n";
      std::cerr << "tinyperf-compile: " << e.what() << "\n";
      return 1;
    }
  }

  if (out_dir.empty() && registry_dir.empty()) {
    std::cerr << "tinyperf-compile: nothing to do (give --out-dir and/or --registry-dir, or --summary)\n";
    usage(std::cerr);
    return 2;
  }

  try {
    std::vector<RegistryEntry> entries;
    std::vector<std::string> summaries;
    OutputFiles files;
    for (const auto& [id, path] : models) {
      if (!valid_model_id(id)) {
        std::cerr << "tinyperf-compile: " << path
                  << ": needs --id with a C++ identifier (e.g. --id kws01) before the model\n";
        return 2;
      }
      CompiledModel m = compile_file(path, id, plan_options);
      entries.push_back({id, m.plan.arena_bytes});
      if (!out_dir.empty()) {
        files.add(out_dir + "/model_" + id + ".cc", emit_model_source(m));
        summaries.push_back(one_line_summary(m));
      }
    }
    if (!registry_dir.empty()) {
      files.add(registry_dir + "/include/tinyperf/models/registry.h", emit_registry_header(entries));
      files.add(registry_dir + "/registry.cc", emit_registry_source(entries));
    }
    files.commit();
    if (!quiet) {
      for (const std::string& line : summaries) std::cout << "tinyperf-compile: " << line << "\n";
    }
  } catch (const CompileError& e) {
    std::cerr << "tinyperf-compile: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
