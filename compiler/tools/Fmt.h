//===- Fmt.h - netc fmt: the formatter's command line -----------*- C++ -*-===//
//
// `netc fmt [--check] [--stdout] [--width N] FILE.net...|-`, dispatched by
// netc's main before its own options are parsed (as `netc calibrate` is).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_TOOLS_FMT_H
#define NETC_TOOLS_FMT_H

namespace netc {

/// argv[0] is "fmt". Returns the exit code: 0 done (or, with --check, all
/// files formatted), 1 an input error or an unformatted file, 2 a usage error.
int fmtMain(int argc, char **argv);

} // namespace netc

#endif
