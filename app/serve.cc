// `serve`: multi-model serving with deadlines on the kernel (app/serve.h).
//
// A run: the coordinator (the firmware's inference thread, priority 3, which
// runs every long command) sets the tasks' priorities and deadlines for the
// policy, starts one kernel timer per periodic task with its phase from a
// common origin T0, and waits for the end-of-run timer. Each timer's
// callback (interrupt context) puts the nominal release time into its
// task's queue; the task thread (priority 4..31) takes it, loads its input,
// runs its model on its own arena, checks the output against the golden
// one, logs the job and releases the tasks it triggers. At the end the
// timers stop, nothing more is released, the jobs already released finish
// (the coordinator, below every task, runs only when none is ready), and the
// coordinator prints the figures. Every time is the kernel's clock
// (microseconds; under QEMU -icount shift=0, 1000 instructions each).
//
// Policies: fp: each task at its own priority (preemptive); edf: every task
// at one priority with its relative deadline (the kernel orders equal
// priorities by absolute deadline, which it sets to the wake-up time plus the
// relative deadline: the release); rtc: every task at one priority without a
// deadline (FIFO among equals, so a release never preempts: a bare-metal
// loop's run to completion).
//
// The native board (TP_SERVE_HOST): the rest of its protocol keeps the bare
// loop; `serve run` brings the kernel's host port up for the span of the run
// (every kernel thread a host thread, one running at a time, a virtual clock
// the idle thread advances to the next event) and takes it down again before
// reporting. Computing takes virtual time at the engine's layer boundaries:
// the running task charges each finished layer's cost to the clock
// (host::advance), during which the releases due run at their own times and
// may preempt it; the cost is the layer's MACs at a fixed rate
// (deterministic, the default) or the host thread's measured CPU time of the
// layer (`serve clock`; see the native part below).
#include "serve.h"

#include <cstdint>
#include <cstring>

#if defined(TP_SERVE_HOST)
#include <time.h>

#include <new>

#include "host.h"
#else
#include "cortex_m_kernel.h"
#endif
#include "tinyperf/benchmarks/benchmark.h"
#include "tinyperf/kernel/arch.h"
#include "tinyperf/kernel/kernel.h"
#include "tinyperf/models/registry.h"

