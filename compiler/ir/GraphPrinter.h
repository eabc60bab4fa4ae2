//===- GraphPrinter.h - stable text form of a graph (--emit=graph) -*- C++ -*-===//
//
//   network mobilenet_v2(width=1.0, classes=1000, res=224)
//     %input = input() {shape=[1,3,224,224], dtype="f32"} : f32[1,3,224,224]  # m.net:15:7
//     %conv_bn_act.conv2d = conv2d(%input) {out=32, k=[3,3], ...} : f32[1,32,112,112]  # ...
//     return %linear
//
// One node a line in execution order; attributes in the op's declared order.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_GRAPHPRINTER_H
#define NETC_IR_GRAPHPRINTER_H

#include "ir/Graph.h"

#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

namespace netc::ir {

/// `sm` names the files of source locations; without it they are omitted.
void printGraph(llvm::raw_ostream &os, const Graph &g, const llvm::SourceMgr *sm = nullptr);

} // namespace netc::ir

#endif
