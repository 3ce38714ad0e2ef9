// The protocol's commands and its answers to bad input, on a fake board.
#include <gtest/gtest.h>

#include <string>

#include "crc32.h"
#include "fake_board.h"
#if __has_include("tinyperf/sww01/pipeline.h")
#include "tinyperf/sww01/pipeline.h"  // TINYPERF_HAS_MODEL_SWW01
#endif

namespace tp::app {
namespace {

using test::ProtocolFixture;

constexpr const char* kReady = "m-ready\r\n";

std::string err(const std::string& msg) { return "e-[" + msg + "]\r\n" + kReady; }

TEST(Protocol, BannerInPerformanceAndEnergyMode) {
  ProtocolFixture f;
  f.protocol.banner();
  EXPECT_EQ(f.console.take(), "m-timestamp-mode-performance\r\nm-init-done\r\nm-ready\r\n");
  ProtocolFixture e(true);
  e.protocol.banner();
  EXPECT_EQ(e.console.take(), "m-timestamp-mode-energy\r\nm-init-done\r\nm-ready\r\n");
}

TEST(Protocol, NameProfileAndEmptyCommand) {
  ProtocolFixture f;
  EXPECT_EQ(f.send("name%"), std::string("m-name-dut-[tinyperf fake]\r\n") + kReady);
  EXPECT_EQ(f.send("profile%"), std::string("m-profile-[tinyperf 0.1.0]\r\nm-model-[m8]\r\n"
                                             "m-rx-lost-[dropped=0,errors=0]\r\n") + kReady);
  EXPECT_EQ(f.send("%"), kReady);
  EXPECT_EQ(f.send("  \t%"), kReady);
  EXPECT_EQ(f.send("\r\n\r\nname%\r\n"), std::string("m-name-dut-[tinyperf fake]\r\n") + kReady);
}

TEST(Protocol, HelpListsEveryCommand) {
  ProtocolFixture f;
  const std::string h = f.send("help%");
  for (const char* c : {"name", "profile", "timestamp", "db load", "infer", "results", "model", "output",
                        "layers", "selftest"}) {
    EXPECT_NE(h.find(c), std::string::npos) << c;
  }
  EXPECT_EQ(h.substr(h.size() - 9), kReady);
}

// An image whose arena is smaller than the active model's (a build whose
// models and registry were planned differently) refuses to run it.
TEST(Protocol, ModelLargerThanTheArenaIsRefused) {
  ProtocolFixture f;
  alignas(16) uint8_t small_arena[16] = {};
  app::Protocol p(f.board, false, {small_arena, sizeof small_arena, f.staging, sizeof f.staging},
                  test::FakeModels::all, 2, &test::FakeModels::m8);
  for (unsigned char c : std::string("db load 8%db 0102030405060708%infer 1 0%")) p.on_byte(c);
  std::string out = f.console.take();
  EXPECT_NE(out.find("e-[infer: model m8 needs 32 arena bytes, the image has 16; not run]"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("m-infer-start"), std::string::npos);
  for (unsigned char c : std::string("layers 1%")) p.on_byte(c);
  out = f.console.take();
  EXPECT_EQ(out.rfind("e-[layers: model m8 needs 32", 0), 0u) << out;
}

// selftest: each built-in golden pair through its model, byte for byte;
// a mismatch names the byte, a pair for a model the image lacks fails, and
// the staged input is gone afterwards while the active model stays.
TEST(Protocol, SelftestComparesEveryGoldenPair) {
  static const uint8_t in8[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  static const uint8_t out8[2] = {36, 1};  // sum, run count
  static const uint8_t in4[4] = {1, 2, 3, 4};
  static const uint8_t out4[2] = {10, 3};  // the run count will be 2
  static const bench::GoldenPair pairs[] = {
      {"m8", in8, 8, out8, 2, "fake/a"},
      {"m4", in4, 4, out4, 2, "fake/b"},
      {"zz", in4, 4, out4, 2, "fake/c"},
  };
  ProtocolFixture f;
  app::Protocol p(f.board, false, {f.arena, sizeof f.arena, f.staging, sizeof f.staging},
                  test::FakeModels::all, 2, &test::FakeModels::m4, {pairs, 3});
  auto send = [&](const std::string& s) {
    for (unsigned char c : s) p.on_byte(c);
    return f.console.take();
  };
  send("db load 4%db 01020304%");
  test::FakeModels::runs = 0;
  EXPECT_EQ(send("selftest%"),
            "m-selftest-[m8,fake/a,pass]\r\n"
            "m-selftest-[m4,fake/b,FAIL,byte 1: got 02 want 03]\r\n"
            "m-selftest-[zz,fake/c,FAIL,model not in this image]\r\n"
            "m-selftest-done-[1/3]\r\n"
            "e-[selftest: 2 of 3 golden pairs failed]\r\n" + std::string(kReady));
  EXPECT_EQ(p.active(), &test::FakeModels::m4);
  EXPECT_EQ(send("infer 1 0%").rfind("e-[infer: no complete input", 0), 0u);
  EXPECT_EQ(send("selftest 1%"), err("selftest: takes no arguments"));
  // An image built without pairs says so.
  EXPECT_EQ(f.send("selftest%"), err("selftest: no golden pairs in this image (built with -DTP_SELFTEST=OFF)"));
}

TEST(Protocol, TimestampPrintsFull64BitMicroseconds) {
  ProtocolFixture f;
  f.clock.now = 0x1'0000'0000ull;  // past 32 bits
  EXPECT_EQ(f.send("timestamp%"), std::string("m-lap-us-4294967297\r\n") + kReady);
  EXPECT_TRUE(f.pin.edges.empty());
}

TEST(Protocol, EnergyTimestampIsAFallingEdgeHeldAtLeastOneMicrosecond) {
  ProtocolFixture f(true);
  f.clock.now = 100;
  EXPECT_EQ(f.send("timestamp%"), kReady);  // no m-lap-us line
  EXPECT_EQ(f.pin.edges, "fr");
  EXPECT_TRUE(f.pin.level);
  EXPECT_GE(f.clock.now, 102u);  // waited while low
}

TEST(Protocol, LoadInferResultsOutput) {
  ProtocolFixture f;
  EXPECT_EQ(f.send("db load 8%"), std::string("m-[Expecting 8 bytes]\r\n") + kReady);
  EXPECT_EQ(f.send("db 01020304%"), kReady);
  EXPECT_EQ(f.send("db 05060708%"), std::string("m-load-done\r\n") + kReady);
  EXPECT_EQ(f.send("db print%"), std::string("m-buffer-01-02-03-04-05-06-07-08\r\n") + kReady);
  test::FakeModels::runs = 0;
  const std::string out = f.send("infer 3 2%");
  EXPECT_EQ(out,
            "m-warmup-start-2\r\nm-warmup-done\r\nm-infer-start-3\r\n"
            "m-lap-us-1\r\nm-lap-us-2\r\nm-infer-done\r\nm-results-[0.141,5.000]\r\n" +
                std::string(kReady));
  EXPECT_EQ(test::FakeModels::runs, 5);
  EXPECT_EQ(f.send("results%"), std::string("m-results-[0.141,5.000]\r\n") + kReady);
  EXPECT_EQ(f.send("output%"), std::string("m-output-[2405]\r\n") + kReady);
  // W defaults to 10.
  EXPECT_NE(f.send("infer 1%").find("m-warmup-start-10\r\n"), std::string::npos);
}

TEST(Protocol, LayersTimesEveryLayerOverNRuns) {
  ProtocolFixture f;
  f.send("db load 8%db 0102030405060708%");
  EXPECT_EQ(f.send("layers 0%"), err("layers: N must be a whole number from 1 to 999999999"));
  f.clock.step = 5;  // every clock read advances 5 us
  // Per run and layer: one read ends the layer, one restarts the count.
  EXPECT_EQ(f.send("layers 3%"),
            std::string("m-layer-[0,SUM,8,15]\r\nm-layer-[1,COUNT,1,15]\r\n") + kReady);
}

TEST(Protocol, EnergyInferDrivesThePinTwiceAndPrintsNoLaps) {
  ProtocolFixture f(true);
  f.send("db load 8%db 0102030405060708%");
  const std::string out = f.send("infer 2 1%");
  EXPECT_EQ(out.find("m-lap-us"), std::string::npos);
  EXPECT_EQ(f.pin.edges, "frfr");
  EXPECT_NE(out.find("m-results-["), std::string::npos);
}

TEST(Protocol, ModelSwitch) {
  ProtocolFixture f;
  EXPECT_EQ(f.send("model%"), std::string("m-model-[m8]\r\nm-model-arena-bytes-[32]\r\n"
                                           "m-model-scratch-bytes-[0]\r\nm-kernels-[reference]\r\n"
                                           "m-model-weight-bytes-[0]\r\nm-model-macs-[9]\r\n"
                                           "m-models-[m8,m4]\r\n") + kReady);
  f.send("db load 8%db 0102030405060708%infer 1 0%");
  EXPECT_EQ(f.send("model m4%"), std::string("m-model-[m4]\r\n") + kReady);
  EXPECT_EQ(f.send("profile%"), std::string("m-profile-[tinyperf 0.1.0]\r\nm-model-[m4]\r\nm-rx-lost-[dropped=0,errors=0]\r\n") + kReady);
  // The switch drops the old load and results.
  EXPECT_EQ(f.send("results%"), err("results: no inference has run yet"));
  EXPECT_EQ(f.send("infer 1 0%").substr(0, 3), "e-[");
  EXPECT_EQ(f.send("db load 8%"), err("db load: model m4 takes 4 bytes, not 8"));
  EXPECT_EQ(f.send("db load 4%"), std::string("m-[Expecting 4 bytes]\r\n") + kReady);
  EXPECT_EQ(f.send("model nope%"), err("model: unknown id; known: m8 m4"));
  EXPECT_EQ(f.send("model m8 m4%"), err("model: unknown id; known: m8 m4"));
  EXPECT_EQ(f.send("profile%"), std::string("m-profile-[tinyperf 0.1.0]\r\nm-model-[m4]\r\nm-rx-lost-[dropped=0,errors=0]\r\n") + kReady);
}

// ---- bad input: an error line, m-ready, nothing changed, DUT still works ----

void expect_still_works(ProtocolFixture& f) {
  EXPECT_EQ(f.send("name%"), std::string("m-name-dut-[tinyperf fake]\r\n") + kReady);
}

TEST(ProtocolBadInput, OverlongLineIsRejectedWholeNotTruncated) {
  ProtocolFixture f;
  // "name" followed by padding: if truncated and run it would answer name.
  const std::string line = "name" + std::string(LineReader::kCapacity, ' ') + "%";
  const std::string out = f.send(line);
  EXPECT_EQ(out.find("m-name-dut"), std::string::npos);
  EXPECT_EQ(out.rfind("e-[command too long", 0), 0u);
  EXPECT_EQ(out.substr(out.size() - 9), kReady);
  expect_still_works(f);
}

TEST(ProtocolBadInput, FloodWithoutPercentPrintsNothingUntilItEnds) {
  ProtocolFixture f;
  EXPECT_EQ(f.send(std::string(1 << 20, 'z')), "");
  const std::string out = f.send("%");
  EXPECT_EQ(out.rfind("e-[command too long", 0), 0u);
  expect_still_works(f);
}

TEST(ProtocolBadInput, UnknownCommandsNulAndNonAscii) {
  ProtocolFixture f;
  EXPECT_EQ(f.send("frobnicate%"), err("unknown command: frobnicate"));
  EXPECT_EQ(f.send("NAME%"), err("unknown command: NAME"));
  EXPECT_EQ(f.send(std::string("na\0me%", 6)),
            err("command contains a byte that is not printable ASCII; ignored"));
  EXPECT_EQ(f.send("n\xff" "ame%"), err("command contains a byte that is not printable ASCII; ignored"));
  EXPECT_EQ(f.send("a b c d e%"), err("a: too many arguments"));
  EXPECT_EQ(f.send("infer 1 2 3 4%"), err("infer: too many arguments"));
  expect_still_works(f);
}

TEST(ProtocolBadInput, DbWithoutLoadAndBadLoadCounts) {
  ProtocolFixture f;
  EXPECT_EQ(f.send("db 0102%"), err("db: no 'db load N' before the data"));
  EXPECT_EQ(f.send("db print%"), err("db print: nothing loaded"));
  for (const char* bad : {"db load 0%", "db load -1%", "db load x%", "db load%", "db load 8 8%",
                          "db load 99999999999%"}) {
    EXPECT_EQ(f.send(bad), err("db load: N must be a whole number of bytes from 1 up")) << bad;
  }
  EXPECT_EQ(f.send("db load 17%"), err("db load: 17 bytes do not fit the 16-byte buffer"));
  EXPECT_EQ(f.send("db load 16%"), err("db load: model m8 takes 8 bytes, not 16"));
  EXPECT_EQ(f.send("db%"), err("db: expected 'db load N', 'db <hex>', 'db print' or 'db crc'"));
  EXPECT_EQ(f.send("infer 1 0%"),
            err("infer: no complete input; send 'db load N' and N bytes of 'db' data first"));
  expect_still_works(f);
}

TEST(ProtocolBadInput, BadHexStoresNothing) {
  ProtocolFixture f;
  f.send("db load 8%db 0102%");
  EXPECT_EQ(f.send("db 010%"), err("db: odd number of hex digits; nothing stored"));
  EXPECT_EQ(f.send("db 01zz%"), err("db: not a hex digit; nothing stored"));
  EXPECT_EQ(f.send("db 0x01%"), err("db: not a hex digit; nothing stored"));
  EXPECT_EQ(f.send("db print%"), std::string("m-buffer-01-02\r\n") + kReady);
  expect_still_works(f);
}

TEST(ProtocolBadInput, LinePastTheAnnouncedCountIsRejectedWhole) {
  ProtocolFixture f;
  f.staging[4] = 0xEE;
  f.send("db load 8%db 01020304%");
  EXPECT_EQ(f.send("db 0506070809%"),
            err("db: 5 bytes would go past the 8 announced (4 loaded); nothing stored"));
  EXPECT_EQ(f.staging[4], 0xEE);  // nothing of it stored
  EXPECT_EQ(f.send("infer 1 0%").rfind("e-[infer: no complete input", 0), 0u);  // still incomplete
  EXPECT_EQ(f.send("db 05060708%"), std::string("m-load-done\r\n") + kReady);
  EXPECT_EQ(f.send("db 00%"), err("db: 1 bytes would go past the 8 announced (8 loaded); nothing stored"));
  EXPECT_NE(f.send("infer 1 0%").find("m-results-["), std::string::npos);
}

TEST(ProtocolBadInput, InferCounts) {
  ProtocolFixture f;
  f.send("db load 8%db 0102030405060708%");
  const std::string n_err = err("infer: N must be a whole number from 1 to 999999999");
  for (const char* bad : {"infer%", "infer 0%", "infer -1%", "infer x%", "infer 1000000000%", "infer 1 2 3%"}) {
    EXPECT_EQ(f.send(bad), n_err) << bad;
  }
  EXPECT_EQ(f.send("infer 1 -1%"), err("infer: W must be a whole number from 0 to 999999999"));
  EXPECT_EQ(f.send("infer 1 w%"), err("infer: W must be a whole number from 0 to 999999999"));
  EXPECT_EQ(f.send("results%"), err("results: no inference has run yet"));
  EXPECT_EQ(f.send("output%"), err("output: no inference has run yet"));
  EXPECT_EQ(f.send("timestamp now%"), err("timestamp: takes no arguments"));
  expect_still_works(f);
}

// Bytes lost on receive (ring full, hardware overrun/framing/parity) refuse
// the command during which they were lost, mark a load incomplete, and show
// in `profile`.
TEST(ProtocolBadInput, BytesLostOnTheLinkRefuseTheCommandAndTheLoad) {
  ProtocolFixture f;
  f.send("db load 8%db 01020304%");
  f.console.losses.dropped = 3;
  EXPECT_EQ(f.send("db 05060708%"),
            err("db: 3 bytes lost on the serial link while this command arrived; not run; "
                "the staged input is incomplete until the next 'db load'"));
  EXPECT_EQ(f.send("db 05060708%"), "m-load-done\r\n" + std::string(kReady));  // counted once
  EXPECT_EQ(f.send("infer 1 0%"),
            err("infer: bytes of the staged input were lost on the serial link; send 'db load N' again"));
  EXPECT_EQ(f.send("layers 1%"),
            err("layers: bytes of the staged input were lost on the serial link; send 'db load N' again"));
  f.console.losses.hw_errors = 1;
  EXPECT_EQ(f.send("name%"), err("name: 1 byte lost on the serial link while this command arrived; not run; "
                                 "the staged input is incomplete until the next 'db load'"));
  EXPECT_EQ(f.send("profile%"), std::string("m-profile-[tinyperf 0.1.0]\r\nm-model-[m8]\r\n"
                                             "m-rx-lost-[dropped=3,errors=1]\r\n") + kReady);
  f.send("db load 8%db 0102030405060708%");  // a fresh load is trusted again
  EXPECT_NE(f.send("infer 1 0%").find("m-results-["), std::string::npos);
}

// A float input that is NaN or infinite is refused, naming the first bad
// element (the benchmark's first_non_finite; ad01's own is tested in
// host_tests/engine/ad01_quantize_test.cc).
int32_t first_nonzero(const uint8_t* raw) {
  for (int i = 0; i < 4; ++i) {
    if (raw[i]) return i;
  }
  return -1;
}
TEST(ProtocolBadInput, NonFiniteFloatInputIsRefused) {
  ProtocolFixture f;
  static constexpr bench::Benchmark fl{"fl", &test::FakeModels::model, 4, test::FakeModels::load4,
                                       test::FakeModels::results, first_nonzero};
  static constexpr const bench::Benchmark* all[] = {&fl};
  app::Protocol p(f.board, false, {f.arena, sizeof f.arena, f.staging, sizeof f.staging}, all, 1, &fl);
  for (unsigned char c : std::string("db load 4%db 00000100%infer 1 0%layers 1%")) p.on_byte(c);
  EXPECT_EQ(f.console.take(), "m-[Expecting 4 bytes]\r\nm-ready\r\nm-load-done\r\nm-ready\r\n"
                              "e-[infer: input element 2 is not a finite float (NaN or infinity); not run]\r\nm-ready\r\n"
                              "e-[layers: input element 2 is not a finite float (NaN or infinity); not run]\r\nm-ready\r\n");
  for (unsigned char c : std::string("db load 4%db 00000000%infer 1 0%")) p.on_byte(c);
  EXPECT_NE(f.console.take().find("m-results-["), std::string::npos);
}

}  // namespace
}  // namespace tp::app

namespace tp::app {
namespace {

// Issue #21: commands that take no arguments say so, naming the command.
TEST(ProtocolBadInput, ArgumentsToCommandsThatTakeNone) {
  ProtocolFixture f;
  EXPECT_EQ(f.send("name foo%"), err("name: takes no arguments"));
  EXPECT_EQ(f.send("results 3%"), err("results: takes no arguments"));
  EXPECT_EQ(f.send("profile x%"), err("profile: takes no arguments"));
  EXPECT_EQ(f.send("help me%"), err("help: takes no arguments"));
  EXPECT_EQ(f.send("output 1%"), err("output: takes no arguments"));
  EXPECT_EQ(f.send("name%"), std::string("m-name-dut-[tinyperf fake]\r\n") + kReady);  // still served
}

// `db crc`: CRC-32/ISO-HDLC (zlib) of the staged bytes.
TEST(Protocol, DbCrcIsZlibCrc32OfTheStagedBytes) {
  ProtocolFixture f;
  EXPECT_EQ(f.send("db crc%"), err("db crc: nothing loaded"));
  f.send("db load 8%");
  // zlib.crc32(b"") == 0
  EXPECT_EQ(f.send("db crc%"), std::string("m-db-crc32-[00000000]\r\n") + kReady);
  f.send("db 31323334%");  // "1234" so far: zlib.crc32 = 0x9be3e0a3
  EXPECT_EQ(f.send("db crc%"), std::string("m-db-crc32-[9be3e0a3]\r\n") + kReady);
  f.send("db 35363738%");  // "12345678": 0x9ae0daaf
  EXPECT_EQ(f.send("db crc%"), std::string("m-db-crc32-[9ae0daaf]\r\n") + kReady);
  EXPECT_EQ(f.send("db crc x%"), err("db: expected 'db load N', 'db <hex>', 'db print' or 'db crc'"));
}

TEST(Protocol, Crc32CheckValue) {
  const uint8_t check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  EXPECT_EQ(crc32(check, sizeof check), 0xCBF43926u);  // the catalogue's check value
}

// ETX (Ctrl-C) during infer stops it at the next inference boundary; bytes
// that arrived meanwhile are the next command.
TEST(Protocol, EtxInterruptsInferAtTheNextRunAndKeepsOtherBytes) {
  ProtocolFixture f;
  f.send("db load 8%db 0102030405060708%");
  test::FakeModels::runs = 0;
  f.console.reads_before_data = 2;  // two runs happen first
  f.console.incoming = "name%\x03";
  const std::string out = f.send("infer 5 0%");
  EXPECT_EQ(out,
            "m-warmup-start-0\r\nm-warmup-done\r\nm-infer-start-5\r\nm-lap-us-1\r\n"
            "e-[infer: interrupted after 2 of 5 runs]\r\nm-ready\r\n"
            "m-name-dut-[tinyperf fake]\r\nm-ready\r\n");
  EXPECT_EQ(test::FakeModels::runs, 2);
  // Nothing of the interrupted run is a result.
  EXPECT_EQ(f.send("results%"), err("results: no inference has run yet"));
  // ETX at any other time is ignored.
  EXPECT_EQ(f.send("\x03name\x03%"), std::string("m-name-dut-[tinyperf fake]\r\n") + kReady);
  EXPECT_EQ(f.send("\x03%"), kReady);
}

TEST(Protocol, EtxInterruptsWarmupAndLayers) {
  ProtocolFixture f;
  f.send("db load 8%db 0102030405060708%");
  f.console.reads_before_data = 1;
  f.console.incoming = "\x03";
  std::string out = f.send("infer 3 4%");
  EXPECT_NE(out.find("e-[infer: interrupted after 1 of 4 warm-up runs]\r\nm-ready\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("m-infer-start"), std::string::npos);
  f.console.reads_before_data = 3;
  f.console.incoming = "\x03";
  out = f.send("layers 10%");
  EXPECT_EQ(out, err("layers: interrupted after 3 of 10 runs"));
  // Not interrupted: the whole run, as before.
  out = f.send("infer 2 0%");
  EXPECT_NE(out.find("m-results-["), std::string::npos) << out;
}

}  // namespace
}  // namespace tp::app

namespace tp::app {
namespace {

// `threads`: the kernel's table through the hook main.cc sets on the kernel
// images; the bare loop (native here) says there is no kernel.
TEST(Protocol, ThreadsWithoutAndWithTheKernelHooks) {
  ProtocolFixture f;
  EXPECT_EQ(f.send("threads%"), err("threads: this image runs without the kernel (the bare loop)"));
  EXPECT_EQ(f.send("threads x%"), err("threads: takes no arguments"));
  f.protocol.set_kernel_hooks(
      [](void (*work)(void*), void* ctx) { work(ctx); },
      [](Writer& out) { out.str("m-thread-[protocol,2,ready,236/3072]").endl(); });
  EXPECT_EQ(f.send("threads%"), std::string("m-thread-[protocol,2,ready,236/3072]\r\n") + kReady);
}

// Long commands go through the offload hook (the inference thread on the
// kernel); the answer is the same.
TEST(Protocol, LongCommandsRunThroughTheOffloadHook) {
  ProtocolFixture f;
  static int offloaded = 0;
  offloaded = 0;
  f.protocol.set_kernel_hooks([](void (*work)(void*), void* ctx) { ++offloaded; work(ctx); }, nullptr);
  f.send("db load 8%db 0102030405060708%");
  EXPECT_EQ(offloaded, 0);
  const std::string out = f.send("infer 2 1%");
  EXPECT_NE(out.find("m-results-["), std::string::npos) << out;
  f.send("layers 1%");
  EXPECT_EQ(offloaded, 2);
  f.send("name%");
  EXPECT_EQ(offloaded, 2);
}

// sww01's `start`/`stop` answer as the reference DUT does (app/sww_stream
// drives the stream; here a fake control block stands in for it).
TEST(Protocol, StartStopAnswerAsTheReferenceDut) {
  ProtocolFixture f;
  EXPECT_EQ(f.send("start%"), "Received command: start\r\n" +
                                  err("start: streaming needs the second serial port and the kernel: not on this board"));
  EXPECT_EQ(f.send("stop%"), std::string("Received command: stop\r\nI2S is already idle.  Ignoring stop request\r\n") + kReady);
  EXPECT_EQ(f.send("start now%"), err("start: takes no arguments"));
  static bool active = false;
  static int starts = 0, stops = 0;
  active = false;
  starts = stops = 0;
  static const Protocol::StreamControl control{
      [] { return active; }, [] { active = true; ++starts; }, [] { active = false; ++stops; },
      [](Writer& out) { out.str("target activations: ").endl(); }};
  f.protocol.set_stream_control(&control);
  std::string out = f.send("start%");
  EXPECT_EQ(out.rfind("Received command: start\r\nListening for I2S data ... \r\nm-lap-us-", 0), 0u) << out;
  EXPECT_NE(out.find("\r\nDMA receive initiated.\r\nm-ready\r\n"), std::string::npos) << out;
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(f.send("start%"), std::string("Received command: start\r\nI2S Rx currently in progress. Ignoring request\r\n") + kReady);
  EXPECT_EQ(starts, 1);
#if defined(TINYPERF_HAS_MODEL_SWW01)
  EXPECT_EQ(f.send("hops 1%"), err("hops: sww01 is streaming (send stop first)"));
#endif
  out = f.send("stop%");
  EXPECT_EQ(out.rfind("Received command: stop\r\nm-lap-us-", 0), 0u) << out;
  EXPECT_NE(out.find("\r\nStreaming stopped.\r\ntarget activations: \r\nm-ready\r\n"), std::string::npos) << out;
  EXPECT_EQ(stops, 1);
}

}  // namespace
}  // namespace tp::app
