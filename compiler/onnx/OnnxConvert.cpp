//===- OnnxConvert.cpp - walk the graph: fold constants, convert nodes ------===//
#include "onnx/OnnxConvert.h"

#include "ir/OpTable.h"

#include "support/Format.h"

#include <fmt/format.h>
#include <cmath>
#include <llvm/ADT/StringExtras.h>

namespace netc::onnximport::detail {

// Small constants are read (shape arithmetic); weights never are.
constexpr size_t kMaxValues = 4096;

Expr &Expr::t(std::string s) {
  p.push_back({Piece::Text, std::move(s), ""});
  return *this;
}
Expr &Expr::x(std::string tensor) {
  p.push_back({Piece::Tensor, std::move(tensor), ""});
  return *this;
}
Expr &Expr::num(std::string literal, std::string hint) {
  p.push_back({Piece::Number, std::move(literal), std::move(hint)});
  return *this;
}
Expr &Expr::num(int64_t v, std::string hint) { return num(std::to_string(v), std::move(hint)); }

void epsArg(Expr &e, llvm::StringRef op, double eps) {
  double dflt = 0;
  if (const ir::OpDef *def = ir::OpTable::get().lookup(op))
    for (const ir::ParamSpec &p : def->params)
      if (llvm::StringRef(p.name) == "eps")
        if (const double *d = std::get_if<double>(&p.defaultValue))
          dflt = *d;
  if (std::abs(eps - dflt) > 1e-12)
    e.t(", eps=").num(numberText(eps), "eps");
}

int64_t attrInt(const ::onnx::NodeProto &n, llvm::StringRef name, int64_t dflt) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return a.i();
  return dflt;
}
double attrFloat(const ::onnx::NodeProto &n, llvm::StringRef name, double dflt) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return a.f();
  return dflt;
}
std::string attrString(const ::onnx::NodeProto &n, llvm::StringRef name, std::string dflt) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return a.s();
  return dflt;
}
std::vector<int64_t> attrInts(const ::onnx::NodeProto &n, llvm::StringRef name,
                              std::vector<int64_t> dflt) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return {a.ints().begin(), a.ints().end()};
  return dflt;
}
std::string listText(const std::vector<int64_t> &v, bool tuple) {
  std::string s = tuple ? "(" : "[";
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (tuple ? (v.size() == 1 ? ",)" : ")") : "]");
}

namespace {

std::string shapeText(const std::vector<int64_t> &s) { return listText(s); }

} // namespace

Converter::Converter(DiagEngine &diag, ::onnx::ModelProto &model, llvm::StringRef name,
                     int64_t opset)
    : opset(opset), diag(diag), graph(model.graph()), fileName(name.str()),
      netcNames(model.producer_name() == "netc") {
  done.assign(static_cast<size_t>(graph.node_size()), false);
  for (const auto &v : graph.input())
    readValueInfo(v);
  for (const auto &v : graph.value_info())
    readValueInfo(v);
  for (const auto &v : graph.output())
    readValueInfo(v);
  for (int i = 0; i < graph.node_size(); ++i)
    for (const std::string &in : graph.node(i).input())
      if (!in.empty())
        readers[in].push_back(i);
}

void Converter::readValueInfo(const ::onnx::ValueInfoProto &v) {
  TensorInfo &t = tensors[v.name()];
  if (!v.type().has_tensor_type())
    return;
  const auto &tt = v.type().tensor_type();
  t.type = tt.elem_type();
  if (!tt.has_shape())
    return;
  t.shape.clear();
  t.shapeKnown = true;
  for (const auto &d : tt.shape().dim()) {
    if (!d.has_dim_value() || d.dim_value() <= 0)
      t.shapeKnown = false;
    t.shape.push_back(d.has_dim_value() ? d.dim_value() : 0);
  }
}

bool Converter::fail(const Node &n, const std::string &message) {
  diag.fileError(fileName, fmt::format("node {} '{}' ({}): {}", current, n.name(), n.op_type(),
                                       message));
  return false;
}

