// What the application needs from a board. Each boards/<board>/board.cc
// implements this by binding driver instances; nothing else is board-specific.
#pragma once

#include <cstdint>

#include "tinyperf/drivers/interfaces.h"

namespace tp::board {

// A block-paced audio input (an I2S/SAI receiver by DMA): after start(),
// its interrupt hands each block of `frames` stereo int16 frames (left,
// right) to `block`, at the audio's own rate, until stop().
class AudioBlocks {
 public:
  using Callback = void (*)(const int16_t* interleaved, uint32_t frames);
  virtual void start(Callback block) = 0;
  virtual void stop() = 0;

 protected:
  ~AudioBlocks() = default;
};

struct Board {
  const char* name;                   // printed by `name%`
  drivers::Uart& console;             // the protocol's serial line
  drivers::Clock& clock;              // microsecond timestamps
  drivers::OutputPin& timestamp_pin;  // energy-mode timestamp (idle high)
  // The board's watchdog, or nullptr. The firmware starts it after the
  // banner and feeds it between inferences and from its idle path.
  drivers::Watchdog* watchdog = nullptr;
  // Why the board last reset when it was not a power-on ("watchdog",
  // "fault", "software"), else nullptr: the banner's m-reset-cause line.
  const char* reset_cause = nullptr;
  // sww01 streaming (app/sww_stream.h), where the board has it: the audio
  // input (16-bit little-endian mono samples; on QEMU a second serial port,
  // see app/sww_stream.h for its flow control) and the reference's
  // WW_DETECTED and PROCESSING pins (idle high / idle low), or nullptr.
  drivers::Uart* audio_in = nullptr;
  drivers::OutputPin* ww_detected_pin = nullptr;
  drivers::OutputPin* processing_pin = nullptr;
  // Or a block-paced input (a real board's I2S): the blocks arrive at the
  // audio's rate, so they pace the stream (sww01::kHopSamples frames each).
  AudioBlocks* audio_blocks = nullptr;
};

// Brings up clocks, console (at console_baud), timer and pins. argc/argv are
// the process arguments on the native board and (0, nullptr) elsewhere.
const Board& init(int argc, char** argv, uint32_t console_baud);

// The one-shot alarm of the kernel's timeouts: defined by every Cortex-M
// board (whose firmware runs on the kernel), unused elsewhere.
drivers::Alarm& kernel_alarm();

// Sleeps until something (an interrupt, input) may have happened.
void wait_for_event();

}  // namespace tp::board
