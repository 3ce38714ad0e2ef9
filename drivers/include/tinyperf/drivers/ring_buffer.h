// Single-producer / single-consumer byte ring (an interrupt handler fills it,
// the main loop drains it). Capacity is a power of two; one slot stays free.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tp::drivers {

template <std::size_t N>
class RingBuffer {
  static_assert(N >= 2 && (N & (N - 1)) == 0, "capacity must be a power of two");

 public:
  // Producer side. Returns false (and drops the byte) when full.
  bool push(uint8_t byte) {
    const std::size_t head = head_;
    const std::size_t next = (head + 1) & (N - 1);
    if (next == tail_) {
      dropped_ = dropped_ + 1;
      return false;
    }
    data_[head] = byte;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    head_ = next;
    return true;
  }

  // Consumer side.
  bool pop(uint8_t& byte) {
    const std::size_t tail = tail_;
    if (tail == head_) return false;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    byte = data_[tail];
    tail_ = (tail + 1) & (N - 1);
    return true;
  }

  bool empty() const { return head_ == tail_; }
  std::size_t size() const { return (head_ - tail_) & (N - 1); }
  static constexpr std::size_t capacity() { return N - 1; }
  uint32_t dropped() const { return dropped_; }

 private:
  uint8_t data_[N] = {};
  volatile std::size_t head_ = 0;
  volatile std::size_t tail_ = 0;
  volatile uint32_t dropped_ = 0;
};

}  // namespace tp::drivers
