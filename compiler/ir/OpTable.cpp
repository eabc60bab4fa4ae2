#include "ir/OpTable.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>

namespace netc::ir {

const OpTable &OpTable::get() {
  static const OpTable table = [] {
    OpTable t;
    registerInputOps(t);
    registerConvOps(t);
    registerLinearOps(t);
    registerNormOps(t);
    registerActivationOps(t);
    registerPoolOps(t);
    registerElementwiseOps(t);
    registerConcatOps(t);
    registerPermuteOps(t);
    registerViewOps(t);
    registerResampleOps(t);
    registerSliceOps(t);
    registerTransformerOps(t);
    registerAttentionOps(t);
    registerMoeOps(t);
    // Checked in every build: an op without a shape, cost or eval rule must
    // never reach a user as a silent zero or an unproved pass.
    std::vector<std::string> problems = validateOpTable(t);
    for (const std::string &p : problems)
      std::fprintf(stderr, "netc: internal error: %s\n", p.c_str());
    if (!problems.empty())
      std::abort();
    return t;
  }();
  return table;
}

std::vector<std::string> validateOpTable(const OpTable &t) {
  std::vector<std::string> problems;
  std::vector<const OpDef *> ops = t.all();
  for (size_t i = 0; i < ops.size(); ++i) {
    const OpDef &op = *ops[i];
    auto problem = [&](const char *what) {
      problems.push_back(fmt::format("op '{}' {}", op.name, what));
    };
    if (i > 0 && ops[i - 1]->name == op.name)
      problem("is defined twice");
    if (!op.shape)
      problem("has no shape rule");
    if (!op.cost)
      problem("has no cost rule");
    if (op.costDoc.empty())
      problem("has no cost doc (its FLOP formula)");
    if (!op.eval)
      problem("has no eval rule");
    if (op.weightLayout != WeightLayout::None && !op.weights)
      problem("has a weight layout but no weights rule");
    // netc measure: a oneDNN primitive, or the reason there is none.
    if (!op.view && !op.isInput && op.dnnl.kind == DnnlKind::None && !op.dnnl.why)
      problem("has neither a oneDNN primitive nor a reason why not (dnnl.why)");
    if (op.outputIsWeight && (!op.weights || !op.view))
      problem("has its output in a weight but is not a view with a weights rule");
    if (op.dnnl.kind == DnnlKind::Reorder && !op.dnnl.permutation)
      problem("is a oneDNN reorder without a permutation rule");
  }
  return problems;
}

bool takesTensorList(const OpDef &op) {
  size_t lists = 0, tensors = 0;
  for (const ParamSpec &p : op.params) {
    lists += p.kind == ParamKind::Tensors;
    tensors += p.kind == ParamKind::Tensor;
  }
  return lists == 1 && tensors == 0;
}

std::string costText(const OpDef &op) { return op.costDoc + (op.view ? " (a view)" : ""); }

std::string opTableMarkdown(const OpTable &t) {
  std::string md = "| op | cost |\n|---|---|\n";
  for (const OpDef *op : t.all())
    md += fmt::format("| `{}` | {} |\n", op->name, costText(*op));
  return md;
}

const OpDef *OpTable::lookup(llvm::StringRef name) const {
  auto it = byName.find(name);
  return it == byName.end() ? nullptr : it->second;
}

std::vector<const OpDef *> OpTable::all() const {
  std::vector<const OpDef *> out;
  for (const auto &d : defs)
    out.push_back(d.get());
  std::sort(out.begin(), out.end(),
            [](const OpDef *a, const OpDef *b) { return a->name < b->name; });
  return out;
}

OpDef &OpTable::add(OpDef def) {
  // A missing rule, or a second op of the same name, is found by
  // validateOpTable (get() refuses such a table).
  defs.push_back(std::make_unique<OpDef>(std::move(def)));
  byName[defs.back()->name] = defs.back().get();
  return *defs.back();
}

void OpTable::alias(llvm::StringRef alias, llvm::StringRef target) {
  const OpDef *d = lookup(target);
  assert(d && !byName.count(alias));
  byName[alias] = d;
}

std::optional<int64_t> windowOutputSize(int64_t in, int64_t k, int64_t stride,
                                        int64_t padBefore, int64_t padAfter, int64_t dilation,
                                        bool ceilMode) {
  // span = in + padBefore + padAfter - dilation*(k-1) - 1
  auto reach = checkedMul(dilation, k - 1);
  auto padded = checkedAdd(in, padBefore);
  if (!reach || !padded)
    return std::nullopt;
  auto padded2 = checkedAdd(*padded, padAfter);
  if (!padded2)
    return std::nullopt;
  auto span = checkedSub(*padded2, *reach);
  if (!span)
    return std::nullopt;
  // out = floor-or-ceil((span - 1) / stride) + 1. PyTorch adds stride - 1
  // before dividing for ceil_mode; rounding the quotient up instead cannot
  // overflow for a stride near 2^63 (a fuzzer found that).
  auto last = checkedSub(*span, 1);
  if (!last)
    return std::nullopt;
  int64_t q = floorDiv(*last, stride);
  if (ceilMode && *last % stride != 0)
    ++q;
  int64_t out = q + 1;
  // PyTorch: with ceil_mode the last window must start inside the input or
  // the left padding. A start past 2^63 is past both.
  if (ceilMode && out > 0) {
    auto lastStart = checkedMul(out - 1, stride);
    if (!lastStart || *lastStart >= *padded)
      --out;
  }
  return out;
}

std::string resolvePadding2d(const AttrValue &padding, const Shape &inputHW, const Ints &kernel,
                             const Ints &stride, const Ints &dilation, Ints &out) {
  if (const auto *s = std::get_if<std::string>(&padding)) {
    if (*s == "valid") {
      out = {0, 0, 0, 0};
      return "";
    }
    if (*s != "same")
      return fmt::format("padding \"{}\" is not one of \"same\", \"valid\", an int, a pair or "
                         "(top, bottom, left, right)",
                         *s);
    out.clear();
    for (size_t i = 0; i < 2; ++i) {
      int64_t in = inputHW[i];
      int64_t o = ceilDiv(in, stride[i]);
      auto span = checkedMul(o - 1, stride[i]);
      auto reach = checkedMul(dilation[i], kernel[i] - 1);
      if (!span || !reach || !checkedAdd(*span, *reach))
        return "padding \"same\" overflows 64-bit integers";
      int64_t total = std::max<int64_t>(*span + *reach + 1 - in, 0);
      out.push_back(total / 2);
      out.push_back(total - total / 2);
    }
    return "";
  }
  if (const auto *p = std::get_if<int64_t>(&padding)) {
    out = {*p, *p, *p, *p};
  } else if (const auto *ps = std::get_if<Ints>(&padding)) {
    if (ps->size() == 2)
      out = {(*ps)[0], (*ps)[0], (*ps)[1], (*ps)[1]};
    else if (ps->size() == 4)
      out = *ps;
    else
      return fmt::format("padding {} must have 2 values (h, w) or 4 (top, bottom, left, right)",
                         formatAttrValue(padding));
  } else {
    return "padding must be an int, a pair, 4 ints, \"same\" or \"valid\"";
  }
  for (int64_t v : out)
    if (v < 0)
      return fmt::format("padding {} must not be negative", formatAttrValue(padding));
  return "";
}

std::string shapeText(const TensorType &t) { return formatShape(t.shape); }

int64_t dimsProduct(llvm::ArrayRef<int64_t> s, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t i = from; i < to; ++i)
    n *= s[i];
  return n;
}

