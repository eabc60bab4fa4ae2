#include "support/Terminal.h"

#include <llvm/ADT/StringRef.h>

#include <cstdlib>

#include <sys/ioctl.h>
#include <unistd.h>

namespace netc {

size_t terminalColumns(int fd) {
  if (!::isatty(fd))
    return 0;
  unsigned columns = 0;
  if (const char *env = std::getenv("COLUMNS");
      env && !llvm::StringRef(env).getAsInteger(10, columns) && columns > 0)
    return columns;
  struct winsize ws = {};
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 100;
}

} // namespace netc
