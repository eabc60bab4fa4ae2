//===- Calibrate.cpp - measure this machine: `netc calibrate` --------------===//
#include "calibrate/Calibrate.h"

#include "calibrate/Microkernels.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <sstream>
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

// ---- the profile writer --------------------------------------------------

namespace {

/// `v` to 12 significant digits, never in exponent form (the .net lexer
/// reads plain decimals).
std::string plain(double v) {
  std::string s = fmt::format("{:.12g}", v);
  if (s.find('e') == std::string::npos)
    return s;
  s = fmt::format("{:.15f}", v);
  while (!s.empty() && s.back() == '0')
    s.pop_back();
  if (!s.empty() && s.back() == '.')
    s.pop_back();
  return s;
}

/// The value in the largest unit that keeps it at least 1.
std::string withUnit(double v, std::initializer_list<std::pair<double, const char *>> units) {
  const std::pair<double, const char *> *pick = units.begin();
  for (const auto &u : units)
    if (v >= u.first)
      pick = &u;
  return plain(v / pick->first) + " " + pick->second;
}

std::string rate(double flops) {
  return withUnit(flops, {{1, "FLOP/s"}, {1e3, "kFLOP/s"}, {1e6, "MFLOP/s"}, {1e9, "GFLOP/s"},
                          {1e12, "TFLOP/s"}});
}
std::string byteRate(double b) {
  return withUnit(b, {{1, "B/s"}, {1e3, "kB/s"}, {1e6, "MB/s"}, {1e9, "GB/s"}, {1e12, "TB/s"}});
}
std::string bytes(double b) {
  return withUnit(b, {{1, "B"}, {1024.0, "KiB"}, {1024.0 * 1024, "MiB"},
                      {1024.0 * 1024 * 1024, "GiB"}});
}
std::string seconds(double s) {
  return withUnit(s, {{1e-9, "ns"}, {1e-6, "us"}, {1e-3, "ms"}, {1, "s"}});
}

/// A string literal's contents: no quotes, backslashes or control characters.
std::string sanitize(std::string s) {
  for (char &c : s)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
      c = ' ';
  return s;
}

const char *const kEffNames[4] = {"eff_dense", "eff_depthwise", "eff_elementwise", "eff_pool"};

} // namespace

std::string writeProfile(const ProfileData &p) {
  std::string out;
  for (const std::string &c : p.comments)
    out += c.empty() ? "#\n" : "# " + c + "\n";
  out += fmt::format("hardware {} {{\n", p.name);
  if (!p.description.empty())
    out += fmt::format("  description = \"{}\"\n", sanitize(p.description));
  out += fmt::format("  peak_fp32 = {}\n", rate(p.peakFp32));
  out += fmt::format("  bandwidth = {}\n", byteRate(p.bandwidth));
  if (p.memory > 0)
    out += fmt::format("  memory = {}\n", bytes(p.memory));
  for (int c = 0; c < 4; ++c)
    if (p.efficiency[c] > 0)
      out += fmt::format("  {} = {}\n", kEffNames[c], plain(p.efficiency[c]));
  if (p.layerOverhead > 0)
    out += fmt::format("  layer_overhead = {}\n", seconds(p.layerOverhead));
  out += "}\n";
  return out;
}

// ---- options ---------------------------------------------------------------

namespace {

constexpr const char *kUsage =
    "usage: netc calibrate [--quick] [--single-core] [--name NAME] [--layer-overhead TIME]\n"
    "                      [-o FILE]\n"
    "Measures this machine (peak FLOP/s, STREAM bandwidth, op-class efficiencies, per-layer\n"
    "overhead) and writes a hardware profile for --hw (to stdout without -o).\n"
    "  --quick                a few seconds instead of tens: fewer repeats, smaller arrays\n"
    "  --single-core          peak and bandwidth of one core (for single-threaded runtimes);\n"
    "                         default: all cores\n"
    "  --name NAME            the profile's name (default: host)\n"
    "  --layer-overhead TIME  the per-layer overhead to write (e.g. 20us: a framework's\n"
    "                         dispatch cost), instead of the measured bare-loop one\n"
    "  -o FILE                write the profile to FILE (atomically)\n";

std::optional<double> parseTime(const std::string &s) {
  char *end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(v) || v < 0)
    return std::nullopt;
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ')
    unit.erase(unit.begin());
  double scale = unit == "s" ? 1 : unit == "ms" ? 1e-3 : unit == "us" ? 1e-6
               : unit == "ns" ? 1e-9 : -1;
  if (scale < 0)
    return std::nullopt;
  return v * scale;
}

bool validName(const std::string &s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_'))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

} // namespace

