#include "apollo3_sysctrl.h"

namespace tp::drivers {

bool Apollo3SysCtrl::wait(const mmio::Block& b, uint32_t off, uint32_t mask, uint32_t value) const {
  for (uint32_t i = 0; i < max_polls_; ++i) {
    if ((b.read(off) & mask) == value) return true;
  }
  return false;
}

void Apollo3SysCtrl::set_core_clock_48mhz() const {
  clkgen_.write(kClkKey, kClkKeyUnlock);
  clkgen_.write(kCctrl, kCoreSelHfrc);
  clkgen_.write(kClkKey, 0);
}

void Apollo3SysCtrl::enable_flash_cache() const {
  cache_.clear(kCacheCfg, kCacheIcacheEnable | kCacheDcacheEnable);
  cache_.write(kCacheCfg, kCacheClkGate | kCacheDataClkGate | kCacheConfig1Way128B1024E |
                              kCacheIcacheEnable | kCacheDcacheEnable);
  cache_.set(kCacheCfg, kCacheEnable);
}

Apollo3SysCtrl::Burst Apollo3SysCtrl::enable_burst() const {
  if (!(mcuctrl_.read(kSku) & kSkuAllowBurst)) return Burst::kNotAllowed;
  pwrctrl_.set(kDevPwrEventEn, kBurstEventEn);
  mcuctrl_.set(kFeatureEnable, kFeatBurstReq);
  if (!wait(mcuctrl_, kFeatureEnable, kFeatBurstAck, kFeatBurstAck)) return Burst::kTimeout;
  if (!(mcuctrl_.read(kFeatureEnable) & kFeatBurstAvail)) return Burst::kNotAvailable;
  clkgen_.write(kFreqCtrl, kFreqBurstReq);
  if (!wait(clkgen_, kFreqCtrl, kFreqBurstStatus, kFreqBurstStatus)) return Burst::kTimeout;
  if (!(clkgen_.read(kFreqCtrl) & kFreqBurstAck)) return Burst::kTimeout;
  return Burst::kOn;
}

bool Apollo3SysCtrl::power_on_uart0() const {
  pwrctrl_.set(kDevPwrEn, kPwrUart0);
  return wait(pwrctrl_, kDevPwrStatus, kStatusHcpa, kStatusHcpa);
}

}  // namespace tp::drivers
