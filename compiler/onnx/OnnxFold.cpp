//===- OnnxFold.cpp - the shape arithmetic of exported models, folded -------===//
//
// Exporters compute Reshape targets and Slice bounds at run time from Shape:
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape. On a model with static
// shapes every one of those values is known while importing; this folds
// them (small integer and float tensors, elementwise with scalar or
// same-shape operands) so that no such node reaches the program.
//
//===----------------------------------------------------------------------===//
#include "onnx/OnnxInternal.h"

#include <fmt/format.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/StringMap.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace netc::onnximport::detail {

namespace {
constexpr int64_t kSatLimit = int64_t(1) << 62;
} // namespace

int64_t mulSat(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r) || r > kSatLimit || r < -kSatLimit)
    return (a < 0) != (b < 0) ? -kSatLimit : kSatLimit;
  return r;
}

int64_t toInt(double v) {
  if (std::isnan(v))
    return 0;
  const double lim = static_cast<double>(kSatLimit);
  return static_cast<int64_t>(std::clamp(v, -lim, lim));
}

size_t elementsOf(const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n = d > 0 ? mulSat(n, d) : 0;
  return static_cast<size_t>(n);
}

size_t Const::elements() const { return elementsOf(dims); }

namespace {

using ::onnx::TensorProto;

int64_t attrInt(const ::onnx::NodeProto &n, const char *name, int64_t dflt) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return a.i();
  return dflt;
}

std::vector<int64_t> attrInts(const ::onnx::NodeProto &n, const char *name) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return {a.ints().begin(), a.ints().end()};
  return {};
}

Const scalarLike(const Const &c, std::vector<double> v, std::vector<int64_t> dims) {
  Const r;
  r.type = c.type;
  r.dims = std::move(dims);
  r.hasValues = true;
  r.values = std::move(v);
  return r;
}

bool isInt(int32_t t) {
  return t == TensorProto::INT64 || t == TensorProto::INT32 || t == TensorProto::INT8 ||
         t == TensorProto::INT16 || t == TensorProto::UINT8 || t == TensorProto::BOOL;
}

} // namespace