std::optional<int> parseCalibrateArgs(int argc, char **argv, CalibrateOptions &opts,
                                      std::string &message) {
  auto usageError = [&](std::string m) {
    message = "netc calibrate: " + m + "\n" + kUsage;
    return 2;
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string &out) {
      size_t eq = a.find('=');
      if (eq != std::string::npos && a.rfind("--", 0) == 0) {
        out = a.substr(eq + 1);
        return true;
      }
      if (i + 1 >= argc)
        return false;
      out = argv[++i];
      return true;
    };
    std::string key = a.substr(0, a.find('='));
    if (a == "-h" || a == "--help") {
      message = kUsage;
      return 0;
    } else if (a == "--quick") {
      opts.quick = true;
    } else if (a == "--single-core") {
      opts.singleCore = true;
    } else if (key == "-o" || key == "--output") {
      if (!value(opts.output) || opts.output.empty())
        return usageError(key + " needs a file name");
    } else if (key == "--name") {
      if (!value(opts.name) || !validName(opts.name))
        return usageError("--name needs an identifier (letters, digits, _)");
    } else if (key == "--layer-overhead") {
      std::string v;
      std::optional<double> t;
      if (!value(v) || !(t = parseTime(v)))
        return usageError("--layer-overhead needs a time with a unit: s, ms, us or ns "
                          "(like 20us)");
      opts.layerOverhead = *t;
    } else {
      return usageError(fmt::format("unknown argument '{}'", a));
    }
  }
  return std::nullopt;
}

// ---- measurement -------------------------------------------------------------

