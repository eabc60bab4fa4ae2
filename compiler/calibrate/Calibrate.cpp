//===- Calibrate.cpp - `netc calibrate`: its command line -----------------===//
//
// Parses the options, runs the measurements (Measure.cpp) and writes the
// profile (ProfileWriter.cpp) to stdout or, atomically, to a file (by the
// rules of netc's -o, support/FileOutput.h: an existing file is replaced
// without --force only if it is empty or a profile netc calibrate wrote).
//
//===----------------------------------------------------------------------===//
#include "calibrate/Calibrate.h"

#include "support/FileOutput.h"

#include <llvm/Support/raw_ostream.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace netc::calibrate {

namespace {

constexpr const char *kUsage =
    "usage: netc calibrate [--quick] [--single-core] [--name NAME] [--layer-overhead TIME]\n"
    "                      [--layout plain|blocked] [-o FILE [--force]]\n"
    "Measures this machine (peak FLOP/s, STREAM bandwidth, op-class efficiencies, per-layer\n"
    "overhead, a few hundred kernel configurations through oneDNN) and writes a hardware\n"
    "profile for --hw (to stdout without -o).\n"
    "  --quick                a few seconds instead of tens: fewer repeats, smaller arrays\n"
    "  --single-core          peak and bandwidth of one core (for single-threaded runtimes);\n"
    "                         default: all cores\n"
    "  --name NAME            the profile's name (default: host)\n"
    "  --layer-overhead TIME  the per-layer overhead to write (e.g. 20us: a framework's\n"
    "                         dispatch cost), instead of the measured bare-loop one\n"
    "  --layout L             the layouts kernels are timed in: plain (NCHW between layers,\n"
    "                         reorders timed, as eager PyTorch; default) or blocked\n"
    "                         (oneDNN's own end to end, as a tuned runtime)\n"
    "  -o FILE                write the profile to FILE (atomically); an existing FILE\n"
    "                         is replaced only if empty or written by netc calibrate\n"
    "  --force                let -o replace a file netc calibrate did not write\n";

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
    } else if (a == "--force") {
      opts.force = true;
    } else if (key == "-o" || key == "--output") {
      if (!value(opts.output) || opts.output.empty())
        return usageError(key + " needs a file name");
    } else if (key == "--layout") {
      std::string v;
      if (!value(v) || (v != "plain" && v != "blocked"))
        return usageError("--layout takes plain or blocked");
      opts.layout = v == "plain" ? measure::Layout::Plain : measure::Layout::Blocked;
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

/// A profile netc calibrate wrote: its first comment says so.
bool looksLikeProfile(llvm::StringRef head) {
  return head.startswith("# Written by `netc calibrate");
}

int calibrateMain(int argc, char **argv) {
  CalibrateOptions opts;
  std::string message;
  if (std::optional<int> rc = parseCalibrateArgs(argc, argv, opts, message)) {
    llvm::raw_fd_ostream &os = *rc ? llvm::errs() : llvm::outs();
    os << message;
    return flushStdout("netc calibrate") ? *rc : 1;
  }
  WritePolicy policy;
  policy.force = opts.force;
  policy.isOwnOutput = looksLikeProfile;
  policy.tool = "netc calibrate";
  if (!checkOutput(opts.output, policy)) // before measuring for a minute
    return 1;
  std::string text = writeProfile(measure(opts));
  if (!writeOutput(opts.output, text, policy))
    return 1;
  if (!opts.output.empty() && opts.output != "-")
    llvm::errs() << fmt::format("netc calibrate: wrote {}\n", opts.output);
  return 0;
}

} // namespace netc::calibrate
