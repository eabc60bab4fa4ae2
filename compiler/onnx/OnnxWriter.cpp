//===- OnnxWriter.cpp - the graph as an ONNX model ---------------------------===//
#include "onnx/OnnxWriter.h"
#include "onnx/OnnxImport.h"

#include "eval/Evaluator.h"

#include <onnx/onnx_pb.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <fmt/format.h>
#include <llvm/ADT/STLExtras.h>

#include <cstring>
#include <map>
#include <optional>
#include <set>

#ifndef NETC_VERSION
#define NETC_VERSION "0.1.0"
#endif

namespace netc::onnxgen {

namespace {

using ir::DType;

constexpr int64_t kIrVersion = 8, kOpset = 17;

std::optional<int32_t> elemType(DType t) {
  switch (t) {
  case DType::F32: return onnx::TensorProto::FLOAT;
  case DType::I64: return onnx::TensorProto::INT64;
  default: return std::nullopt; // f16, bf16, i8: not written (their constants would be f32)
  }
}

void setType(onnx::ValueInfoProto &vi, const std::string &name, int32_t elem,
             llvm::ArrayRef<int64_t> shape) {
  vi.set_name(name);
  onnx::TypeProto_Tensor *t = vi.mutable_type()->mutable_tensor_type();
  t->set_elem_type(elem);
  onnx::TensorShapeProto *s = t->mutable_shape();
  for (int64_t d : shape)
    s->add_dim()->set_dim_value(d);
}

/// The builder the ops' rules write through: nodes named after the current
/// layer, constants as Constant nodes (initializers hold weights only).
class Builder final : public ir::OnnxBuilder {
public:
  explicit Builder(onnx::GraphProto &graph) : graph(graph) {}

  /// Starts the nodes of layer `name` (its first node takes the name), or
  /// goes on with them (`resume`: "name/OpType").
  void layer(const std::string &name, bool resume = false) {
    prefix = name;
    counts.clear();
    inLayer = resume ? 1 : 0;
  }
  int size() const { return graph.node_size(); }

  std::vector<std::string> nodes(llvm::StringRef opType, llvm::ArrayRef<std::string> inputs,
                                 std::vector<ir::OnnxAttr> attrs, size_t outputs) override {
    onnx::NodeProto *n = newNode(opType);
    for (const std::string &in : inputs)
      n->add_input(in);
    std::vector<std::string> outs;
    for (size_t i = 0; i < outputs; ++i) {
      outs.push_back(fmt::format("{}:{}", n->name(), i));
      n->add_output(outs.back());
    }
    for (ir::OnnxAttr &a : attrs)
      setAttr(*n->add_attribute(), a);
    return outs;
  }

  std::string ints(llvm::ArrayRef<int64_t> values, bool scalar) override {
    onnx::TensorProto t;
    t.set_data_type(onnx::TensorProto::INT64);
    if (!scalar)
      t.add_dims(int64_t(values.size()));
    for (int64_t v : values)
      t.add_int64_data(v);
    return constant(std::move(t));
  }

  std::string floats(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<double> values) override {
    onnx::TensorProto t;
    t.set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : shape)
      t.add_dims(d);
    setFloats(t, values);
    return constant(std::move(t));
  }

  std::string graphInput(const ir::TensorType &t) override {
    setType(*graph.add_input(), prefix, *elemType(t.dtype), t.shape);
    return prefix;
  }

  /// Little-endian f32 raw data (what every runtime reads).
  static void setFloats(onnx::TensorProto &t, llvm::ArrayRef<double> values) {
    std::string raw(values.size() * 4, '\0');
    for (size_t i = 0; i < values.size(); ++i) {
      const float f = static_cast<float>(values[i]);
      uint32_t u;
      std::memcpy(&u, &f, 4);
      for (int b = 0; b < 4; ++b)
        raw[4 * i + size_t(b)] = char((u >> (8 * b)) & 0xff);
    }
    t.set_raw_data(std::move(raw));
  }

private:
  onnx::NodeProto *newNode(llvm::StringRef opType) {
    onnx::NodeProto *n = graph.add_node();
    n->set_op_type(opType.str());
    const int k = counts[opType.str()]++;
    const bool first = inLayer == 0 && opType != "Constant"; // the layer's name: a real node
    inLayer += opType != "Constant";
    n->set_name(first    ? prefix
                : k == 0       ? fmt::format("{}/{}", prefix, opType.str())
                               : fmt::format("{}/{}_{}", prefix, opType.str(), k));
    return n;
  }