std::string Converter::input(const Node &n, int k) const {
  if (k >= n.input_size() || n.input(k).empty())
    return "";
  auto it = aliases.find(n.input(k));
  return it == aliases.end() ? n.input(k) : it->second;
}

const Const *Converter::constant(const std::string &tensor) const {
  auto it = tensors.find(tensor);
  return it == tensors.end() || !it->second.value ? nullptr : &*it->second.value;
}

const std::vector<int64_t> *Converter::shape(const std::string &tensor) const {
  auto it = tensors.find(tensor);
  if (it == tensors.end())
    return nullptr;
  if (it->second.value)
    return &it->second.value->dims;
  return it->second.shapeKnown ? &it->second.shape : nullptr;
}

const std::vector<int> &Converter::consumers(const std::string &tensor) const {
  static const std::vector<int> none;
  auto it = readers.find(tensor);
  return it == readers.end() ? none : it->second;
}

std::string Converter::tiedTo(const std::string &weight, const std::string &user) {
  const Const *w = constant(weight);
  if (!w || w->origin.empty())
    return "";
  auto [it, first] = firstUser.try_emplace(w->origin, user);
  return first ? "" : it->second;
}

void Converter::alias(const std::string &to, const std::string &from) {
  aliases[to] = from;
}

void Converter::emit(const Node &n, std::vector<std::string> outputs, Expr e) {
  Stmt s;
  s.node = n.name();
  // A call of netc's function "OP_K" is op OP (blocks compare statements' ops).
  s.op = n.domain() == kNetcDomain ? llvm::StringRef(n.op_type()).rsplit('_').first.str()
                                   : n.op_type();
  for (const std::string &o : outputs) {
    TensorInfo &t = tensors[o];
    t.defined = true;
    if (!s.comment.empty())
      s.comment += ", ";
    s.comment += t.shapeKnown ? shapeText(t.shape) : "?";
  }
  s.comment = (n.name().empty() ? n.op_type() : n.name()) + ": " + s.comment;
  s.outputs = std::move(outputs);
  s.expr = std::move(e.p);
  if (netcNames) { // "block.call.layer[/Op]" -> "/block/call/layer[/Op]", as torch names scopes
    auto [layer, rest] = llvm::StringRef(n.name()).split('/');
    s.node = "/" + llvm::join(llvm::split(layer, '.'), "/") + (rest.empty() ? "" : "/" + rest.str());
    s.lastIsOp = !rest.empty();
  }
  llvm::SmallVector<llvm::StringRef, 8> parts;
  llvm::StringRef(s.node).split(parts, '/', -1, false);
  for (size_t i = 0; i + 1 < parts.size(); ++i)
    s.scope.push_back(parts[i].str());
  prog.stmts.push_back(std::move(s));
}

std::string Converter::paramOf(const Node &n, const std::string &tensor) {
  const Const *c = constant(tensor);
  std::string name = "const_" + tensor;
  if (!tensors[name].defined) {
    Expr e;
    e.t("param(").num(listText(c->dims), "shape").t(")");
    Stmt s;
    s.node = c->origin.empty() ? n.name() : c->origin; // named after the initializer
    s.op = "param";
    s.outputs = {name};
    s.expr = std::move(e.p);
    s.comment = "the constant '" + tensor + "' of " + n.op_type() + " as a learned tensor";
    prog.stmts.push_back(std::move(s));
    tensors[name].defined = true;
  }
  return name;
}