namespace tp::app::serve {
namespace {

namespace k = tp::kernel;

constexpr std::size_t kMaxTasks = 4;
// Job log: release, start and end of every job of a run (16 bytes each).
constexpr std::size_t kMaxJobs = 2048;
// Releases a task may have waiting (beyond that a release is dropped and
// counted as a miss).
constexpr std::size_t kBacklog = 8;
constexpr int kBasePriority = 3;  // the coordinator's; tasks are above it
constexpr int kMaxTaskPriority = k::kMaxPriority - kBasePriority;  // 28
constexpr std::size_t kStackBytes = 4096;

// The arenas of all tasks of a scenario come from this pool: three times
// the largest arena of the image unless the build says otherwise
// (-DTP_SERVE_POOL_BYTES=...). Concurrent tasks cannot share an arena.
#if defined(TP_SERVE_POOL_BYTES)
constexpr std::size_t kPoolBytes = TP_SERVE_POOL_BYTES;
#else
constexpr std::size_t kPoolBytes = 3 * tp::models::kMaxArenaBytes;
#endif
alignas(tp::engine::kArenaAlignment) uint8_t g_pool[kPoolBytes];

enum class Policy : uint8_t { kFp, kEdf, kRtc };
const char* policy_name(Policy p) { return p == Policy::kFp ? "fp" : p == Policy::kEdf ? "edf" : "rtc"; }

constexpr uint32_t kNone = 0xFFFFFFFFu;

struct Task {
  char name[16];
  const bench::Benchmark* bench;
  const bench::GoldenPair* pair;
  uint32_t period_us;
  uint32_t phase_us;
  uint32_t deadline_us;
  uint8_t priority;       // 1..28 (fp)
  int8_t trigger;         // index of the releasing task, or -1 (periodic)
  int16_t trigger_class;  // top-1 class that releases, -1: any result
  uint32_t arena_offset;
  // Per run.
  uint32_t releases, completions, misses, wrong, dropped;
  uint32_t resp_min, resp_max;
  uint64_t resp_sum;
  uint32_t late_max;  // the release's interrupt after its nominal time (us)
};

struct Job {
  uint32_t release, start, end;  // us from T0 (release: the chain's first release)
  uint8_t task;
  uint8_t ok;
  uint16_t pad;
};

void task_main(void* arg);
void release_timer(k::Timer& t, void* arg);
void end_timer(k::Timer& t, void* arg);

const board::Board* g_board = nullptr;
bench::SelftestPairs g_pairs{nullptr, 0};
Task g_tasks[kMaxTasks];
std::size_t g_task_count = 0;
Policy g_policy = Policy::kFp;
uint32_t g_pool_used = 0;

k::StaticThread<kStackBytes> g_t0("serve0", kBasePriority + 1, task_main, reinterpret_cast<void*>(0));
k::StaticThread<kStackBytes> g_t1("serve1", kBasePriority + 1, task_main, reinterpret_cast<void*>(1));
k::StaticThread<kStackBytes> g_t2("serve2", kBasePriority + 1, task_main, reinterpret_cast<void*>(2));
k::StaticThread<kStackBytes> g_t3("serve3", kBasePriority + 1, task_main, reinterpret_cast<void*>(3));
k::Thread* const g_threads[kMaxTasks] = {&g_t0, &g_t1, &g_t2, &g_t3};
k::StaticQueue<uint32_t, kBacklog> g_queues[kMaxTasks];
k::Timer g_timers[kMaxTasks] = {{release_timer, reinterpret_cast<void*>(0)},
                                {release_timer, reinterpret_cast<void*>(1)},
                                {release_timer, reinterpret_cast<void*>(2)},
                                {release_timer, reinterpret_cast<void*>(3)}};
k::Timer g_end(end_timer, nullptr);
k::Semaphore g_end_sem(0, 1);
bool g_started = false;

// Run state.
k::Micros g_t0_us = 0;
uint32_t g_duration_us = 0;
volatile bool g_in_span = false;
uint32_t g_next_release[kMaxTasks];  // nominal release (us from T0) of each timer's next firing
k::Micros g_idle_since = 0;
uint64_t g_idle_us = 0;
Job g_jobs[kMaxJobs];
std::size_t g_job_count = 0;
uint32_t g_jobs_lost = 0;

#if defined(TP_SERVE_HOST)
// ---- native: the clock computing is charged on ---------------------------------
// macs: a layer costs its multiply-accumulates at kPsPerMacDefault picoseconds
// each (1.25 ns: the M4's instructions per MAC over the models, 1.03 (ic01) to
// 1.35 (vww01), at QEMU's 1 instruction per ns, so that the scenarios sized
// for the M4 load the native board about as much); layers without MACs
// (pooling, softmax, reshape, add) and the job's input load and output check
// take no time. Deterministic: the same figures on every run and every host.
// m4: the Cortex-M4's measured instructions of the layer at 1 ns each (as
// under QEMU -icount shift=0), from a table measured on qemu_mps2_an386
// (boards/native/m4_layer_instructions.json, compiled in by
// boards/native/serve_m4.cmake): deterministic, a snapshot of the M4's
// kernels when it was written; a model whose layers do not match it is
// refused at `serve run`.
// cpu: the host thread's CPU time of each layer (CLOCK_THREAD_CPUTIME_ID):
// what this host takes, not deterministic. Under all three, the kernel's own
// work (switches, timer interrupts) takes no virtual time.
enum class HostClock : uint8_t { kMacs, kM4, kCpu };
constexpr uint32_t kPsPerMacDefault = 1250;
HostClock g_host_clock = HostClock::kMacs;
uint32_t g_ps_per_mac = kPsPerMacDefault;
uint64_t g_carry[kMaxTasks];  // below one microsecond, carried to the task's next layer (ps or ns)
uint64_t g_mark_ns[kMaxTasks];
const uint32_t* g_m4_instr[kMaxTasks];  // clock m4: each task's model's row of the table
}  // namespace

struct M4LayerCosts {  // boards/native/serve_m4.cmake's table
  const char* model;
  uint32_t layers;
  const uint32_t* instructions;
  const char* const* ops;
};
extern const M4LayerCosts kM4LayerCosts[];
extern const std::size_t kM4LayerCostCount;
extern const char* const kM4LayerRevision;

namespace {

uint64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

// The engine's per-layer observer: called before layer `layer` and once
// after the last one; charges the layer just finished (the preemption point:
// a release due meanwhile runs at its time and may switch to its task here).
void host_probe(void* ctx, uint32_t layer) {
  const std::size_t i = reinterpret_cast<std::size_t>(ctx);
  if (g_host_clock == HostClock::kMacs) {
    if (layer == 0) return;
    const uint64_t ps = g_tasks[i].bench->model->layer_macs[layer - 1] * g_ps_per_mac + g_carry[i];
    g_carry[i] = ps % 1000000u;
    if (ps >= 1000000u) k::host::advance(ps / 1000000u);
    return;
  }
  if (g_host_clock == HostClock::kM4) {
    if (layer == 0) return;
    const uint64_t ns = g_m4_instr[i][layer - 1] + g_carry[i];
    g_carry[i] = ns % 1000u;
    if (ns >= 1000u) k::host::advance(ns / 1000u);
    return;
  }
  if (layer > 0) {
    const uint64_t ns = thread_cpu_ns() - g_mark_ns[i] + g_carry[i];
    g_carry[i] = ns % 1000u;
    if (ns >= 1000u) k::host::advance(ns / 1000u);
  }
  g_mark_ns[i] = thread_cpu_ns();  // after advance(): waiting preempted is not the layer's time
}

const engine::LayerProbe g_probes[kMaxTasks] = {{host_probe, reinterpret_cast<void*>(0)},
                                                {host_probe, reinterpret_cast<void*>(1)},
                                                {host_probe, reinterpret_cast<void*>(2)},
                                                {host_probe, reinterpret_cast<void*>(3)}};
const engine::LayerProbe* job_probe(std::size_t i) { return &g_probes[i]; }
uint32_t switch_count() { return static_cast<uint32_t>(k::host::switches()); }

const char* host_clock_name() {
  return g_host_clock == HostClock::kMacs ? "macs" : g_host_clock == HostClock::kM4 ? "m4" : "cpu";
}

void show_clock(Writer& out) {
  out.str("m-serve-clock-[clock=").str(host_clock_name());
  if (g_host_clock == HostClock::kMacs) out.str(",ps_per_mac=").u64(g_ps_per_mac);
  if (g_host_clock == HostClock::kM4) out.str(",measured_at=").str(kM4LayerRevision);
  out.str("]").endl();
}

// Clock m4: each task's row of the table, its layers matching the model's
// (count and operators); false (and one e- line) when a model has none.
bool m4_rows(Writer& out) {
  for (std::size_t i = 0; i < g_task_count; ++i) {
    const engine::ModelDesc& m = *g_tasks[i].bench->model;
    g_m4_instr[i] = nullptr;
    for (std::size_t r = 0; r < kM4LayerCostCount && !g_m4_instr[i]; ++r) {
      const M4LayerCosts& c = kM4LayerCosts[r];
      if (std::strcmp(c.model, m.id) != 0 || c.layers != m.layer_count) continue;
      bool same = true;
      for (uint32_t l = 0; l < m.layer_count && same; ++l) same = std::strcmp(c.ops[l], m.layer_names[l]) == 0;
      if (same) g_m4_instr[i] = c.instructions;
    }
    if (!g_m4_instr[i]) {
      out.str("e-[serve: clock m4: no M4 instruction counts for ").str(m.id).str("'s ").u64(m.layer_count)
          .str(" layers (boards/native/m4_layer_instructions.json, measured at ").str(kM4LayerRevision)
          .str(": run boards/native/m4_layer_table.py)]").endl();
      return false;
    }
  }
  return true;
}
#else
const engine::LayerProbe* job_probe(std::size_t) { return nullptr; }
uint32_t switch_count() { return k::cortex_m::switch_count(); }
#endif

// With interrupts masked: the log and a task's miss count are written by
// its thread, by the threads that preempt it and by the release interrupt.
void log_job(const Job& j) {
  if (g_job_count < kMaxJobs) {
    g_jobs[g_job_count++] = j;
  } else {
    ++g_jobs_lost;
  }
}

uint32_t since_t0() { return static_cast<uint32_t>(k::now() - g_t0_us); }

// Interrupt context (the alarm's), or a task thread (a trigger): queue one
// release of task i. Counts the time the CPU was idle up to here.
void release(std::size_t i, uint32_t at) {
  Task& t = g_tasks[i];
  if (k::current() == &k::idle_thread()) {  // (a second release in the same interrupt adds nothing)
    const k::Micros now = k::now();
    g_idle_us += now - g_idle_since;
    g_idle_since = now;
  }
  ++t.releases;
  if (g_queues[i].put(at, k::kNoWait) != k::Status::kOk) {
    const uint32_t key = k::arch::irq_lock();  // a trigger's release runs in a thread
    ++t.dropped;
    ++t.misses;
    log_job({at, kNone, kNone, static_cast<uint8_t>(i), 0, 0});
    k::arch::irq_unlock(key);
  }
}

void release_timer(k::Timer&, void* arg) {
  const std::size_t i = reinterpret_cast<std::size_t>(arg);
  const uint32_t at = g_next_release[i];
  if (!g_in_span || at >= g_duration_us) return;  // the span is [T0, T0 + duration)
  g_next_release[i] += g_tasks[i].period_us;
  const uint64_t late = k::now() - (g_t0_us + at);
  if (late > g_tasks[i].late_max) g_tasks[i].late_max = static_cast<uint32_t>(late);
  release(i, at);
}

void end_timer(k::Timer&, void*) {
  g_in_span = false;
  for (k::Timer& t : g_timers) t.stop();
  if (k::current() == &k::idle_thread()) g_idle_us += k::now() - g_idle_since;
  g_idle_since = k::now();
  g_end_sem.give();
}

int top1(const int8_t* out, uint32_t n) {
  int best = 0;
  for (uint32_t j = 1; j < n; ++j) {
    if (out[j] > out[best]) best = static_cast<int>(j);
  }
  return best;
}

void task_main(void* arg) {
  const std::size_t i = reinterpret_cast<std::size_t>(arg);
  for (;;) {
    uint32_t rel;
    if (g_queues[i].get(rel, k::kNoWait) != k::Status::kOk) {
      if (g_in_span) g_idle_since = k::now();  // the CPU goes idle unless another task is ready
      g_queues[i].get(rel);
    } else if (g_policy == Policy::kEdf) {
      // A release that waited behind this task's previous job: its
      // absolute deadline is its release plus the relative deadline.
      const uint64_t abs = static_cast<uint64_t>(rel) + g_tasks[i].deadline_us;
      const uint64_t now = k::now() - g_t0_us;
      k::set_deadline(abs > now ? abs - now : 1);
    }
    Task& t = g_tasks[i];
    const engine::ModelDesc& m = *t.bench->model;
    uint8_t* arena = g_pool + t.arena_offset;
    const uint32_t start = since_t0();
    t.bench->load_input(t.pair->input, reinterpret_cast<int8_t*>(arena + m.input.offset));
    m.run(arena, job_probe(i));  // native: the layers' time (above); Cortex-M: none
    const uint32_t end = since_t0();
    const int8_t* out = reinterpret_cast<const int8_t*>(arena + m.output.offset);
    const bool ok = std::memcmp(out, t.pair->output, t.pair->output_bytes) == 0;
    const uint32_t resp = end - rel;
    const uint32_t key = k::arch::irq_lock();
    ++t.completions;
    if (!ok) ++t.wrong;
    if (resp > t.deadline_us) ++t.misses;
    if (resp < t.resp_min) t.resp_min = resp;
    if (resp > t.resp_max) t.resp_max = resp;
    t.resp_sum += resp;
    log_job({rel, start, end, static_cast<uint8_t>(i), static_cast<uint8_t>(ok), 0});
    k::arch::irq_unlock(key);
    // The tasks this result releases (pipelines): the end-to-end deadline
    // counts from the chain's first release.
    if (g_in_span) {
      const int cls = top1(out, m.output.bytes);
      for (std::size_t j = 0; j < g_task_count; ++j) {
        const Task& d = g_tasks[j];
        if (d.trigger != static_cast<int>(i) || (d.trigger_class >= 0 && d.trigger_class != cls)) continue;
        if (g_policy == Policy::kEdf) {
          // Woken now, its absolute deadline must still be the chain's
          // release plus its end-to-end deadline (read at the wake-up; a
          // job of it under way resets it when it ends).
          const uint64_t abs = static_cast<uint64_t>(rel) + d.deadline_us;
          const uint64_t now = k::now() - g_t0_us;
          g_threads[j]->rel_deadline_ = abs > now ? abs - now : 1;
        }
        release(j, rel);
      }
    }
    if (g_policy == Policy::kRtc && g_queues[i].size() != 0) {
      // Run to completion is a loop over the tasks: with a release already
      // waiting, this task goes behind the others that are ready (FIFO).
      k::yield();
    }
    if (g_policy == Policy::kEdf) {
      // The next wake-up (a new release) sets the absolute deadline from this.
      g_threads[i]->rel_deadline_ = t.deadline_us;
    }
    if (g_board->watchdog) g_board->watchdog->feed();  // between inferences, as everywhere
  }
}

// ---- command parsing ----------------------------------------------------------

bool tok_is(const char* tok, std::size_t len, const char* s) {
  return std::strlen(s) == len && std::memcmp(tok, s, len) == 0;
}

// Splits "a,b,c" into fields (pointers into the token).
struct Fields {
  const char* p[8];
  std::size_t n[8];
  std::size_t count = 0;
};
bool split(const char* s, std::size_t len, Fields& f) {
  std::size_t start = 0;
  for (std::size_t i = 0; i <= len; ++i) {
    if (i == len || s[i] == ',') {
      if (f.count == 8) return false;
      f.p[f.count] = s + start;
      f.n[f.count] = i - start;
      ++f.count;
      start = i + 1;
    }
  }
  return true;
}

bool parse_u32(const char* s, std::size_t n, uint32_t& v) {
  if (n == 0 || n > 10) return false;
  uint64_t x = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    x = x * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  if (x > UINT32_MAX) return false;
  v = static_cast<uint32_t>(x);
  return true;
}

uint32_t align_up(uint32_t v) {
  const uint32_t a = tp::engine::kArenaAlignment;
  return (v + a - 1) / a * a;
}

void show(Writer& out) {
  for (std::size_t i = 0; i < g_task_count; ++i) {
    const Task& t = g_tasks[i];
    out.str("m-serve-taskdef-[").u64(i).chr(',').str(t.name).chr(',').str(t.bench->id).chr(',')
        .u64(t.period_us).chr(',').u64(t.phase_us).chr(',').u64(t.deadline_us).chr(',')
        .u64(t.priority).chr(',');
    if (t.trigger < 0) {
      out.chr('-');
    } else {
      out.u64(static_cast<uint64_t>(t.trigger));
    }
    out.chr(',');
    if (t.trigger_class < 0) {
      out.chr('-');
    } else {
      out.u64(static_cast<uint64_t>(t.trigger_class));
    }
    out.chr(',').u64(t.bench->model->arena_bytes).str("]").endl();
  }
  out.str("m-serve-ram-[tasks=").u64(g_task_count).str(",arenas=").u64(g_pool_used)
      .str(",pool=").u64(kPoolBytes).str(",stacks=").u64(g_task_count * kStackBytes)
      .str(",policy=").str(policy_name(g_policy)).str("]").endl();
#if defined(TP_SERVE_HOST)
  show_clock(out);
#endif
}

void cmd_task(Writer& out, const char* s, std::size_t len) {
  Fields f;
  if (!split(s, len, f) || f.count != 8) {
    out.error("serve: task takes name,model,period_us,phase_us,deadline_us,priority,trigger,class");
    return;
  }
  if (g_task_count == kMaxTasks) {
    out.str("e-[serve: at most ").u64(kMaxTasks).str(" tasks]").endl();
    return;
  }
  Task t{};
  if (f.n[0] == 0 || f.n[0] >= sizeof t.name) {
    out.error("serve: task name: 1 to 15 characters");
    return;
  }
  std::memcpy(t.name, f.p[0], f.n[0]);
  char model[16] = {};
  if (f.n[1] >= sizeof model) {
    out.error("serve: unknown model");
    return;
  }
  std::memcpy(model, f.p[1], f.n[1]);
  t.bench = bench::find(model);
  if (!t.bench) {
    out.str("e-[serve: unknown model ").str(model).str("]").endl();
    return;
  }
  for (std::size_t p = 0; p < g_pairs.count && !t.pair; ++p) {
    if (std::strcmp(g_pairs.pairs[p].model_id, model) == 0) t.pair = &g_pairs.pairs[p];
  }
  if (!t.pair || t.pair->output_bytes != t.bench->model->output.bytes) {
    out.str("e-[serve: no golden pair for ").str(model).str(" in this image (built with -DTP_SELFTEST=OFF?)]").endl();
    return;
  }
  uint32_t prio = 0;
  if (!parse_u32(f.p[2], f.n[2], t.period_us) || !parse_u32(f.p[3], f.n[3], t.phase_us) ||
      !parse_u32(f.p[4], f.n[4], t.deadline_us) || !parse_u32(f.p[5], f.n[5], prio)) {
    out.error("serve: task: period, phase, deadline and priority are unsigned integers (us)");
    return;
  }
  if (t.deadline_us == 0) {
    out.error("serve: task: the deadline must be above 0");
    return;
  }
  if (prio < 1 || prio > static_cast<uint32_t>(kMaxTaskPriority)) {
    out.str("e-[serve: task: priority 1..").u64(kMaxTaskPriority).str("]").endl();
    return;
  }
  t.priority = static_cast<uint8_t>(prio);
  t.trigger = -1;
  t.trigger_class = -1;
  if (!tok_is(f.p[6], f.n[6], "-")) {
    uint32_t trig = 0;
    if (!parse_u32(f.p[6], f.n[6], trig) || trig >= g_task_count) {
      out.error("serve: task: trigger must be an earlier task's index or -");
      return;
    }
    t.trigger = static_cast<int8_t>(trig);
    if (!tok_is(f.p[7], f.n[7], "-")) {
      uint32_t cls = 0;
      if (!parse_u32(f.p[7], f.n[7], cls) || cls >= g_tasks[trig].bench->model->output.bytes) {
        out.error("serve: task: class must be an output index of the trigger's model or -");
        return;
      }
      t.trigger_class = static_cast<int16_t>(cls);
    }
    if (t.period_us != 0) {
      out.error("serve: task: a triggered task has period 0");
      return;
    }
  } else if (t.period_us == 0) {
    out.error("serve: task: a periodic task needs a period above 0 (or a trigger)");
    return;
  }
  const uint32_t need = t.bench->model->arena_bytes;
  const uint32_t offset = align_up(g_pool_used);
  if (static_cast<uint64_t>(offset) + need > kPoolBytes) {
    out.str("e-[serve: task ").str(t.name).str(" (").str(model).str(") needs ").u64(need)
        .str(" bytes of arena; the scenario would need ").u64(static_cast<uint64_t>(offset) + need)
        .str(" bytes, the pool holds ").u64(kPoolBytes).str("; not added]").endl();
    return;
  }
  t.arena_offset = offset;
  g_pool_used = offset + need;
  g_tasks[g_task_count++] = t;
  show(out);
}

void run(Writer& out, uint32_t duration_us, bool print_jobs) {
  if (g_task_count == 0) {
    out.error("serve: run: no tasks (serve task ...)");
    return;
  }
  // Set-up, before any release: priorities and deadlines for the policy.
  for (std::size_t i = 0; i < g_task_count; ++i) {
    Task& t = g_tasks[i];
    const int prio = g_policy == Policy::kFp ? kBasePriority + t.priority : kBasePriority + 1;
    k::set_priority(*g_threads[i], prio);
    // The threads are blocked on their queues (no ready list holds them):
    // the next wake-up sets the absolute deadline from the relative one
    // (EDF), or none is left over from an earlier run (fp, rtc: FIFO).
    g_threads[i]->rel_deadline_ = g_policy == Policy::kEdf ? t.deadline_us : 0;
    g_threads[i]->abs_deadline_ = k::kForever;
    t.releases = t.completions = t.misses = t.wrong = t.dropped = 0;
    t.resp_min = kNone;
    t.resp_max = 0;
    t.resp_sum = 0;
    t.late_max = 0;
    uint32_t drain;
    while (g_queues[i].get(drain, k::kNoWait) == k::Status::kOk) {
    }
  }
  if (!g_started) {  // each thread blocks on its empty queue at once (they are above us)
    for (std::size_t i = 0; i < kMaxTasks; ++i) k::start_thread(*g_threads[i]);
    g_started = true;
  }
  g_job_count = 0;
  g_jobs_lost = 0;
  g_idle_us = 0;
  g_duration_us = duration_us;
  const uint32_t switches0 = switch_count();
  // T0: 1 ms from now, time enough to arm every timer.
  g_t0_us = k::now() + 1000;
  g_idle_since = g_t0_us;
  g_in_span = true;
  for (std::size_t i = 0; i < g_task_count; ++i) {
    const Task& t = g_tasks[i];
    if (t.trigger >= 0) continue;
    g_next_release[i] = t.phase_us;
    g_timers[i].start(g_t0_us + t.phase_us - k::now(), t.period_us);
  }
  g_end.start(g_t0_us + duration_us - k::now());
  g_end_sem.take();  // then every task is idle again: we are below them all
  const uint32_t switches = switch_count() - switches0;
  const uint32_t finished = since_t0();

  if (print_jobs) {
    for (std::size_t j = 0; j < g_job_count; ++j) {
      const Job& b = g_jobs[j];
      out.str("m-serve-job-[").u64(b.task).chr(',').u64(b.release).chr(',');
      if (b.start == kNone) {
        out.str("-,-,dropped]").endl();
        continue;
      }
      out.u64(b.start).chr(',').u64(b.end).chr(',').str(b.ok ? "ok" : "WRONG").str("]").endl();
    }
  }
  std::size_t stacks = 0;
  uint32_t wrong = 0;
  for (std::size_t i = 0; i < g_task_count; ++i) {
    const Task& t = g_tasks[i];
    stacks += g_threads[i]->stack_used();
    wrong += t.wrong;
    out.str("m-serve-task-[").str(t.name).chr(',').str(t.bench->id).str(",releases=").u64(t.releases)
        .str(",completions=").u64(t.completions).str(",misses=").u64(t.misses).str(",dropped=")
        .u64(t.dropped).str(",wrong=").u64(t.wrong).str(",resp_min=")
        .u64(t.completions ? t.resp_min : 0).str(",resp_max=").u64(t.resp_max).str(",resp_mean=")
        .u64(t.completions ? t.resp_sum / t.completions : 0).str(",release_late_max=").u64(t.late_max)
        .str("]").endl();
  }
  const uint64_t idle = g_idle_us > duration_us ? duration_us : g_idle_us;
  out.str("m-serve-run-[policy=").str(policy_name(g_policy)).str(",duration=").u64(duration_us)
      .str(",busy=").u64(duration_us - idle).str(",idle=").u64(idle).str(",switches=").u64(switches)
      .str(",finished=").u64(finished).str(",arenas=").u64(g_pool_used).str(",stacks_used=").u64(stacks)
      .str(",stacks=").u64(g_task_count * kStackBytes).str(",jobs=").u64(g_job_count)
      .str(",jobs_lost=").u64(g_jobs_lost).str("]").endl();
  if (wrong) {
    out.str("e-[serve: ").u64(wrong).str(" results differ from the expected output]").endl();
  }
}

#if defined(TP_SERVE_HOST)
// ---- native: one kernel session per run -----------------------------------------
// `serve run` starts the host port's kernel with one thread, the coordinator
// (priority 3, as the Cortex-M images' inference thread that runs it there),
// which runs run() below exactly as on the DUT: it starts the task threads,
// arms the timers, waits for the end and reports. The host port's start()
// returns when every thread waits with nothing left that could wake one:
// the coordinator has ended, the task threads wait on their empty queues
// and no timer runs; the port then ends their host threads. Their kernel
// objects are left as the ended session had them (threads waiting, queues
// listing them): each run starts from freshly constructed ones (in place:
// no heap).
k::StaticThread<kStackBytes> g_coordinator("serve", kBasePriority, nullptr);
struct HostRun {
  Writer* out;
  uint32_t duration_us;
  bool print_jobs;
};
HostRun g_host_run{};

void coordinator_main(void*) { run(*g_host_run.out, g_host_run.duration_us, g_host_run.print_jobs); }

void host_session() {
  k::host::reset();  // virtual clock at 0, no interrupts scheduled, switch count 0
  k::init(k::host::virtual_clock());
  new (&g_t0) k::StaticThread<kStackBytes>("serve0", kBasePriority + 1, task_main, reinterpret_cast<void*>(0));
  new (&g_t1) k::StaticThread<kStackBytes>("serve1", kBasePriority + 1, task_main, reinterpret_cast<void*>(1));
  new (&g_t2) k::StaticThread<kStackBytes>("serve2", kBasePriority + 1, task_main, reinterpret_cast<void*>(2));
  new (&g_t3) k::StaticThread<kStackBytes>("serve3", kBasePriority + 1, task_main, reinterpret_cast<void*>(3));
  new (&g_coordinator) k::StaticThread<kStackBytes>("serve", kBasePriority, coordinator_main);
  for (std::size_t i = 0; i < kMaxTasks; ++i) {
    new (&g_queues[i]) k::StaticQueue<uint32_t, kBacklog>();
    new (&g_timers[i]) k::Timer(release_timer, reinterpret_cast<void*>(i));
    g_carry[i] = 0;
    g_mark_ns[i] = 0;
  }
  new (&g_end) k::Timer(end_timer, nullptr);
  new (&g_end_sem) k::Semaphore(0, 1);
  g_started = false;  // run() starts the task threads again
}

// `serve run` on native: run() on a fresh kernel; returns when it is over.
void host_run(Writer& out, uint32_t duration_us, bool print_jobs) {
  if (g_host_clock == HostClock::kM4 && g_task_count != 0 && !m4_rows(out)) return;
  host_session();
  g_host_run = {&out, duration_us, print_jobs};
  k::start_thread(g_coordinator);
  k::start();
}
#endif

#if defined(TP_SERVE_HOST)
// `serve clock macs [ps per MAC]` (deterministic; default 1250 ps),
// `serve clock m4` (the M4's measured instructions per layer) or `serve clock
// cpu` (the host's measured CPU time): native only.
void host_clock_command(Writer& out, const char* const* tok, const std::size_t* len, std::size_t count) {
  if (tok_is(tok[2], len[2], "cpu") && count == 3) {
    g_host_clock = HostClock::kCpu;
  } else if (tok_is(tok[2], len[2], "m4") && count == 3) {
    g_host_clock = HostClock::kM4;
  } else if (tok_is(tok[2], len[2], "macs")) {
    uint32_t ps = kPsPerMacDefault;
    if (count == 4 && (!parse_u32(tok[3], len[3], ps) || ps == 0 || ps > 1000000u)) {
      out.error("serve: clock macs [ps]: picoseconds per MAC, 1 .. 1000000");
      return;
    }
    g_host_clock = HostClock::kMacs;
    g_ps_per_mac = ps;
  } else {
    out.error("serve: clock macs [ps per MAC] | m4 | cpu");
    return;
  }
  show(out);
}
#endif

}  // namespace

void init(const board::Board& board, bench::SelftestPairs pairs) {
  g_board = &board;
  g_pairs = pairs;
}

void command(Writer& out, const char* const* tok, const std::size_t* len, std::size_t count) {
  if (count >= 2 && tok_is(tok[1], len[1], "clear") && count == 2) {
    g_task_count = 0;
    g_pool_used = 0;
    show(out);
    return;
  }
#if defined(TP_SERVE_HOST)
  if ((count == 3 || count == 4) && tok_is(tok[1], len[1], "clock")) {  // native: serve clock macs [ps]|cpu
    host_clock_command(out, tok, len, count);
    return;
  }
#endif
  if (count == 3 && tok_is(tok[1], len[1], "task")) {
    cmd_task(out, tok[2], len[2]);
    return;
  }
  if (count == 3 && tok_is(tok[1], len[1], "policy")) {
    if (tok_is(tok[2], len[2], "fp")) {
      g_policy = Policy::kFp;
    } else if (tok_is(tok[2], len[2], "edf")) {
      g_policy = Policy::kEdf;
    } else if (tok_is(tok[2], len[2], "rtc")) {
      g_policy = Policy::kRtc;
    } else {
      out.error("serve: policy fp, edf or rtc");
      return;
    }
    show(out);
    return;
  }
  if (count == 2 && tok_is(tok[1], len[1], "show")) {
    show(out);
    return;
  }
  if ((count == 3 || count == 4) && tok_is(tok[1], len[1], "run")) {
    uint32_t us = 0;
    if (!parse_u32(tok[2], len[2], us) || us == 0 || us > 600000000u) {
      out.error("serve: run <us>: 1 .. 600000000 microseconds of DUT time");
      return;
    }
    if (count == 4 && !tok_is(tok[3], len[3], "jobs")) {
      out.error("serve: run <us> [jobs]");
      return;
    }
#if defined(TP_SERVE_HOST)
    host_run(out, us, count == 4);  // native: on the host port's kernel, for this run
#else
    run(out, us, count == 4);
#endif
    return;
  }
  out.error("serve: clear | task <spec> | policy fp|edf|rtc | show | run <us> [jobs]");
}

}  // namespace tp::app::serve
