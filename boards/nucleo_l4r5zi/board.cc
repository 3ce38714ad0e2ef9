// NUCLEO-L4R5ZI (STM32L4R5ZI, Cortex-M4F): which driver instance does what.
//
// Clock: SYSCLK = HSI16 / M 2 x N 30 / R 2 = 120 MHz (VCO 240 MHz), voltage
//   range 1 boost, 5 flash wait states, AHB/APB1/APB2 undivided. These are
//   the PLL settings of the MLPerf Tiny reference code for this board
//   (mlcommons/tiny benchmark/reference_submissions/streaming_wakeword/
//   sww_ref_l4r5zi, SystemClock_Config). Sequence: drivers/stm32l4_rcc.
// Console: LPUART1 on PG7 (TX) / PG8 (RX), alternate function 8 (STM32L4R5xx
//   datasheet, alternate-function table; GPIO_AF8_LPUART1 in the reference
//   code above), wired to the ST-LINK virtual COM port (UM2179, STM32
//   Nucleo-144 boards (MB1312) user manual). Port G pins PG[15:2] are supplied by VDDIO2, which
//   PWR_CR2.IOSV must validate first. Kernel clock HSI16 (16 MHz), so both
//   115200 and 9600 baud are in the LPUART's range [3 x baud, 4096 x baud],
//   independent of the PLL. IRQ 70 (LPUART1_IRQn, stm32l4r5xx.h).
// Timer: SysTick on the processor clock (120 MHz), 64-bit in software.
// Kernel alarm: TIM2 (32 bits) at 1 MHz from the same clock (APB1
//   undivided), compare channel 1, IRQ 28 (TIM2_IRQn, stm32l4r5xx.h).
//   drivers/stm32_tim.
// Timestamp pin: PF13 = Arduino D7 on CN10, the pin the MLPerf Tiny
//   reference DUT uses (reference_submissions/*/submitter_implemented.cpp:
//   DigitalOut timestampPin(D7); sww_ref_l4r5zi: timestamp_Pin GPIO_PIN_13 on
//   GPIOF). Push-pull, idle high.
// Watchdog: the IWDG on the LSI (32 kHz typical), /64 with reload 3999:
//   8 s from a feed to the reset (drivers/stm32_iwdg). The longest single
//   inference today, ic01, is 13 M instructions (>= 0.11 s at 120 MHz,
//   README "Projected latency"); ic02 is several times bigger, and even
//   100 M instructions at 2 cycles each take 1.7 s here, so 8 s covers every
//   model with room while a hung board is back within seconds. Fed between
//   inferences and by the kernel's idle hook (app/main.cc), never inside
//   one; the IWDG counts in Sleep too, and SysTick wakes the idle path every
//   0.14 s. Reset cause: RCC_CSR, read and cleared at boot.
// sww01 audio in, as the streaming wake word reference wires it
//   (sww_ref_l4r5zi: HAL_SAI_MspInit, MX_DMA_Init, sww_ref_util_submitter.h):
//   SAI1 block A, I2S slave receiver, on PE4 FS_A / PE5 SCK_A / PE6 SD_A
//   (AF13, pull-up), DMA1 channel 1 through DMAMUX1 request 36, IRQ 11
//   (drivers/stm32_sai); WW_DETECTED on PB8 (idle high), PROCESSING on PE9
//   (idle low). The SAI is configured here and started by `start`: it is the
//   board's Board::audio_blocks, blocks of 512 stereo frames (one hop) from
//   the DMA's half and complete interrupts, which pace app/sww_stream.
//   Not run: no board here.
#include <cstddef>
#include <cstdint>

#include "cortex_m.h"
#include "reset_cause.h"
#include "stm32_gpio.h"
#include "stm32_iwdg.h"
#include "stm32_lpuart.h"
#include "stm32_sai.h"
#include "stm32_tim_alarm.h"
#include "stm32l4_rcc.h"
#include "systick_clock.h"
#include "tinyperf/board.h"
#include "tinyperf/drivers/mmio.h"


