//===- Terminal.h - the width of the terminal -------------------*- C++ -*-===//
#ifndef NETC_SUPPORT_TERMINAL_H
#define NETC_SUPPORT_TERMINAL_H

#include <cstddef>

namespace netc {

/// The columns of the terminal `fd` is, or 0 when it is not a terminal: the
/// COLUMNS environment variable when it holds a positive number (as
/// Python's shutil.get_terminal_size), else the terminal's own size
/// (TIOCGWINSZ), else 100.
size_t terminalColumns(int fd);

} // namespace netc

#endif
