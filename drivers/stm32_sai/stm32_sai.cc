#include "stm32_sai.h"

namespace tp::drivers {

void Stm32SaiRx::configure() const {
  sai_.write(kCr1, kCr1Config);  // SAIEN 0 while configuring
  sai_.write(kCr2, kCr2Config);
  sai_.write(kFrcr, kFrcrConfig);
  sai_.write(kSlotr, kSlotrConfig);
  sai_.write(kImr, 0);
  sai_.write(kClrfr, 0x77);  // every flag of CLRFR (RM0432): nothing stale
}

void Stm32SaiRx::start(int16_t* buffer, std::size_t frames_per_block, BlockCallback cb, void* ctx) {
  buffer_ = buffer;
  frames_ = frames_per_block;
  cb_ = cb;
  ctx_ = ctx;
  ch_.write(kCcr, 0);  // channel off while it is set up
  dma_.write(kDmaIfcr, (kFlagGif | kFlagTc | kFlagHt | kFlagTe) << shift_);
  ch_.write(kCpar, static_cast<uint32_t>(sai_.base() + kDr));
  ch_.write(kCmar, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(buffer)));
  ch_.write(kCndtr, static_cast<uint32_t>(4 * frames_per_block));  // half-words, both halves
  mux_.write(0, request_);
  ch_.write(kCcr, kCcrConfig);
  ch_.write(kCcr, kCcrConfig | kCcrEn);
  sai_.write(kCr2, kCr2Config | kCr2Fflush);
  sai_.set(kCr1, kCr1DmaEn);
  sai_.set(kCr1, kCr1SaiEn);
}

void Stm32SaiRx::stop() const {
  sai_.clear(kCr1, kCr1SaiEn | kCr1DmaEn);
  ch_.write(kCcr, 0);
}

void Stm32SaiRx::on_dma_interrupt() {
  const uint32_t flags = (dma_.read(kDmaIsr) >> shift_) & 0xFu;
  dma_.write(kDmaIfcr, (flags | kFlagGif) << shift_);
  if (flags & kFlagTe) dma_errors_ = dma_errors_ + 1;
  if (!cb_) return;
  if (flags & kFlagHt) {
    blocks_ = blocks_ + 1;
    cb_(buffer_, frames_, ctx_);
  }
  if (flags & kFlagTc) {
    blocks_ = blocks_ + 1;
    cb_(buffer_ + 2 * frames_, frames_, ctx_);
  }
}

uint32_t Stm32SaiRx::take_overruns() const {
  if (!(sai_.read(kSr) & kSrOvrudr)) return 0;
  sai_.write(kClrfr, kSrOvrudr);
  return 1;
}

}  // namespace tp::drivers
