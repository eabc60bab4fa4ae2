//===- Kernels.cpp - measured kernels: families, work, neighbours ---------===//
#include "target/Kernels.h"

#include <algorithm>
#include <cmath>

namespace netc::target {

namespace {

constexpr const char *kConvKeys[] = {"cin", "cout", "groups", "h", "w", "kh", "kw", "stride"};
constexpr const char *kLinearKeys[] = {"m", "k", "n"};
constexpr const char *kMatmulKeys[] = {"batch", "m", "k", "n"};
constexpr const char *kDataKeys[] = {"src", "dst"};
constexpr const char *kConcatKeys[] = {"inputs", "src", "dst"};

/// How a family's dims give its work and features.
enum class Shape { Conv, Product, Data };

/// The families with dims of their own; any other is a Data family with
/// kDataKeys. The one table: kernelKeys, kernelWork and kernelFeatures read it.
struct FamilySpec {
  const char *name;
  Shape shape;
  llvm::ArrayRef<const char *> keys;
};
const FamilySpec kFamilies[] = {
    {kFamilyConv, Shape::Conv, kConvKeys},       {kFamilyDeconv, Shape::Conv, kConvKeys},
    {kFamilyLinear, Shape::Product, kLinearKeys}, {kFamilyMatmul, Shape::Product, kMatmulKeys},
    {kFamilyConcat, Shape::Data, kConcatKeys}};

const FamilySpec &familySpec(llvm::StringRef family) {
  static const FamilySpec data{"", Shape::Data, kDataKeys};
  for (const FamilySpec &f : kFamilies)
    if (family == f.name)
      return f;
  return data;
}

double lg(int64_t v) { return std::log2(static_cast<double>(std::max<int64_t>(v, 1))); }

} // namespace

llvm::ArrayRef<const char *> kernelKeys(llvm::StringRef family) {
  return familySpec(family).keys;
}

double kernelWork(llvm::StringRef family, llvm::ArrayRef<int64_t> dims) {
  const FamilySpec &f = familySpec(family);
  double w = 1;
  if (dims.size() != f.keys.size())
    return w;
  switch (f.shape) {
  case Shape::Conv: // cout x h x w x cin/groups x kh x kw
    w = static_cast<double>(dims[1]) * static_cast<double>(dims[3]) *
        static_cast<double>(dims[4]) * static_cast<double>(dims[0]) /
        static_cast<double>(std::max<int64_t>(dims[2], 1)) * static_cast<double>(dims[5]) *
        static_cast<double>(dims[6]);
    break;
  case Shape::Product:
    for (int64_t d : dims)
      w *= static_cast<double>(d);
    break;
  case Shape::Data: // the elements read and written
    w = static_cast<double>(dims[dims.size() - 2]) + static_cast<double>(dims.back());
  }
  return std::max(w, 1.0);
}

std::vector<double> kernelFeatures(llvm::StringRef family, llvm::ArrayRef<int64_t> dims) {
  const FamilySpec &spec = familySpec(family);
  if (dims.size() != spec.keys.size())
    return {};
  if (spec.shape == Shape::Conv) {
    const int64_t g = std::max<int64_t>(dims[2], 1);
    return {lg(dims[0] / g), lg(dims[1] / g), lg(g), lg(dims[3] * dims[4]),
            lg(dims[5] * dims[6]), lg(dims[7])};
  }
  std::vector<double> f;
  for (int64_t d : dims)
    f.push_back(lg(d));
  return f;
}

void prepareKernel(KernelSample &s) {
  s.features = kernelFeatures(s.family, s.dims);
  s.logRate = s.seconds > 0 ? std::log(s.seconds / kernelWork(s.family, s.dims)) : 0;
}

double interpolateKernel(llvm::ArrayRef<KernelSample> samples, llvm::StringRef family,
                         llvm::ArrayRef<int64_t> dims) {
  const std::vector<double> q = kernelFeatures(family, dims);
  struct Near {
    double dist, logRate;
    size_t index; ///< breaks ties: the first sample in the profile wins
  };
  std::vector<Near> near;
  for (const KernelSample &s : samples) {
    if (s.family != family || s.seconds <= 0)
      continue;
    KernelSample own;
    if (s.features.empty()) { // not prepared: compute here
      own = s;
      prepareKernel(own);
    }
    const KernelSample &p = s.features.empty() ? own : s;
    if (p.features.size() != q.size())
      continue;
    double d2 = 0;
    for (size_t i = 0; i < q.size(); ++i)
      d2 += (p.features[i] - q[i]) * (p.features[i] - q[i]);
    near.push_back({std::sqrt(d2), p.logRate, near.size()});
  }
  if (near.empty())
    return -1;
  constexpr size_t kNeighbours = 4;
  const size_t k = std::min(kNeighbours, near.size());
  // Ties go to the earlier sample: the estimate depends on nothing else.
  std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(k), near.end(),
                    [](const Near &a, const Near &b) {
                      return a.dist < b.dist || (a.dist == b.dist && a.index < b.index);
                    });
  if (near[0].dist == 0)
    return std::exp(near[0].logRate) * kernelWork(family, dims);
  double sumW = 0, sum = 0;
  for (size_t i = 0; i < k; ++i) {
    const double w = 1 / (near[i].dist * near[i].dist);
    sumW += w;
    sum += w * near[i].logRate;
  }
  return std::exp(sum / sumW) * kernelWork(family, dims);
}

} // namespace netc::target
