// libFuzzer target (1): the whole model compiler path on arbitrary bytes:
// the flatbuffer reader and verifier, lowering, planning (plan_model),
// check_program and the C++ emitter, as tinyperf-compile runs them. The
// compiler's sources are linked in (tools/model_compiler, not edited here).
// A refusal is a CompileError; anything else (a sanitizer report, another
// exception, an abort) is a finding. Seeds: the six models of the configured
// models directory and their hostile-name variants (host_tests/fuzz/run.py).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "compiled_model.h"
#include "emit.h"
#include "error.h"
#include "graph.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace tp::compiler;
  try {
    Graph g = read_tflite_buffer(std::vector<uint8_t>(data, data + size), "fuzz.tflite");
    CompiledModel m = compile_graph(std::move(g), "fuzz01");
    const std::string src = emit_model_source(m);
    const std::string sum = summary_text(m);
    if (src.empty() || sum.empty()) {
      std::fprintf(stderr, "compiler_fuzzer: accepted model emitted nothing\n");
      std::abort();
    }
  } catch (const CompileError&) {
    // a clean refusal
  }
  return 0;
}
