//===- Shape.cpp - (being written) ----------------------------------------------===//
#include "ir/OpTable.h"

namespace netc::ir {

void registerShapeOps(OpTable &) {}

} // namespace netc::ir
