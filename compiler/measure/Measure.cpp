//===- Measure.cpp - `netc measure`: time every layer on this machine -----===//
#include "measure/Measure.h"

#include "support/StatusLine.h"

#include <fmt/format.h>

#include <map>

namespace netc::measure {

using Status = cost::LayerMeasurement::Status;

namespace {

/// "netc measure: [########------------] 12/40 (5 distinct)".
std::string progressText(size_t done, size_t total, size_t distinct) {
  constexpr size_t kWidth = 20;
  const size_t filled = total ? done * kWidth / total : kWidth;
  return fmt::format("netc measure: [{}{}] {}/{} layers ({} distinct)", std::string(filled, '#'),
                     std::string(kWidth - filled, '-'), done, total, distinct);
}

/// The measurement of a layer whose spec is `s`, timed by `runner` unless
/// `timed` holds its configuration already.
cost::LayerMeasurement measureLayer(const PrimitiveSpec &s, Runner &runner,
                                    std::map<std::string, cost::LayerMeasurement> &timed) {
  cost::LayerMeasurement m;
  m.primitive = primitiveName(s);
  if (s.status == SpecStatus::View) {
    m.status = Status::View;
    return m;
  }
  if (s.status == SpecStatus::Unsupported) {
    m.why = s.why;
    return m;
  }
  const std::string key = configKey(s);
  if (auto it = timed.find(key); it != timed.end()) {
    cost::LayerMeasurement again = it->second;
    again.reused = again.status == Status::Measured;
    return again;
  }
  Timing t = runner.time(s);
  m.impl = t.impl;
  m.why = t.error;
  if (t.error.empty()) {
    m.status = Status::Measured;
    m.min = t.seconds.min, m.median = t.seconds.median, m.max = t.seconds.max;
  }
  timed.emplace(key, m);
  return m;
}

} // namespace

void sumMeasurement(const cost::Report &r, cost::Measurement &m) {
  m.total = m.totalMin = m.totalMax = 0;
  m.rooflineOfMeasured = m.estimateOfMeasured = 0;
  m.measured = m.unmeasured = 0;
  for (size_t i = 0; i < m.layers.size() && i < r.layers.size(); ++i) {
    const cost::LayerMeasurement &l = m.layers[i];
    if (l.status == Status::Unmeasured)
      ++m.unmeasured;
    if (l.status != Status::Measured)
      continue;
    ++m.measured;
    m.total += l.median;
    m.totalMin += l.min;
    m.totalMax += l.max;
    m.rooflineOfMeasured += r.layers[i].latency;
    m.estimateOfMeasured += r.layers[i].calibratedLatency;
  }
}

void measureGraph(const ir::Graph &g, cost::Report &r, const RunOptions &opts,
                  llvm::raw_ostream &progress) {
  cost::Measurement m;
  m.runtime = Runner::runtimeName();
  m.layout = layoutName(opts.layout);
  m.threads = opts.threads;
  m.warmup = opts.warmup;
  m.repeats = opts.repeats;
  Runner runner(opts);
  std::map<std::string, cost::LayerMeasurement> timed;
  StatusLine status(progress);
  const size_t n = g.nodes.size();
  for (size_t i = 0; i < n; ++i) {
    status.show([&] { return progressText(i, n, timed.size()); });
    m.layers.push_back(measureLayer(mapNode(g, g.nodes[i], r.options.batch), runner, timed));
  }
  m.configurations = static_cast<int64_t>(timed.size());
  sumMeasurement(r, m);
  r.measured = std::move(m);
}

} // namespace netc::measure
