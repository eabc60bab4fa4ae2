// netc import: models made here through the ONNX protobuf API, the small
// models tests/onnx/models/*.onnx against the .net they were exported from,
// seven of torchvision's models (ResNet-18 and -50, MobileNetV2 and V3, EfficientNet-B0,
// ConvNeXt-T, ViT-B/16; cut to their
// structure) against the zoo's reference counts, the examples through
// --emit=onnx and back, and the broken models of tests/onnx/bad/.
#include "onnx/OnnxImport.h"
#include "onnx/OnnxInternal.h"

#include "driver/Compilation.h"
#include "onnx/OnnxWriter.h"

#include "TestUtil.h"

#include <doctest/doctest.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <fstream>
#include <set>
#include <llvm/Support/Path.h>
#include <regex>
#include <sstream>

using namespace netc;

namespace {

struct Counts {
  int64_t params = -1, macs = -1;
  std::vector<int64_t> output;
};

/// Params, MACs and the output shape of the program in `path` (a .net or
/// an .onnx), as written (-O0).
Counts countsOf(const std::string &path) {
  driver::PipelineOptions po;
  po.optimize = false;
  std::string err;
  llvm::raw_string_ostream es(err);
  driver::Compilation c(po, es);
  Counts k;
  bool loaded = c.load(path);
  std::optional<ir::Graph> g = loaded ? c.elaborate() : std::nullopt;
  std::optional<cost::Report> r = g ? c.report(*g) : std::nullopt;
  c.printDiagnostics();
  REQUIRE_MESSAGE(r, path << ": " << es.str());
  k.params = r->totals.params;
  k.macs = r->totals.macs;
  k.output.assign(r->layers.back().outputShape.begin(), r->layers.back().outputShape.end());
  return k;
}

std::string repo(const std::string &rel) { return test::testPath({"..", rel}); }

std::optional<std::string> import(const std::string &bytes, std::string *errors = nullptr) {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::optional<std::string> text = netc::onnximport::importBytes(diag, bytes, "m.onnx", "");
  if (errors) {
    llvm::raw_string_ostream os(*errors);
    diag.print(os);
  }
  return text;
}

::onnx::ValueInfoProto info(const std::string &name, std::vector<int64_t> shape) {
  ::onnx::ValueInfoProto v;
  v.set_name(name);
  auto *t = v.mutable_type()->mutable_tensor_type();
  t->set_elem_type(::onnx::TensorProto::FLOAT);
  for (int64_t d : shape)
    t->mutable_shape()->add_dim()->set_dim_value(d);
  return v;
}

::onnx::TensorProto weight(const std::string &name, std::vector<int64_t> dims) {
  ::onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(::onnx::TensorProto::FLOAT);
  for (int64_t d : dims)
    t.add_dims(d);
  return t;
}

/// x [1, 3, 8, 8] -> Conv 4x3x3x3 (pads 1, bias) -> Relu -> Flatten -> Gemm 10.
::onnx::ModelProto smallModel() {
  ::onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  ::onnx::GraphProto *g = m.mutable_graph();
  *g->add_input() = info("x", {1, 3, 8, 8});
  *g->add_output() = info("y", {1, 10});
  *g->add_initializer() = weight("w", {4, 3, 3, 3});
  *g->add_initializer() = weight("b", {4});
  *g->add_initializer() = weight("fc.weight", {10, 256});
  *g->add_initializer() = weight("fc.bias", {10});
  auto node = [&](const char *op, std::vector<std::string> in, std::string out,
                  const char *name) {
    ::onnx::NodeProto *n = g->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const std::string &i : in)
      n->add_input(i);
    n->add_output(out);
    return n;
  };
  ::onnx::NodeProto *conv = node("Conv", {"x", "w", "b"}, "c", "/conv/Conv");
  ::onnx::AttributeProto *pads = conv->add_attribute();
  pads->set_name("pads");
  pads->set_type(::onnx::AttributeProto::INTS);
  for (int i = 0; i < 4; ++i)
    pads->add_ints(1);
  node("Relu", {"c"}, "r", "/relu/Relu");
  node("Flatten", {"r"}, "f", "/Flatten");
  ::onnx::NodeProto *fc = node("Gemm", {"f", "fc.weight", "fc.bias"}, "y", "/fc/Gemm");
  ::onnx::AttributeProto *tb = fc->add_attribute();
  tb->set_name("transB");
  tb->set_type(::onnx::AttributeProto::INT);
  tb->set_i(1);
  return m;
}

} // namespace

