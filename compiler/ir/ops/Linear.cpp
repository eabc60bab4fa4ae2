//===- Linear.cpp - (being written) ----------------------------------------------===//
#include "ir/OpTable.h"

namespace netc::ir {

void registerLinearOps(OpTable &) {}

} // namespace netc::ir
