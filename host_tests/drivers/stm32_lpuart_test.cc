// STM32 LPUART against fake registers. RM0432 "LPUART registers": CR1 0x00
// (UE bit0, RE bit2, TE bit3, RXNEIE bit5), CR2 0x04, CR3 0x08, BRR 0x0C
// (= 256 x f_ck / baud, 0x300..0xFFFFF, written only while UE = 0), ISR
// 0x1C (PE 0, FE 1, NE 2, ORE 3, RXNE 5, TC 6, TXE 7), ICR 0x20 (PECF 0,
// FECF 1, NECF 2, ORECF 3), RDR 0x24, TDR 0x28. "LPUART baud rate
// generation": f_ck in [3 x baud, 4096 x baud].
#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "fake_mmio.h"
#include "stm32_lpuart.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class Stm32LpuartTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }

  // Receive side: RXNE while bytes wait, RDR pops one; ORE stays set until
  // ICR.ORECF is written.
  void model_rx() {
    mmio().on_read = [this](uintptr_t a, uint32_t stored) -> uint32_t {
      if (a == regs.addr(Stm32Lpuart::kIsr)) {
        uint32_t isr = Stm32Lpuart::kIsrTxe | Stm32Lpuart::kIsrTc;
        if (!rx.empty()) isr |= Stm32Lpuart::kIsrRxne;
        if (overrun) isr |= Stm32Lpuart::kIsrOre;
        return isr;
      }
      if (a == regs.addr(Stm32Lpuart::kRdr) && !rx.empty()) {
        const uint8_t b = rx.front();
        rx.pop_front();
        return b;
      }
      return stored;
    };
    mmio().on_write = [this](uintptr_t a, uint32_t v) {
      if (a == regs.addr(Stm32Lpuart::kIcr) && (v & (1u << 3))) overrun = false;
    };
  }

  std::vector<uint32_t> writes_to(uint32_t off) const {
    std::vector<uint32_t> out;
    for (const auto& w : mmio().writes) {
      if (w.addr == regs.addr(off)) out.push_back(w.value);
    }
    return out;
  }

  FakeRegs<12> regs;
  std::deque<uint8_t> rx;
  bool overrun = false;
};

