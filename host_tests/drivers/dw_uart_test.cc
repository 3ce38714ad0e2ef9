// DesignWare DW_apb_uart (the WE-I Plus console), against fake registers.
// DW_apb_uart Databook, "Register Descriptions": RBR/THR/DLL 0x00, IER/DLH
// 0x04, IIR/FCR 0x08, LCR 0x0C (DLAB bit 7, DLS 8 bits = 3), MCR 0x10, LSR
// 0x14 (DR bit 0, THRE bit 5, TEMT bit 6), USR 0x7C (BUSY bit 0).
#include <gtest/gtest.h>

#include "dw_uart.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class DwUartTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  FakeRegs<0x80 / 4> regs;
};

TEST_F(DwUartTest, DivisorIsClockOver16TimesBaudRounded) {
  EXPECT_EQ(DwUart::divisor(24'000'000, 115200), 13u);  // 13.02
  EXPECT_EQ(DwUart::divisor(24'000'000, 9600), 156u);   // 156.25
  EXPECT_EQ(DwUart::divisor(1'843'200, 115200), 1u);
}

TEST_F(DwUartTest, InitProgramsTheDivisorUnderDlabThen8N1AndFifos) {
  DwUart uart(regs.base());
  ASSERT_TRUE(uart.init(24'000'000, 9600));
  const std::vector<MmioWrite> expected = {
      {regs.addr(0x04), 0},            // IER: interrupts off
      {regs.addr(0x0C), 0x83},         // LCR: DLAB, 8N1
      {regs.addr(0x00), 156},          // DLL
      {regs.addr(0x04), 0},            // DLH
      {regs.addr(0x0C), 0x03},         // LCR: DLAB off, 8N1
      {regs.addr(0x08), 0x07},         // FCR: FIFO on, both reset
      {regs.addr(0x10), 0},            // MCR
  };
  EXPECT_EQ(mmio().writes, expected);
}

TEST_F(DwUartTest, InitFromLoaderScalesTheLoadersDivisor) {
  // The loader left 115200 baud: divisor 13 (DLL 13, DLH 0).
  regs.at(0x00) = 13;
  regs.at(0x04) = 0;
  DwUart uart(regs.base());
  ASSERT_TRUE(uart.init_from_loader(115200, 9600));
  EXPECT_EQ(regs.at(0x00), 156u);  // 13 x 12
  EXPECT_EQ(regs.at(0x04), 0u);
  EXPECT_EQ(regs.at(0x0C), 0x03u);
  // Same speed: the divisor is kept.
  mmio().reset();
  regs.at(0x00) = 13;
  ASSERT_TRUE(uart.init_from_loader(115200, 115200));
  EXPECT_EQ(regs.at(0x00), 13u);
}

TEST_F(DwUartTest, InitGivesUpWhenTheUartStaysBusy) {
  regs.at(0x7C) = 1;  // USR.BUSY never clears
  DwUart uart(regs.base());
  EXPECT_FALSE(uart.init(24'000'000, 115200));
  EXPECT_TRUE(mmio().writes.empty());
}

TEST_F(DwUartTest, ReadTakesAByteOnlyWhenDataReady) {
  DwUart uart(regs.base());
  uint8_t b = 0;
  EXPECT_FALSE(uart.read(b));
  regs.at(0x14) = 1;  // LSR.DR
  regs.at(0x00) = 0x41;
  EXPECT_TRUE(uart.read(b));
  EXPECT_EQ(b, 0x41);
}

TEST_F(DwUartTest, WriteWaitsForThreAndFlushForTemt) {
  regs.at(0x14) = 0x60;  // THRE | TEMT
  DwUart uart(regs.base());
  uart.write("ok", 2);
  uart.flush();
  const std::vector<MmioWrite> expected = {{regs.addr(0x00), 'o'}, {regs.addr(0x00), 'k'}};
  EXPECT_EQ(mmio().writes, expected);
  // A transmitter that never empties: the byte is dropped, no hang.
  mmio().reset();
  regs.at(0x14) = 0;
  uart.write("x", 1);
  uart.flush();
  EXPECT_TRUE(mmio().writes.empty());
}

TEST_F(DwUartTest, LsrErrorFlagsAreCountedAsReceiveLosses) {
  DwUart uart(regs.base());
  EXPECT_EQ(uart.rx_losses().total(), 0u);
  regs.at(0x14) = 1 | DwUart::kLsrOverrun;  // a byte with an overrun behind it
  regs.at(0x00) = 0x42;
  uint8_t b = 0;
  ASSERT_TRUE(uart.read(b));
  EXPECT_EQ(b, 0x42);  // the byte in the FIFO is still delivered
  EXPECT_EQ(uart.rx_losses().hw_errors, 1u);
  regs.at(0x14) = 1 | DwUart::kLsrFraming | DwUart::kLsrParity;
  ASSERT_TRUE(uart.read(b));
  EXPECT_EQ(uart.rx_losses().hw_errors, 2u);
  regs.at(0x14) = 1;  // clean bytes add nothing
  ASSERT_TRUE(uart.read(b));
  EXPECT_EQ(uart.rx_losses().hw_errors, 2u);
  EXPECT_EQ(uart.rx_losses().dropped, 0u);
}

}  // namespace
}  // namespace tp::drivers
