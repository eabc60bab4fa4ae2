//===- CppEmitter.cpp - C++ kernels and a self-checking model -------------===//
//
// emitCpp(): checks the graphs, has each part of the program made (see
// EmitterImpl.h for which file makes which) and holds the whole to the size
// limit. Also the text helpers the parts share.
//
//===----------------------------------------------------------------------===//
#include "codegen/CppEmitter.h"

#include "codegen/EmitterImpl.h"

#include <stdexcept>

namespace netc::codegen {

namespace detail {

std::string dimsText(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  for (int64_t d : shape)
    s += (s.empty() ? "" : "x") + std::to_string(d);
  return s.empty() ? "scalar" : s;
}

std::string cppString(llvm::StringRef s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\')
      out += {'\\', static_cast<char>(ch)};
    else if (ch < 0x20 || ch >= 0x7f)
      out += fmt::format("\\{:03o}", ch);
    else
      out += static_cast<char>(ch);
  }
  return out + "\"";
}

std::string commentText(llvm::StringRef s) {
  std::string out;
  for (char ch : s)
    out += ch == '\n' || ch == '\r' ? ' ' : ch;
  return out;
}

std::string real(double v) {
  std::string s = fmt::format("{}", v); // shortest round-trip form
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

std::string countOf(const TensorType &t) { return std::to_string(t.numElements().value_or(0)); }

std::string fillTemplate(
    std::string_view tmpl,
    std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  auto isNameChar = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    const size_t at = tmpl.find('@', i);
    if (at == std::string_view::npos)
      break;
    size_t end = at + 1;
    while (end < tmpl.size() && isNameChar(tmpl[end]))
      ++end;
    if (end == at + 1 || end == tmpl.size() || tmpl[end] != '@') { // not a placeholder
      out.append(tmpl.substr(i, at + 1 - i));
      i = at + 1;
      continue;
    }
    const std::string_view name = tmpl.substr(at + 1, end - at - 1);
    const std::pair<std::string_view, std::string_view> *value = nullptr;
    for (const auto &v : values)
      if (v.first == name)
        value = &v;
    if (!value)
      throw std::logic_error("the C++ emitter gives no value for template placeholder @" +
                             std::string(name) + "@");
    out.append(tmpl.substr(i, at - i));
    out.append(value->second);
    i = end + 1;
    // Alone on its line: the value is whole lines, the placeholder's break goes.
    if ((at == 0 || tmpl[at - 1] == '\n') && i < tmpl.size() && tmpl[i] == '\n')
      ++i;
  }
  if (i < tmpl.size())
    out.append(tmpl.substr(i));
  return out;
}

bool Emitter::checkTypes(const Graph &g) {
  for (const Node &n : g.nodes) {
    for (const WeightSpec &w : g.weights(n))
      if (!w.tiedTo.empty())
        return fail(n, fmt::format("its weight '{}' is tied to '{}'; the C++ emitter does not "
                                   "share weights yet",
                                   w.name, w.tiedTo));
    for (ValueId v : n.outputs) {
      if (g.type(v).dtype != DType::F32)
        return fail(n, fmt::format("its output is {}; the C++ emitter supports f32 tensors only",
                                   formatType(g.type(v))));
      if (g.type(v).rank() > 8)
        return fail(n, fmt::format("its output {} has rank {}; the C++ emitter supports up to 8",
                                   formatType(g.type(v)), g.type(v).rank()));
    }
  }
  return true;
}

bool Emitter::collectStateDict() {
  for (const Node &n : orig.nodes)
    for (const WeightSpec &spec : orig.weights(n))
      state.push_back({n.name, spec.name, spec.shape, Buffer::count(spec.shape),
                       eval::weightDistribution(orig, n, spec)});
  return true;
}

std::optional<std::vector<EmittedFile>> Emitter::run() {
  if (!checkTypes(orig) || !checkTypes(opt) || !collectStateDict())
    return std::nullopt;
  if (report.layers.size() != opt.nodes.size()) {
    diag.globalError("internal error: the report does not match the optimized graph");
    return std::nullopt;
  }
  FusedParts fused;
  std::string referenceCpp;
  if (!emitFused(fused))
    return std::nullopt;
  doneBytes = fused.size();
  if (!emitReference(referenceCpp))
    return std::nullopt;

  std::vector<EmittedFile> files;
  files.push_back({kEmitMarker, "This directory was written by netc --emit=cpp; netc may "
                                "replace it.\n"});
  files.push_back({"CMakeLists.txt", cmakeLists()});
  files.push_back({"check.cpp", checkSource()});
  files.push_back({"kernels.h", std::move(fused.kernelsH)});
  files.push_back({"model.cpp", modelSource(fused)});
  files.push_back({"model.h", modelHeader()});
  files.push_back({"reference.cpp", std::move(referenceCpp)});
  uint64_t total = 0;
  for (const EmittedFile &f : files)
    total += f.text.size();
  if (total > opts.maxBytes) {
    diag.globalError(tooLarge(fmt::format(" ({} bytes)", total)));
    return std::nullopt;
  }
  return files;
}

} // namespace detail

std::optional<std::vector<EmittedFile>> emitCpp(const ir::Graph &original,
                                                const ir::Graph &optimized,
                                                const cost::Report &report, DiagEngine &diag,
                                                const EmitOptions &opts) {
  return detail::Emitter(original, optimized, report, diag, opts).run();
}

} // namespace netc::codegen
