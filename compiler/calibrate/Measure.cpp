//===- Measure.cpp - the timing harness and the measurements --------------===//
//
// rates() times a kernel the way every figure is taken (n grown until a run
// is long enough, then repeated); measure() takes them all: peak FLOP/s on
// one core and all, STREAM, triad in each cache level, the op classes
// (OpClassFit.cpp) and the per-layer overhead, and states its method in the
// profile's comments.
//
//===----------------------------------------------------------------------===//
#include "calibrate/CalibrateImpl.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <thread>

#include <unistd.h>

namespace netc::calibrate {

Stat summarize(std::vector<double> s) {
  Stat r;
  if (s.empty())
    return r;
  std::sort(s.begin(), s.end());
  r.min = s.front();
  r.max = s.back();
  size_t n = s.size();
  r.median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return r;
}

// ---- the timing harness -----------------------------------------------------

namespace detail {

double now() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

std::atomic<double> gSink{0};

Progress::Progress(int total) : total(total), tty(isatty(STDERR_FILENO)) {}

void Progress::step(const std::string &what) {
  ++done;
  std::string line = fmt::format("calibrate [{}/{}] {:.0f}s: {}", done, total, now() - start,
                                 what);
  if (tty)
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
  else
    std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

void Progress::note(const std::string &what) {
  if (!tty)
    return;
  std::string line = fmt::format("calibrate [{}/{}] {:.0f}s: {}", done, total, now() - start,
                                 what);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

void Progress::finish() {
  std::string line = fmt::format("calibrate: done in {:.1f}s", now() - start);
  std::fprintf(stderr, tty ? "\r\033[K%s\n" : "%s\n", line.c_str());
}

std::vector<double> rates(const Plan &p, const std::function<double(int64_t)> &run,
                          int64_t *fixedN) {
  // Grow n until a run takes minSeconds; on a busy machine one run can be
  // slowed by a descheduled thread, so n also follows the best speed seen.
  int64_t n = 1;
  double bestPerSecond = 0;
  for (; !(fixedN && *fixedN > 0);) {
    double t0 = now();
    run(n);
    double dt = now() - t0;
    if (dt > 0)
      bestPerSecond = std::max(bestPerSecond, static_cast<double>(n) / dt);
    if (dt >= p.minSeconds || n > (int64_t(1) << 40))
      break;
    n = dt > p.minSeconds / 64 ? static_cast<int64_t>(n * 1.2 * p.minSeconds / dt) + 1 : n * 8;
  }
  n = std::max(n, static_cast<int64_t>(bestPerSecond * p.minSeconds));
  if (fixedN && *fixedN > 0)
    n = *fixedN;
  if (fixedN)
    *fixedN = n;
  std::vector<double> out;
  for (int r = 0; r < p.repeats; ++r) {
    double t0 = now();
    double work = run(n);
    double dt = now() - t0;
    out.push_back(dt > 0 ? work / dt : 0);
  }
  return out;
}

std::vector<float> filled(size_t n, float seed) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = seed + static_cast<float>(i % 17) * 0.01f;
  return v;
}

} // namespace detail

// ---- the measurements -------------------------------------------------------

using namespace detail;

namespace {

/// Runs fn(t) on `threads` threads at once and waits for all.
void onThreads(unsigned threads, const std::function<void(unsigned)> &fn) {
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(fn, t);
  fn(0);
  for (std::thread &th : pool)
    th.join();
}

std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0 || line.rfind("Model", 0) == 0) {
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string m = line.substr(colon + 1);
        m.erase(0, m.find_first_not_of(' '));
        return m;
      }
    }
  return "unknown CPU";
}

long sysconfOr(int name, long fallback) {
  long v = sysconf(name);
  return v > 0 ? v : fallback;
}

std::string statText(const Stat &s, double scale, const char *unit) {
  return fmt::format("{:.2f} / {:.2f} / {:.2f} {}", s.min / scale, s.median / scale,
                     s.max / scale, unit);
}

} // namespace

