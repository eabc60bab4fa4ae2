//===- HardwareUnits.h - the units of hardware declarations -----*- C++ -*-===//
//
// Internal to sema/Hardware.cpp: the unit spellings a hardware declaration
// accepts and the messages about them. parseUnit (sema/Hardware.h) is the
// public part.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SEMA_HARDWAREUNITS_H
#define NETC_SEMA_HARDWAREUNITS_H

#include "sema/Hardware.h"

#include <llvm/ADT/StringRef.h>

#include <optional>
#include <string>

namespace netc::sema {

/// Times (s, ms, us, ns), for layer_overhead only: parseUnit refuses them.
std::optional<Unit> parseTimeUnit(llvm::StringRef text);
/// What a kind measures, for messages: "a compute rate", "bytes per second".
const char *describe(UnitKind k);
/// The spellings of `kind`, comma-separated, in the order messages list them.
std::string acceptedUnits(UnitKind kind);
/// The error for a unit parseUnit does not know, on the field `field` that
/// takes `kind`: bits for bytes, a case or spelling variant (a suggestion),
/// or the accepted units.
std::string unknownUnitMessage(llvm::StringRef unit, llvm::StringRef field, UnitKind kind);

} // namespace netc::sema

#endif
