// nRF52 UARTE against fake registers, with a small model of EasyDMA.
// nRF52840 Product Specification, "UARTE — Universal asynchronous receiver/
// transmitter with EasyDMA": registers TASKS_STARTRX 0x000, TASKS_STARTTX
// 0x008, TASKS_STOPTX 0x00C, EVENTS_ENDRX 0x110, EVENTS_ENDTX 0x120,
// EVENTS_ERROR 0x124, EVENTS_RXSTARTED 0x14C, EVENTS_TXSTOPPED 0x158, SHORTS
// 0x200 (ENDRX_STARTRX bit 5), INTEN 0x300 (ENDRX bit 4, ERROR bit 9,
// RXSTARTED bit 19), ERRORSRC 0x480 (write 1 to clear), ENABLE 0x500 (8),
// PSEL.RTS/TXD/CTS/RXD 0x508..0x514 (pin | port << 5, bit 31 = disconnected),
// BAUDRATE 0x524 (115200: 0x01D60000, 9600: 0x00275000), RXD.PTR/MAXCNT/
// AMOUNT 0x534/0x538/0x53C, TXD.PTR/MAXCNT 0x544/0x548, CONFIG 0x56C.
// "Reception": RXD.PTR is double-buffered and may be rewritten after
// RXSTARTED; the ENDRX_STARTRX shortcut restarts reception with it.
// Board use: TXD = P1.03 (PSEL 0x23), RXD = P1.10 (PSEL 0x2A).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "fake_mmio.h"
#include "nrf52_uarte.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;
using test::MmioWrite;
using U = Nrf52Uarte;

class Nrf52UarteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mmio().reset();
    mmio().on_write = [this](uintptr_t a, uint32_t v) { hardware(a, v); };
  }
  void TearDown() override { mmio().reset(); }

  // EasyDMA addresses are 32 bits; on the host the buffers live above 4 GB,
  // so rebuild a full pointer from the UARTE object's upper address bits.
  uint8_t* resolve(uint32_t ptr32) const {
    const uintptr_t high = reinterpret_cast<uintptr_t>(&uarte) & ~uintptr_t{0xFFFFFFFF};
    return reinterpret_cast<uint8_t*>(high | ptr32);
  }

  // What the peripheral does on task writes.
  void hardware(uintptr_t a, uint32_t v) {
    if (a == regs.addr(U::kTasksStartRx) && v) start_rx();
    if (a == regs.addr(U::kTasksStartTx) && v) {
      const uint8_t* p = resolve(regs.at(U::kTxdPtr));
      const uint32_t n = regs.at(U::kTxdMaxCnt);
      tx_chunks.emplace_back(reinterpret_cast<const char*>(p), n);
      tx_ptrs.push_back(regs.at(U::kTxdPtr));
      endtx_after = 3;  // ENDTX after three more polls
    }
    if (a == regs.addr(U::kTasksStopTx) && v) regs.at(U::kEventsTxStopped) = 1;
  }
  void start_rx() {
    rx_target = regs.at(U::kRxdPtr);  // STARTRX latches RXD.PTR
    regs.at(U::kEventsRxStarted) = 1;
  }
  // One byte arrives: EasyDMA stores it, ENDRX, and the shortcut restarts.
  void receive(uint8_t b) {
    ASSERT_EQ(regs.at(U::kRxdMaxCnt), 1u);
    *resolve(rx_target) = b;
    regs.at(U::kRxdAmount) = 1;
    regs.at(U::kEventsEndRx) = 1;
    if (regs.at(U::kShorts) & U::kShortEndRxStartRx) start_rx();
  }
  void model_endtx() {
    mmio().on_read = [this](uintptr_t a, uint32_t stored) -> uint32_t {
      if (a == regs.addr(U::kEventsEndTx) && endtx_after >= 0) {
        if (endtx_after-- == 0) regs.at(U::kEventsEndTx) = 1;
        return regs.at(U::kEventsEndTx);
      }
      return stored;
    };
  }
  std::string drain() {
    std::string s;
    uint8_t b;
    while (uarte.read(b)) s.push_back(static_cast<char>(b));
    return s;
  }
  int index_of(uint32_t off, uint32_t value) const {
    for (std::size_t i = 0; i < mmio().writes.size(); ++i) {
      if (mmio().writes[i] == MmioWrite{regs.addr(off), value}) return static_cast<int>(i);
    }
    return -1;
  }

  FakeRegs<0x570 / 4> regs;
  U uarte{regs.base()};
  uint32_t rx_target = 0;
  int endtx_after = -1;
  std::vector<std::string> tx_chunks;
  std::vector<uint32_t> tx_ptrs;
};

