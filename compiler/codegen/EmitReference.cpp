//===- EmitReference.cpp - reference.cpp: the graph as written ------------===//
//
// The reference path of the self-check: every op of the graph as written
// separately (batchnorm unfolded, nothing fused), in double precision, each
// value freed after its last reader.
//
//===----------------------------------------------------------------------===//
#include "codegen/EmitterImpl.h"

#include "codegen/templates/reference.cpp.h"

namespace netc::codegen::detail {

/// The statements of one kernel node `n` of the graph as written: its
/// weights from the state dict, its outputs allocated, the call of `fn`.
void Emitter::referenceCall(const Node &n, const std::string &fn, TensorLists &lists,
                            CodeWriter &body) {
  std::vector<std::string> args;
  body.open("");
  size_t j = 0;
  for (const WeightSpec &s : orig.weights(n)) {
    body.line("const std::vector<double> w{} = weight(state, {}, {});", j,
              cppString(ir::stateDictKey(n.name, s.name)), Buffer::count(s.shape));
    ++j;
  }
  if (takesTensorList(*n.op)) {
    std::vector<TensorLists::Row> rows;
    for (ValueId in : n.inputs)
      rows.push_back({static_cast<int64_t>(in), orig.type(in).numElements().value_or(0)});
    args = lists.callArgs(rows, "v");
  } else {
    for (ValueId in : n.inputs)
      args.push_back(fmt::format("v[{}].data()", in));
  }
  for (size_t k = 0; k < j; ++k)
    args.push_back(fmt::format("w{}.data()", k));
  for (ValueId out : n.outputs) {
    body.line("v[{}].assign({}, 0.0);", out, countOf(orig.type(out)));
    args.push_back(fmt::format("v[{}].data()", out));
  }
  std::string call;
  for (const std::string &a : args)
    call += (call.empty() ? "" : ", ") + a;
  body.line("{}({});", fn, call);
  body.close();
}

/// reference.cpp: the graph as written, op by op, in double precision.
bool Emitter::emitReference(std::string &text) {
  KernelSet kernels;
  TensorLists lists;
  CodeWriter body(1);
  // Free each value after its last reader (outputs stay).
  std::vector<uint32_t> last(orig.values.size(), 0);
  std::vector<bool> isOutput(orig.values.size(), false);
  for (ValueId v : orig.outputs)
    isOutput[v] = true;
  for (uint32_t i = 0; i < orig.nodes.size(); ++i)
    for (ValueId v : orig.nodes[i].inputs)
      last[v] = i;
  body.line("std::vector<std::vector<double>> v({});", orig.values.size());
  size_t nextInput = 0;
  for (uint32_t i = 0; i < orig.nodes.size(); ++i) {
    const Node &n = orig.nodes[i];
    if (!n.epilogue.empty())
      return fail(n, "the graph as written has a fused node");
    body.line("// {}", commentText(n.name));
    if (n.op->isInput) {
      body.line("v[{0}].assign(inputs[{1}].begin(), inputs[{1}].end());", n.outputs[0],
                nextInput++);
    } else if (n.op->outputIsWeight) {
      const WeightSpec s = orig.weights(n).front();
      body.line("v[{}] = weight(state, {}, {});", n.outputs[0],
                cppString(ir::stateDictKey(n.name, s.name)), Buffer::count(s.shape));
    } else if (n.op->view) {
      body.line("v[{}] = v[{}];", n.outputs[0], n.inputs[0]);
    } else {
      KernelSource src;
      if (std::string e = generateKernel(orig, n, src); !e.empty())
        return fail(n, e);
      referenceCall(n, kernels.add(std::move(src), i), lists, body);
      if (!withinLimit(n, kernels.bytes() + lists.bytes() + body.str().size()))
        return false;
    }
    for (ValueId in : n.inputs)
      if (last[in] == i && !isOutput[in])
        body.line("std::vector<double>().swap(v[{}]);", in);
  }
  std::string outs;
  for (ValueId v : orig.outputs)
    outs += (outs.empty() ? "" : ", ") + fmt::format("v[{}]", v);
  body.line("return {{{}}};", outs);

  std::string kernelText;
  for (const KernelSet::Entry &e : kernels.all()) {
    std::string comment = "// " + commentText(e.src.what) + "\n";
    kernelText += "\n" + kernelFunction(comment, "", e);
  }
  text = fillTemplate(templates::reference_cpp,
                      {{"NETWORK", commentText(orig.name)},
                       {"LISTS", lists.text("value number in v")},
                       {"KERNELS", kernelText},
                       {"BODY", (state.empty() ? "  (void)state;\n" : "") + body.str()}});
  return true;
}

} // namespace netc::codegen::detail
