//===- ProfileWriter.cpp - the profile in .net hardware syntax ------------===//
//
// writeProfile(): comments, then one `hardware` declaration whose numbers
// read back to 12 significant digits, each in the largest unit that keeps
// it at least 1.
//
//===----------------------------------------------------------------------===//
#include "calibrate/CalibrateImpl.h"

#include <fmt/format.h>

namespace netc::calibrate {

namespace detail {

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

/// A string literal's contents: no quotes, backslashes or control characters.
std::string sanitize(std::string s) {
  for (char &c : s)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
      c = ' ';
  return s;
}

} // namespace

std::string bytes(double b) {
  return withUnit(b, {{1, "B"}, {1024.0, "KiB"}, {1024.0 * 1024, "MiB"},
                      {1024.0 * 1024 * 1024, "GiB"}});
}
std::string seconds(double s) {
  return withUnit(s, {{1e-9, "ns"}, {1e-6, "us"}, {1e-3, "ms"}, {1, "s"}});
}

} // namespace detail

using namespace detail;

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
  for (int c = 0; c < target::kNumOpClasses; ++c) // eff_dense, eff_depthwise, ...
    if (p.efficiency[c] > 0)
      out += fmt::format("  eff_{} = {}\n", target::opClassName(static_cast<target::OpClass>(c)),
                         plain(p.efficiency[c]));
  if (p.layerOverhead > 0)
    out += fmt::format("  layer_overhead = {}\n", seconds(p.layerOverhead));
  for (const target::KernelSample &k : p.kernels) {
    const llvm::ArrayRef<const char *> keys = target::kernelKeys(k.family);
    std::string args;
    for (size_t i = 0; i < keys.size() && i < k.dims.size(); ++i)
      args += fmt::format("{}={}, ", keys[i], k.dims[i]);
    out += fmt::format("  kernel = {}({}us={:.3f})\n", k.family, args, k.seconds * 1e6);
  }
  out += "}\n";
  return out;
}

} // namespace netc::calibrate
