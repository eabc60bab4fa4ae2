// --emit=onnx (onnx/OnnxWriter): every example, optimized and as written,
// written to memory, parsed back and checked with ONNX's own checker and
// shape inference: the inferred output shapes are netc's, the weights are
// netc's params + buffers, and two writes are the same bytes.
#include "TestUtil.h"

#include "driver/Compilation.h"
#include "onnx/OnnxImport.h"
#include "onnx/OnnxWriter.h"
#include "support/FileOutput.h"
#include "support/OutputMarkers.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <doctest/doctest.h>
#include <llvm/Support/FileSystem.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <set>
#include <string>
#include <vector>

using namespace netc;
using onnxgen::OnnxWeights;

namespace {

/// A network compiled the way `netc --emit=onnx [-O0]` compiles it.
struct Compiled {
  std::optional<ir::Graph> graph;
  int64_t weights = 0; ///< the report's params + buffers
  std::string errors;
};

Compiled compile(const std::string &path, bool optimize, const std::string &text = "") {
  driver::PipelineOptions po;
  po.optimize = optimize;
  Compiled out;
  llvm::raw_string_ostream err(out.errors);
  driver::Compilation c(po, err);
  REQUIRE((text.empty() ? c.load(path) : c.loadText(text, "t.net")));
  out.graph = c.elaborate();
  REQUIRE(out.graph);
  std::optional<cost::Report> report = c.report(*out.graph); // optimizes unless -O0
  REQUIRE(report);
  out.weights = report->totals.params + report->totals.buffers;
  return out;
}

std::string write(const ir::Graph &g, OnnxWeights w = OnnxWeights::None) {
  onnxgen::OnnxOptions opts;
  opts.weights = w;
  std::string bytes;
  REQUIRE(onnxgen::writeOnnx(g, opts, bytes) == "");
  return bytes;
}

int64_t elements(const onnx::TensorShapeProto &s) {
  int64_t n = 1;
  for (const auto &d : s.dim())
    n *= d.dim_value();
  return n;
}

/// Parses `bytes`, checks the model and its inferred output shapes against
/// `c`, and counts its weights.
void checkModel(const std::string &name, const Compiled &c, const std::string &bytes,
                OnnxWeights w) {
  INFO(name);
  onnx::ModelProto m;
  REQUIRE(m.ParseFromString(bytes));
  CHECK(m.ir_version() == 8);
  CHECK(m.producer_name() == "netc");
  CHECK(m.opset_import(0).version() == 17);
  CHECK(llvm::StringRef(bytes).startswith(markers::kOnnx));
  CHECK(looksLikeNetcOutput(bytes));
  try {
    onnx::checker::check_model(m);
  } catch (const std::exception &e) {
    FAIL_CHECK("check_model: " << e.what());
  }
  // Inference from the inputs alone: no declared shapes but the inputs' and
  // those of the calls of ai.netc functions. (ONNX 1.12 infers a function
  // call's element type but not its shape: it does not propagate the
  // Constants of the body into its Reshapes.)
  onnx::ModelProto inferred = m;
  onnx::GraphProto *g = inferred.mutable_graph();
  std::set<std::string> called;
  for (const onnx::NodeProto &n : g->node())
    if (n.domain() == onnximport::kNetcDomain)
      called.insert(n.output().begin(), n.output().end());
  google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> kept;
  for (const onnx::ValueInfoProto &v : g->value_info())
    if (called.count(v.name()))
      *kept.Add() = v;
  g->mutable_value_info()->Swap(&kept);
  for (onnx::ValueInfoProto &o : *g->mutable_output())
    if (!called.count(o.name()))
      o.mutable_type()->mutable_tensor_type()->clear_shape();
  try {
    onnx::ShapeInferenceOptions strict(/*check_type=*/true, /*error_mode=*/1);
    onnx::shape_inference::InferShapes(inferred, onnx::OpSchemaRegistry::Instance(), strict);
  } catch (const std::exception &e) {
    FAIL_CHECK("shape inference: " << e.what());
  }
  const ir::Graph &graph = *c.graph;
  REQUIRE(size_t(g->output_size()) == graph.outputs.size());
  for (size_t i = 0; i < graph.outputs.size(); ++i) {
    const auto &t = g->output(int(i)).type().tensor_type();
    ir::Shape got;
    for (const auto &d : t.shape().dim())
      got.push_back(d.has_dim_value() ? d.dim_value() : -1);
    CHECK_MESSAGE(got == graph.type(graph.outputs[i]).shape,
                  "output " << i << ": " << ir::formatShape(got) << " vs netc's "
                            << ir::formatShape(graph.type(graph.outputs[i]).shape));
  }
  // Weights: the inputs that are no `input` node, or the initializers.
  std::set<std::string> inputs;
  for (const ir::Node &n : graph.nodes)
    if (n.op->isInput)
      inputs.insert(n.name);
  int64_t weights = 0;
  if (w == OnnxWeights::None) {
    CHECK(m.graph().initializer_size() == 0);
    for (const onnx::ValueInfoProto &in : m.graph().input())
      if (!inputs.count(in.name()))
        weights += elements(in.type().tensor_type().shape());
  } else {
    CHECK(size_t(m.graph().input_size()) == inputs.size());
    for (const onnx::TensorProto &t : m.graph().initializer()) {
      int64_t n = 1;
      for (int64_t d : t.dims())
        n *= d;
      CHECK(int64_t(t.raw_data().size()) == 4 * n);
      weights += n;
    }
  }
  CHECK(weights == c.weights);
}

/// examples/*.net, sorted; `llms` picks the language models (token ids).
std::vector<std::string> examples(bool llms) {
  static const std::set<std::string> kLlms = {"bert_base.net", "gpt2.net", "llama2_7b.net",
                                              "llama3_8b.net", "mixtral_8x7b.net"};
  std::vector<std::string> out;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(test::testPath({"..", "examples"}), ec), end;
       it != end && !ec; it.increment(ec)) {
    llvm::StringRef p = it->path();
    if (p.endswith(".net") && kLlms.count(llvm::sys::path::filename(p).str()) == llms)
      out.push_back(p.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void checkExamples(bool llms) {
  std::vector<std::string> files = examples(llms);
  REQUIRE(!files.empty());
  for (const std::string &file : files)
    for (bool optimize : {true, false}) {
      Compiled c = compile(file, optimize);
      std::string name = file + (optimize ? "" : " -O0");
      std::string bytes = write(*c.graph);
      CHECK_MESSAGE(bytes == write(*c.graph), name << ": two writes differ");
      checkModel(name, c, bytes, OnnxWeights::None);
    }
}

} // namespace

TEST_CASE("onnx: every example but the language models, optimized and -O0") {
  checkExamples(false);
}

// About a second (shapes only: no weight values with --weights none): not `slow`.
TEST_CASE("onnx: the language model examples, optimized and -O0") {
  checkExamples(true);
}

TEST_CASE("onnx: --weights random stores the evaluator's values as initializers") {
  for (const char *name : {"mobilenetv2.net", "squeezenet1_0.net"}) {
    const std::string file = test::testPath({"..", "examples", name});
    Compiled c = compile(file, true);
    std::string bytes = write(*c.graph, OnnxWeights::Random);
    CHECK(bytes == write(*c.graph, OnnxWeights::Random));
    checkModel(name, c, bytes, OnnxWeights::Random);
  }
}

TEST_CASE("onnx: a netc model is recognised by its first bytes") {
  Compiled c = compile("", true, "network n() {\n  x = input([1, 4])\n  return linear(x, 2)\n}\n");
  std::string bytes = write(*c.graph);
  CHECK(bytes.substr(0, 8) == std::string("\x08\x08\x12\x04netc", 8));
  CHECK(looksLikeNetcOutput(bytes));
  CHECK(!looksLikeNetcOutput(std::string("\x08\x07\x12\x04netc", 8))); // another ir_version
  CHECK(!looksLikeNetcOutput(std::string("\x08\x08\x12\x07pytorch", 11)));
}

TEST_CASE("onnx: fused layers are written as their pieces, named after their layers") {
  Compiled c = compile("", true, R"(
network res() {
  x = input([1, 8, 16, 16])
  y = conv2d(x, 8, 3, padding=1, bias=false) |> batchnorm |> relu
  return relu(conv2d(y, 8, 3, padding=1) + x)
}
)");
  onnx::ModelProto m;
  REQUIRE(m.ParseFromString(write(*c.graph)));
  std::vector<std::string> ops, names;
  for (const onnx::NodeProto &n : m.graph().node())
    if (n.op_type() != "Constant") {
      ops.push_back(n.op_type());
      names.push_back(n.name());
    }
  CHECK(ops == std::vector<std::string>{"Conv", "Relu", "Conv", "Add", "Relu"});
  // The fused layer is the second conv's node: its output carries that
  // name; the Add and Relu nodes are named after the layers they were.
  CHECK(m.graph().output(0).name() == names[2]);
  CHECK(names[2].find("conv2d") == 0);
  CHECK(names[3].find("add") == 0);
  CHECK(names[4].find("relu") == 0);
  // The folded batchnorm is in the first conv's weights: it gained a bias.
  std::set<std::string> inputs;
  for (const onnx::ValueInfoProto &in : m.graph().input())
    inputs.insert(in.name());
  CHECK(inputs.count("x"));
  CHECK(std::none_of(inputs.begin(), inputs.end(), [](const std::string &s) {
    return s.find("running_mean") != std::string::npos;
  }));
}

TEST_CASE("onnx: an op without an ONNX form is an error naming it and its layer") {
  Compiled c = compile("", true, R"(
network p() {
  x = input([1, 2, 8, 8])
  return pad(x, [1, 1, 1, 1], mode="circular")
}
)");
  std::string bytes, error = onnxgen::writeOnnx(*c.graph, {}, bytes);
  CHECK(error.find("--emit=onnx: op 'pad' (layer ") == 0);
  CHECK(error.find("has no ONNX form") != std::string::npos);
  CHECK(bytes.empty());
}

TEST_CASE("onnx: every op of the op table has an ONNX rule") {
  for (const ir::OpDef *op : ir::OpTable::get().all())
    CHECK_MESSAGE(bool(op->onnx), op->name << " has no ONNX rule");
}

TEST_CASE("onnx: every op (tests/golden/graph/every_op.net), optimized and -O0") {
  std::ifstream in(test::testPath({"golden", "graph", "every_op.net"}));
  std::stringstream text;
  text << in.rdbuf();
  std::string net = text.str();
  auto replace = [&](const std::string &from, const std::string &to) {
    size_t at = net.find(from);
    REQUIRE(at != std::string::npos);
    net.replace(at, from.size(), to);
  };
  // What ONNX cannot say, in order: uneven adaptive windows, then attention
  // over a KV cache; each an error naming its op and layer.
  auto noForm = [&](const std::string &what) {
    for (bool optimize : {true, false}) {
      Compiled c = compile("", optimize, net);
      std::string bytes, error = onnxgen::writeOnnx(*c.graph, {}, bytes);
      CHECK_MESSAGE(error.find(what) != std::string::npos, error);
      CHECK(bytes.empty());
    }
  };
  noForm("op 'adaptive_avg_pool2d' (layer adaptive_avg_pool2d) has no ONNX form: output 3x5 "
         "does not divide input 16x16");
  replace("adaptive_avg_pool2d(x, (3, 5))", "adaptive_avg_pool2d(x, (4, 8))");
  noForm("op 'attention' (layer attention) has no ONNX form: a KV cache");
  replace("causal=true, past=3)", "causal=true)");
  for (bool optimize : {true, false})
    for (OnnxWeights w : {OnnxWeights::None, OnnxWeights::Random}) {
      Compiled c = compile("", optimize, net);
      std::string bytes = write(*c.graph, w);
      checkModel(optimize ? "every_op" : "every_op -O0", c, bytes, w);
    }
}