bool Converter::convertNode(int i) {
  current = i;
  const Node &n = graph.node(i);
  const bool netcDomain = n.domain() == kNetcDomain;
  if (!netcDomain && !n.domain().empty() && n.domain() != "ai.onnx")
    return fail(n, fmt::format("ops of domain '{}' are not ONNX's own; netc reads the default "
                               "domain (and netc's own, {}) only",
                               n.domain(), kNetcDomain));
  std::vector<const Const *> ins;
  std::vector<std::vector<int64_t>> shapes;
  bool allConst = true, allShapes = true;
  for (int k = 0; k < n.input_size(); ++k) {
    std::string name = input(n, k);
    if (name.empty()) {
      ins.push_back(nullptr);
      continue;
    }
    auto it = tensors.find(name);
    if (it == tensors.end() || !it->second.defined)
      return fail(n, fmt::format("reads tensor '{}' before any node makes it (the graph is "
                                 "not in topological order, or the tensor does not exist)",
                                 name));
    ins.push_back(constant(name));
    allConst &= ins.back() != nullptr;
    const std::vector<int64_t> *s = shape(name);
    allShapes &= s != nullptr;
    shapes.push_back(s ? *s : std::vector<int64_t>{});
  }
  if (netcDomain)
    return netcOp(*this, n);
  if (n.op_type() == "Constant")
    return tensors[n.output(0)].defined || defineConstant(n);
  return convertValue(n, i, ins, shapes, allConst, allShapes);
}

bool Converter::defineConstant(const Node &n) {
  {
    Const c;
    for (const auto &a : n.attribute()) {
      if (a.name() == "value")
        c = readTensor(a.t(), kMaxValues);
      else if (a.name() == "value_float" || a.name() == "value_int") {
        c.hasValues = true;
        c.type = a.name() == "value_int" ? ::onnx::TensorProto::INT64 : ::onnx::TensorProto::FLOAT;
        c.values = {a.name() == "value_int" ? static_cast<double>(a.i()) : a.f()};
      } else if (a.name() == "value_ints" || a.name() == "value_floats") {
        c.hasValues = true;
        c.type = a.name() == "value_ints" ? ::onnx::TensorProto::INT64 : ::onnx::TensorProto::FLOAT;
        for (int64_t v : a.ints())
          c.values.push_back(static_cast<double>(v));
        for (float v : a.floats())
          c.values.push_back(v);
        c.dims = {static_cast<int64_t>(c.values.size())};
      } else
        return fail(n, fmt::format("a Constant's attribute '{}' is not read", a.name()));
    }
    TensorInfo &t = tensors[n.output(0)];
    t.value = c;
    t.defined = true;
    return true;
  }
}

bool Converter::convertValue(const Node &n, int i, const std::vector<const Const *> &ins,
                             const std::vector<std::vector<int64_t>> &shapes, bool allConst,
                             bool allShapes) {
  // Shape arithmetic: constants in, constants out.
  bool shapeOp = n.op_type() == "Shape" || n.op_type() == "Size";
  if ((allConst && n.input_size() > 0) || (shapeOp && allShapes)) {
    std::string why;
    std::optional<std::vector<Const>> r = fold(n, ins, shapes, why);
    if (r && !why.empty())
      return fail(n, "cannot fold this node over its constant inputs: " + why);
    if (r) {
      if (r->size() < static_cast<size_t>(n.output_size()))
        return fail(n, "folding gave fewer outputs than the node has");
      for (int k = 0; k < n.output_size(); ++k) {
        TensorInfo &t = tensors[n.output(k)];
        Const c = (*r)[static_cast<size_t>(k)];
        if (t.shapeKnown && c.values.size() == elementsOf(t.shape))
          c.dims = t.shape;
        t.value = c;
        t.defined = true;
      }
      return true;
    }
    if (allConst && n.input_size() > 0)
      return fail(n, "every input is a constant, and netc does not fold this op: the model "
                     "computes a constant at run time");
  }
  if (matchPattern(*this, n, i))
    return true;
  Handler h = handlerFor(n.op_type());
  if (!h)
    return fail(n, fmt::format("netc has no layer for the ONNX op '{}'", n.op_type()));
  return h(*this, n);
}