TEST(Nrf52UarteBaud, RegisterValuesFromThePsTable) {
  EXPECT_EQ(U::baudrate_register(115200), 0x01D60000u);
  EXPECT_EQ(U::baudrate_register(9600), 0x00275000u);
  EXPECT_EQ(U::baudrate_register(12345), 0u);
  EXPECT_EQ(U::psel(1, 3), 0x23u);
  EXPECT_EQ(U::psel(1, 10), 0x2Au);
}

TEST_F(Nrf52UarteTest, InitConnectsPinsSetsBaudAndStartsReception) {
  ASSERT_TRUE(uarte.init(115200, U::psel(1, 3), U::psel(1, 10)));
  EXPECT_EQ(regs.at(U::kPselTxd), 0x23u);
  EXPECT_EQ(regs.at(U::kPselRxd), 0x2Au);
  EXPECT_EQ(regs.at(U::kPselRts), 0xFFFFFFFFu);
  EXPECT_EQ(regs.at(U::kPselCts), 0xFFFFFFFFu);
  EXPECT_EQ(regs.at(U::kBaudrate), 0x01D60000u);
  EXPECT_EQ(regs.at(U::kConfig), 0u);
  EXPECT_EQ(regs.at(U::kEnable), 8u);
  EXPECT_EQ(regs.at(U::kRxdMaxCnt), 1u);
  EXPECT_EQ(resolve(regs.at(U::kRxdPtr)), uarte.rx_dma_byte(0));
  EXPECT_EQ(regs.at(U::kShorts), 1u << 5);
  EXPECT_EQ(regs.at(U::kInten), (1u << 4) | (1u << 9) | (1u << 19));
  // Disabled while the pins change; enabled before reception starts, which
  // comes last.
  const int disable = index_of(U::kEnable, 0);
  const int psel = index_of(U::kPselTxd, 0x23);
  const int enable = index_of(U::kEnable, 8);
  const int start = index_of(U::kTasksStartRx, 1);
  ASSERT_GE(disable, 0);
  EXPECT_LT(disable, psel);
  EXPECT_LT(psel, enable);
  EXPECT_LT(enable, start);
  EXPECT_EQ(start, static_cast<int>(mmio().writes.size()) - 1);
}

TEST_F(Nrf52UarteTest, EnergyModeBaudAndUnknownBaud) {
  ASSERT_TRUE(uarte.init(9600, U::psel(1, 3), U::psel(1, 10)));
  EXPECT_EQ(regs.at(U::kBaudrate), 0x00275000u);
  EXPECT_FALSE(uarte.init(12345, U::psel(1, 3), U::psel(1, 10)));
  EXPECT_EQ(regs.at(U::kEnable), 0u);
}

TEST_F(Nrf52UarteTest, ReceivesIntoAlternatingDmaBytesInOrder) {
  uarte.init(115200, U::psel(1, 3), U::psel(1, 10));
  uarte.on_interrupt();  // RXSTARTED: the next reception goes to byte 1
  EXPECT_EQ(resolve(regs.at(U::kRxdPtr)), uarte.rx_dma_byte(1));
  const std::string line = "db load 490%";
  for (char c : line) {
    receive(static_cast<uint8_t>(c));
    uarte.on_interrupt();
  }
  EXPECT_EQ(drain(), line);
  EXPECT_EQ(regs.at(U::kEventsEndRx), 0u);
  EXPECT_EQ(regs.at(U::kEventsRxStarted), 0u);
}

