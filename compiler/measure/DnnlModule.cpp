//===- DnnlModule.cpp - libnetc_dnnl.so's entry point ------------------------===//
//
// The table driver/Backends.h loads: what netc measure and netc calibrate
// run on oneDNN. Built into the module (with its own copy of the netc code
// it uses, hidden) and into netc_measure for the programs that link it (the
// tests hand it to provide()).
//
//===----------------------------------------------------------------------===//
#include "driver/Backends.h"
#include "measure/Measure.h"

namespace {

netc::measure::Runner *newRunner(const netc::measure::RunOptions &opts) {
  return new netc::measure::Runner(opts);
}
netc::measure::Timing time(netc::measure::Runner &r, const netc::measure::PrimitiveSpec &s) {
  return r.time(s);
}
void deleteRunner(netc::measure::Runner *r) { delete r; }

} // namespace

extern "C" __attribute__((visibility("default"))) const netc::backend::Dnnl *
netc_dnnl_backend() {
  static const netc::backend::Dnnl table = {netc::measure::measureGraph, newRunner, time,
                                           deleteRunner, netc::measure::Runner::runtimeName};
  return &table;
}
