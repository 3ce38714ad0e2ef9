#include "reset_cause.h"

namespace tp::arch {
namespace {

constexpr uint32_t kMagic = 0x7E5E7CA5u;

struct Record {
  uint32_t magic;
  uint32_t cause;
};
#if defined(__ELF__) && !defined(TP_MMIO_HOST) && (defined(__arm__) || defined(__arc__) || defined(__XTENSA__))
__attribute__((section(".noinit"))) volatile Record g_record;
#else
volatile Record g_record;  // host builds: a process starts from power-on
#endif

}  // namespace

void record_reset_cause(ResetCause cause) {
  if (g_record.magic == kMagic && g_record.cause != static_cast<uint32_t>(ResetCause::kPowerOn)) return;
  g_record.cause = static_cast<uint32_t>(cause);
  g_record.magic = kMagic;
}

ResetCause take_reset_cause() {
  ResetCause cause = ResetCause::kPowerOn;
  if (g_record.magic == kMagic && g_record.cause <= static_cast<uint32_t>(ResetCause::kSoftware)) {
    cause = static_cast<ResetCause>(g_record.cause);
  }
  g_record.magic = 0;
  g_record.cause = 0;
  return cause;
}

const char* reset_cause_name(ResetCause cause) {
  switch (cause) {
    case ResetCause::kWatchdog:
      return "watchdog";
    case ResetCause::kFault:
      return "fault";
    case ResetCause::kSoftware:
      return "software";
    case ResetCause::kPowerOn:
      break;
  }
  return nullptr;
}

}  // namespace tp::arch