namespace tp::board {
namespace {

using drivers::Stm32Gpio;
using drivers::Stm32l4Rcc;

constexpr drivers::Stm32l4PllConfig kPll{.input_hz = 16'000'000, .m = 2, .n = 30, .r = 2};
static_assert(kPll.valid(), "PLL settings outside RM0432 limits");
static_assert(kPll.sysclk_hz() == TP_BOARD_CLOCK_HZ, "board.cmake's TP_BOARD_CLOCK_HZ disagrees with the PLL");

constexpr uint32_t kHsi16Hz = 16'000'000;
constexpr uint32_t kResetClockHz = 4'000'000;  // MSI after reset (RM0432 "Clocks")
constexpr uintptr_t kLpuart1Base = 0x40008000;
constexpr int kLpuart1Irq = 70;
constexpr uintptr_t kGpioFBase = 0x48001400;
constexpr uintptr_t kGpioGBase = 0x48001800;
constexpr uint32_t kPortF = 5, kPortG = 6;
constexpr uint32_t kConsoleTxPin = 7, kConsoleRxPin = 8, kConsoleAf = 8;  // PG7, PG8, AF8
constexpr uint32_t kTimestampPin = 13;                                    // PF13 (D7)
constexpr uintptr_t kGpioBBase = 0x48000400;
constexpr uintptr_t kGpioEBase = 0x48001000;
constexpr uint32_t kPortB = 1, kPortE = 4;
constexpr uint32_t kSaiFsPin = 4, kSaiSckPin = 5, kSaiSdPin = 6, kSaiAf = 13;  // PE4-6, AF13_SAI1
constexpr uint32_t kWwDetectedPin = 8;  // PB8
constexpr uint32_t kProcessingPin = 9;  // PE9
// RCC enable bits (RM0432; stm32l4r5xx.h): AHB1ENR 0x48 DMA1EN bit 0,
// DMAMUX1EN bit 2; APB2ENR 0x60 SAI1EN bit 21.
constexpr uintptr_t kRccAhb1Enr = 0x40021048, kRccApb2Enr = 0x40021060;

drivers::Stm32Lpuart g_console{kLpuart1Base};
drivers::Stm32GpioPin g_timestamp{kGpioFBase, kTimestampPin};
drivers::Stm32GpioPin g_ww_detected{kGpioBBase, kWwDetectedPin};
drivers::Stm32GpioPin g_processing{kGpioEBase, kProcessingPin};
drivers::Stm32SaiRx g_sai{drivers::Stm32SaiRx::kSai1BlockA, drivers::Stm32SaiRx::kDma1, 1,
                          drivers::Stm32SaiRx::kDmamux1, drivers::Stm32SaiRx::kRequestSai1A};

// The SAI as the stream's block input: two halves of 512 stereo frames (8 KB).
class SaiAudio final : public AudioBlocks {
 public:
  static constexpr uint32_t kFrames = 512;  // sww01::kHopSamples: one hop per DMA half
  void start(Callback block) override {
    block_ = block;
    g_sai.start(buffer_, kFrames, [](const int16_t* p, std::size_t n, void* self) {
      static_cast<SaiAudio*>(self)->block_(p, static_cast<uint32_t>(n));
    }, this);
  }
  void stop() override { g_sai.stop(); }