namespace {

using Clock = std::chrono::steady_clock;

double now() {
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

/// Keeps results alive so the optimizer cannot drop the kernels.
std::atomic<double> gSink{0};

struct Progress {
  int total;
  int done = 0;
  bool tty = isatty(STDERR_FILENO);
  double start = now();
  void step(const std::string &what) {
    ++done;
    std::string line = fmt::format("calibrate [{}/{}] {:.0f}s: {}", done, total, now() - start,
                                   what);
    if (tty)
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
    else
      std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  }
  void finish() {
    std::string line = fmt::format("calibrate: done in {:.1f}s", now() - start);
    std::fprintf(stderr, tty ? "\r\033[K%s\n" : "%s\n", line.c_str());
  }
};

struct Plan {
  int repeats;
  double minSeconds; ///< per repeat
};

/// Rates (work / s) of `repeats` runs of `run(n)`, which does n units of
/// something and returns the work done; n is doubled until one run takes
/// minSeconds.
/// With `fixedN` > 0 that n is used (a multi-threaded run takes the n of its
/// one-thread twin: thread start-up on a busy machine would mislead the
/// search); it is set to the n used.
std::vector<double> rates(const Plan &p, const std::function<double(int64_t)> &run,
                          int64_t *fixedN = nullptr) {
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

std::vector<float> filled(size_t n, float seed) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = seed + static_cast<float>(i % 17) * 0.01f;
  return v;
}

} // namespace

ProfileData measure(const CalibrateOptions &opts) {
  const KernelSet &k = kernels();
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const Plan plan = opts.quick ? Plan{3, 0.02} : Plan{7, 0.2};
  Progress progress{opts.quick ? 15 : 22};
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
  struct Kernel {
    const char *what;
    int opClass;   ///< target::OpClass
    double flops;  ///< 2mac convention
    double bytes;  ///< ideal memory model, fp32
    std::function<void()> run;
    Stat rate;     ///< runs per second
  };
  std::vector<Kernel> ks;
  const int hw = opts.quick ? 28 : 56;
  // Dense 3x3, 64 -> 64 (ResNet's stage 1), and 1x1, 256 -> 256 at half the size.
  auto in3 = std::make_shared<std::vector<float>>(filled(size_t(hw + 2) * (hw + 2) * 64, 0.5f));
  auto w3 = std::make_shared<std::vector<float>>(filled(9 * 64 * 64, 0.01f));
  auto o3 = std::make_shared<std::vector<float>>(size_t(hw) * hw * 64);
  ks.push_back({"dense conv 3x3 64->64", 0, 2.0 * hw * hw * 64 * 64 * 9,
                4.0 * (hw * hw * 64 * 2 + 9 * 64 * 64),
                [&, in3, w3, o3] { k.conv(in3->data(), w3->data(), o3->data(), hw, hw, 64, 64, 3); },
                {}});
  const int h1 = hw / 2;
  auto in1 = std::make_shared<std::vector<float>>(filled(size_t(h1) * h1 * 256, 0.5f));
  auto w1 = std::make_shared<std::vector<float>>(filled(256 * 256, 0.01f));
  auto o1 = std::make_shared<std::vector<float>>(size_t(h1) * h1 * 256);
  ks.push_back({"dense conv 1x1 256->256", 0, 2.0 * h1 * h1 * 256 * 256,
                4.0 * (h1 * h1 * 256 * 2 + 256 * 256),
                [&, in1, w1, o1] { k.conv(in1->data(), w1->data(), o1->data(), h1, h1, 256, 256, 1); },
                {}});
  // Depthwise 3x3 over 128 channels (MobileNet's early layers).
  auto ind = std::make_shared<std::vector<float>>(filled(size_t(hw + 2) * (hw + 2) * 128, 0.5f));
  auto wd = std::make_shared<std::vector<float>>(filled(9 * 128, 0.1f));
  auto od = std::make_shared<std::vector<float>>(size_t(hw) * hw * 128);
  ks.push_back({"depthwise 3x3 x128", 1, 2.0 * hw * hw * 128 * 9,
                4.0 * (hw * hw * 128 * 2 + 9 * 128),
                [&, ind, wd, od] { k.depthwise3x3(ind->data(), wd->data(), od->data(), hw, hw, 128); },
                {}});
  // Elementwise: a residual add and a relu over a 64 x hw x hw tensor.
  const int64_t ne = int64_t(64) * hw * hw;
  auto ea = std::make_shared<std::vector<float>>(filled(ne, -0.5f));
  auto eb = std::make_shared<std::vector<float>>(filled(ne, 0.25f));
  auto eo = std::make_shared<std::vector<float>>(ne);
  ks.push_back({"elementwise add", 2, double(ne), 12.0 * ne,
                [&, ea, eb, eo] { k.add(ea->data(), eb->data(), eo->data(), ne); }, {}});
  ks.push_back({"elementwise relu", 2, double(ne), 8.0 * ne,
                [&, ea, eo] { k.relu(ea->data(), eo->data(), ne); }, {}});
  // 3x3/2 max pooling, 2hw x 2hw x 64 -> hw x hw x 64 (ResNet's stem).
  auto ip = std::make_shared<std::vector<float>>(filled(size_t(2 * hw + 1) * (2 * hw + 1) * 64, 0.5f));
  auto op = std::make_shared<std::vector<float>>(size_t(hw) * hw * 64);
  ks.push_back({"max pool 3x3/2", 3, 8.0 * hw * hw * 64,
                4.0 * (4.0 * hw * hw * 64 + hw * hw * 64),
                [&, ip, op] { k.maxPool3x3s2(ip->data(), op->data(), hw, hw, 64); }, {}});
  for (Kernel &kn : ks) {
    progress.step(kn.what);
    kn.rate = summarize(rates(plan, [&](int64_t reps) {
      for (int64_t r = 0; r < reps; ++r)
        kn.run();
      return static_cast<double>(reps);
    }));
  }
  gSink = gSink + (*o3)[7] + (*o1)[7] + (*od)[7] + (*eo)[7] + (*op)[7];
  double roof[4] = {0, 0, 0, 0}, measured[4] = {0, 0, 0, 0};
  for (const Kernel &kn : ks) {
    roof[kn.opClass] += std::max(kn.flops / peak1, kn.bytes / bw1);
    measured[kn.opClass] += 1 / kn.rate.max;
  }
  for (int cl = 0; cl < 4; ++cl)
    p.efficiency[cl] = std::round(roof[cl] / measured[cl] * 1e4) / 1e4;

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
  c.push_back("Op-class efficiency = roofline time / measured time of a microkernel, one core,");
  c.push_back(fmt::format("on the best one-core peak ({:.2f} GFLOP/s) and triad ({:.2f} GB/s); "
                          "FLOPs 2mac,", peak1 / 1e9, bw1 / 1e9));
  c.push_back("bytes ideal (inputs + weights + outputs once), fp32. Per kernel (min/median/max):");
  for (const Kernel &kn : ks) {
    double rt = std::max(kn.flops / peak1, kn.bytes / bw1);
    c.push_back(fmt::format("  {:<24} {:8.1f} us best, efficiency {:.3f} / {:.3f} / {:.3f}",
                            kn.what, 1e6 / kn.rate.max, rt * kn.rate.min, rt * kn.rate.median,
                            rt * kn.rate.max));
  }
  c.push_back(fmt::format("Per-layer overhead (allocate + tiny kernel + free): {:.1f} / {:.1f} / "
                          "{:.1f} ns{}",
                          1e9 / overhead.max, 1e9 / overhead.median, 1e9 / overhead.min,
                          opts.layerOverhead >= 0 ? fmt::format("; written: --layer-overhead {}",
                                                                seconds(opts.layerOverhead))
                                                  : ""));
  c.push_back(fmt::format("Profile: {} peak and triad bandwidth.",
                          opts.singleCore ? "one-core" : "all-core"));
  progress.finish();
  return p;
}

int calibrateMain(int argc, char **argv) {
  CalibrateOptions opts;
  std::string message;
  if (std::optional<int> rc = parseCalibrateArgs(argc, argv, opts, message)) {
    std::fputs(message.c_str(), *rc ? stderr : stdout);
    return *rc;
  }
  std::string text = writeProfile(measure(opts));
  if (opts.output.empty() || opts.output == "-") {
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  // Atomically: a temporary beside the target, renamed into place.
  std::string tmp = opts.output + fmt::format(".tmp-{}", getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::fprintf(stderr, "netc calibrate: error: cannot write '%s'\n", tmp.c_str());
      std::remove(tmp.c_str());
      return 1;
    }
  }
  if (std::rename(tmp.c_str(), opts.output.c_str()) != 0) {
    std::fprintf(stderr, "netc calibrate: error: cannot write '%s'\n", opts.output.c_str());
    std::remove(tmp.c_str());
    return 1;
  }
  std::fprintf(stderr, "netc calibrate: wrote %s\n", opts.output.c_str());
  return 0;
}

} // namespace netc::calibrate