std::optional<std::vector<Const>> fold(const ::onnx::NodeProto &n,
                                       const std::vector<const Const *> &in,
                                       const std::vector<std::vector<int64_t>> &inputShapes,
                                       std::string &error) {
  const std::string &op = n.op_type();
  auto need = [&](size_t i) -> const Const * {
    if (i >= in.size() || !in[i] || !in[i]->hasValues) {
      error = fmt::format("input {} is not a known constant", i + 1);
      return nullptr;
    }
    return in[i];
  };
  if (op == "Shape") { // of any tensor whose shape is known
    if (inputShapes.empty())
      return std::nullopt;
    std::vector<int64_t> s = inputShapes[0];
    int64_t r = static_cast<int64_t>(s.size());
    int64_t start = attrInt(n, "start", 0), end = attrInt(n, "end", r);
    start = std::clamp(start < 0 ? start + r : start, int64_t(0), r);
    end = std::clamp(end < 0 ? end + r : end, int64_t(0), r);
    Const c;
    c.type = TensorProto::INT64;
    c.hasValues = true;
    for (int64_t i = start; i < end; ++i)
      c.values.push_back(static_cast<double>(s[i]));
    c.dims = {static_cast<int64_t>(c.values.size())};
    return std::vector<Const>{c};
  }
  if (op == "Size") {
    if (inputShapes.empty())
      return std::nullopt;
    double p = 1;
    for (int64_t d : inputShapes[0])
      p *= static_cast<double>(d);
    Const c;
    c.type = TensorProto::INT64;
    c.hasValues = true;
    c.values = {p};
    return std::vector<Const>{c};
  }
  // Everything else needs every input to be a constant.
  for (const Const *c : in)
    if (!c)
      return std::nullopt;
  if (op == "Identity" || op == "Cast") { // a weight (no values) too
    const Const *a = in[0];
    Const c = *a;
    if (op == "Cast") {
      c.type = static_cast<int32_t>(attrInt(n, "to", c.type));
      if (isInt(c.type))
        for (double &v : c.values)
          v = std::trunc(v);
    }
    return std::vector<Const>{c};
  }
  if (op == "Transpose") { // a weight's layout: its dims (values only for vectors)
    if (!in[0])
      return std::vector<Const>{};
    Const c = *in[0];
    std::vector<int64_t> perm = attrInts(n, "perm");
    if (perm.empty())
      for (size_t i = c.dims.size(); i-- > 0;)
        perm.push_back(static_cast<int64_t>(i));
    if (perm.size() != c.dims.size()) {
      error = "a Transpose whose perm does not match the rank";
      return std::vector<Const>{};
    }
    std::vector<int64_t> dims;
    for (int64_t p : perm)
      dims.push_back(c.dims[static_cast<size_t>(std::clamp<int64_t>(p, 0, c.dims.size() - 1))]);
    if (c.hasValues && c.dims.size() > 1) { // permute the values of a small constant
      const size_t rank = c.dims.size();
      std::vector<size_t> stride(rank, 1);
      for (size_t d = rank; d-- > 1;)
        stride[d - 1] = stride[d] * static_cast<size_t>(c.dims[d]);
      std::vector<double> v;
      std::vector<size_t> pos(rank, 0); // position in the output
      for (size_t e = 0, total = c.elements(); e < total; ++e) {
        size_t off = 0;
        for (size_t d = 0; d < rank; ++d)
          off += pos[d] * stride[static_cast<size_t>(perm[d])];
        v.push_back(c.values[off]);
        for (size_t d = rank; d-- > 0;)
          if (++pos[d] < static_cast<size_t>(dims[d]))
            break;
          else
            pos[d] = 0;
      }
      c.values = v;
    }
    c.dims = dims;
    return std::vector<Const>{c};
  }
  if (op == "Unsqueeze" || op == "Squeeze" || op == "Reshape" || op == "Flatten") {
    // Values (if read) unchanged, dims as the op makes them: a weight's
    // reshape (a norm's scale to broadcast) folds too.
    const Const *a = in[0];
    Const c = *a;
    std::vector<int64_t> in = a->dims, out;
    const int64_t n64 = static_cast<int64_t>(a->elements());
    if (op == "Reshape") {
      const Const *shape = need(1);
      if (!shape)
        return std::vector<Const>{};
      int64_t known = 1, infer = -1;
      for (size_t i = 0; i < shape->values.size(); ++i) {
        int64_t d = toInt(shape->values[i]);
        if (d == 0 && i < in.size())
          d = in[i];
        if (d == -1)
          infer = static_cast<int64_t>(i);
        else
          known = mulSat(known, d);
        out.push_back(d);
      }
      if (infer >= 0)
        out[static_cast<size_t>(infer)] = known > 0 ? n64 / known : 0;
    } else if (op == "Flatten") {
      int64_t axis = attrInt(n, "axis", 1), lead = 1;
      if (axis < 0)
        axis += static_cast<int64_t>(in.size());
      for (int64_t i = 0; i < axis && i < static_cast<int64_t>(in.size()); ++i)
        lead = mulSat(lead, in[static_cast<size_t>(i)]);
      out = {lead, lead ? n64 / lead : 0};
    } else {
      std::vector<int64_t> axes = attrInts(n, "axes");
      if (in.size() > 1 && n.input_size() > 1) {
        const Const *ax = need(1);
        if (!ax)
          return std::vector<Const>{};
        axes.clear();
        for (double v : ax->values)
          axes.push_back(toInt(v));
      }
      if (op == "Unsqueeze") {
        const int64_t rank = static_cast<int64_t>(in.size() + axes.size());
        std::vector<bool> one(static_cast<size_t>(rank), false);
        for (int64_t ax : axes)
          one[static_cast<size_t>(std::clamp<int64_t>(ax < 0 ? ax + rank : ax, 0, rank - 1))] = true;
        size_t k = 0;
        for (int64_t i = 0; i < rank; ++i)
          out.push_back(one[static_cast<size_t>(i)] ? 1 : (k < in.size() ? in[k++] : 1));
      } else { // Squeeze
        const int64_t rank = static_cast<int64_t>(in.size());
        for (int64_t i = 0; i < rank; ++i) {
          bool drop = axes.empty() ? in[static_cast<size_t>(i)] == 1
                                   : llvm::any_of(axes, [&](int64_t ax) {
                                       return (ax < 0 ? ax + rank : ax) == i;
                                     });
          if (!drop)
            out.push_back(in[static_cast<size_t>(i)]);
        }
      }
    }
    c.dims = out;
    if (c.elements() != a->elements()) {
      error = "the new dims do not hold the same number of elements";
      return std::vector<Const>{};
    }
    return std::vector<Const>{c};
  }
  if (op == "Gather") {
    const Const *data = need(0), *idx = need(1);
    if (!data || !idx)
      return std::vector<Const>{};
    if (data->dims.size() != 1) {
      error = "Gather of a constant folds 1-D data only";
      return std::vector<Const>{};
    }
    std::vector<double> v;
    const int64_t len = data->dims[0];
    for (double i : idx->values) {
      int64_t k = toInt(i);
      if (k < 0)
        k += len;
      if (k < 0 || k >= len) {
        error = fmt::format("Gather index {} is out of range for {} elements", i, len);
        return std::vector<Const>{};
      }
      v.push_back(data->values[static_cast<size_t>(k)]);
    }
    return std::vector<Const>{scalarLike(*data, v, idx->dims)};
  }
  if (op == "Concat") {
    std::vector<double> v;
    int32_t type = 0;
    for (size_t i = 0; i < in.size(); ++i) {
      const Const *a = need(i);
      if (!a)
        return std::vector<Const>{};
      if (a->dims.size() > 1) {
        error = "Concat of constants folds 1-D tensors only";
        return std::vector<Const>{};
      }
      v.insert(v.end(), a->values.begin(), a->values.end());
      type = a->type;
    }
    Const c;
    c.type = type;
    c.hasValues = true;
    c.values = v;
    c.dims = {static_cast<int64_t>(v.size())};
    return std::vector<Const>{c};
  }
  if (op == "Slice") { // N-D, any axes and steps, on small constants
    const Const *data = need(0);
    if (!data)
      return std::vector<Const>{};
    std::vector<int64_t> starts = attrInts(n, "starts"), ends = attrInts(n, "ends"),
                         axes = attrInts(n, "axes"), steps;
    auto list = [&](size_t k, std::vector<int64_t> &out) {
      if (k < in.size() && in[k]) {
        out.clear();
        for (double v : in[k]->values)
          out.push_back(toInt(v));
      }
    };
    list(1, starts);
    list(2, ends);
    list(3, axes);
    list(4, steps);
    const size_t rank = data->dims.size();
    if (axes.empty())
      for (size_t i = 0; i < starts.size(); ++i)
        axes.push_back(static_cast<int64_t>(i));
    steps.resize(starts.size(), 1);
    // The kept indices of every dim.
    std::vector<std::vector<int64_t>> keep(rank);
    for (size_t d = 0; d < rank; ++d)
      for (int64_t i = 0; i < data->dims[d]; ++i)
        keep[d].push_back(i);
    for (size_t k = 0; k < starts.size() && k < ends.size() && k < axes.size(); ++k) {
      int64_t ax = axes[k] < 0 ? axes[k] + static_cast<int64_t>(rank) : axes[k];
      if (ax < 0 || ax >= static_cast<int64_t>(rank) || steps[k] == 0) {
        error = "a Slice with a bad axis or a zero step";
        return std::vector<Const>{};
      }
      const int64_t len = data->dims[static_cast<size_t>(ax)], step = steps[k];
      auto norm = [&](int64_t i, int64_t lo, int64_t hi) {
        return std::clamp(i < 0 ? i + len : i, lo, hi);
      };
      std::vector<int64_t> idx;
      if (step > 0)
        for (int64_t i = norm(starts[k], 0, len), e = norm(ends[k], 0, len); i < e; i += step)
          idx.push_back(i);
      else
        for (int64_t i = norm(starts[k], 0, len - 1), e = norm(ends[k], -1, len - 1); i > e;
             i += step)
          idx.push_back(i);
      keep[static_cast<size_t>(ax)] = idx;
    }
    Const c;
    c.type = data->type;
    c.hasValues = true;
    for (const auto &kd : keep)
      c.dims.push_back(static_cast<int64_t>(kd.size()));
    std::vector<size_t> stride(rank, 1);
    for (size_t d = rank; d-- > 1;)
      stride[d - 1] = stride[d] * static_cast<size_t>(data->dims[d]);
    std::vector<size_t> pos(rank, 0);
    for (size_t e = 0, total = c.elements(); e < total; ++e) {
      size_t off = 0;
      for (size_t d = 0; d < rank; ++d)
        off += static_cast<size_t>(keep[d][pos[d]]) * stride[d];
      c.values.push_back(data->values[off]);
      for (size_t d = rank; d-- > 0;)
        if (++pos[d] < keep[d].size())
          break;
        else
          pos[d] = 0;
    }
    return std::vector<Const>{c};
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Equal" ||
      op == "Max" || op == "Min" || op == "Pow") {
    const Const *a = need(0), *b = need(1);
    if (!a || !b)
      return std::vector<Const>{};
    const Const &big = a->values.size() >= b->values.size() ? *a : *b;
    if (a->values.size() != b->values.size() && std::min(a->values.size(), b->values.size()) != 1) {
      error = "elementwise folding needs operands of one size, or a scalar";
      return std::vector<Const>{};
    }
    std::vector<double> v;
    const bool ints = isInt(a->type);
    for (size_t i = 0; i < big.values.size(); ++i) {
      double x = a->values[a->values.size() == 1 ? 0 : i];
      double y = b->values[b->values.size() == 1 ? 0 : i];
      double r = op == "Add"   ? x + y
                 : op == "Sub" ? x - y
                 : op == "Mul" ? x * y
                 : op == "Div" ? (ints ? (y == 0 ? 0 : std::trunc(x / y)) : x / y)
                 : op == "Max" ? std::max(x, y)
                 : op == "Min" ? std::min(x, y)
                 : op == "Pow" ? std::pow(x, y)
                               : double(x == y);
      v.push_back(r);
    }
    Const c = scalarLike(big, v, big.dims);
    if (op == "Equal")
      c.type = TensorProto::BOOL;
    return std::vector<Const>{c};
  }
  if (op == "Expand" || op == "Where")
    return foldBroadcast(n, in, error);
  if (op == "ConstantOfShape") {
    const Const *shape = need(0);
    if (!shape)
      return std::vector<Const>{};
    Const c;
    c.type = TensorProto::FLOAT;
    double value = 0;
    for (const auto &a : n.attribute())
      if (a.name() == "value") {
        Const v = readTensor(a.t(), 1);
        c.type = v.type;
        value = v.hasValues ? v.values.at(0) : 0;
      }
    for (double d : shape->values)
      c.dims.push_back(toInt(d));
    c.hasValues = c.elements() <= 4096;
    if (c.hasValues)
      c.values.assign(c.elements(), value);
    return std::vector<Const>{c};
  }
  if (op == "Range") {
    const Const *s = need(0), *l = need(1), *d = need(2);
    if (!s || !l || !d)
      return std::vector<Const>{};
    double start = s->values.at(0), limit = l->values.at(0), delta = d->values.at(0);
    double count = delta == 0 ? 0 : std::max(0.0, std::ceil((limit - start) / delta));
    if (count > 1 << 16) {
      error = "Range of more than 65536 values";
      return std::vector<Const>{};
    }
    std::vector<double> v;
    for (int64_t i = 0; i < static_cast<int64_t>(count); ++i)
      v.push_back(start + static_cast<double>(i) * delta);
    return std::vector<Const>{scalarLike(*s, v, {static_cast<int64_t>(v.size())})};
  }
  if (op == "Sqrt" || op == "Neg" || op == "Floor" || op == "Ceil" || op == "Reciprocal") {
    const Const *a = need(0);
    if (!a)
      return std::vector<Const>{};
    std::vector<double> v;
    for (double x : a->values)
      v.push_back(op == "Sqrt"    ? std::sqrt(x)
                  : op == "Neg"   ? -x
                  : op == "Floor" ? std::floor(x)
                  : op == "Ceil"  ? std::ceil(x)
                                  : 1 / x);
    return std::vector<Const>{scalarLike(*a, v, a->dims)};
  }
  return std::nullopt;
}

} // namespace netc::onnximport::detail
