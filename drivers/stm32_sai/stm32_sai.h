// STM32L4+ SAI block receiving I2S audio by DMA, wired as the MLPerf Tiny
// streaming wake word reference DUT wires it (mlcommons/tiny
// benchmark/reference_submissions/streaming_wakeword/sww_ref_l4r5zi:
// MX_SAI1_Init, HAL_SAI_MspInit, MX_DMA_Init): SAI1 block A, slave
// receiver, asynchronous, I2S standard, 16-bit data in 2 slots of 16 bits
// (the interface board is the I2S master: SCK and FS come from it), stereo,
// FIFO threshold "empty"; pins PE4 FS_A, PE5 SCK_A, PE6 SD_A on alternate
// function 13 with pull-ups; DMA1 channel 1 through DMAMUX1 request 36
// (SAI1_A), peripheral to memory, half-words, memory increment, priority
// medium; IRQs DMA1_Channel1 11 and SAI1 74.
// Ours: the DMA runs circular over one buffer of two halves with the
// half-transfer and transfer-complete interrupts (the reference restarts a
// normal-mode transfer per chunk from its callback); each half is one block
// of stereo frames handed to the board's callback.
//
// Register values, from the reference's HAL (stm32l4xx_hal_sai.c
// SAI_InitI2S / HAL_SAI_Init, the bit positions of stm32l4r5xx.h; RM0432
// "SAI registers", "DMA registers", "DMAMUX registers"):
//   CR1   MODE=11 slave RX, DS=100 16 bits, CKSTR=1 (a receiver sampling on
//         SCK's rising edge), PRTCFG free, SYNCEN async, MONO 0, OUTDRIV 0,
//         NOMCK 0, MCKDIV 0: 0x00000283; then DMAEN (bit 17), SAIEN (bit 16)
//   CR2   FTH empty, TRIS 0, no companding: 0; FFLUSH (bit 3) at start
//   FRCR  FRL 31 (32-bit frame), FSALL 15, FSDEF (channel identification),
//         FSPOL 0 (active low), FSOFF (one bit before the first): 0x00050F1F
//   SLOTR FBOFF 0, SLOTSZ 01 (16 bits), NBSLOT 1 (two slots), SLOTEN 0xFFFF: 0xFFFF0140
//   DMA CCR MINC, PSIZE 01, MSIZE 01, PL 01, CIRC, HTIE, TCIE, TEIE: 0x000015AE, then EN
// Not done here: the SAI1 kernel clock from PLLSAI1 (the reference selects
// it in HAL_SAI_MspInit); in slave mode the bit clock is the master's SCK.
// Not run on a board (none here): register-tested in host_tests/drivers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tinyperf/drivers/mmio.h"

namespace tp::drivers {

class Stm32SaiRx {
 public:
  // SAI block registers (offsets from the block's base, SAI1 block A 0x40015404).
  static constexpr uint32_t kCr1 = 0x00, kCr2 = 0x04, kFrcr = 0x08, kSlotr = 0x0C;
  static constexpr uint32_t kImr = 0x10, kSr = 0x14, kClrfr = 0x18, kDr = 0x1C;
  static constexpr uint32_t kCr1Config = 0x00000283;
  static constexpr uint32_t kCr1SaiEn = 1u << 16, kCr1DmaEn = 1u << 17;
  static constexpr uint32_t kCr2Config = 0, kCr2Fflush = 1u << 3;
  static constexpr uint32_t kFrcrConfig = 0x00050F1F;
  static constexpr uint32_t kSlotrConfig = 0xFFFF0140;
  static constexpr uint32_t kSrOvrudr = 1u << 0;
  // DMA (DMA1 at 0x40020000): ISR 0x00, IFCR 0x04, channel n at 0x08 + 20 (n - 1).
  static constexpr uint32_t kDmaIsr = 0x00, kDmaIfcr = 0x04;
  static constexpr uint32_t kCcr = 0x00, kCndtr = 0x04, kCpar = 0x08, kCmar = 0x0C;
  static constexpr uint32_t kCcrEn = 1u << 0;
  static constexpr uint32_t kCcrConfig = 0x000015AE;
  static constexpr uint32_t kFlagGif = 1u << 0, kFlagTc = 1u << 1, kFlagHt = 1u << 2, kFlagTe = 1u << 3;
  // Reference wiring on the STM32L4R5.
  static constexpr uintptr_t kSai1BlockA = 0x40015404;
  static constexpr uintptr_t kDma1 = 0x40020000;
  static constexpr uintptr_t kDmamux1 = 0x40020800;  // C0CR: DMA1 channel 1's request line
  static constexpr uint32_t kRequestSai1A = 36;
  static constexpr int kDma1Channel1Irq = 11, kSai1Irq = 74;

  // Called from the DMA interrupt with each filled half: `frames` stereo
  // frames (left, right int16 pairs).
  using BlockCallback = void (*)(const int16_t* interleaved, std::size_t frames, void* ctx);

  constexpr Stm32SaiRx(uintptr_t sai_block, uintptr_t dma, uint32_t dma_channel, uintptr_t dmamux_channel,
                       uint32_t request)
      : sai_(sai_block), dma_(dma), ch_(dma + 0x08 + 20 * (dma_channel - 1)),
        mux_(dmamux_channel), shift_(4 * (dma_channel - 1)), request_(request) {}

  // The SAI block as the reference sets it up (disabled).
  void configure() const;
  // Receives continuously into `buffer` (2 x frames_per_block stereo frames).
  void start(int16_t* buffer, std::size_t frames_per_block, BlockCallback cb, void* ctx);
  void stop() const;
  // DMA channel interrupt: hands the filled half to the callback.
  void on_dma_interrupt();
  // SAI overruns seen (the FIFO was full when a sample arrived), cleared as read.
  uint32_t take_overruns() const;

  uint32_t dma_errors() const { return dma_errors_; }
  uint32_t blocks() const { return blocks_; }

 private:
  mmio::Block sai_, dma_, ch_, mux_;
  uint32_t shift_, request_;
  int16_t* buffer_ = nullptr;
  std::size_t frames_ = 0;
  BlockCallback cb_ = nullptr;
  void* ctx_ = nullptr;
  volatile uint32_t dma_errors_ = 0;
  volatile uint32_t blocks_ = 0;
};

}  // namespace tp::drivers
