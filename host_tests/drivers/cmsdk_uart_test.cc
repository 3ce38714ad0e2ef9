// CMSDK APB UART driver against fake registers. Register map and bits:
// Arm CMSDK TRM (DDI 0479), "APB UART": DATA 0x00, STATE 0x04 (bit0 TX full,
// bit1 RX full), CTRL 0x08 (bit0 TX en, bit1 RX en, bit3 RX irq en),
// INTSTATUS/INTCLEAR 0x0C (bit1 RX), BAUDDIV 0x10 (>= 16).
#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "cmsdk_uart.h"
#include "fake_mmio.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;

class CmsdkUartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    // STATE's overrun bits are write-1-to-clear.
    mmio().on_write = [this](uintptr_t a, uint32_t v) {
      if (a == regs.addr(CmsdkUart::kState)) {
        state_flags &= ~v;
        regs.at(CmsdkUart::kState) = state_flags;
      }
    };
  }
  void TearDown() override { mmio().reset(); }
  uint32_t state_flags = 0;

  // Models the receive side: DATA reads pop `rx`, STATE shows RX full while
  // bytes wait.
  void model_rx() {
    mmio().on_read = [this](uintptr_t a, uint32_t stored) -> uint32_t {
      if (a == regs.addr(CmsdkUart::kState)) {
        return (stored & ~CmsdkUart::kStateRxFull) | state_flags | (rx.empty() ? 0 : CmsdkUart::kStateRxFull);
      }
      if (a == regs.addr(CmsdkUart::kData) && !rx.empty()) {
        const uint8_t b = rx.front();
        rx.pop_front();
        return b;
      }
      return stored;
    };
  }

  std::vector<MmioWrite> writes_to(uint32_t offset) const {
    std::vector<MmioWrite> out;
    for (const auto& w : mmio().writes) {
      if (w.addr == regs.addr(offset)) out.push_back(w);
    }
    return out;
  }

  FakeRegs<8> regs;
  std::deque<uint8_t> rx;
};

TEST_F(CmsdkUartTest, InitProgramsDivisorAndEnablesTxRxAndRxInterrupt) {
  CmsdkUart uart(regs.base());
  uart.init(25'000'000, 115200, true);
  EXPECT_EQ(regs.at(CmsdkUart::kBaudDiv), 217u);  // 25 MHz / 115200
  EXPECT_EQ(regs.at(CmsdkUart::kCtrl), 0x1u | 0x2u | 0x8u);
  // CTRL is cleared before the divisor changes, and enabled last.
  auto ctrl = writes_to(CmsdkUart::kCtrl);
  ASSERT_EQ(ctrl.size(), 2u);
  EXPECT_EQ(ctrl[0].value, 0u);
  EXPECT_EQ(ctrl[1].value, 0xBu);
  // Pending interrupt flags are cleared.
  auto clr = writes_to(CmsdkUart::kIntStatus);
  ASSERT_EQ(clr.size(), 1u);
  EXPECT_EQ(clr[0].value, 0xFu);
}

TEST_F(CmsdkUartTest, EnergyModeBaudAndMinimumDivisor) {
  CmsdkUart uart(regs.base());
  uart.init(25'000'000, 9600, false);
  EXPECT_EQ(regs.at(CmsdkUart::kBaudDiv), 2604u);
  EXPECT_EQ(regs.at(CmsdkUart::kCtrl), 0x3u);  // polled: no RX interrupt
  uart.init(1'000'000, 115200, false);        // divisor below 16 is clamped
  EXPECT_EQ(regs.at(CmsdkUart::kBaudDiv), 16u);
}

TEST_F(CmsdkUartTest, WriteWaitsForTxNotFullAndWritesEveryByteInOrder) {
  CmsdkUart uart(regs.base());
  uart.init(25'000'000, 115200, true);
  mmio().writes.clear();
  int busy = 3;  // TX full for the first three STATE reads
  mmio().on_read = [&](uintptr_t a, uint32_t stored) -> uint32_t {
    if (a == regs.addr(CmsdkUart::kState)) return busy-- > 0 ? CmsdkUart::kStateTxFull : 0;
    return stored;
  };
  uart.write("ok\r\n", 4);
  std::string sent;
  for (const auto& w : mmio().writes) {
    ASSERT_EQ(w.addr, regs.addr(CmsdkUart::kData));
    sent.push_back(static_cast<char>(w.value));
  }
  EXPECT_EQ(sent, "ok\r\n");
}

