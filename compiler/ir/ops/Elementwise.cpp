//===- Elementwise.cpp - (being written) ----------------------------------------------===//
#include "ir/OpTable.h"

namespace netc::ir {

void registerElementwiseOps(OpTable &) {}

} // namespace netc::ir
