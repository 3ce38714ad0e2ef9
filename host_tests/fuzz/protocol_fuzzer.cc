// libFuzzer target (2): the firmware's line reader and protocol, on a board of
// fakes (host_tests/app/fake_board.h), fed arbitrary byte streams. Built with
// clang -fsanitize=fuzzer,address,undefined (host_tests/fuzz/CMakeLists.txt).
//
// Invariants checked on every input, besides what the sanitizers catch:
//  - everything the DUT writes is whole lines ending "\r\n", each a protocol
//    line (m-..., e-[...], an indented help line or the "tinyperf " banner);
//  - exactly one whole-line m-ready per '%' received;
//  - afterwards a lone '%' (closing any half-sent command) and `name%` get
//    the name answer: the DUT is still in step.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <utility>  // std::exchange, which fake_board.h uses

#include "fake_board.h"

namespace tp::kernels {
// The fake board's models call no kernel; the protocol only names the backend.
const char* backend_name() { return "fuzz"; }
std::size_t backend_scratch_bytes() { return 0; }
}  // namespace tp::kernels

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "protocol_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

bool is_protocol_line(const std::string& l) {
  return l.rfind("m-", 0) == 0 || l.rfind("e-[", 0) == 0 || l.rfind("  ", 0) == 0 ||
         l.rfind("tinyperf ", 0) == 0 ||
         // sww01's `start`/`stop` answer with the reference DUT's own lines
         // (no stream on the fuzzer's board: these two only).
         l == "Received command: start" || l == "Received command: stop" ||
         l == "I2S is already idle.  Ignoring stop request";
}

std::size_t check_lines(const std::string& out) {
  std::size_t readies = 0, pos = 0;
  while (pos < out.size()) {
    const std::size_t end = out.find("\r\n", pos);
    if (end == std::string::npos) fail("unterminated output", out.substr(pos, 200));
    const std::string line = out.substr(pos, end - pos);
    if (!is_protocol_line(line)) fail("not a protocol line", line.substr(0, 200));
    readies += line == "m-ready";
    pos = end + 2;
  }
  return readies;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  // `infer 999999 0` is legal and only slow: inputs with a number of 6 digits
  // or more are left out (-1: not added to the corpus), so the time goes to
  // finding faults, not to running the fake model a million times.
  std::size_t digits = 0;
  for (char c : in) {
    digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
    if (digits >= 6) return -1;
  }
  tp::test::ProtocolFixture f;
  std::size_t percents = 0;
  for (char c : in) percents += c == '%';
  const std::size_t readies = check_lines(f.send(in));
  if (readies != percents) {
    fail("m-ready count differs from the commands sent",
         std::to_string(readies) + " m-ready for " + std::to_string(percents) + " '%'");
  }
  const std::string after = f.send("%name%");
  const std::string want = "m-name-dut-[tinyperf fake]\r\nm-ready\r\n";
  if (after.size() < want.size() || after.compare(after.size() - want.size(), want.size(), want) != 0) {
    fail("out of step after the input", after.substr(0, 200));
  }
  check_lines(after);
  return 0;
}