TEST_F(CmsdkUartTest, RxInterruptClearsStatusBeforeDrainingAndBuffersBytes) {
  CmsdkUart uart(regs.base());
  uart.init(25'000'000, 115200, true);
  model_rx();
  rx = {'a', 'b', 'c'};
  mmio().writes.clear();
  mmio().trace.clear();
  uart.on_rx_interrupt();
  ASSERT_FALSE(mmio().writes.empty());
  EXPECT_EQ(mmio().writes[0], (MmioWrite{regs.addr(CmsdkUart::kIntStatus), CmsdkUart::kIntRx}));
  // The clear is the very first access: a byte landing during the drain
  // then raises the interrupt again instead of being cleared unseen.
  ASSERT_FALSE(mmio().trace.empty());
  EXPECT_EQ(mmio().trace[0], std::make_pair('w', regs.addr(CmsdkUart::kIntStatus)));
  std::string got;
  uint8_t b;
  while (uart.read(b)) got.push_back(static_cast<char>(b));
  EXPECT_EQ(got, "abc");
}

TEST_F(CmsdkUartTest, HoldsMoreThanAProtocolLineReceivedWhileBusy) {
  CmsdkUart uart(regs.base());
  uart.init(25'000'000, 115200, true);
  model_rx();
  std::string line = "db " + std::string(62, 'a') + "%";
  for (int rep = 0; rep < 4; ++rep) {
    for (char c : line) {
      rx.push_back(static_cast<uint8_t>(c));
      uart.on_rx_interrupt();  // one interrupt per byte, as the hardware does
    }
  }
  std::string got;
  uint8_t b;
  while (uart.read(b)) got.push_back(static_cast<char>(b));
  EXPECT_EQ(got, line + line + line + line);
  EXPECT_EQ(uart.dropped(), 0u);
}

TEST_F(CmsdkUartTest, PolledModeReadsDataOnlyWhenRxFull) {
  CmsdkUart uart(regs.base());
  uart.init(25'000'000, 115200, false);
  model_rx();
  uint8_t b;
  mmio().reads.clear();
  EXPECT_FALSE(uart.read(b));
  for (auto a : mmio().reads) EXPECT_NE(a, regs.addr(CmsdkUart::kData));
  rx = {'x'};
  ASSERT_TRUE(uart.read(b));
  EXPECT_EQ(b, 'x');
}

// Issue #21: what the receive side lost is counted, never silent: ring
// overflows (the firmware busy longer than 1 KB of input takes) and the
// UART's own RX overrun flag, which is cleared (write 1) once counted.
TEST_F(CmsdkUartTest, CountsRingOverflowsAndRxOverruns) {
  CmsdkUart uart(regs.base());
  uart.init(25'000'000, 115200, true);
  model_rx();
  EXPECT_EQ(uart.rx_losses().total(), 0u);
  for (std::size_t i = 0; i < CmsdkUart::kRxBufferSize + 5; ++i) {
    rx.push_back('x');
    uart.on_rx_interrupt();
  }
  EXPECT_GE(uart.rx_losses().dropped, 5u);
  EXPECT_EQ(uart.rx_losses().hw_errors, 0u);
  mmio().writes.clear();
  state_flags = CmsdkUart::kStateRxOverrun;
  rx.push_back('y');
  uart.on_rx_interrupt();
  EXPECT_EQ(uart.rx_losses().hw_errors, 1u);
  EXPECT_EQ(state_flags & CmsdkUart::kStateRxOverrun, 0u);  // cleared
  EXPECT_EQ(writes_to(CmsdkUart::kState), (std::vector<MmioWrite>{{regs.addr(CmsdkUart::kState), CmsdkUart::kStateRxOverrun}}));
  uart.on_rx_interrupt();  // counted once
  EXPECT_EQ(uart.rx_losses().hw_errors, 1u);
}

}  // namespace
}  // namespace tp::drivers
