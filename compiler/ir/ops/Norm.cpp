//===- Norm.cpp - (being written) ----------------------------------------------===//
#include "ir/OpTable.h"

namespace netc::ir {

void registerNormOps(OpTable &) {}

} // namespace netc::ir