std::string stateDictKey(llvm::StringRef node, llvm::StringRef tensor) {
  return tensor.empty() ? node.str() : node.str() + "." + tensor.str();
}

std::string flopsPerOutputElement(int64_t n, llvm::ArrayRef<TensorType> outputs, OpWork &work) {
  for (const TensorType &t : outputs) {
    auto elems = t.numElements();
    auto f = elems ? checkedMul(*elems, n) : std::nullopt;
    auto total = f ? checkedAdd(work.elementwiseFlops, *f) : std::nullopt;
    if (!total)
      return "FLOP count overflows 64-bit integers";
    work.elementwiseFlops = *total;
  }
  return "";
}

size_t broadcastOffset(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> out, size_t index) {
  size_t offset = 0, stride = 1;
  for (size_t k = 0; k < out.size(); ++k) {
    const size_t d = out.size() - 1 - k;
    const size_t i = index % static_cast<size_t>(out[d]);
    index /= static_cast<size_t>(out[d]);
    if (k < in.size()) {
      const int64_t len = in[in.size() - 1 - k];
      offset += (len == 1 ? 0 : i) * stride;
      stride *= static_cast<size_t>(len);
    }
  }
  return offset;
}

DType promoteDTypes(DType a, DType b) {
  if (a == b || b == DType::I8)
    return a;
  if (a == DType::I8)
    return b;
  return DType::F32;
}

std::string wrapDim(const char *what, int64_t dim, const TensorType &x, int64_t &out) {
  const int64_t rank = static_cast<int64_t>(x.rank());
  if (rank == 0)
    return fmt::format("expects an input of at least 1 dimension, got {}", shapeText(x));
  if (dim < -rank || dim >= rank)
    return fmt::format("{} {} is out of range for {} (expected {} to {})", what, dim, shapeText(x),
                       -rank, rank - 1);
  out = dim < 0 ? dim + rank : dim;
  return "";
}

size_t wrappedDim(const OpCall &c, const char *name, const TensorType &x) {
  int64_t d = 0;
  (void)wrapDim(name, c.attrs.getInt(name), x, d);
  return static_cast<size_t>(d);
}

