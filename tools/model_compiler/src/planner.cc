// Static memory planning of the activation arena.
//
// 1. Alias groups: RESHAPE's output shares its input's bytes, so both
//    tensors form one planner buffer (size = the larger, live range = the
//    union). Later in-place operators (elementwise ops writing over an
//    input that dies there) are added the same way: by merging buffers, or by
//    relaxing `conflicts()` below for a specific pair.
// 2. Live ranges in layer steps: a buffer is live from the layer that
//    writes it (the model input: step 0) to the last layer that reads it
//    (the model output: past the last layer, the caller reads it after run).
//    A layer's inputs and output are live at the same step, so they never
//    overlap.
// 3. Greedy placement: buffers are taken in some order and each goes to the
//    lowest 16-byte aligned offset where it does not overlap any already
//    placed buffer whose live range intersects its own. A few orders are
//    tried (largest first as TFLM does, size x lifetime, lifetime, execution
//    order) and the most compact plan is kept; all are cheap.
#include <algorithm>
#include <cstdint>
#include <numeric>

#include "compiled_model.h"
#include "error.h"

namespace tp::compiler {
namespace {

uint32_t align_up(uint64_t v, uint32_t a) {
  return static_cast<uint32_t>((v + a - 1) / a * a);
}

bool lifetimes_overlap(const MemoryPlan::Buffer& a, const MemoryPlan::Buffer& b) {
  return a.first <= b.last && b.first <= a.last;
}

// Whether two buffers may not share bytes. The single place to teach the
// planner about in-place execution.
bool conflicts(const MemoryPlan::Buffer& a, const MemoryPlan::Buffer& b) {
  return lifetimes_overlap(a, b);
}

// Places buffers in the given order, each at the lowest aligned offset free
// of conflicting buffers placed before it. Returns the arena end.
uint64_t place_greedy(const std::vector<MemoryPlan::Buffer>& bufs, const std::vector<int>& order,
                      uint32_t alignment, std::vector<uint32_t>* offsets) {
  std::vector<int> placed;
  uint64_t arena = 0;
  for (int bi : order) {
    const MemoryPlan::Buffer& b = bufs[static_cast<std::size_t>(bi)];
    // Occupied intervals of conflicting placed buffers, sorted by offset.
    std::vector<std::pair<uint64_t, uint64_t>> busy;
    for (int pi : placed) {
      const MemoryPlan::Buffer& p = bufs[static_cast<std::size_t>(pi)];
      if (conflicts(b, p)) {
        const uint64_t lo = (*offsets)[static_cast<std::size_t>(pi)];
        busy.emplace_back(lo, lo + p.bytes);
      }
    }
    std::sort(busy.begin(), busy.end());
    uint64_t candidate = 0;
    for (const auto& [lo, hi] : busy) {
      if (candidate + b.bytes <= lo) break;  // fits in the gap before this one
      candidate = std::max<uint64_t>(candidate, align_up(hi, alignment));
    }
    (*offsets)[static_cast<std::size_t>(bi)] = static_cast<uint32_t>(candidate);
    arena = std::max<uint64_t>(arena, candidate + b.bytes);
    placed.push_back(bi);
  }
  return arena;
}

}  // namespace

MemoryPlan plan_memory(const Graph& graph, const std::vector<Layer>& layers,
                       uint32_t alignment) {
  const int n_tensors = static_cast<int>(graph.tensors.size());
  // Union-find over tensors for aliasing.
  std::vector<int> parent(static_cast<std::size_t>(n_tensors));
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int t) {
    while (parent[static_cast<std::size_t>(t)] != t) {
      parent[static_cast<std::size_t>(t)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(t)])];
      t = parent[static_cast<std::size_t>(t)];
    }
    return t;
  };

  std::vector<bool> used(static_cast<std::size_t>(n_tensors), false);
  used[static_cast<std::size_t>(graph.input)] = true;
  for (const Layer& l : layers) {
    for (int t : l.inputs) used[static_cast<std::size_t>(t)] = true;
    used[static_cast<std::size_t>(l.output)] = true;
    if (l.kind == LayerKind::kReshape) {
      parent[static_cast<std::size_t>(find(l.output))] = find(l.inputs[0]);
    }
  }

  // Live ranges per tensor, then per group.
  const int end_step = static_cast<int>(layers.size());
  std::vector<int> first(static_cast<std::size_t>(n_tensors), end_step + 1);
  std::vector<int> last(static_cast<std::size_t>(n_tensors), -1);
  auto touch = [&](int t, int step) {
    first[static_cast<std::size_t>(t)] = std::min(first[static_cast<std::size_t>(t)], step);
    last[static_cast<std::size_t>(t)] = std::max(last[static_cast<std::size_t>(t)], step);
  };
  touch(graph.input, 0);
  touch(graph.output, end_step);
  for (int i = 0; i < end_step; ++i) {
    const Layer& l = layers[static_cast<std::size_t>(i)];
    for (int t : l.inputs) touch(t, i);
    touch(l.output, i);
  }

  MemoryPlan plan;
  plan.tensors.resize(static_cast<std::size_t>(n_tensors));
  std::vector<int> group_buffer(static_cast<std::size_t>(n_tensors), -1);
  for (int t = 0; t < n_tensors; ++t) {
    if (!used[static_cast<std::size_t>(t)] || graph.tensors[static_cast<std::size_t>(t)].is_constant()) continue;
    const int root = find(t);
    int& bi = group_buffer[static_cast<std::size_t>(root)];
    if (bi < 0) {
      bi = static_cast<int>(plan.buffers.size());
      MemoryPlan::Buffer b;
      b.first = first[static_cast<std::size_t>(t)];
      b.last = last[static_cast<std::size_t>(t)];
      plan.buffers.push_back(b);
    }
    MemoryPlan::Buffer& b = plan.buffers[static_cast<std::size_t>(bi)];
    const int64_t bytes = graph.tensors[static_cast<std::size_t>(t)].elements();  // int8
    if (bytes > 0x7fffffff) throw CompileError(graph.source_file + ": tensor too large");
    b.bytes = std::max(b.bytes, static_cast<uint32_t>(bytes));
    b.first = std::min(b.first, first[static_cast<std::size_t>(t)]);
    b.last = std::max(b.last, last[static_cast<std::size_t>(t)]);
    b.tensors.push_back(t);
    TensorPlacement& tp = plan.tensors[static_cast<std::size_t>(t)];
    tp.in_arena = true;
    tp.bytes = static_cast<uint32_t>(bytes);
    tp.buffer = bi;
  }

  // Greedy placement under several orderings; keep the most compact.
  const std::vector<MemoryPlan::Buffer>& bufs = plan.buffers;
  auto by = [&](auto key) {
    std::vector<int> order(bufs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return key(bufs[static_cast<std::size_t>(a)]) > key(bufs[static_cast<std::size_t>(b)]);
    });
    return order;
  };
  const std::vector<std::vector<int>> orders = {
      // Largest first (TFLM's greedy planner order).
      by([](const MemoryPlan::Buffer& b) { return static_cast<int64_t>(b.bytes); }),
      // Largest size x lifetime first.
      by([](const MemoryPlan::Buffer& b) {
        return static_cast<int64_t>(b.bytes) * (b.last - b.first + 1);
      }),
      // Longest-lived first, then largest.
      by([](const MemoryPlan::Buffer& b) {
        return static_cast<int64_t>(b.last - b.first) * (int64_t{1} << 32) + b.bytes;
      }),
      // Execution order (earliest first use first).
      by([](const MemoryPlan::Buffer& b) { return -static_cast<int64_t>(b.first); }),
  };
  std::vector<uint32_t> best_offsets;
  uint64_t best_arena = UINT64_MAX;
  for (const std::vector<int>& order : orders) {
    std::vector<uint32_t> offsets(bufs.size(), 0);
    const uint64_t arena = place_greedy(bufs, order, alignment, &offsets);
    if (arena < best_arena) {
      best_arena = arena;
      best_offsets = offsets;
    }
  }
  for (std::size_t i = 0; i < plan.buffers.size(); ++i) plan.buffers[i].offset = best_offsets[i];
  plan.arena_bytes = align_up(best_arena, alignment);

  // Lower bound of any plan without in-place execution: the most bytes
  // alive at one step.
  for (int step = 0; step <= end_step; ++step) {
    uint64_t live = 0;
    for (const MemoryPlan::Buffer& b : plan.buffers) {
      if (b.first <= step && step <= b.last) live += b.bytes;
    }
    plan.live_peak_bytes = std::max<uint32_t>(plan.live_peak_bytes, static_cast<uint32_t>(live));
  }

  for (TensorPlacement& tp : plan.tensors) {
    if (tp.in_arena) tp.offset = plan.buffers[static_cast<std::size_t>(tp.buffer)].offset;
  }
  return plan;
}

CompiledModel compile_graph(Graph graph, const std::string& id) {
  CompiledModel m;
  m.id = id;
  m.graph = std::move(graph);
  m.layers = lower_graph(m.graph);
  for (Layer& l : m.layers) {
    l.bind_pointers();
    m.macs += l.macs;
    m.weight_bytes += l.constant_bytes();
  }
  m.plan = plan_memory(m.graph, m.layers);
  return m;
}

CompiledModel compile_file(const std::string& path, const std::string& id) {
  return compile_graph(read_tflite_file(path), id);
}

}  // namespace tp::compiler
