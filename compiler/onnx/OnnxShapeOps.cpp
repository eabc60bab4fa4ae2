//===- OnnxShapeOps.cpp - handlers of data movement and normalization -------===//
//
// Concat, Split, Flatten, Reshape, Squeeze, Unsqueeze, Transpose, Pad,
// Resize, Gather, Slice, ReduceMean and LayerNormalization of activations
// (on constants they are folded before a handler sees them), and the
// aliases Identity, Dropout and Cast.
//
//===----------------------------------------------------------------------===//
#include "onnx/OnnxConvert.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace netc::onnximport::detail {

namespace {

using Node = ::onnx::NodeProto;

/// Constant integers of input `k` (or of attribute `attr` in older opsets).
bool ints(Converter &c, const Node &n, int k, const char *attr, std::vector<int64_t> &out) {
  std::string in = c.input(n, k);
  if (in.empty()) {
    out = attrInts(n, attr, out);
    return true;
  }
  const Const *v = c.constant(in);
  if (!v || !v->hasValues)
    return c.fail(n, fmt::format("input {} ('{}') must be a constant", k + 1, in));
  out.clear();
  for (double d : v->values)
    out.push_back(toInt(d));
  return true;
}

int64_t normAxis(int64_t a, size_t rank) { return a < 0 ? a + static_cast<int64_t>(rank) : a; }

/// An ONNX `mode` attribute (Pad, Resize) as the `mode=` argument of netc's
/// layer: "" for the layer's default; a mode not in the table has no netc
/// equivalent.
const llvm::StringMap<const char *> kPadModes = {
    {"constant", ""}, {"reflect", "reflect"}, {"edge", "replicate"}};
const llvm::StringMap<const char *> kResizeModes = {{"nearest", ""}, {"linear", "bilinear"}};

/// `, mode="..."` for `mode`, or false (after reporting) when netc has none.
bool modeArg(Converter &c, const Node &n, const llvm::StringMap<const char *> &modes,
             const std::string &mode, Expr &e) {
  auto it = modes.find(mode);
  if (it == modes.end())
    return c.fail(n, "mode '" + mode + "' has no equivalent in netc's layer");
  if (*it->second)
    e.t(std::string(", mode=\"") + it->second + "\"");
  return true;
}

} // namespace

bool identity(Converter &c, const Node &n) {
  std::string x = c.input(n, 0);
  if (n.op_type() == "Dropout" && n.output_size() > 1 && !c.consumers(n.output(1)).empty())
    return c.fail(n, "its mask is read: a training graph");
  if (n.op_type() == "Cast") {
    int64_t to = attrInt(n, "to", 0);
    bool floating = to == ::onnx::TensorProto::FLOAT || to == ::onnx::TensorProto::FLOAT16 ||
                    to == ::onnx::TensorProto::BFLOAT16 || to == ::onnx::TensorProto::DOUBLE;
    if (!floating && to != ::onnx::TensorProto::INT64 && to != ::onnx::TensorProto::INT32)
      return c.fail(n, "a Cast of a tensor to a type netc does not compute in");
  }
  c.alias(n.output(0), x);
  return true;
}