  std::string constant(onnx::TensorProto t) {
    std::vector<std::string> out = nodes("Constant", {}, {}, 1);
    onnx::AttributeProto *a = graph.mutable_node(graph.node_size() - 1)->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    *a->mutable_t() = std::move(t);
    return out[0];
  }

  static void setAttr(onnx::AttributeProto &p, const ir::OnnxAttr &a) {
    p.set_name(a.name);
    std::visit(
        [&](const auto &v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, int64_t>) {
            p.set_type(onnx::AttributeProto::INT);
            p.set_i(v);
          } else if constexpr (std::is_same_v<V, double>) {
            p.set_type(onnx::AttributeProto::FLOAT);
            p.set_f(static_cast<float>(v));
          } else if constexpr (std::is_same_v<V, std::string>) {
            p.set_type(onnx::AttributeProto::STRING);
            p.set_s(v);
          } else if constexpr (std::is_same_v<V, ir::Ints>) {
            p.set_type(onnx::AttributeProto::INTS);
            for (int64_t i : v)
              p.add_ints(i);
          } else {
            p.set_type(onnx::AttributeProto::FLOATS);
            for (double f : v)
              p.add_floats(static_cast<float>(f));
          }
        },
        a.value);
  }

  onnx::GraphProto &graph;
  std::string prefix;
  std::map<std::string, int> counts;
  int inLayer = 0;
};

/// Writes the graph's nodes into `graph`, then its weights and outputs.
class Writer {
public:
  Writer(const ir::Graph &g, const OnnxOptions &opts, onnx::ModelProto &model)
      : g(g), opts(opts), model(model), graph(*model.mutable_graph()), b(graph),
        tensor(g.values.size()) {}

  std::string run() {
    if (std::string e = checkTypes(); !e.empty())
      return e;
    for (ir::ValueId v : g.outputs)
      isOutput.insert(v);
    for (const ir::Node &n : g.nodes)
      if (std::string e = node(n); !e.empty())
        return e;
    if (std::string e = weights(); !e.empty())
      return e;
    for (ir::ValueId v : g.outputs)
      setType(*graph.add_output(), tensor[v], *elemType(g.type(v).dtype), g.type(v).shape);
    return "";
  }

private:
  std::string checkTypes() const {
    for (const ir::Node &n : g.nodes)
      for (ir::ValueId v : n.outputs)
        if (!elemType(g.type(v).dtype))
          return fmt::format("--emit=onnx: layer '{}' computes in {}; only f32 (and i64 ids) "
                             "are written",
                             n.name, ir::dtypeName(g.type(v).dtype).str());
    return "";
  }

  static std::string noForm(const std::string &op, const std::string &layer,
                            const std::string &why) {
    return fmt::format("--emit=onnx: op '{}' (layer {}) has no ONNX form{}", op, layer,
                       why.empty() ? "" : ": " + why);
  }

  /// The name of weight `spec` of `n`: its state-dict key (its owner's when tied).
  static std::string weightName(const ir::Node &n, const ir::WeightSpec &spec) {
    return ir::stateDictKey(spec.tiedTo.empty() ? n.name : spec.tiedTo, spec.name);
  }

  std::string node(const ir::Node &n) {
    if (!n.op->onnx)
      return noForm(n.op->name, n.name, "");
    const int first = b.size();
    b.layer(n.name);
    std::vector<ir::TensorType> inTypes = g.inputTypes(n), outTypes;
    std::vector<std::string> in, w;
    for (size_t i = 0; i < n.primaryInputs(); ++i)
      in.push_back(tensor[n.inputs[i]]);
    std::vector<ir::WeightSpec> specs = g.weights(n);
    for (const ir::WeightSpec &s : specs)
      w.push_back(weightName(n, s));
    for (ir::ValueId v : n.outputs)
      outTypes.push_back(g.type(v));
    std::vector<std::string> out;
    ir::OnnxCall call{*n.op, n.attrs, inTypes, outTypes, specs, in, w, b};
    if (std::string why = n.op->onnxFunction ? function(call, n.name, out) : n.op->onnx(call, out);
        !why.empty())
      return noForm(n.op->name, n.name, why);
    if (n.op->onnxFunction && !n.epilogue.empty()) // ONNX 1.12 infers no shape of a call
      for (size_t i = 0; i < out.size(); ++i)
        setType(*graph.add_value_info(), out[i], *elemType(outTypes[i].dtype), outTypes[i].shape);
    for (const ir::Epilogue &e : n.epilogue) {
      if (!e.op->onnx)
        return noForm(e.op->name, e.name, "");
      b.layer(e.name);
      std::vector<std::string> args = {out[0]};
      std::vector<ir::TensorType> types = {outTypes[0]};
      if (e.extraInput >= 0) {
        const ir::ValueId x = n.inputs[size_t(e.extraInput)];
        args.insert(e.extraFirst ? args.begin() : args.end(), tensor[x]);
        types.insert(e.extraFirst ? types.begin() : types.end(), g.type(x));
      }
      std::vector<std::string> next;
      const llvm::ArrayRef<ir::TensorType> result(outTypes[0]); // the op's output, as the epilogue's
      ir::OnnxCall ecall{*e.op, e.attrs, types, result, {}, args, {}, b};
      if (std::string why = e.op->onnx(ecall, next); !why.empty())
        return noForm(e.op->name, e.name, why);
      out = next;
    }
    return nameOutputs(n, first, out);
  }

