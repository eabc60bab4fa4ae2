//===- Pool.cpp - (being written) ----------------------------------------------===//
#include "ir/OpTable.h"

namespace netc::ir {

void registerPoolOps(OpTable &) {}

} // namespace netc::ir