 private:
  Callback block_ = nullptr;
  alignas(4) int16_t buffer_[2 * 2 * kFrames];
};
SaiAudio g_sai_audio;
constexpr uint32_t kWatchdogMs = 8000;
drivers::Stm32Iwdg g_watchdog{drivers::Stm32Iwdg::kIwdgBase, kWatchdogMs};
constexpr int kTim2Irq = 28;
drivers::Stm32TimAlarm g_alarm{drivers::Stm32TimAlarm::kTim2Base, kTim2Irq, drivers::Stm32TimAlarm::kRccApb1Enr1,
                               drivers::Stm32TimAlarm::kRccTim2En};

const char* name_for(Stm32l4Rcc::Status s) {
  switch (s) {
    case Stm32l4Rcc::Status::kOk: return "nucleo_l4r5zi";
    case Stm32l4Rcc::Status::kBadConfig: return "nucleo_l4r5zi (clock fault: bad PLL settings)";
    case Stm32l4Rcc::Status::kHsiTimeout: return "nucleo_l4r5zi (clock fault: HSI16 not ready)";
    case Stm32l4Rcc::Status::kVoltageTimeout: return "nucleo_l4r5zi (clock fault: VOSF stuck)";
    case Stm32l4Rcc::Status::kLatencyRejected: return "nucleo_l4r5zi (clock fault: flash latency)";
    case Stm32l4Rcc::Status::kPllStopTimeout: return "nucleo_l4r5zi (clock fault: PLL would not stop)";
    case Stm32l4Rcc::Status::kPllLockTimeout: return "nucleo_l4r5zi (clock fault: PLL did not lock)";
    case Stm32l4Rcc::Status::kSwitchTimeout: return "nucleo_l4r5zi (clock fault: SYSCLK switch)";
  }
  return "nucleo_l4r5zi (clock fault)";
}

}  // namespace

const Board& init(int, char**, uint32_t console_baud) {
  const char* reset_cause = drivers::Stm32ResetCause{drivers::Stm32ResetCause::kRccBase}.take(
      arch::reset_cause_name(arch::take_reset_cause()));

  Stm32l4Rcc rcc{Stm32l4Rcc::kRccBase, Stm32l4Rcc::kPwrBase, Stm32l4Rcc::kFlashBase};
  const Stm32l4Rcc::Status status = rcc.start_pll_sysclk(kPll);
  // On a fault SYSCLK is still the reset clock (MSI 4 MHz) unless the switch
  // itself failed; timings are then wrong and the board's name says so.
  const uint32_t core_hz = status == Stm32l4Rcc::Status::kOk ? kPll.sysclk_hz() : kResetClockHz;

  rcc.enable_gpio_ports(Stm32l4Rcc::ahb2_gpio_en(kPortF) | Stm32l4Rcc::ahb2_gpio_en(kPortG) |
                        Stm32l4Rcc::ahb2_gpio_en(kPortB) | Stm32l4Rcc::ahb2_gpio_en(kPortE));
  rcc.enable_vddio2();
  rcc.enable_lpuart1_on_hsi16();

  const Stm32Gpio port_g{kGpioGBase};
  port_g.configure_alternate(kConsoleTxPin, kConsoleAf, Stm32Gpio::Pull::kNone);
  port_g.configure_alternate(kConsoleRxPin, kConsoleAf, Stm32Gpio::Pull::kUp);
  g_timestamp.configure(true);
  g_ww_detected.configure(true);
  g_processing.configure(false);
  mmio::set_bits(kRccAhb1Enr, (1u << 0) | (1u << 2));  // DMA1, DMAMUX1
  mmio::set_bits(kRccApb2Enr, 1u << 21);               // SAI1
  const Stm32Gpio port_e{kGpioEBase};
  port_e.configure_alternate(kSaiFsPin, kSaiAf, Stm32Gpio::Pull::kUp);
  port_e.configure_alternate(kSaiSckPin, kSaiAf, Stm32Gpio::Pull::kUp);
  port_e.configure_alternate(kSaiSdPin, kSaiAf, Stm32Gpio::Pull::kUp);
  g_sai.configure();
  cortex_m::attach_irq(drivers::Stm32SaiRx::kDma1Channel1Irq, [](void*) { g_sai.on_dma_interrupt(); }, nullptr);

  g_console.init(kHsi16Hz, console_baud, true);
  cortex_m::set_fault_output([](char c) { g_console.put_raw(c); });
  cortex_m::attach_irq(kLpuart1Irq, [](void*) { g_console.on_interrupt(); }, nullptr);

  static drivers::SysTickClock clock{drivers::SysTickClock::kSysTickBase, drivers::SysTickClock::kIcsr,
                                     core_hz, true};
  cortex_m::attach_systick([](void*) { clock.on_interrupt(); }, nullptr);
  clock.init();
  g_alarm.init(core_hz);  // APB1 undivided: the timer runs on SYSCLK
  cortex_m::attach_irq(kTim2Irq, [](void*) { g_alarm.on_interrupt(); }, nullptr);

  drivers::Stm32Iwdg::freeze_when_halted(drivers::Stm32Iwdg::kDbgmcuBase);  // started after the banner
  static const Board board{name_for(status), g_console, clock, g_timestamp, &g_watchdog, reset_cause,
                           nullptr, &g_ww_detected, &g_processing, &g_sai_audio};
  cortex_m::enable_interrupts();
  return board;
}

void wait_for_event() { cortex_m::wait_for_event(g_console); }
drivers::Alarm& kernel_alarm() { return g_alarm; }

}  // namespace tp::board