TEST(Stm32LpuartBrr, FromTheManualsFormula) {
  // 256 x 16 MHz / 115200 = 35555.6 -> 35556; / 9600 = 426666.7 -> 426667.
  EXPECT_EQ(Stm32Lpuart::brr_for(16'000'000, 115200), 35556u);
  EXPECT_EQ(Stm32Lpuart::brr_for(16'000'000, 9600), 426667u);
  // 120 MHz is more than 4096 x 9600: the LPUART cannot make 9600 from it.
  EXPECT_EQ(Stm32Lpuart::brr_for(120'000'000, 9600), 0u);
  // Below 3 x baud (BRR would be under 0x300); exactly 3 x baud is the
  // smallest BRR, 0x300; exactly 4096 x baud would need BRR = 2^20, one more
  // than its 20 bits hold.
  EXPECT_EQ(Stm32Lpuart::brr_for(200'000, 115200), 0u);
  EXPECT_EQ(Stm32Lpuart::brr_for(3 * 115200, 115200), 0x300u);
  EXPECT_EQ(Stm32Lpuart::brr_for(4096 * 9600, 9600), 0u);
  EXPECT_EQ(Stm32Lpuart::brr_for(4095 * 9600, 9600), 4095u * 256);
}

TEST_F(Stm32LpuartTest, InitDisablesThenProgramsBrrAndEnablesLast) {
  Stm32Lpuart u(regs.base());
  ASSERT_TRUE(u.init(16'000'000, 115200, true));
  const std::vector<MmioWrite> expected = {
      {regs.addr(0x00), 0},                 // CR1: UE = 0 before BRR changes
      {regs.addr(0x0C), 35556},             // BRR
      {regs.addr(0x04), 0},                 // CR2: 1 stop bit
      {regs.addr(0x08), 0},                 // CR3: no flow control
      {regs.addr(0x20), 0xF},               // ICR: clear PE, FE, NE, ORE
      {regs.addr(0x00), 0x1 | 0x4 | 0x8 | 0x20},  // UE | RE | TE | RXNEIE
  };
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(Stm32LpuartTest, EnergyModeBaudAndPolledMode) {
  Stm32Lpuart u(regs.base());
  ASSERT_TRUE(u.init(16'000'000, 9600, false));
  EXPECT_EQ(regs.at(0x0C), 426667u);
  EXPECT_EQ(regs.at(0x00), 0xDu);  // no RXNEIE
}

TEST_F(Stm32LpuartTest, ImpossibleBaudLeavesTheLpuartDisabled) {
  Stm32Lpuart u(regs.base());
  regs.at(0x00) = 0x2D;
  EXPECT_FALSE(u.init(120'000'000, 9600, true));
  EXPECT_EQ(regs.at(0x00), 0u);
  EXPECT_TRUE(writes_to(0x0C).empty());
}

TEST_F(Stm32LpuartTest, InterruptMovesEveryWaitingByteIntoTheRing) {
  Stm32Lpuart u(regs.base());
  u.init(16'000'000, 115200, true);
  model_rx();
  const std::string line = "db load 490%";
  for (char c : line) rx.push_back(static_cast<uint8_t>(c));
  u.on_interrupt();
  EXPECT_TRUE(rx.empty());
  std::string got;
  uint8_t b;
  while (u.read(b)) got.push_back(static_cast<char>(b));
  EXPECT_EQ(got, line);
}

TEST_F(Stm32LpuartTest, OverrunIsClearedThroughIcrSoTheInterruptStops) {
  Stm32Lpuart u(regs.base());
  u.init(16'000'000, 115200, true);
  model_rx();
  mmio().writes.clear();
  rx = {'x'};
  overrun = true;
  u.on_interrupt();
  EXPECT_FALSE(overrun);
  ASSERT_FALSE(writes_to(0x20).empty());
  EXPECT_EQ(writes_to(0x20)[0] & 0x8u, 0x8u);  // ORECF
  EXPECT_EQ(u.errors(), 1u);
  EXPECT_EQ(u.rx_losses().hw_errors, 1u);  // reported to the protocol
  uint8_t b;
  ASSERT_TRUE(u.read(b));  // the byte in RDR is still delivered
  EXPECT_EQ(b, 'x');
}

TEST_F(Stm32LpuartTest, HoldsSeveralProtocolLinesReceivedWhileBusy) {
  Stm32Lpuart u(regs.base());
  u.init(16'000'000, 115200, true);
  model_rx();
  const std::string line = "db " + std::string(62, 'a') + "%";
  for (int rep = 0; rep < 4; ++rep) {
    for (char c : line) {
      rx.push_back(static_cast<uint8_t>(c));
      u.on_interrupt();
    }
  }
  std::string got;
  uint8_t b;
  while (u.read(b)) got.push_back(static_cast<char>(b));
  EXPECT_EQ(got, line + line + line + line);
  EXPECT_EQ(u.dropped(), 0u);
}

TEST_F(Stm32LpuartTest, WriteWaitsForTxeAndSendsBytesInOrder) {
  Stm32Lpuart u(regs.base());
  u.init(16'000'000, 115200, true);
  mmio().writes.clear();
  int busy = 3;
  mmio().on_read = [&](uintptr_t a, uint32_t stored) -> uint32_t {
    if (a == regs.addr(Stm32Lpuart::kIsr)) return busy-- > 0 ? 0 : Stm32Lpuart::kIsrTxe;
    return stored;
  };
  u.write("m-ready\r\n", 9);
  std::string sent;
  for (const auto& w : mmio().writes) {
    ASSERT_EQ(w.addr, regs.addr(Stm32Lpuart::kTdr));
    sent.push_back(static_cast<char>(w.value));
  }
  EXPECT_EQ(sent, "m-ready\r\n");
  EXPECT_LT(busy, 0);  // it did wait while TXE was 0
}

TEST_F(Stm32LpuartTest, FlushWaitsForTransmissionComplete) {
  Stm32Lpuart u(regs.base());
  u.init(16'000'000, 115200, true);
  int reads = 0;
  mmio().on_read = [&](uintptr_t a, uint32_t stored) -> uint32_t {
    if (a == regs.addr(Stm32Lpuart::kIsr)) return ++reads < 5 ? Stm32Lpuart::kIsrTxe : Stm32Lpuart::kIsrTc;
    return stored;
  };
  u.flush();
  EXPECT_EQ(reads, 5);
}

}  // namespace
}  // namespace tp::drivers