  /// Writes the nodes of `call`'s rule as the body of a model-local function
  /// "OP_K" of domain ai.netc (OpDef::onnxFunction) and adds one node of
  /// layer `name` calling it with the call's inputs, weights and attributes.
  std::string function(const ir::OnnxCall &call, const std::string &name,
                       std::vector<std::string> &out) {
    onnx::GraphProto body;
    Builder fb(body);
    fb.layer(name);
    std::vector<std::string> formal;
    for (size_t i = 0; i < call.in.size() + call.w.size(); ++i)
      formal.push_back(i < call.in.size() ? fmt::format("x{}", i)
                                          : fmt::format("w{}", i - call.in.size()));
    const llvm::ArrayRef<std::string> formalIn(formal.data(), call.in.size()),
        formalW(formal.data() + call.in.size(), call.w.size());
    std::vector<std::string> bodyOut;
    if (std::string why = call.op.onnx({call.op, call.attrs, call.inputs, call.outputs,
                                        call.weights, formalIn, formalW, fb},
                                       bodyOut);
        !why.empty())
      return why;
    onnx::FunctionProto &f = *model.add_functions();
    f.set_name(fmt::format("{}_{}", call.op.name, functions[call.op.name]++));
    f.set_domain(onnximport::kNetcDomain);
    f.set_doc_string(fmt::format("netc op {} (layer {})", call.op.name, name));
    onnx::OperatorSetIdProto &opset = *f.add_opset_import();
    opset.set_domain("");
    opset.set_version(kOpset);
    for (const std::string &x : formal)
      f.add_input(x);
    for (std::string &o : bodyOut) {
      if (llvm::is_contained(formal, o)) // an input as is: the body must make its outputs
        o = fb.node("Identity", {o});
      f.add_output(o);
    }
    for (const onnx::NodeProto &nd : body.node())
      *f.add_node() = nd;
    std::vector<ir::OnnxAttr> attrs;
    for (const ir::Attr &a : call.attrs.all()) {
      f.add_attribute(a.name);
      if (auto v = onnxValue(a.value))
        attrs.push_back({a.name, std::move(*v)});
    }
    std::vector<std::string> actual(call.in.begin(), call.in.end());
    actual.insert(actual.end(), call.w.begin(), call.w.end());
    out = b.nodes(f.name(), actual, std::move(attrs), bodyOut.size());
    graph.mutable_node(graph.node_size() - 1)->set_domain(onnximport::kNetcDomain);
    return "";
  }

  /// A netc attribute as an ONNX one (a bool as 0 or 1); none is left out.
  static std::optional<ir::OnnxAttrValue> onnxValue(const ir::AttrValue &v) {
    if (const auto *i = std::get_if<int64_t>(&v))
      return *i;
    if (const auto *d = std::get_if<double>(&v))
      return *d;
    if (const auto *flag = std::get_if<bool>(&v))
      return int64_t{*flag};
    if (const auto *str = std::get_if<std::string>(&v))
      return *str;
    if (const auto *ints = std::get_if<ir::Ints>(&v))
      return *ints;
    return std::nullopt;
  }

  /// Gives the layer's outputs their value names: renames the tensor a node
  /// of this layer made, or (a param, an input read as is) takes the tensor
  /// as the value's, through an Identity when it is a graph output.
  std::string nameOutputs(const ir::Node &n, int first, const std::vector<std::string> &out) {
    if (out.size() != n.outputs.size())
      return fmt::format("--emit=onnx: internal error: the ONNX rule of '{}' gave {} outputs, "
                         "not {}",
                         n.op->name, out.size(), n.outputs.size());
    for (size_t i = 0; i < out.size(); ++i) {
      const ir::ValueId v = n.outputs[i];
      const std::string want = n.outputs.size() == 1 ? n.name : fmt::format("{}:{}", n.name, i);
      const ir::TensorType &t = g.type(v);
      tensor[v] = want;
      if (n.op->isInput)
        continue; // a graph input, typed there
      if (!rename(first, out[i], want)) {
        if (!isOutput.count(v)) {
          tensor[v] = out[i]; // a weight or an earlier tensor, read as is
          continue;
        }
        b.layer(n.name, /*resume=*/true);
        rename(first, b.node("Identity", {out[i]}), want);
      }
      if (!isOutput.count(v))
        setType(*graph.add_value_info(), want, *elemType(t.dtype), t.shape);
    }
    return "";
  }

