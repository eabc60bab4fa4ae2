//===- Calibrate.cpp - `netc calibrate`: its command line -----------------===//
//
// Parses the options, runs the measurements (Measure.cpp) and writes the
// profile (ProfileWriter.cpp) to stdout or, atomically, to a file.
//
//===----------------------------------------------------------------------===//
#include "calibrate/Calibrate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <unistd.h>

namespace netc::calibrate {

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
