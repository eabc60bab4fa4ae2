//===- EmitCheck.cpp - check.cpp, the self-check, and its CMakeLists.txt --===//
//
// check.cpp draws the weights and inputs netc's evaluator draws for a seed,
// runs the reference and the fused path and compares them; its text is
// templates/check.cpp.tmpl with the network's tables filled in.
//
//===----------------------------------------------------------------------===//
#include "codegen/EmitterImpl.h"

#include "codegen/templates/CMakeLists.txt.h"
#include "codegen/templates/check.cpp.h"

namespace netc::codegen::detail {

std::string Emitter::checkSource() {
  std::string inits;
  for (const StateEntry &e : state)
    inits += fmt::format("    {{{}, {}, {}, {}, {}}},\n", cppString(e.node), cppString(e.tensor),
                         real(e.dist.lo), real(e.dist.hi), real(e.dist.scale));
  std::string inputNames;
  for (const Node &n : orig.nodes)
    if (n.op->isInput)
      inputNames += "    " + cppString(n.name) + ",\n";
  return fillTemplate(templates::check_cpp, {{"INITS", inits}, {"INPUT_NODES", inputNames}});
}

std::string Emitter::cmakeLists() { return std::string(templates::CMakeLists_txt); }

} // namespace netc::codegen::detail
