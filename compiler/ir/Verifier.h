//===- Verifier.h - structural checks of a graph ---------------*- C++ -*-===//
//
// Run after elaboration and, with --verify-each, after every pass. Checks
// that every node has an op, reads only values produced before it (so the
// node order is an execution order), has attributes its op accepts, and
// outputs exactly the types its op's shape rule infers; that node names are
// unique; and that the graph has outputs. Returns one message per problem.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_VERIFIER_H
#define NETC_IR_VERIFIER_H

#include "ir/Graph.h"

#include <string>
#include <vector>

namespace netc::ir {

std::vector<std::string> verifyGraph(const Graph &g);

} // namespace netc::ir

#endif