TEST_F(Nrf52UarteTest, FirstByteBeforeTheFirstInterruptIsKept) {
  uarte.init(115200, U::psel(1, 3), U::psel(1, 10));
  // Interrupts still masked during start-up: the first byte lands, and the
  // shortcut restarts reception on the same byte before RXSTARTED is served.
  receive('a');
  uarte.on_interrupt();
  receive('b');
  uarte.on_interrupt();
  receive('c');
  uarte.on_interrupt();
  EXPECT_EQ(drain(), "abc");
}

TEST_F(Nrf52UarteTest, HoldsSeveralProtocolLinesReceivedWhileBusy) {
  uarte.init(115200, U::psel(1, 3), U::psel(1, 10));
  uarte.on_interrupt();
  const std::string line = "db " + std::string(62, 'f') + "%";
  for (int rep = 0; rep < 4; ++rep) {
    for (char c : line) {
      receive(static_cast<uint8_t>(c));
      uarte.on_interrupt();
    }
  }
  EXPECT_EQ(drain(), line + line + line + line);
  EXPECT_EQ(uarte.dropped(), 0u);
}

TEST_F(Nrf52UarteTest, ErrorEventIsClearedWithItsSource) {
  uarte.init(115200, U::psel(1, 3), U::psel(1, 10));
  regs.at(U::kEventsError) = 1;
  regs.at(U::kErrorSrc) = 0x1;  // OVERRUN
  mmio().writes.clear();
  uarte.on_interrupt();
  EXPECT_EQ(regs.at(U::kEventsError), 0u);
  EXPECT_GE(index_of(U::kErrorSrc, 0x1), 0);  // write 1 to clear
  EXPECT_EQ(uarte.errors(), 1u);
  EXPECT_EQ(uarte.rx_losses().hw_errors, 1u);  // reported to the protocol
}

TEST_F(Nrf52UarteTest, WriteSendsFromRamInChunksAndStopsTheTransmitter) {
  uarte.init(115200, U::psel(1, 3), U::psel(1, 10));
  model_endtx();
  std::string text;
  for (int i = 0; i < 150; ++i) text.push_back(static_cast<char>('A' + i % 26));
  mmio().writes.clear();
  uarte.write(text.data(), text.size());
  ASSERT_EQ(tx_chunks.size(), 3u);  // 64 + 64 + 22
  EXPECT_EQ(tx_chunks[0] + tx_chunks[1] + tx_chunks[2], text);
  EXPECT_EQ(tx_chunks[2].size(), 22u);
  // EasyDMA reads RAM only: the pointer is the driver's own buffer, never
  // the caller's data.
  for (uint32_t p : tx_ptrs) {
    EXPECT_NE(resolve(p), reinterpret_cast<const uint8_t*>(text.data()));
    EXPECT_GE(resolve(p), reinterpret_cast<const uint8_t*>(&uarte));
    EXPECT_LT(resolve(p), reinterpret_cast<const uint8_t*>(&uarte + 1));
  }
  // Each chunk: STARTTX, wait ENDTX, STOPTX, wait TXSTOPPED.
  int starts = 0, stops = 0;
  for (const auto& w : mmio().writes) {
    if (w == MmioWrite{regs.addr(U::kTasksStartTx), 1}) ++starts;
    if (w == MmioWrite{regs.addr(U::kTasksStopTx), 1}) {
      ++stops;
      EXPECT_EQ(stops, starts);
    }
  }
  EXPECT_EQ(stops, 3);
  EXPECT_EQ(regs.at(U::kEventsTxStopped), 0u);
}

TEST_F(Nrf52UarteTest, FaultOutputSendsOneByte) {
  uarte.init(115200, U::psel(1, 3), U::psel(1, 10));
  model_endtx();
  uarte.put_raw('!');
  ASSERT_EQ(tx_chunks.size(), 1u);
  EXPECT_EQ(tx_chunks[0], "!");
}

}  // namespace
}  // namespace tp::drivers
