//===- Serving.cpp - what an LLM phase or request costs ----------------------===//
//
// A phase is one step of the network (the report's totals); a request is the
// prefill, then generate - 1 decode steps at past = prompt, ..., prompt +
// generate - 2. Each step is the same network with other `seq` and `past`
// arguments, so it is elaborated, optimized and costed like the first. On a
// profile without calibration the roofline of every layer is affine in
// `past` (attention reads past + 1 keys, its cache grows by one token per
// step), so the steps are summed from two costed steps, layer by layer, after
// checking that a third (the last step) lies on the same lines; otherwise,
// and when that check fails, every step is costed.
//
//===----------------------------------------------------------------------===//
#include "driver/Compilation.h"

#include "cost/CostModel.h"

#include <fmt/format.h>

namespace netc::driver {

namespace {

cost::Serving::Time timeOf(const cost::Totals &t) { return {t.latency, t.calibratedLatency}; }

cost::Serving::Time plus(cost::Serving::Time a, cost::Serving::Time b) {
  return {a.roofline + b.roofline, a.estimate + b.estimate};
}

cost::Serving::Time rate(double tokens, cost::Serving::Time t) {
  return {t.roofline > 0 ? tokens / t.roofline : 0, t.estimate > 0 ? tokens / t.estimate : 0};
}

/// Whether `last`, costed at step `n`, lies on the lines through `a` (step
/// 0) and `b` (step 1), layer by layer: the same layers, and FLOPs and bytes
/// of each equal a + (b - a) * n.
bool affine(const cost::Report &a, const cost::Report &b, const cost::Report &last, int64_t n) {
  if (a.layers.size() != b.layers.size() || a.layers.size() != last.layers.size())
    return false;
  for (size_t i = 0; i < a.layers.size(); ++i) {
    const cost::LayerCost &x = a.layers[i], &y = b.layers[i], &z = last.layers[i];
    if (x.name != y.name || x.name != z.name)
      return false;
    // Exact in int64: the counts are exact integers, and a step that grows
    // them by more than 2^63 / n has failed to cost already.
    if (x.flops + (y.flops - x.flops) * n != z.flops ||
        x.memoryBytes + (y.memoryBytes - x.memoryBytes) * n != z.memoryBytes)
      return false;
  }
  return true;
}

} // namespace

std::optional<cost::Report> Compilation::decodeStep(const Program &program,
                                                    const ElabOptions &elab, int64_t past,
                                                    DiagEngine &diag) {
  ElabOptions step = elab;
  step.phaseArgs = {{"seq", "1"}, {"past", std::to_string(past)}};
  step.progress = nullptr;
  std::optional<ir::Graph> g = elaborate(program, step, diag);
  if (!g || !optimize(*g))
    return std::nullopt;
  return cost::buildReport(*g, *hardware(), opts.cost, diag);
}

bool Compilation::addServing(const Program &program, const ElabOptions &elab, cost::Report &r) {
  const cost::PhaseOptions &p = opts.phase;
  cost::Serving s;
  s.phase = p;
  const double batch = static_cast<double>(opts.cost.batch);
  const int64_t kvBits = opts.cost.kvCache().bits;
  s.kvCacheBytes = cost::storageBytes(r.totals.kvHeld, kvBits).value_or(0);
  const cost::Serving::Time first = timeOf(r.totals);
  s.total = first;
  switch (p.phase) {
  case cost::Phase::None:
    return true;
  case cost::Phase::Prefill:
    s.prefill = first;
    s.tokensPerSecond = rate(batch * static_cast<double>(p.prompt), first);
    break;
  case cost::Phase::Decode:
    s.decodeStep = first;
    s.tokensPerSecond = rate(batch, first);
    break;
  case cost::Phase::Request: {
    s.prefill = first;
    s.decodeSteps = p.generate - 1;
    if (s.decodeSteps > 0) {
      // The steps' own warnings are the first elaboration's again: a quiet
      // engine, printed only when a step fails.
      DiagEngine quiet(*sm, opts.errorLimit);
      auto failStep = [&] {
        quiet.print(err);
        return fail(Failure::Input);
      };
      const int64_t n = s.decodeSteps;
      std::optional<cost::Report> a = decodeStep(program, elab, p.prompt, quiet);
      if (!a)
        return failStep();
      s.decodeLayers = a->layers;
      s.decodePast = p.prompt;
      std::optional<cost::Report> b, last;
      if (n >= 3 && !r.hardware.hasCalibration) {
        b = decodeStep(program, elab, p.prompt + 1, quiet);
        last = decodeStep(program, elab, p.prompt + n - 1, quiet);
        if (!b || !last)
          return failStep();
      }
      cost::Serving::Time sum;
      if (b && last && affine(*a, *b, *last, n - 1)) {
        s.method = "affine in past, checked at the last step";
        for (int64_t t = 0; t < n; ++t) {
          double step = 0;
          for (size_t i = 0; i < a->layers.size(); ++i) {
            cost::LayerCost l = a->layers[i];
            l.flops += (b->layers[i].flops - l.flops) * t;
            l.memoryBytes += (b->layers[i].memoryBytes - l.memoryBytes) * t;
            cost::applyRoofline(l, r.hardware, opts.cost.dtype);
            step += l.latency;
          }
          sum.roofline += step;
          if (t == 0)
            s.firstStep = {step, 0};
          if (t == n - 1)
            s.lastStep = {step, 0};
        }
        s.kvCacheBytes = cost::storageBytes(last->totals.kvHeld, kvBits).value_or(0);
      } else {
        s.method = "exact per step";
        for (int64_t t = 0; t < n; ++t) {
          std::optional<cost::Report> step =
              t == 0 ? a : decodeStep(program, elab, p.prompt + t, quiet);
          if (!step)
            return failStep();
          sum = plus(sum, timeOf(step->totals));
          if (t == 0)
            s.firstStep = timeOf(step->totals);
          if (t == n - 1) {
            s.lastStep = timeOf(step->totals);
            s.kvCacheBytes = cost::storageBytes(step->totals.kvHeld, kvBits).value_or(0);
          }
        }
      }
      const double steps = static_cast<double>(n);
      s.decodeStep = {sum.roofline / steps, sum.estimate / steps};
      s.total = plus(first, sum);
    }
    s.tokensPerSecond = rate(batch * static_cast<double>(p.generate), s.total);
    break;
  }
  }
  r.serving = std::move(s);
  return true;
}

} // namespace netc::driver