TEST_CASE("onnx import: a model made through the protobuf API") {
  std::optional<std::string> text = import(smallModel().SerializeAsString());
  REQUIRE(text);
  CHECK(text->rfind("# netc import: m\n", 0) == 0);
  CHECK(text->find("conv = conv2d(x, 4, k=3, padding=1)") != std::string::npos);
  CHECK(text->find("relu_ = relu(conv)") != std::string::npos); // "relu" is an op's name
  CHECK(text->find("fc = linear(flatten_, 10)") != std::string::npos);
  CHECK(*text == *import(smallModel().SerializeAsString())); // deterministic
  driver::PipelineOptions po;
  po.optimize = false;
  driver::Compilation c(po);
  REQUIRE(c.loadText(*text, "m.net"));
  std::optional<ir::Graph> g = c.elaborate();
  REQUIRE(g);
  std::optional<cost::Report> r = c.report(*g);
  REQUIRE(r);
  CHECK(r->totals.params == 4 * 3 * 9 + 4 + 10 * 256 + 10);
  CHECK(r->totals.macs == 4 * 64 * 27 + 2560);
}

TEST_CASE("onnx import: what netc cannot import is an error naming the node") {
  ::onnx::ModelProto m = smallModel();
  m.mutable_graph()->mutable_node(1)->set_op_type("Softsign");
  std::string errors;
  CHECK_FALSE(import(m.SerializeAsString(), &errors));
  CHECK(errors.find("node 1 '/relu/Relu' (Softsign): netc has no layer for the ONNX op "
                    "'Softsign'") != std::string::npos);
  // A truncated model, every cut of it: an error, never a crash.
  std::string bytes = smallModel().SerializeAsString();
  for (size_t cut = 0; cut < bytes.size(); cut += 7) {
    std::string e;
    std::optional<std::string> t = import(bytes.substr(0, cut), &e);
    CHECK((t.has_value() || e.find("error") != std::string::npos));
  }
}

TEST_CASE("onnx import: the small models have the params and MACs of their sources") {
  // (No structured binding: clang 14 cannot capture one in CAPTURE's lambda.)
  for (const auto &p : {std::pair{"tiny_cnn", "tiny_cnn"}, {"mobile", "mobile"},
                        {"encoder13", "encoder"}, {"encoder17", "encoder"},
                        {"netc_functions", "netc_functions"}}) {
    const char *model = p.first, *source = p.second;
    CAPTURE(model);
    Counts a = countsOf(repo(std::string("tests/onnx/models/") + model + ".onnx"));
    Counts b = countsOf(repo(std::string("tests/onnx/sources/") + source + ".net"));
    CHECK(a.params == b.params);
    CHECK(a.macs == b.macs);
    CHECK(a.output == b.output);
  }
}

TEST_CASE("onnx import: torchvision's models have the zoo's reference counts") {
  // tests/zoo/reference.txt: NAME PARAMS MACS, from torchvision.
  std::ifstream ref(repo("tests/zoo/reference.txt"));
  std::map<std::string, std::pair<int64_t, int64_t>> want;
  for (std::string line; std::getline(ref, line);) {
    std::istringstream is(line);
    std::string name;
    int64_t p, m;
    if (is >> name >> p >> m)
      want[name] = {p, m};
  }
  for (const char *name : {"resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small",
                           "efficientnet_b0", "convnext_tiny", "vit_b_16"}) {
    CAPTURE(name);
    REQUIRE(want.count(name));
    Counts k = countsOf(repo(std::string("tests/onnx/zoo/") + name + ".onnx"));
    CHECK(k.params == want[name].first);
    CHECK(k.macs == want[name].second);
  }
}

