// The receive ring, polled fallback, blocking write and loss counting that
// the interrupt-driven UART drivers share (drivers/include/tinyperf/drivers/
// irq_rx_uart.h), against a scripted stand-in for the hardware.
#include "tinyperf/drivers/irq_rx_uart.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>

namespace {

using tp::drivers::IrqRxUart;

// A "UART" whose receive side is a queue of (byte, error) and whose
// transmitter is busy for a scripted number of polls before each byte.
class ScriptedUart final : public IrqRxUart<ScriptedUart, 16> {
 public:
  void init(bool irq) { set_irq_driven(irq); }
  void on_interrupt() { rx_interrupt(); }

  std::deque<std::pair<uint8_t, bool>> incoming;
  mutable int busy_polls = 0;
  mutable std::string sent;

 private:
  friend class IrqRxUart<ScriptedUart, 16>;
  bool tx_ready() const {
    if (busy_polls > 0) {
      --busy_polls;
      return false;
    }
    return true;
  }
  void tx_byte(uint8_t b) const { sent.push_back(static_cast<char>(b)); }
  bool rx_byte(uint8_t& b) {
    if (incoming.empty()) return false;
    const auto [byte, error] = incoming.front();
    incoming.pop_front();
    if (error) count_rx_error();
    b = byte;
    return true;
  }
};

int g_notified = 0;
void note_rx() { ++g_notified; }

TEST(IrqRxUartTest, InterruptFillsTheRingAndNotifiesOncePerInterrupt) {
  ScriptedUart u;
  u.init(true);
  u.set_rx_notify(note_rx);
  g_notified = 0;
  for (char c : std::string("abc")) u.incoming.push_back({static_cast<uint8_t>(c), false});
  uint8_t b;
  EXPECT_FALSE(u.read(b)) << "interrupt-driven: read must not poll the hardware";
  u.on_interrupt();
  EXPECT_EQ(g_notified, 1);
  EXPECT_TRUE(u.rx_pending());
  std::string got;
  while (u.read(b)) got.push_back(static_cast<char>(b));
  EXPECT_EQ(got, "abc");
  EXPECT_FALSE(u.rx_pending());
}

TEST(IrqRxUartTest, PolledReadDrainsTheHardware) {
  ScriptedUart u;
  u.init(false);
  u.incoming.push_back({'x', false});
  uint8_t b = 0;
  ASSERT_TRUE(u.read(b));
  EXPECT_EQ(b, 'x');
}

TEST(IrqRxUartTest, RingOverflowAndHardwareErrorsAreCountedApart) {
  ScriptedUart u;  // 16-byte ring: 15 usable
  u.init(true);
  for (int i = 0; i < 20; ++i) u.incoming.push_back({static_cast<uint8_t>('a' + i), i == 3 || i == 7});
  u.on_interrupt();
  EXPECT_EQ(u.rx_losses().dropped, 5u);
  EXPECT_EQ(u.rx_losses().hw_errors, 2u);
  EXPECT_EQ(u.rx_losses().total(), 7u);
  EXPECT_EQ(u.dropped(), 5u);
  std::string got;
  uint8_t b;
  while (u.read(b)) got.push_back(static_cast<char>(b));
  EXPECT_EQ(got, "abcdefghijklmno") << "the first 15 bytes are kept, later ones dropped";
}

TEST(IrqRxUartTest, PolledWriteKeepsReceivingWhileTheTransmitterIsBusy) {
  ScriptedUart u;
  u.init(false);
  u.busy_polls = 3;
  u.incoming.push_back({'r', false});
  u.write("hi", 2);
  EXPECT_EQ(u.sent, "hi");
  EXPECT_TRUE(u.incoming.empty()) << "the byte that arrived during the wait was taken";
  uint8_t b = 0;
  ASSERT_TRUE(u.read(b));
  EXPECT_EQ(b, 'r');
}

TEST(IrqRxUartTest, InterruptDrivenWriteLeavesReceiveToTheInterrupt) {
  ScriptedUart u;
  u.init(true);
  u.busy_polls = 3;
  u.incoming.push_back({'r', false});
  u.write("ok", 2);
  EXPECT_EQ(u.sent, "ok");
  EXPECT_EQ(u.incoming.size(), 1u);
}

TEST(IrqRxUartTest, PutRawWaitsForTheTransmitter) {
  ScriptedUart u;
  u.busy_polls = 2;
  u.put_raw('!');
  EXPECT_EQ(u.sent, "!");
  EXPECT_EQ(u.busy_polls, 0);
}

}  // namespace