std::string checkElementCount(const TensorType &t) {
  if (t.numElements())
    return "";
  return fmt::format("the output {} has more elements than 64-bit integers can count",
                     shapeText(t));
}

std::string checkChannelGroups(const TensorType &x, int64_t groups) {
  if (groups <= 0)
    return fmt::format("groups must be positive, got {}", groups);
  if (x.shape[1] % groups != 0)
    return fmt::format("channels {} of {} are not divisible by groups {}", x.shape[1],
                       shapeText(x), groups);
  return "";
}

const char *describeKind(ParamKind kind) {
  switch (kind) {
  case ParamKind::Tensor: return "a tensor";
  case ParamKind::Tensors: return "a list of tensors";
  case ParamKind::Int: return "an int";
  case ParamKind::Float: return "a number";
  case ParamKind::Bool: return "a bool";
  case ParamKind::Str: return "a string";
  case ParamKind::IntPair: return "an int or a pair of ints";
  case ParamKind::Ints: return "a list of ints";
  case ParamKind::OptInt: return "an int or none";
  case ParamKind::OptInts: return "an int, a list of ints or none";
  case ParamKind::OptFloat: return "a number or none";
  case ParamKind::Padding: return "an int, a pair, 4 ints, \"same\" or \"valid\"";
  case ParamKind::Scalar: return "a number";
  case ParamKind::Tied: return "a tensor made by a layer with a weight, or none";
  }
  return "a value";
}

std::string normalizeAttr(ParamKind kind, AttrValue &v) {
  auto fail = [&] { return std::string("expected ") + describeKind(kind); };
  const bool isNone = std::holds_alternative<NoneAttr>(v);
  const auto *i = std::get_if<int64_t>(&v);
  const auto *is = std::get_if<Ints>(&v);
  switch (kind) {
  case ParamKind::Tensor:
  case ParamKind::Tensors:
    return fail();
  case ParamKind::Int:
    return i ? "" : fail();
  case ParamKind::OptInt:
    return i || isNone ? "" : fail();
  case ParamKind::Float:
  case ParamKind::OptFloat:
    if (i) {
      v = static_cast<double>(*i);
      return "";
    }
    if (std::holds_alternative<double>(v) || (isNone && kind == ParamKind::OptFloat))
      return "";
    return fail();
  case ParamKind::Scalar:
    return i || std::holds_alternative<double>(v) ? "" : fail();
  case ParamKind::Bool:
    return std::holds_alternative<bool>(v) ? "" : fail();
  case ParamKind::Str:
    return std::holds_alternative<std::string>(v) ? "" : fail();
  case ParamKind::IntPair:
    if (i) {
      v = Ints{*i, *i};
      return "";
    }
    return is && is->size() == 2 ? "" : fail();
  case ParamKind::Ints:
    return is ? "" : fail();
  case ParamKind::OptInts:
    return i || is || isNone ? "" : fail();
  case ParamKind::Tied: // sema has replaced the tensor by its producer's name
    return isNone || std::holds_alternative<std::string>(v) ? "" : fail();
  case ParamKind::Padding:
    if (i || std::holds_alternative<std::string>(v))
      return "";
    return is && (is->size() == 2 || is->size() == 4) ? "" : fail();
  }
  return fail();
}

std::string bindAttrs(const OpDef &op, const Attrs &given, Attrs &out) {
  for (const Attr &a : given.all()) {
    bool known = false;
    for (const ParamSpec &p : op.params)
      known |= a.name == p.name && p.kind != ParamKind::Tensor && p.kind != ParamKind::Tensors;
    if (!known)
      return fmt::format("{} has no attribute '{}'", op.name, a.name);
  }
  for (const ParamSpec &p : op.params) {
    if (p.kind == ParamKind::Tensor || p.kind == ParamKind::Tensors)
      continue;
    AttrValue v;
    if (const AttrValue *g = given.find(p.name))
      v = *g;
    else if (!p.required)
      v = p.defaultValue;
    else
      return fmt::format("{} needs the argument '{}'", op.name, p.name);
    if (std::string e = normalizeAttr(p.kind, v); !e.empty())
      return fmt::format("argument '{}' of {}: {}, got {}", p.name, op.name, e,
                         formatAttrValue(v));
    out.set(p.name, std::move(v));
  }
  return "";
}

std::string inferShapes(const OpDef &op, llvm::ArrayRef<TensorType> inputs, const Attrs &given,
                        Attrs &bound, std::vector<TensorType> &outputs) {
  if (std::string e = bindAttrs(op, given, bound); !e.empty())
    return e;
  // Index tensors (token ids) go into ops that take them and views only.
  if (!op.takesIndices && !op.view)
    for (const TensorType &t : inputs)
      if (isIndexDType(t.dtype))
        return fmt::format("expects floating-point tensors, got {} (token ids go into an "
                           "embedding)",
                           formatType(t));
  OpCall call{op, inputs, bound};
  return op.shape(call, outputs);
}

} // namespace netc::ir
