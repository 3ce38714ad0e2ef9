// The binding shared by Arm's MPS2/MPS3 FPGA images (CMSDK UART console,
// SysTick clock, FPGA I/O LED as the timestamp pin, a CMSDK APB timer as the
// kernel's alarm). A board folder includes
// this once from its board.cc with its own MpsConfig; nothing here knows a
// particular board.
#pragma once

#include "tinyperf/board.h"

#include <type_traits>

#include "cmsdk_timer_alarm.h"
#include "cmsdk_uart.h"
#include "cmsdk_watchdog.h"
#include "fault_output.h"
#include "reset_cause.h"
#include "cortex_m.h"
#include "fpgaio_led.h"
#include "sse_timer_alarm.h"
#include "systick_clock.h"

namespace tp::board {

struct MpsConfig {
  const char* name;
  uint32_t system_clock_hz;  // SysTick with CLKSOURCE=1, and the UART's clock
  uintptr_t uart_base;       // console: CMSDK APB UART
  int uart_rx_irq;
  uintptr_t fpgaio_base;     // FPGA I/O block (LED register at offset 0)
  uint32_t timestamp_led;    // LED bit used as the energy timestamp pin
  uintptr_t watchdog_base;   // CMSDK APB watchdog (its WDOGINT is the NMI)
  uint32_t watchdog_clock_hz;
  uintptr_t alarm_base;      // the kernel's alarm (CMSDK APB timer or SSE system timer)
  int alarm_irq;
  uint32_t alarm_clock_hz;
  uintptr_t alarm_counter_base = 0;  // SSE system timer: its system counter's control frame
  // sww01 streaming: a second CMSDK UART carries the audio (QEMU: the second
  // -serial), FPGA I/O LEDs are the WW_DETECTED and PROCESSING pins (-1: none).
  uintptr_t audio_uart_base = 0;
  int audio_uart_rx_irq = -1;
  int ww_detected_led = -1;
  int processing_led = -1;
};

// The watchdog's early warning: 1 s without a feed (the longest inference,
// ic01 on the M4, is 13 M instructions: 13 ms at one instruction per ns
// under -icount shift=0, 0.1 s at shift=3, well under a second of QEMU's
// own time without -icount); the reset follows 1 s later.
inline constexpr uint32_t kMpsWatchdogWarningMs = 1000;

// Alarm: drivers::CmsdkTimerAlarm or drivers::SseTimerAlarm.
template <const MpsConfig& C, typename Alarm = drivers::CmsdkTimerAlarm>
class MpsFpgaBoard {
 public:
  static const Board& init(uint32_t console_baud) {
    board_.reset_cause = arch::reset_cause_name(arch::take_reset_cause());
    uart_.init(C.system_clock_hz, console_baud, true);
    cortex_m::set_fault_output([](char c) { uart_.put_raw(c); });
    cortex_m::attach_nmi([](void*) { on_watchdog_warning(); }, nullptr);
    cortex_m::attach_irq(C.uart_rx_irq, [](void*) { uart_.on_rx_interrupt(); }, nullptr);
    cortex_m::attach_systick([](void*) { clock_.on_interrupt(); }, nullptr);
    clock_.init();
    alarm_.init();
    cortex_m::attach_irq(C.alarm_irq, [](void*) { alarm_.on_interrupt(); }, nullptr);
    pin_.set(true);
    if constexpr (C.audio_uart_base != 0) {
      audio_.init(C.system_clock_hz, kAudioBaud, true);
      cortex_m::attach_irq(C.audio_uart_rx_irq, [](void*) { audio_.on_rx_interrupt(); }, nullptr);
      board_.audio_in = &audio_;
    }
    if constexpr (C.ww_detected_led >= 0) {
      detect_pin_.set(true);  // idle high: pulsed low on a detection
      board_.ww_detected_pin = &detect_pin_;
    }
    if constexpr (C.processing_led >= 0) {
      processing_pin_.set(false);
      board_.processing_pin = &processing_pin_;
    }
    cortex_m::enable_interrupts();
    return board_;
  }

  static void wait_for_event() { cortex_m::wait_for_event(uart_); }
  static drivers::Alarm& alarm() { return alarm_; }

 private:
  // Not fed for a whole period: say so, keep the cause for the next boot's
  // banner, and wait for the reset the next period brings.
  [[noreturn]] static void on_watchdog_warning() {
    arch::record_reset_cause(arch::ResetCause::kWatchdog);
    arch::write_fault_text("\r\ne-[watchdog: not fed for 1000 ms; the board resets]\r\n");
    for (;;) {
    }
  }

  static inline drivers::CmsdkUart uart_{C.uart_base};
  static inline drivers::SysTickClock clock_{drivers::SysTickClock::kSysTickBase,
                                             drivers::SysTickClock::kIcsr,
                                             C.system_clock_hz, true};
  static constexpr Alarm make_alarm() {
    if constexpr (std::is_same_v<Alarm, drivers::SseTimerAlarm>) {
      return Alarm{C.alarm_base, C.alarm_counter_base, C.alarm_irq, C.alarm_clock_hz};
    } else {
      return Alarm{C.alarm_base, C.alarm_irq, C.alarm_clock_hz};
    }
  }
  static inline Alarm alarm_ = make_alarm();
  static inline drivers::FpgaIoLed pin_{C.fpgaio_base, C.timestamp_led};
  // QEMU's CMSDK UART ignores the divisor's rate (bytes move as fast as the
  // firmware reads them); on an FPGA this is the audio line's baud.
  static constexpr uint32_t kAudioBaud = 921600;
  static inline drivers::CmsdkUart audio_{C.audio_uart_base};
  static inline drivers::FpgaIoLed detect_pin_{C.fpgaio_base, static_cast<uint32_t>(C.ww_detected_led < 0 ? 0 : C.ww_detected_led)};
  static inline drivers::FpgaIoLed processing_pin_{C.fpgaio_base, static_cast<uint32_t>(C.processing_led < 0 ? 0 : C.processing_led)};
  static inline drivers::CmsdkWatchdog watchdog_{C.watchdog_base, C.watchdog_clock_hz, kMpsWatchdogWarningMs};
  static inline Board board_{C.name, uart_, clock_, pin_, &watchdog_};
};

}  // namespace tp::board