std::optional<Program> Converter::run() {
  for (const auto &t : graph.initializer()) {
    TensorInfo &info = tensors[t.name()];
    info.value = readTensor(t, kMaxValues);
    info.defined = true;
  }
  llvm::StringMap<bool> isInit;
  for (const auto &t : graph.initializer())
    isInit[t.name()] = true;
  for (const auto &v : graph.input()) {
    if (isInit.count(v.name()))
      continue;
    TensorInfo &t = tensors[v.name()];
    if (llvm::StringRef(v.doc_string()).startswith(kWeightInputDoc)) {
      // A weight netc wrote without its values (--emit=onnx --weights none).
      Const w;
      w.type = t.type;
      w.dims = t.shape;
      w.origin = v.name();
      t.value = w;
      t.defined = true;
      continue;
    }
    Input in;
    in.tensor = v.name();
    const auto &tt = v.type().tensor_type();
    for (int k = 0; k < tt.shape().dim_size(); ++k) {
      const auto &d = tt.shape().dim(k);
      if (d.has_dim_value() && d.dim_value() > 0) {
        in.shape.push_back(d.dim_value());
        continue;
      }
      in.shape.push_back(1);
      prog.header.push_back(fmt::format(
          "input '{}': dim {} is {}; set to 1 (edit the input's shape for another size)",
          v.name(), k, d.has_dim_param() ? "'" + d.dim_param() + "'" : "unknown"));
    }
    in.ids = t.type == ::onnx::TensorProto::INT64 || t.type == ::onnx::TensorProto::INT32;
    t.shape = in.shape;
    t.shapeKnown = true;
    t.defined = true;
    prog.inputs.push_back(in);
  }
  if (prog.inputs.empty()) {
    diag.fileError(fileName, "the graph has no input that is not an initializer");
    return std::nullopt;
  }
  // Constants first: patterns look at them before the walk reaches them.
  for (int i = 0; i < graph.node_size(); ++i)
    if (graph.node(i).op_type() == "Constant" && graph.node(i).output_size() == 1) {
      current = i;
      if (!defineConstant(graph.node(i)))
        return std::nullopt;
    }
  for (int i = 0; i < graph.node_size(); ++i)
    if (!done[static_cast<size_t>(i)] && !convertNode(i))
      return std::nullopt;
  for (const auto &v : graph.output()) {
    auto it = aliases.find(v.name());
    std::string name = it == aliases.end() ? v.name() : it->second;
    TensorInfo &t = tensors[name];
    if (t.value || !t.defined) {
      diag.fileError(fileName, fmt::format("the graph's output '{}' is {}", v.name(),
                                           t.value ? "a constant, not a layer's output"
                                                   : "made by no node"));
      return std::nullopt;
    }
    prog.outputs.push_back(name);
  }
  return std::move(prog);
}

std::optional<std::string> convert(DiagEngine &diag, ::onnx::ModelProto &model,
                                   llvm::StringRef name, int64_t opset,
                                   const ImportOptions &opts) {
  Converter c(diag, model, name, opset);
  std::optional<Program> p = c.run();
  if (!p)
    return std::nullopt;
  llvm::StringRef stem = llvm::StringRef(name).rsplit('/').second.empty()
                             ? llvm::StringRef(name)
                             : llvm::StringRef(name).rsplit('/').second;
  stem.consume_back(".onnx");
  stem.consume_back(".ONNX");
  p->network = identifier(stem.empty() ? "model" : stem);
  std::vector<std::string> header = {
      fmt::format("netc import: {}", p->network),
      fmt::format("Imported from {}: {}{}opset {}, {} nodes.",
                  llvm::StringRef(name).rsplit('/').second.empty()
                      ? name.str()
                      : llvm::StringRef(name).rsplit('/').second.str(),
                  model.producer_name().empty() ? "" : "made by " + model.producer_name(),
                  model.producer_name().empty()
                      ? ""
                      : (model.producer_version().empty() ? ", " : " " + model.producer_version() + ", "),
                  opset, model.graph().node_size()),
      "One statement per layer, named after its ONNX node; each comment gives the node and "
      "the output shape ONNX infers. Weights are the layers' own (their values are not "
      "imported)."};
  header.insert(header.end(), p->header.begin(), p->header.end());
  p->header = header;
  return writeProgram(*p, opts.blocks);
}

} // namespace netc::onnximport::detail
