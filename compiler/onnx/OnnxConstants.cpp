//===- OnnxConstants.cpp - constants of a model: read, and folded in place ---===//
//
// readTensor reads an initializer or a Constant's tensor (its values only
// when small: weights are never read). foldIntoConstants replaces each node
// that folds (OnnxFold.cpp) by a Constant node holding its value, so that
// ONNX's shape inference, run again, sees through the shape arithmetic.
//
//===----------------------------------------------------------------------===//
#include "onnx/OnnxInternal.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/StringMap.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <optional>

namespace netc::onnximport::detail {

namespace {

using ::onnx::TensorProto;

template <typename T> void readRaw(const std::string &raw, size_t n, std::vector<double> &out) {
  if (raw.size() < n * sizeof(T))
    return;
  for (size_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
    out.push_back(static_cast<double>(v));
  }
}

} // namespace

Const readTensor(const TensorProto &t, size_t maxValues) {
  Const c;
  c.type = t.data_type();
  c.origin = t.name();
  c.dims.assign(t.dims().begin(), t.dims().end());
  const size_t n = c.elements();
  if (n > maxValues || t.data_location() == TensorProto::EXTERNAL)
    return c;
  std::vector<double> &v = c.values;
  if (t.has_raw_data()) {
    const std::string &raw = t.raw_data();
    switch (t.data_type()) {
    case TensorProto::FLOAT: readRaw<float>(raw, n, v); break;
    case TensorProto::DOUBLE: readRaw<double>(raw, n, v); break;
    case TensorProto::INT64: readRaw<int64_t>(raw, n, v); break;
    case TensorProto::INT32: readRaw<int32_t>(raw, n, v); break;
    case TensorProto::INT8: readRaw<int8_t>(raw, n, v); break;
    case TensorProto::UINT8:
    case TensorProto::BOOL: readRaw<uint8_t>(raw, n, v); break;
    default: break;
    }
  } else {
    for (float f : t.float_data())
      v.push_back(f);
    for (double d : t.double_data())
      v.push_back(d);
    for (int64_t i : t.int64_data())
      v.push_back(static_cast<double>(i));
    for (int32_t i : t.int32_data())
      v.push_back(i);
  }
  c.hasValues = v.size() == n;
  if (!c.hasValues)
    v.clear();
  return c;
}



namespace {

/// The constant as a tensor of its own element type, or nothing for a type
/// whose values it cannot hold exactly (f16, bf16, strings).
std::optional<::onnx::TensorProto> tensorOf(const Const &c, const std::string &name) {
  ::onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(c.type);
  for (int64_t d : c.dims)
    t.add_dims(d);
  for (double v : c.values)
    switch (c.type) {
    case TensorProto::FLOAT: t.add_float_data(static_cast<float>(v)); break;
    case TensorProto::DOUBLE: t.add_double_data(v); break;
    case TensorProto::INT64: t.add_int64_data(toInt(v)); break;
    case TensorProto::INT32:
    case TensorProto::INT16:
    case TensorProto::INT8:
    case TensorProto::UINT16:
    case TensorProto::UINT8:
    case TensorProto::BOOL: t.add_int32_data(static_cast<int32_t>(std::clamp<int64_t>(toInt(v), INT32_MIN, INT32_MAX))); break;
    default: return std::nullopt;
    }
  return t;
}

} // namespace

size_t foldIntoConstants(::onnx::GraphProto &g, size_t maxValues) {
  llvm::StringMap<Const> known;
  llvm::StringMap<std::vector<int64_t>> shapes;
  auto readShape = [&](const ::onnx::ValueInfoProto &v) {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape())
      return;
    std::vector<int64_t> s;
    for (const auto &d : v.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value() || d.dim_value() <= 0)
        return;
      s.push_back(d.dim_value());
    }
    shapes[v.name()] = s;
  };
  for (const auto &v : g.input())
    readShape(v);
  for (const auto &v : g.value_info())
    readShape(v);
  for (const auto &t : g.initializer())
    known[t.name()] = readTensor(t, maxValues);
  size_t replaced = 0;
  for (::onnx::NodeProto &n : *g.mutable_node()) {
    if (n.op_type() == "Constant") {
      for (const auto &a : n.attribute())
        if (a.name() == "value" && n.output_size() == 1)
          known[n.output(0)] = readTensor(a.t(), maxValues);
      continue;
    }
    if (n.output_size() != 1 || n.input_size() == 0)
      continue;
    std::vector<const Const *> in;
    std::vector<std::vector<int64_t>> inShapes;
    bool shapesKnown = true;
    for (const std::string &name : n.input()) {
      auto k = known.find(name);
      in.push_back(name.empty() || k == known.end() ? nullptr : &k->second);
      auto s = shapes.find(name);
      shapesKnown &= s != shapes.end() || (k != known.end());
      inShapes.push_back(s != shapes.end() ? s->second
                         : k != known.end() ? k->second.dims
                                            : std::vector<int64_t>{});
    }
    const bool shapeOp = n.op_type() == "Shape" || n.op_type() == "Size";
    bool allConst = llvm::all_of(in, [](const Const *c) { return c != nullptr; });
    if (!(shapeOp && shapesKnown) && !allConst)
      continue;
    std::string error;
    std::optional<std::vector<Const>> r = fold(n, in, inShapes, error);
    if (!r || !error.empty() || r->size() != 1 || !(*r)[0].hasValues)
      continue;
    Const c = (*r)[0];
    auto s = shapes.find(n.output(0));
    if (s != shapes.end()) {
      if (elementsOf(s->second) == c.values.size())
        c.dims = s->second;
    }
    known[n.output(0)] = c;
    std::optional<::onnx::TensorProto> value = tensorOf(c, n.output(0));
    if (!value)
      continue;
    std::string out = n.output(0), name = n.name();
    n.Clear();
    n.set_op_type("Constant");
    n.set_name(name);
    n.add_output(out);
    ::onnx::AttributeProto *a = n.add_attribute();
    a->set_name("value");
    a->set_type(::onnx::AttributeProto::TENSOR);
    *a->mutable_t() = std::move(*value);
    ++replaced;
  }
  return replaced;
}

} // namespace netc::onnximport::detail