  /// Renames tensor `from`, made by a node from index `first` on, to `to`
  /// in that node and its readers; false when no such node made it.
  bool rename(int first, const std::string &from, const std::string &to) {
    bool made = false;
    for (int i = first; i < graph.node_size(); ++i) {
      onnx::NodeProto *nd = graph.mutable_node(i);
      for (int j = 0; made && j < nd->input_size(); ++j)
        if (nd->input(j) == from)
          nd->set_input(j, to);
      for (int j = 0; j < nd->output_size(); ++j)
        if (nd->output(j) == from) {
          nd->set_output(j, to);
          made = true;
        }
    }
    return made;
  }

  /// Every weight once: a graph input (None) or an initializer (Random).
  std::string weights() {
    uint64_t elements = 0;
    std::vector<std::pair<const ir::Node *, ir::WeightSpec>> all;
    for (const ir::Node &n : g.nodes)
      for (ir::WeightSpec &s : g.weights(n))
        if (s.tiedTo.empty()) {
          elements += ir::Buffer::count(s.shape);
          all.emplace_back(&n, std::move(s));
        }
    if (opts.weights == OnnxWeights::None) {
      for (const auto &[n, s] : all) {
        onnx::ValueInfoProto &in = *graph.add_input();
        setType(in, weightName(*n, s), onnx::TensorProto::FLOAT, s.shape);
        in.set_doc_string(onnximport::kWeightInputDoc); // netc import reads it back as a weight
      }
      return "";
    }
    if (elements * 4 > kMaxModelBytes)
      return fmt::format("--emit=onnx --weights random: {} weights ({} bytes as f32) exceed the "
                         "2 GB an ONNX file holds; use --weights none",
                         elements, elements * 4);
    ir::WeightStore store = eval::randomWeights(g, opts.seed);
    for (const auto &[n, s] : all) {
      onnx::TensorProto *t = graph.add_initializer();
      t->set_name(weightName(*n, s));
      t->set_data_type(onnx::TensorProto::FLOAT);
      for (int64_t d : s.shape)
        t->add_dims(d);
      Builder::setFloats(*t, store.at({n->name, s.name}).data);
    }
    return "";
  }

  const ir::Graph &g;
  const OnnxOptions &opts;
  onnx::ModelProto &model;
  onnx::GraphProto &graph;
  std::map<std::string, int> functions; ///< functions written per op (their names' K)
  Builder b;
  std::vector<std::string> tensor; ///< the ONNX tensor of each value
  std::set<ir::ValueId> isOutput;
};

} // namespace

std::string writeOnnx(const ir::Graph &g, const OnnxOptions &opts, std::string &bytes) {
  onnx::ModelProto model;
  model.set_ir_version(kIrVersion);
  model.set_producer_name("netc");
  model.set_producer_version(NETC_VERSION);
  onnx::OperatorSetIdProto *opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  onnx::GraphProto *graph = model.mutable_graph();
  graph->set_name(g.name);
  graph->set_doc_string(fmt::format("netc graph: {} ({})", g.name, opts.stage));
  if (std::string e = Writer(g, opts, model).run(); !e.empty())
    return e;
  if (model.functions_size() > 0) { // netc's own ops (OpDef::onnxFunction)
    onnx::OperatorSetIdProto *netcOps = model.add_opset_import();
    netcOps->set_domain(onnximport::kNetcDomain);
    netcOps->set_version(1);
  }
  onnx::StringStringEntryProto *prop = model.add_metadata_props();
  prop->set_key("netc.weights");
  prop->set_value(opts.weights == OnnxWeights::None
                      ? "none: graph inputs"
                      : fmt::format("random: eval::randomWeights, seed {}", opts.seed));
  if (model.ByteSizeLong() > kMaxModelBytes)
    return "--emit=onnx: the model exceeds the 2 GB an ONNX file holds";
  bytes.clear();
  google::protobuf::io::StringOutputStream raw(&bytes);
  google::protobuf::io::CodedOutputStream coded(&raw);
  coded.SetSerializationDeterministic(true);
  model.SerializeToCodedStream(&coded);
  return "";
}

} // namespace netc::onnxgen
