//===- OnnxFoldBroadcast.cpp - Expand and Where over constants ---------------===//
//
// Part of the folding of OnnxFold.cpp: numpy broadcasting of a constant to a
// shape (Expand: a class token expanded to the batch, a weight keeping no
// values), and Where over operands of one size or scalars (the -1 of a
// Reshape target replaced at run time).
//
//===----------------------------------------------------------------------===//
#include "onnx/OnnxInternal.h"

#include <algorithm>

namespace netc::onnximport::detail {

namespace {

const Const *need(const std::vector<const Const *> &in, size_t i, std::string &error) {
  if (i >= in.size() || !in[i] || !in[i]->hasValues) {
    error = "input " + std::to_string(i + 1) + " is not a known constant";
    return nullptr;
  }
  return in[i];
}

} // namespace

std::optional<std::vector<Const>> foldBroadcast(const ::onnx::NodeProto &n,
                                                const std::vector<const Const *> &in,
                                                std::string &error) {
  const std::string &op = n.op_type();
  if (op == "Expand") { // numpy broadcasting to a shape; a weight (no values) too
    const Const *a = in[0], *shape = need(in, 1, error);
    if (!shape)
      return std::vector<Const>{};
    std::vector<int64_t> to;
    for (double d : shape->values)
      to.push_back(toInt(d));
    std::vector<int64_t> dims(std::max(to.size(), a->dims.size()), 1);
    for (size_t i = 0; i < dims.size(); ++i) {
      int64_t x = i + a->dims.size() >= dims.size() ? a->dims[i + a->dims.size() - dims.size()] : 1;
      int64_t y = i + to.size() >= dims.size() ? to[i + to.size() - dims.size()] : 1;
      if (x != y && x != 1 && y != 1) {
        error = "Expand to a shape that does not broadcast";
        return std::vector<Const>{};
      }
      dims[i] = std::max(x, y);
    }
    Const c = *a;
    c.dims = dims;
    if (c.elements() != a->elements()) { // values replicated: only a scalar's
      bool scalar = a->hasValues && a->values.size() == 1 && c.elements() <= 4096;
      c.values = scalar ? std::vector<double>(c.elements(), a->values[0]) : std::vector<double>{};
      c.hasValues = scalar;
    }
    return std::vector<Const>{c};
  }
  if (op == "Where") { // elementwise, operands of one size or scalars
    const Const *cond = need(in, 0, error), *a = need(in, 1, error), *b = need(in, 2, error);
    if (!cond || !a || !b)
      return std::vector<Const>{};
    size_t size = std::max({cond->values.size(), a->values.size(), b->values.size()});
    for (const Const *k : {cond, a, b})
      if (k->values.size() != size && k->values.size() != 1) {
        error = "Where folds operands of one size, or scalars";
        return std::vector<Const>{};
      }
    auto at = [](const Const *k, size_t i) { return k->values[k->values.size() == 1 ? 0 : i]; };
    std::vector<double> v;
    for (size_t i = 0; i < size; ++i)
      v.push_back(at(cond, i) != 0 ? at(a, i) : at(b, i));
    const Const &shape = a->values.size() == size ? *a : b->values.size() == size ? *b : *cond;
    Const c = *a;
    c.dims = shape.dims;
    c.hasValues = true;
    c.values = std::move(v);
    return std::vector<Const>{c};
  }
  return std::nullopt;
}

} // namespace netc::onnximport::detail
