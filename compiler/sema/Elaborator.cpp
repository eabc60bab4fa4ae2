#include "sema/Elaborator.h"

#include "sema/ElaboratorImpl.h"

namespace netc {

std::optional<ir::Graph> elaborate(const Program &program, DiagEngine &diag,
                                   const ElabOptions &opts) {
  return sema::Elaborator(program, diag, opts).run();
}

} // namespace netc