bool shapeOps(Converter &c, const Node &n) {
  const std::string &op = n.op_type();
  std::string x = c.input(n, 0);
  const std::vector<int64_t> *inShape = c.shape(x);
  if (!inShape)
    return c.fail(n, "the shape of its input is not known (ONNX's shape inference gave none)");
  // Copies: converting may define tensors (paramOf), which moves the shapes.
  const std::vector<int64_t> inCopy = *inShape, *in = &inCopy;
  std::optional<std::vector<int64_t>> out;
  if (const std::vector<int64_t> *s = n.output_size() ? c.shape(n.output(0)) : nullptr)
    out = *s;
  const size_t rank = in->size();
  auto badAxis = [&](int64_t axis) { // true (after reporting) when out of range
    if (axis >= 0 && axis < static_cast<int64_t>(rank))
      return false;
    c.fail(n, fmt::format("axis {} is out of range for rank {}", axis, rank));
    return true;
  };
  Expr e;
  if (op == "Concat") {
    e.t("concat([");
    for (int k = 0; k < n.input_size(); ++k) {
      std::string t = c.input(n, k);
      if (c.constant(t))
        t = c.paramOf(n, t);
      e.t(k ? ", " : "").x(t);
    }
    e.t("], dim=").num(normAxis(attrInt(n, "axis", 0), rank), "dim").t(")");
  } else if (op == "Split") {
    int64_t axis = normAxis(attrInt(n, "axis", 0), rank);
    if (badAxis(axis))
      return false;
    std::vector<int64_t> sizes;
    for (int k = 0; k < n.output_size(); ++k) {
      const std::vector<int64_t> *s = c.shape(n.output(k));
      if (!s || s->size() != rank)
        return c.fail(n, "the shapes of its outputs are not known");
      sizes.push_back((*s)[static_cast<size_t>(axis)]);
    }
    e.t("split(").x(x).t(", ").num(listText(sizes), "sizes").t(", dim=").num(axis, "dim").t(")");
    c.emit(n, {n.output().begin(), n.output().end()}, e);
    return true;
  } else if (op == "Flatten" && attrInt(n, "axis", 1) == 1 && rank >= 2) {
    e.t("flatten(").x(x).t(")");
  } else if (op == "Flatten" || op == "Reshape" || op == "Squeeze" || op == "Unsqueeze") {
    if (!out)
      return c.fail(n, "the shape of its output is not known (ONNX's shape inference gave none)");
    e.t("reshape(").x(x).t(", ").num(listText(*out), "shape").t(")");
  } else if (op == "Transpose") {
    std::vector<int64_t> perm = attrInts(n, "perm");
    if (perm.empty())
      for (size_t i = rank; i-- > 0;)
        perm.push_back(static_cast<int64_t>(i));
    e.t("permute(").x(x).t(", ").num(listText(perm), "dims").t(")");
  } else if (op == "Pad") {
    std::vector<int64_t> p;
    if (!ints(c, n, 1, "pads", p))
      return false;
    if (p.size() != 2 * rank)
      return c.fail(n, "pads must have two values per dim");
    std::string mode = attrString(n, "mode", "constant");
    // ONNX: [begin of each dim..., end of each dim...]; netc (torch's
    // F.pad): (begin, end) pairs from the last dim backwards.
    std::vector<int64_t> q;
    for (size_t d = rank; d-- > 0;) {
      q.push_back(p[d]);
      q.push_back(p[rank + d]);
    }
    while (q.size() > 2 && q[q.size() - 1] == 0 && q[q.size() - 2] == 0)
      q.resize(q.size() - 2); // the leading dims' (0, 0)
    if (llvm::all_of(q, [](int64_t v) { return v == 0; })) { // torch's AvgPool writes these
      c.alias(n.output(0), x);
      return true;
    }
    e.t("pad(").x(x).t(", ").num(listText(q), "pads");
    if (!modeArg(c, n, kPadModes, mode, e))
      return false;
    e.t(")");
  } else if (op == "Resize" || op == "Upsample") {
    if (!out || out->size() != 4)
      return c.fail(n, "a resize of other than a 4-D tensor with a known output shape");
    e.t("upsample(").x(x).t(", size=").num(listText({(*out)[2], (*out)[3]}, true), "size");
    if (!modeArg(c, n, kResizeModes, attrString(n, "mode", "nearest"), e))
      return false;
    e.t(")");
  } else if (op == "Gather") {
    std::string idx = c.input(n, 1);
    const Const *data = c.constant(x), *ci = c.constant(idx);
    if (data && !ci) {
      if (data->dims.size() != 2 || attrInt(n, "axis", 0) != 0)
        return c.fail(n, "a Gather from a constant other than the rows of a 2-D table");
      e.t("embedding(").x(idx).t(", ").num(data->dims[0], "num").t(", ").num(data->dims[1], "dim").t(")");
      c.tiedTo(x, n.output(0)); // a head reading the same table ties to it
    } else if (ci && ci->hasValues && ci->values.size() == 1 && ci->dims.empty()) {
      e.t("select(").x(x).t(", ").num(normAxis(attrInt(n, "axis", 0), rank), "dim").t(", ");
      e.num(static_cast<int64_t>(ci->values[0]), "index").t(")");
    } else
      return c.fail(n, "a Gather by a tensor of indices (advanced indexing): netc selects one "
                       "index, or reads rows of an embedding table");
  } else if (op == "Slice") {
    std::vector<int64_t> starts, ends, axes, steps;
    if (!ints(c, n, 1, "starts", starts) || !ints(c, n, 2, "ends", ends) ||
        !ints(c, n, 3, "axes", axes) || !ints(c, n, 4, "steps", steps))
      return false;
    if (axes.empty())
      for (size_t i = 0; i < starts.size(); ++i)
        axes.push_back(static_cast<int64_t>(i));
    steps.resize(starts.size(), 1);
    e.x(x);
    for (size_t i = 0; i < starts.size() && i < ends.size() && i < axes.size(); ++i) {
      if (steps[i] < 1)
        return c.fail(n, "a Slice with a step below 1: netc's slice does not reverse");
      if (badAxis(normAxis(axes[i], rank)))
        return false;
      int64_t len = (*in)[static_cast<size_t>(normAxis(axes[i], rank))];
      e.t(" |> slice(").num(normAxis(axes[i], rank), "dim").t(", ").num(starts[i], "start");
      e.t(", ");
      if (ends[i] >= len)
        e.t("none");
      else
        e.num(ends[i], "end");
      if (steps[i] != 1)
        e.t(", ").num(steps[i], "step");
      e.t(")");
    }
  } else if (op == "ReduceMean") {
    std::vector<int64_t> axes = attrInts(n, "axes");
    if (axes.empty() && !ints(c, n, 1, "axes", axes))
      return false;
    for (int64_t &a : axes)
      a = normAxis(a, rank);
    if (rank != 4 || axes != std::vector<int64_t>{2, 3})
      return c.fail(n, "a mean over other dims than H and W of [N, C, H, W]");
    e.t("global_avg_pool(").x(x).t(attrInt(n, "keepdims", 1) ? ")" : ") |> flatten");
  } else if (op == "LayerNormalization") {
    int64_t axis = normAxis(attrInt(n, "axis", -1), rank);
    if (badAxis(axis))
      return false;
    std::vector<int64_t> shape(in->begin() + axis, in->end());
    e.t("layernorm(").x(x).t(", shape=").num(listText(shape), "shape");
    epsArg(e, "layernorm", attrFloat(n, "epsilon", 1e-5));
    if (c.input(n, 2).empty())
      return c.fail(n, "a layer norm with a scale and no bias: netc's layernorm has both or "
                       "neither");
    e.t(")");
  } else
    return c.fail(n, "not handled");
  c.emit(n, {n.output(0)}, e);
  return true;
}

} // namespace netc::onnximport::detail
