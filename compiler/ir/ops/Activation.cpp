//===- Activation.cpp - (being written) ----------------------------------------------===//
#include "ir/OpTable.h"

namespace netc::ir {

void registerActivationOps(OpTable &) {}

} // namespace netc::ir
