// ESP32 UART0 and Timer Group 0 (clock, watchdog), against fake registers.
// ESP32 Technical Reference Manual: "UART Controller" (UART_FIFO_REG 0x00,
// UART_CLKDIV_REG 0x14: CLKDIV bits 19:0, FRAG bits 23:20; UART_STATUS_REG
// 0x1C: RXFIFO_CNT 7:0, TXFIFO_CNT 23:16, ST_UTX_OUT 27:24) and "Timer Group"
// (T0CONFIG 0x00: EN bit 31, INCREASE bit 30, DIVIDER 28:13; T0LO 0x04, T0HI
// 0x08, T0UPDATE 0x0C, T0LOADLO 0x18, T0LOADHI 0x1C, T0LOAD 0x20;
// WDTCONFIG0 0x48, WDTWPROTECT 0x64, key 0x50D83AA1).
#include <gtest/gtest.h>

#include "esp32_timg_clock.h"
#include "esp32_uart.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class Esp32Test : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x100 / 4> regs;
};

TEST_F(Esp32Test, UartScalesTheRomDividerAndReportsTheApbClock) {
  // The ROM's 115200 baud on an 80 MHz APB: 694.44 = 694 + 7/16.
  regs.at(0x14) = 694 | (7u << 20);
  Esp32Uart uart(regs.base());
  const uint32_t apb = uart.init_from_rom(115200, 9600);
  EXPECT_NEAR(static_cast<double>(apb), 80e6, 80e6 * 1e-4);
  // The divider implies 11111 / 16 x 115200 = 79,999,200 Hz; / 9600 =
  // 8333.25 = 8333 + 4/16 (0.001 % from 80 MHz / 9600).
  const uint32_t reg = regs.at(0x14);
  EXPECT_EQ(reg & 0xFFFFF, 8333u);
  EXPECT_EQ((reg >> 20) & 0xF, 4u);
}

TEST_F(Esp32Test, UartWithAZeroDividerIsRefused) {
  Esp32Uart uart(regs.base());
  EXPECT_EQ(uart.init_from_rom(115200, 9600), 0u);
  EXPECT_TRUE(mmio().writes.empty());
}

TEST_F(Esp32Test, UartReadsWhileTheRxFifoCountIsNonZero) {
  Esp32Uart uart(regs.base());
  uint8_t b;
  EXPECT_FALSE(uart.read(b));
  regs.at(0x1C) = 3;
  regs.at(0x00) = 0x25;
  ASSERT_TRUE(uart.read(b));
  EXPECT_EQ(b, 0x25);
}

TEST_F(Esp32Test, UartCountsAndClearsRxErrorFlags) {
  Esp32Uart uart(regs.base());
  uint8_t b;
  regs.at(0x1C) = 1;
  regs.at(0x00) = 0x31;
  regs.at(0x04) = (1u << 4) | (1u << 1);  // RXFIFO_OVF, and TXFIFO_EMPTY (not an error)
  ASSERT_TRUE(uart.read(b));
  EXPECT_EQ(b, 0x31);
  EXPECT_EQ(uart.rx_losses().hw_errors, 1u);
  const std::vector<MmioWrite> cleared = {{regs.addr(0x10), 1u << 4}};  // INT_CLR, the error bit only
  EXPECT_EQ(mmio().writes, cleared);
  regs.at(0x04) = (1u << 2) | (1u << 3);  // parity and framing
  ASSERT_TRUE(uart.read(b));
  EXPECT_EQ(uart.rx_losses().hw_errors, 2u);
  regs.at(0x04) = 0;
  ASSERT_TRUE(uart.read(b));
  EXPECT_EQ(uart.rx_losses().hw_errors, 2u);
  EXPECT_EQ(uart.rx_losses().dropped, 0u);
}

TEST_F(Esp32Test, UartWritesIntoTheFifoAndGivesUpOnAFullOne) {
  Esp32Uart uart(regs.base());
  uart.write("m-", 2);
  const std::vector<MmioWrite> expected = {{regs.addr(0x00), 'm'}, {regs.addr(0x00), '-'}};
  EXPECT_EQ(mmio().writes, expected);
  mmio().reset();
  regs.at(0x1C) = 127u << 16;  // TXFIFO_CNT 127 of 128, never drains
  uart.write("x", 1);
  uart.flush();
  EXPECT_TRUE(mmio().writes.empty());
}

TEST_F(Esp32Test, TimerCountsMicrosecondsFromTheApbClock) {
  Esp32TimgClock clock(regs.base());
  ASSERT_TRUE(clock.init(80'000'000));
  const std::vector<MmioWrite> expected = {
      {regs.addr(0x00), 0},                                  // stop
      {regs.addr(0x18), 0}, {regs.addr(0x1C), 0},            // load value 0
      {regs.addr(0x20), 1},                                  // load
      {regs.addr(0x00), (1u << 31) | (1u << 30) | (80u << 13)},  // EN, INCREASE, divider 80
  };
  EXPECT_EQ(mmio().writes, expected);
  EXPECT_FALSE(clock.init(0));            // unknown APB clock
  EXPECT_FALSE(clock.init(1'000'000));    // divider 1 is not allowed
}

TEST_F(Esp32Test, TimerLatchesThenReadsBothHalves) {
  Esp32TimgClock clock(regs.base());
  regs.at(0x04) = 0x89ABCDEF;
  regs.at(0x08) = 0x1;
  mmio().reset();
  EXPECT_EQ(clock.micros(), 0x189ABCDEFull);
  ASSERT_EQ(mmio().trace.size(), 3u);
  EXPECT_EQ(mmio().trace[0], std::make_pair('w', regs.addr(0x0C)));  // T0UPDATE first
}

TEST_F(Esp32Test, WatchdogIsUnlockedDisabledAndRelocked) {
  esp32_disable_watchdog(regs.addr(0x48), regs.addr(0x64));
  const std::vector<MmioWrite> expected = {
      {regs.addr(0x64), 0x50D83AA1}, {regs.addr(0x48), 0}, {regs.addr(0x64), 0}};
  EXPECT_EQ(mmio().writes, expected);
}

}  // namespace
}  // namespace tp::drivers