TEST_CASE("onnx import: repeated scopes become one block") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::optional<std::string> text =
      netc::onnximport::importFile(diag, repo("tests/onnx/zoo/resnet18.onnx"));
  REQUIRE(text);
  std::regex def("\nblock [a-z0-9_]+\\("), call(" = [a-z0-9_]+_block(_[0-9]+)?\\(");
  auto count = [&](const std::regex &re) {
    return std::distance(std::sregex_iterator(text->begin(), text->end(), re),
                         std::sregex_iterator());
  };
  CHECK(count(def) == 2);  // the basic block with and without a downsample
  CHECK(count(call) == 8); // called by the eight basic blocks
  // Numbers equal in every call are not parameters; those that vary are.
  CHECK(text->find("block layer_block(x, out)") != std::string::npos);
}

TEST_CASE("onnx import: .net -> ONNX -> .net keeps params, MACs and shapes") {
  // Every example, as written, through --emit=onnx (weights left out) and
  // back. The language models' rotary embeddings, attention and mixtures of
  // experts travel as calls of ai.netc functions (OpDef::onnxFunction).
  std::error_code ec;
  size_t tried = 0;
  for (llvm::sys::fs::directory_iterator it(repo("examples"), ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef path = it->path();
    if (!path.endswith(".net"))
      continue;
    std::string name = llvm::sys::path::stem(path).str();
    CAPTURE(name);
    ++tried;
    driver::PipelineOptions po;
    po.optimize = false;
    driver::Compilation c(po);
    REQUIRE(c.load(path));
    std::optional<ir::Graph> g = c.elaborate();
    REQUIRE(g);
    std::optional<cost::Report> before = c.report(*g);
    REQUIRE(before);
    std::string bytes;
    REQUIRE(onnxgen::writeOnnx(*g, {}, bytes).empty());
    std::string errors;
    std::optional<std::string> text = import(bytes, &errors);
    REQUIRE_MESSAGE(text, errors);
    driver::Compilation back(po);
    REQUIRE(back.loadText(*text, name + ".net"));
    std::optional<ir::Graph> h = back.elaborate();
    REQUIRE_MESSAGE(h, *text);
    std::optional<cost::Report> after = back.report(*h);
    REQUIRE(after);
    if (name == "llama2_7b") { // netc's names give the scopes: one block, 32 calls
      std::regex def("\nblock [a-z0-9_]+\\("), call(" = llama_block_block\\(");
      auto count = [&](const std::regex &re) {
        return std::distance(std::sregex_iterator(text->begin(), text->end(), re),
                             std::sregex_iterator());
      };
      CHECK(count(def) == 1);
      CHECK(count(call) == 32);
    }
    CHECK(after->totals.params == before->totals.params);
    CHECK(after->totals.macs == before->totals.macs);
    CHECK(after->layers.back().outputShape == before->layers.back().outputShape);
  }
  CHECK(tried >= 24);
}

TEST_CASE("onnx import: a Pad or Resize mode netc has no equivalent of is an error") {
  // Regression: modes used to pass through unchecked ("wrap" reached netc's pad).
  for (const char *mode : {"wrap", "reflect", "edge"}) {
    CAPTURE(mode);
    ::onnx::ModelProto m;
    m.set_ir_version(8);
    m.add_opset_import()->set_version(13);
    ::onnx::GraphProto *g = m.mutable_graph();
    *g->add_input() = info("x", {1, 1, 4, 4});
    *g->add_output() = info("y", {1, 1, 6, 6});
    ::onnx::TensorProto pads = weight("pads", {8});
    pads.set_data_type(::onnx::TensorProto::INT64);
    for (int64_t v : {0, 0, 1, 1, 0, 0, 1, 1})
      pads.add_int64_data(v);
    *g->add_initializer() = pads;
    ::onnx::NodeProto *n = g->add_node();
    n->set_op_type("Pad");
    n->set_name("/pad/Pad");
    n->add_input("x");
    n->add_input("pads");
    n->add_output("y");
    ::onnx::AttributeProto *a = n->add_attribute();
    a->set_name("mode");
    a->set_type(::onnx::AttributeProto::STRING);
    a->set_s(mode);
    std::string errors;
    std::optional<std::string> text = import(m.SerializeAsString(), &errors);
    if (std::string(mode) == "wrap") {
      CHECK_FALSE(text);
      CHECK(errors.find("mode 'wrap' has no equivalent in netc's layer") != std::string::npos);
    } else {
      REQUIRE_MESSAGE(text, errors);
      CHECK(text->find(std::string(", mode=\"") +
                       (std::string(mode) == "edge" ? "replicate" : "reflect") + "\")") !=
            std::string::npos);
    }
  }
}

TEST_CASE("onnx import: a corrupt model's numbers saturate instead of overflowing") {
  // Regression (fuzz_onnx, UBSan): a folded constant of 3e19 was converted
  // to int64 unchecked; dims multiplied unchecked could wrap around.
  using namespace netc::onnximport::detail;
  const int64_t lim = int64_t(1) << 62;
  CHECK(toInt(3e19) == lim);
  CHECK(toInt(-3e19) == -lim);
  CHECK(toInt(std::nan("")) == 0);
  CHECK(toInt(-7.9) == -7);
  CHECK(mulSat(int64_t(1) << 40, int64_t(1) << 40) == lim);
  CHECK(mulSat(-(int64_t(1) << 40), int64_t(1) << 40) == -lim);
  CHECK(mulSat(6, -7) == -42);
  CHECK(elementsOf({int64_t(1) << 31, int64_t(1) << 31, 4}) == size_t(lim));
  CHECK(elementsOf({3, 0, 5}) == 0);
  CHECK(elementsOf({}) == 1);
}

TEST_CASE("onnx import: a node of netc's domain is netc's op, its attributes its arguments") {
  // A Relu turned into a call of netc's rotary (domain ai.netc, "OP_K"):
  // the node is read as the op whatever its function's body.
  auto withNetcNode = [](const char *opType, const char *attr, int64_t value) {
    ::onnx::ModelProto m = smallModel();
    ::onnx::OperatorSetIdProto *ops = m.add_opset_import();
    ops->set_domain(onnximport::kNetcDomain);
    ops->set_version(1);
    ::onnx::GraphProto *g = m.mutable_graph();
    g->clear_node();
    g->clear_initializer();
    g->clear_output();
    *g->mutable_input(0) = info("x", {1, 8, 32});
    *g->add_output() = info("y", {1, 8, 32});
    ::onnx::NodeProto *n = g->add_node();
    n->set_op_type(opType);
    n->set_domain(onnximport::kNetcDomain);
    n->set_name("rot");
    n->add_input("x");
    n->add_output("y");
    ::onnx::AttributeProto *a = n->add_attribute();
    a->set_name(attr);
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(value);
    return m.SerializeAsString();
  };
  std::string errors;
  std::optional<std::string> text = import(withNetcNode("rotary_0", "heads", 4), &errors);
  REQUIRE_MESSAGE(text, errors);
  CHECK(text->find("rot = rotary(x, heads=4)") != std::string::npos);
  // Not netc's op, not an "OP_K" name, an attribute netc's op does not have
  // or of the wrong type: errors naming the node.
  const std::pair<std::string, std::string> bad[] = {
      {import(withNetcNode("softsign_0", "heads", 4), &(errors = "")) ? "" : errors,
       "'softsign_0' of domain ai.netc is not netc's"},
      {import(withNetcNode("rotary", "heads", 4), &(errors = "")) ? "" : errors,
       "'rotary' of domain ai.netc is not netc's"},
      {import(withNetcNode("rotary_0", "angle", 4), &(errors = "")) ? "" : errors,
       "attribute 'angle' is not a parameter of netc's op rotary"},
      {import(withNetcNode("attention_0", "causal", 1), &(errors = "")) ? "" : errors,
       "node 0 'rot' (attention_0): input 2"},
  };
  for (const auto &b : bad) {
    CAPTURE(b.first);
    CHECK(b.first.find(b.second) != std::string::npos);
  }
}