ProfileData measure(const CalibrateOptions &opts) {
  const KernelSet &k = kernels();
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const Plan plan = opts.quick ? Plan{3, 0.02} : Plan{7, 0.2};
  Progress progress{opts.quick ? 16 : 23};
  ProfileData p;
  p.name = opts.name;
  std::vector<std::string> &c = p.comments;

  // Peak FLOP/s.
  int64_t peakN[2] = {0, 0}; // the one-core n of fp32, fp64, reused on all cores
  auto peak = [&](bool f64, unsigned nt) {
    return rates(plan, [&](int64_t n) {
      onThreads(nt, [&](unsigned) {
        gSink = gSink + (f64 ? k.fmaPeakF64(n) : k.fmaPeakF32(n));
      });
      return static_cast<double>(nt) *
             static_cast<double>(f64 ? k.fmaFlopsF64(n) : k.fmaFlopsF32(n));
    }, &peakN[f64]);
  };
  progress.step("peak fp32, one core");
  Stat f32one = summarize(peak(false, 1));
  progress.step(fmt::format("peak fp32, {} threads", threads));
  Stat f32all = summarize(peak(false, threads));
  progress.step("peak fp64, one core");
  Stat f64one = summarize(peak(true, 1));
  progress.step(fmt::format("peak fp64, {} threads", threads));
  Stat f64all = summarize(peak(true, threads));

  // STREAM over arrays far larger than the last-level cache.
  const double llc = static_cast<double>(sysconfOr(_SC_LEVEL3_CACHE_SIZE,
                                                   sysconfOr(_SC_LEVEL2_CACHE_SIZE, 8 << 20)));
  double arrayBytes = opts.quick ? 32.0 * (1 << 20)
                                 : std::clamp(4 * llc, 64.0 * (1 << 20), 512.0 * (1 << 20));
  const size_t n = static_cast<size_t>(arrayBytes / 8) / 64 * 64;
  std::unique_ptr<double[]> a(new double[n]), b(new double[n]), cc(new double[n]);
  onThreads(threads, [&](unsigned t) { // first touch by the thread that streams it
    size_t lo = n * t / threads, hi = n * (t + 1) / threads;
    for (size_t i = lo; i < hi; ++i)
      a[i] = 1, b[i] = 2, cc[i] = 0;
  });
  const char *streamNames[] = {"copy", "scale", "add", "triad"};
  Stat stream[4][2];
  Plan streamPlan{plan.repeats, 0}; // one pass is long enough
  for (int s = 0; s < 4; ++s)
    for (int all = 0; all < 2; ++all) {
      unsigned nt = all ? threads : 1;
      if (opts.quick && s != 3 && s != 0)
        continue;
      progress.step(fmt::format("STREAM {}, {}", streamNames[s],
                                all ? fmt::format("{} threads", nt) : "one core"));
      Stream kind = static_cast<Stream>(s);
      stream[s][all] = summarize(rates(streamPlan, [&](int64_t) {
        onThreads(nt, [&](unsigned t) {
          streamKernel(kind, a.get(), b.get(), cc.get(), n * t / nt, n * (t + 1) / nt);
        });
        return static_cast<double>(n) * streamBytesPerElement(kind);
      }));
    }
  gSink = gSink + a[n / 2] + cc[n / 3];

  // Triad at cache-resident sizes (one core).
  std::vector<std::pair<std::string, Stat>> cacheStats;
  if (!opts.quick) {
    std::pair<const char *, long> levels[] = {
        {"L1", sysconfOr(_SC_LEVEL1_DCACHE_SIZE, 32 << 10)},
        {"L2", sysconfOr(_SC_LEVEL2_CACHE_SIZE, 512 << 10)},
        {"L3", std::min(sysconfOr(_SC_LEVEL3_CACHE_SIZE, 8 << 20), 16L << 20)}};
    for (auto &[level, size] : levels) {
      progress.step(fmt::format("triad in {} ({} KiB of arrays)", level, size / 2 / 1024));
      size_t m = static_cast<size_t>(size / 2 / 24) / 64 * 64; // three arrays in half the cache
      std::vector<double> x(m, 1), y(m, 2), z(m, 0);
      cacheStats.emplace_back(level, summarize(rates(plan, [&](int64_t reps) {
                                for (int64_t r = 0; r < reps; ++r)
                                  streamKernel(Stream::Triad, x.data(), y.data(), z.data(), 0, m);
                                return static_cast<double>(reps) * m * 24;
                              })));
      gSink = gSink + x[m / 2];
    }
  }

  // Op classes, one core, on the best one-core peak and triad bandwidth.
  const double peak1 = f32one.max, bw1 = stream[3][0].max;
  std::vector<OpClassSample> ks = measureOpClasses(k, plan, progress, opts.quick);
  fitEfficiencies(ks, peak1, bw1, p.efficiency);

  // The fixed cost of a layer: allocate a small output, compute it, free it.
  progress.step("per-layer overhead");
  auto tiny = filled(64, -0.5f);
  Stat overhead = summarize(rates(plan, [&](int64_t reps) {
    for (int64_t r = 0; r < reps; ++r) {
      std::unique_ptr<float[]> out(new float[64]);
      k.relu(tiny.data(), out.get(), 64);
      gSink = gSink + out[r % 64];
    }
    return static_cast<double>(reps);
  }));
  double measuredOverhead = std::max(1e-9, std::round(1e9 / overhead.max) * 1e-9);
  p.layerOverhead = opts.layerOverhead >= 0 ? opts.layerOverhead : measuredOverhead;

  // Kernels through oneDNN: the configurations the estimate interpolates.
  const std::vector<std::string> spread = kernelSpread(opts.quick);
  progress.step(fmt::format("{} kernel configurations through oneDNN ({} layouts)",
                            spread.size(), measure::layoutName(opts.layout)));
  measure::RunOptions run;
  run.threads = opts.singleCore ? 1 : threads;
  run.layout = opts.layout;
  run.repeats = opts.quick ? 5 : 11;
  std::string runtime;
  p.kernels = measureKernels(spread, run, progress, runtime);

  // The profile.
  p.peakFp32 = opts.singleCore ? f32one.max : f32all.max;
  p.bandwidth = opts.singleCore ? stream[3][0].max : stream[3][1].max;
  p.memory = static_cast<double>(sysconfOr(_SC_PHYS_PAGES, 0)) * sysconfOr(_SC_PAGE_SIZE, 4096);
  p.memory = std::floor(p.memory / (1 << 20)) * (1 << 20); // whole MiB
  std::string model = cpuModel();
  p.description = fmt::format("{} ({} threads, {}), {}", model, threads, k.simd,
                              opts.singleCore ? "one core" : "all cores");

  char date[64];
  std::time_t t = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  c.push_back(fmt::format("Written by `netc calibrate{}{}` on {}.", opts.quick ? " --quick" : "",
                          opts.singleCore ? " --single-core" : "", date));
  c.push_back(fmt::format("CPU: {}; {} hardware threads; SIMD kernels: {}.", model, threads,
                          k.simd));
  c.push_back(fmt::format("Method: each figure is {} repeats of at least {} s (STREAM: one pass",
                          plan.repeats, plan.minSeconds));
  c.push_back(fmt::format("over arrays of {}); listed as min / median / max, the profile uses",
                          bytes(static_cast<double>(n) * 8)));
  c.push_back("the best (max) repeat, as STREAM does. A busy machine lowers and spreads them.");
  if (static_cast<double>(n) * 8 < 4 * llc)
    c.push_back(fmt::format("Note: the STREAM arrays are smaller than 4x the last-level cache "
                            "({}); the bandwidth may be high.", bytes(llc)));
  c.push_back("");
  c.push_back(fmt::format("peak fp32, one core:  {}  (FMA kernel, 12 chains)",
                          statText(f32one, 1e9, "GFLOP/s")));
  c.push_back(fmt::format("peak fp32, {} threads: {}", threads, statText(f32all, 1e9, "GFLOP/s")));
  c.push_back(fmt::format("peak fp64, one core:  {}", statText(f64one, 1e9, "GFLOP/s")));
  c.push_back(fmt::format("peak fp64, {} threads: {}", threads, statText(f64all, 1e9, "GFLOP/s")));
  for (int s = 0; s < 4; ++s)
    for (int all = 0; all < 2; ++all)
      if (stream[s][all].max > 0)
        c.push_back(fmt::format("STREAM {:<5}, {}: {}", streamNames[s],
                                all ? fmt::format("{} threads", threads) : "one core ",
                                statText(stream[s][all], 1e9, "GB/s")));
  for (const auto &[level, st] : cacheStats)
    c.push_back(fmt::format("triad in {}, one core: {}", level, statText(st, 1e9, "GB/s")));
  c.push_back("");
  for (std::string &line : describeOpClasses(ks, peak1, bw1))
    c.push_back(std::move(line));
  c.push_back(fmt::format("Per-layer overhead (allocate + tiny kernel + free): {:.1f} / {:.1f} / "
                          "{:.1f} ns{}",
                          1e9 / overhead.max, 1e9 / overhead.median, 1e9 / overhead.min,
                          opts.layerOverhead >= 0 ? fmt::format("; written: --layer-overhead {}",
                                                                seconds(opts.layerOverhead))
                                                  : ""));
  c.push_back(fmt::format("Profile: {} peak and triad bandwidth.",
                          opts.singleCore ? "one-core" : "all-core"));
  c.push_back("");
  c.push_back(fmt::format("Kernels: {} configurations timed through {}, {} thread{}, {} layouts",
                          p.kernels.size(), runtime, run.threads, run.threads == 1 ? "" : "s",
                          measure::layoutName(run.layout)));
  c.push_back(run.layout == measure::Layout::Plain
                  ? "(NCHW between layers, each call's reorders timed, as eager PyTorch runs);"
                  : "(oneDNN's blocked layouts end to end, as a tuned runtime);");
  c.push_back(fmt::format("each the median of {} runs after {} warm-up, caches flushed before "
                          "each. A layer's",
                          run.repeats, run.warmup));
  c.push_back("estimate comes from the nearest of its family (time per MAC or per element");
  c.push_back("moved, in log space), plus layer_overhead; dims as target/Kernels.h names them.");
  progress.finish();
  return p;
}

} // namespace netc::calibrate
