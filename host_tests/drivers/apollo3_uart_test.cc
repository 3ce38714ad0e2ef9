// Apollo3 UART (PL011-style) against fake registers. Apollo3 Blue datasheet
// "UART Module", offsets and bits from Ambiq's apollo3.h: DR 0x00 (OE bit
// 11), FR 0x18 (BUSY 3, RXFE 4, TXFF 5), IBRD 0x24, FBRD 0x28, LCRH 0x2C (FEN
// 4, WLEN 6:5 = 11 for 8 bits), CR 0x30 (UARTEN 0, CLKEN 3, CLKSEL 6:4 with 1
// = 24 MHz, TXE 8, RXE 9), IFLS 0x34, IER 0x38 (RXIM 4, RTIM 6), MIS 0x40,
// IEC 0x44. Baud divisor (AmbiqSuite am_hal_uart.c config_baudrate):
// 24 MHz / (16 x 115200) = 13.02 -> IBRD 13, FBRD = 833 - 13 x 64 = 1;
// 24 MHz / (16 x 9600) = 156.25 -> IBRD 156, FBRD 16. PL011 TRM: the LCRH
// write latches IBRD/FBRD, so it comes after them.
#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "apollo3_uart.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using A = Apollo3Uart;

class Apollo3UartTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  void model_rx() {
    mmio().on_read = [this](uintptr_t a, uint32_t stored) -> uint32_t {
      if (a == regs.addr(A::kFr)) return rx.empty() ? A::kFrRxfe : 0;
      if (a == regs.addr(A::kDr) && !rx.empty()) {
        const uint32_t d = rx.front();
        rx.pop_front();
        return d;
      }
      if (a == regs.addr(A::kMis)) return A::kIntRx | A::kIntRt;
      return stored;
    };
  }
  FakeRegs<0x48 / 4> regs;
  std::deque<uint32_t> rx;
};

TEST(Apollo3UartBaud, DivisorsFromTheSdkFormula) {
  EXPECT_EQ(A::divisor_64ths(24'000'000, 115200), 833u);
  EXPECT_EQ(A::divisor_64ths(24'000'000, 9600), 10000u);
}

TEST_F(Apollo3UartTest, InitSequence) {
  A u(regs.base());
  ASSERT_TRUE(u.init(115200, true));
  const std::vector<MmioWrite> expected = {
      {regs.addr(0x30), 0},                      // CR: disabled
      {regs.addr(0x30), 0x18},                   // CLKEN | CLKSEL 24 MHz
      {regs.addr(0x24), 13},                     // IBRD
      {regs.addr(0x28), 1},                      // FBRD
      {regs.addr(0x2C), 0x70},                   // LCRH: 8 bits, FIFOs on
      {regs.addr(0x34), 0},                      // IFLS: 1/8
      {regs.addr(0x44), 0x7FF},                  // IEC: clear everything
      {regs.addr(0x38), 0x50},                   // IER: RX and RX timeout
      {regs.addr(0x30), 0x319},                  // + UARTEN, TXE, RXE
  };
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(Apollo3UartTest, EnergyModeBaud) {
  A u(regs.base());
  ASSERT_TRUE(u.init(9600, false));
  EXPECT_EQ(regs.at(0x24), 156u);
  EXPECT_EQ(regs.at(0x28), 16u);
  EXPECT_EQ(regs.at(0x38), 0u);  // polled: no RX interrupts
  EXPECT_FALSE(u.init(3'000'000, true));  // divisor below 1
  EXPECT_EQ(regs.at(0x30), 0u);
}

TEST_F(Apollo3UartTest, InterruptClearsThenDrainsTheFifo) {
  A u(regs.base());
  u.init(115200, true);
  model_rx();
  for (char c : std::string("name%")) rx.push_back(static_cast<uint8_t>(c));
  mmio().writes.clear();
  mmio().trace.clear();
  u.on_interrupt();
  ASSERT_FALSE(mmio().writes.empty());
  EXPECT_EQ(mmio().writes[0], (MmioWrite{regs.addr(0x44), 0x50}));
  // MIS read, IEC write, then the FIFO reads.
  EXPECT_EQ(mmio().trace[1], std::make_pair('w', regs.addr(0x44)));
  std::string got;
  uint8_t b;
  while (u.read(b)) got.push_back(static_cast<char>(b));
  EXPECT_EQ(got, "name%");
}

TEST_F(Apollo3UartTest, OverrunFlagIsCountedAndTheByteKept) {
  A u(regs.base());
  u.init(115200, true);
  model_rx();
  rx = {uint32_t{'z'} | A::kDrOverrun};
  u.on_interrupt();
  EXPECT_EQ(u.overruns(), 1u);
  uint8_t b;
  ASSERT_TRUE(u.read(b));
  EXPECT_EQ(b, 'z');
}

TEST_F(Apollo3UartTest, DrErrorFlagsAndRingOverflowsAreReceiveLosses) {
  A u(regs.base());
  u.init(115200, true);
  model_rx();
  rx = {uint32_t{'a'} | A::kDrFraming, uint32_t{'b'} | A::kDrParity, uint32_t{'c'},
        uint32_t{'d'} | A::kDrOverrun};
  u.on_interrupt();
  EXPECT_EQ(u.rx_losses().hw_errors, 3u);
  EXPECT_EQ(u.rx_losses().dropped, 0u);
  for (std::size_t i = 0; i < A::kRxBufferSize + 5; ++i) rx.push_back('x');  // more than the ring holds
  u.on_interrupt();
  EXPECT_GT(u.rx_losses().dropped, 0u);
  EXPECT_EQ(u.rx_losses().total(), u.rx_losses().dropped + 3u);
}

TEST_F(Apollo3UartTest, HoldsSeveralProtocolLinesReceivedWhileBusy) {
  A u(regs.base());
  u.init(115200, true);
  model_rx();
  const std::string line = "db " + std::string(62, '0') + "%";
  for (int rep = 0; rep < 4; ++rep) {
    for (std::size_t i = 0; i < line.size(); i += 4) {  // an interrupt per 4 bytes
      for (std::size_t j = i; j < i + 4 && j < line.size(); ++j) rx.push_back(static_cast<uint8_t>(line[j]));
      u.on_interrupt();
    }
  }
  std::string got;
  uint8_t b;
  while (u.read(b)) got.push_back(static_cast<char>(b));
  EXPECT_EQ(got, line + line + line + line);
  EXPECT_EQ(u.dropped(), 0u);
}

TEST_F(Apollo3UartTest, WriteWaitsWhileTheTxFifoIsFullAndFlushWhileBusy) {
  A u(regs.base());
  u.init(115200, true);
  mmio().writes.clear();
  int full = 2, busy = 3;
  mmio().on_read = [&](uintptr_t a, uint32_t) -> uint32_t {
    if (a != regs.addr(A::kFr)) return 0;
    if (full > 0) return --full, A::kFrTxff | A::kFrBusy;
    if (busy > 0) return --busy, A::kFrBusy;
    return 0;
  };
  u.write("ok", 2);
  u.flush();
  const std::vector<MmioWrite> expected = {{regs.addr(0x00), 'o'}, {regs.addr(0x00), 'k'}};
  EXPECT_EQ(mmio().writes, expected);
  EXPECT_EQ(full, 0);
  EXPECT_EQ(busy, 0);
}

}  // namespace
}  // namespace tp::drivers
