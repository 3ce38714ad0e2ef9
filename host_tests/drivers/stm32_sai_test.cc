// STM32L4+ SAI receive by DMA (drivers/stm32_sai) against fake registers:
// the register values of the MLPerf Tiny sww reference's set-up (SAI1 block
// A slave RX, I2S standard 16-bit, 2 slots; DMA1 channel 1 on DMAMUX1
// request 36) as stm32_sai.h derives them, the start order (DMA before the
// SAI's DMAEN and SAIEN), the half/complete interrupts handing each half of
// the buffer to the callback, errors and overruns. Not run on a board.
#include <gtest/gtest.h>

#include <vector>

#include "fake_mmio.h"
#include "stm32_sai.h"

namespace tp::drivers {
namespace {

using test::FakeRegs;
using test::mmio;

class Stm32SaiTest : public ::testing::Test {
 protected:
  void SetUp() override { mmio().reset(); }
  void TearDown() override { mmio().reset(); }
  int index_of_write(uintptr_t addr, int after = -1) const {
    for (std::size_t i = after + 1; i < mmio().writes.size(); ++i) {
      if (mmio().writes[i].addr == addr) return static_cast<int>(i);
    }
    return -1;
  }
  Stm32SaiRx make() { return Stm32SaiRx(sai.base(), dma.base(), 1, mux.base(), Stm32SaiRx::kRequestSai1A); }
  FakeRegs<8> sai;
  FakeRegs<40> dma;
  FakeRegs<1> mux;
};

TEST_F(Stm32SaiTest, ConfigureWritesTheReferenceI2sSlaveReceiver) {
  Stm32SaiRx rx = make();
  rx.configure();
  const uint32_t cr1 = sai.at(0x00);
  EXPECT_EQ(cr1 & 0x3u, 0x3u);               // MODE: slave receiver
  EXPECT_EQ((cr1 >> 5) & 0x7u, 0x4u);        // DS: 16 bits
  EXPECT_EQ(cr1 & (1u << 9), 1u << 9);       // CKSTR: a receiver sampling on rising SCK
  EXPECT_EQ(cr1 & (0x3u << 2), 0u);          // PRTCFG: free protocol
  EXPECT_EQ(cr1 & (0x3u << 10), 0u);         // SYNCEN: asynchronous
  EXPECT_EQ(cr1 & (1u << 12), 0u);           // stereo
  EXPECT_EQ(cr1 & (3u << 16), 0u);           // neither SAIEN nor DMAEN yet
  EXPECT_EQ(sai.at(0x04), 0u);               // CR2: FIFO threshold empty, TRIS 0
  const uint32_t frcr = sai.at(0x08);
  EXPECT_EQ(frcr & 0xFFu, 31u);              // FRL + 1 = 32 bit clocks a frame
  EXPECT_EQ((frcr >> 8) & 0x7Fu, 15u);       // FSALL + 1 = 16: FS half the frame
  EXPECT_EQ(frcr & (1u << 16), 1u << 16);    // FSDEF: channel identification
  EXPECT_EQ(frcr & (1u << 17), 0u);          // FSPOL: active low (left channel)
  EXPECT_EQ(frcr & (1u << 18), 1u << 18);    // FSOFF: one bit before the first
  const uint32_t slotr = sai.at(0x0C);
  EXPECT_EQ(slotr & 0x1Fu, 0u);              // FBOFF
  EXPECT_EQ((slotr >> 6) & 0x3u, 1u);        // SLOTSZ: 16 bits
  EXPECT_EQ((slotr >> 8) & 0xFu, 1u);        // NBSLOT + 1 = 2 slots
  EXPECT_EQ(slotr >> 16, 0xFFFFu);           // SLOTEN: all
  EXPECT_EQ(sai.at(0x10), 0u);               // no SAI interrupts: the DMA's
}

TEST_F(Stm32SaiTest, StartSetsTheDmaBeforeTheSai) {
  Stm32SaiRx rx = make();
  rx.configure();
  std::vector<int16_t> buf(4 * 512);
  mmio().writes.clear();
  rx.start(buf.data(), 512, [](const int16_t*, std::size_t, void*) {}, nullptr);
  EXPECT_EQ(dma.at(0x08 + 0x08), static_cast<uint32_t>(sai.addr(0x1C)));   // CPAR: SAI DR
  EXPECT_EQ(dma.at(0x08 + 0x0C), static_cast<uint32_t>(reinterpret_cast<uintptr_t>(buf.data())));
  EXPECT_EQ(dma.at(0x08 + 0x04), 2048u);     // CNDTR: 2 halves x 512 frames x 2 half-words
  EXPECT_EQ(mux.at(0), 36u);                 // DMAMUX1 channel 0: SAI1_A
  const uint32_t ccr = dma.at(0x08);
  EXPECT_EQ(ccr & 1u, 1u);                   // EN
  EXPECT_EQ(ccr & (1u << 4), 0u);            // DIR: peripheral to memory
  EXPECT_EQ(ccr & (1u << 6), 0u);            // PINC off
  EXPECT_EQ(ccr & (1u << 7), 1u << 7);       // MINC
  EXPECT_EQ((ccr >> 8) & 3u, 1u);            // PSIZE 16
  EXPECT_EQ((ccr >> 10) & 3u, 1u);           // MSIZE 16
  EXPECT_EQ((ccr >> 12) & 3u, 1u);           // priority medium
  EXPECT_EQ(ccr & 0x2Eu, 0x2Eu);             // CIRC, TEIE, HTIE, TCIE
  EXPECT_EQ(sai.at(0x00) & (3u << 16), 3u << 16);  // DMAEN and SAIEN
  // The channel is enabled before the SAI asks for transfers, DMAEN before SAIEN.
  int ccr_en = -1;
  for (std::size_t i = 0; i < mmio().writes.size(); ++i) {
    if (mmio().writes[i].addr == dma.addr(0x08) && (mmio().writes[i].value & 1u)) ccr_en = static_cast<int>(i);
  }
  int dmaen = -1, saien = -1;
  for (std::size_t i = 0; i < mmio().writes.size(); ++i) {
    if (mmio().writes[i].addr != sai.addr(0x00)) continue;
    if (dmaen < 0 && (mmio().writes[i].value & (1u << 17))) dmaen = static_cast<int>(i);
    if (saien < 0 && (mmio().writes[i].value & (1u << 16))) saien = static_cast<int>(i);
  }
  ASSERT_GE(ccr_en, 0);
  EXPECT_LT(ccr_en, dmaen);
  EXPECT_LT(dmaen, saien);
  // The FIFO flushed before the SAI starts.
  const int flush = index_of_write(sai.addr(0x04));
  ASSERT_GE(flush, 0);
  EXPECT_EQ(mmio().writes[flush].value, 1u << 3);
  EXPECT_LT(flush, saien);
}

struct Seen {
  std::vector<std::pair<const int16_t*, std::size_t>> blocks;
};

TEST_F(Stm32SaiTest, HalfAndCompleteInterruptsHandOverEachHalf) {
  Stm32SaiRx rx = make();
  std::vector<int16_t> buf(4 * 512);
  Seen seen;
  rx.start(buf.data(), 512, [](const int16_t* p, std::size_t n, void* ctx) {
    static_cast<Seen*>(ctx)->blocks.push_back({p, n});
  }, &seen);
  dma.at(0x00) = 0x5;  // channel 1: GIF | HTIF
  mmio().writes.clear();
  rx.on_dma_interrupt();
  ASSERT_EQ(seen.blocks.size(), 1u);
  EXPECT_EQ(seen.blocks[0].first, buf.data());
  EXPECT_EQ(seen.blocks[0].second, 512u);
  ASSERT_EQ(mmio().writes.size(), 1u);
  EXPECT_EQ(mmio().writes[0].addr, dma.addr(0x04));  // IFCR
  EXPECT_EQ(mmio().writes[0].value, 0x5u);
  dma.at(0x00) = 0x3;  // GIF | TCIF
  rx.on_dma_interrupt();
  ASSERT_EQ(seen.blocks.size(), 2u);
  EXPECT_EQ(seen.blocks[1].first, buf.data() + 1024);
  EXPECT_EQ(rx.blocks(), 2u);
  EXPECT_EQ(rx.dma_errors(), 0u);
}

TEST_F(Stm32SaiTest, OtherChannelsFlagsAreNotOurs) {
  Stm32SaiRx rx(sai.base(), dma.base(), 1, mux.base(), Stm32SaiRx::kRequestSai1A);
  std::vector<int16_t> buf(4 * 16);
  Seen seen;
  rx.start(buf.data(), 16, [](const int16_t* p, std::size_t n, void* ctx) {
    static_cast<Seen*>(ctx)->blocks.push_back({p, n});
  }, &seen);
  dma.at(0x00) = 0x6u << 4;  // channel 2's HT and TC
  rx.on_dma_interrupt();
  EXPECT_TRUE(seen.blocks.empty());
}

TEST_F(Stm32SaiTest, TransferErrorsAndOverrunsAreCounted) {
  Stm32SaiRx rx = make();
  std::vector<int16_t> buf(4 * 16);
  rx.start(buf.data(), 16, [](const int16_t*, std::size_t, void*) {}, nullptr);
  dma.at(0x00) = 0x9;  // GIF | TEIF
  rx.on_dma_interrupt();
  EXPECT_EQ(rx.dma_errors(), 1u);
  EXPECT_EQ(rx.take_overruns(), 0u);
  sai.at(0x14) = 1;  // SR.OVRUDR
  mmio().writes.clear();
  EXPECT_EQ(rx.take_overruns(), 1u);
  ASSERT_EQ(mmio().writes.size(), 1u);
  EXPECT_EQ(mmio().writes[0].addr, sai.addr(0x18));  // CLRFR.COVRUDR
  EXPECT_EQ(mmio().writes[0].value, 1u);
}

TEST_F(Stm32SaiTest, StopDisablesTheSaiAndTheChannel) {
  Stm32SaiRx rx = make();
  std::vector<int16_t> buf(4 * 16);
  rx.start(buf.data(), 16, [](const int16_t*, std::size_t, void*) {}, nullptr);
  rx.stop();
  EXPECT_EQ(sai.at(0x00) & (3u << 16), 0u);
  EXPECT_EQ(dma.at(0x08) & 1u, 0u);
}

TEST_F(Stm32SaiTest, ReferenceAddresses) {
  // stm32l4r5xx.h: SAI1_Block_A_BASE = APB2 (0x40010000) + 0x5400 + 4; DMA1 at
  // AHB1 (0x40020000); DMAMUX1 at AHB1 + 0x800; DMA1_Channel1_IRQn 11, SAI1_IRQn 74.
  EXPECT_EQ(Stm32SaiRx::kSai1BlockA, 0x40015404u);
  EXPECT_EQ(Stm32SaiRx::kDma1, 0x40020000u);
  EXPECT_EQ(Stm32SaiRx::kDmamux1, 0x40020800u);
  EXPECT_EQ(Stm32SaiRx::kDma1Channel1Irq, 11);
  EXPECT_EQ(Stm32SaiRx::kSai1Irq, 74);
}

}  // namespace
}  // namespace tp::drivers
