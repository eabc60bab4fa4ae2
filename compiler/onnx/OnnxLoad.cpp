//===- OnnxLoad.cpp - read and check an ONNX model ---------------------------===//
//
// The file is read whole (up to ImportOptions::maxBytes), parsed as a
// ModelProto with protobuf's limits, checked for what the conversion relies
// on (a graph, the default domain, external data files that exist and are
// long enough), and its shapes inferred by ONNX's own shape inference with
// data propagation (so that a Reshape fed by Shape/Gather/Concat arithmetic
// has its output shape). Then OnnxConvert.cpp writes the program.
//
//===----------------------------------------------------------------------===//
#include "onnx/OnnxImport.h"
#include "onnx/OnnxInternal.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <llvm/ADT/StringSet.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>

namespace netc::onnximport {

namespace {

/// Checks the external data of `t` (its values are never read, only that
/// they are there): a relative location under `dir`, a regular file at
/// least offset + length long.
bool checkExternal(DiagEngine &diag, llvm::StringRef name, llvm::StringRef dir,
                   const ::onnx::TensorProto &t) {
  std::string location;
  uint64_t offset = 0, length = 0;
  bool hasLength = false;
  for (const auto &kv : t.external_data()) {
    if (kv.key() == "location")
      location = kv.value();
    else if (kv.key() == "offset" || kv.key() == "length") {
      unsigned long long v = 0;
      if (llvm::StringRef(kv.value()).getAsInteger(10, v)) {
        diag.fileError(name, fmt::format("initializer '{}': external data {} '{}' is not a "
                                         "number",
                                         t.name(), kv.key(), kv.value()));
        return false;
      }
      (kv.key() == "offset" ? offset : length) = v;
      hasLength |= kv.key() == "length";
    }
  }
  auto fail = [&](const std::string &why) {
    diag.fileError(name, fmt::format("initializer '{}': external data {}", t.name(), why));
    return false;
  };
  if (location.empty())
    return fail("without a location");
  if (dir.empty())
    return fail(fmt::format("'{}' cannot be read for a model that is not a file", location));
  if (llvm::sys::path::is_absolute(location) ||
      llvm::any_of(llvm::make_range(llvm::sys::path::begin(location),
                                    llvm::sys::path::end(location)),
                   [](llvm::StringRef c) { return c == ".."; }))
    return fail(fmt::format("'{}' is not a path below the model's directory", location));
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, location);
  llvm::sys::fs::file_status st;
  if (llvm::sys::fs::status(path, st) || !llvm::sys::fs::is_regular_file(st))
    return fail(fmt::format("file '{}' is missing", path.str().str()));
  uint64_t need = hasLength ? length : 0;
  if (offset > st.getSize() || need > st.getSize() - offset)
    return fail(fmt::format("file '{}' is {} bytes, shorter than offset {} + length {}",
                            path.str().str(), st.getSize(), offset, need));
  return true;
}

/// Checks that the graph is in SSA form and topologically sorted, as ONNX
/// requires: every input of a node is a graph input, an initializer or an
/// output of an earlier node, and no tensor is defined twice. ONNX 1.12's
/// shape inference reads through a null pointer on an undefined input. Each
/// node of ONNX's own domain is also checked against its schema (numbers of
/// inputs and outputs, attribute types), as onnx.checker does, since the
/// conversion reads a node's inputs and outputs by position.
bool checkGraphOrder(DiagEngine &diag, llvm::StringRef name, const ::onnx::GraphProto &g,
                     int64_t opset) {
  llvm::StringSet<> defined;
  for (const auto &v : g.input())
    defined.insert(v.name());
  for (const auto &t : g.initializer())
    defined.insert(t.name());
  for (int i = 0; i < g.node_size(); ++i) {
    const ::onnx::NodeProto &n = g.node(i);
    for (const std::string &in : n.input())
      if (!in.empty() && !defined.contains(in)) {
        diag.fileError(name, fmt::format("node {} '{}' ({}): input '{}' is neither a graph "
                                         "input, an initializer nor an output of an earlier "
                                         "node",
                                         i, n.name(), n.op_type(), in));
        return false;
      }
    if (n.domain().empty() || n.domain() == "ai.onnx")
      if (const ::onnx::OpSchema *schema =
              ::onnx::OpSchemaRegistry::Schema(n.op_type(), static_cast<int>(opset), "")) {
        try {
          schema->Verify(n); // input and output counts, attribute types
        } catch (const std::exception &e) {
          diag.fileError(name, fmt::format("node {} '{}' ({}): {}", i, n.name(), n.op_type(),
                                           llvm::StringRef(e.what()).split('\n').first));
          return false;
        }
      }
    if (n.output_size() == 0) {
      diag.fileError(name, fmt::format("node {} '{}' ({}) has no output", i, n.name(),
                                       n.op_type()));
      return false;
    }
    for (const std::string &out : n.output())
      if (!out.empty() && !defined.insert(out).second) {
        diag.fileError(name, fmt::format("node {} '{}' ({}): output '{}' is defined twice", i,
                                         n.name(), n.op_type(), out));
        return false;
      }
  }
  return true;
}

/// Checks that the windows' strides, dilations and kernels are positive, and
/// gives every Conv and ConvTranspose without a kernel_shape attribute the
/// one its weight's dims say. ONNX 1.12's shape inference takes the kernel
/// from the weight otherwise and indexes the strides by the weight's rank
/// (a read out of bounds when the weight has more dims than the input); with
/// the attribute it checks the rank and fails cleanly. A weight whose shape
/// is not known here (not an initializer, a typed graph input or a
/// Constant) is an error: netc's layers own their weights.
bool checkWindows(DiagEngine &diag, llvm::StringRef name, ::onnx::GraphProto &g) {
  llvm::StringMap<std::vector<int64_t>> dims;
  for (const auto &t : g.initializer())
    dims[t.name()].assign(t.dims().begin(), t.dims().end());
  for (const auto &v : g.input()) {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape())
      continue;
    std::vector<int64_t> d;
    for (const auto &x : v.type().tensor_type().shape().dim())
      d.push_back(x.has_dim_value() ? x.dim_value() : -1);
    if (llvm::all_of(d, [](int64_t x) { return x >= 0; }))
      dims.try_emplace(v.name(), d);
  }
  for (int i = 0; i < g.node_size(); ++i) {
    ::onnx::NodeProto &n = *g.mutable_node(i);
    if (n.op_type() == "Constant" && n.output_size() == 1)
      for (const auto &a : n.attribute())
        if (a.name() == "value" && a.has_t())
          dims[n.output(0)].assign(a.t().dims().begin(), a.t().dims().end());
    const bool conv = n.op_type() == "Conv" || n.op_type() == "ConvTranspose";
    if (!(n.domain().empty() || n.domain() == "ai.onnx") ||
        (!conv && n.op_type() != "MaxPool" && n.op_type() != "AveragePool" &&
         n.op_type() != "LpPool"))
      continue;
    // ONNX 1.12 divides by the strides unchecked (SIGFPE at 0).
    for (const auto &a : n.attribute())
      if ((a.name() == "strides" || a.name() == "dilations" || a.name() == "kernel_shape") &&
          llvm::any_of(a.ints(), [](int64_t v) { return v < 1; })) {
        diag.fileError(name, fmt::format("node {} '{}' ({}): {} must be positive", i, n.name(),
                                         n.op_type(), a.name()));
        return false;
      }
    if (!conv ||
        llvm::any_of(n.attribute(), [](const auto &a) { return a.name() == "kernel_shape"; }))
      continue;
    auto w = n.input_size() > 1 ? dims.find(n.input(1)) : dims.end();
    if (w == dims.end() || w->second.size() < 3) {
      diag.fileError(name, fmt::format("node {} '{}' ({}): {}", i, n.name(), n.op_type(),
                                       w == dims.end()
                                           ? "its weight (input 2) is not an initializer, a "
                                             "graph input or a Constant"
                                           : "its weight has fewer than 3 dims"));
      return false;
    }
    ::onnx::AttributeProto *a = n.add_attribute();
    a->set_name("kernel_shape");
    a->set_type(::onnx::AttributeProto::INTS);
    for (size_t k = 2; k < w->second.size(); ++k)
      a->add_ints(w->second[k]);
  }
  return true;
}

} // namespace

std::optional<std::string> importBytes(DiagEngine &diag, llvm::StringRef bytes,
                                       llvm::StringRef name, llvm::StringRef dir,
                                       const ImportOptions &opts) {
  if (bytes.size() > opts.maxBytes) {
    diag.fileError(name, fmt::format("the model is {} bytes, more than the limit of {} "
                                     "(--max-onnx-size)",
                                     bytes.size(), opts.maxBytes));
    return std::nullopt;
  }
  ::onnx::ModelProto model;
  {
    google::protobuf::io::ArrayInputStream in(bytes.data(), static_cast<int>(bytes.size()));
    google::protobuf::io::CodedInputStream coded(&in);
    coded.SetTotalBytesLimit(INT_MAX);
    coded.SetRecursionLimit(64);
    if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
      diag.fileError(name, "not an ONNX model: the protobuf is truncated or corrupt");
      return std::nullopt;
    }
  }
  if (!model.has_graph() || model.graph().node_size() == 0) {
    diag.fileError(name, "not an ONNX model: it has no graph (or a graph without nodes)");
    return std::nullopt;
  }
  if (static_cast<uint64_t>(model.graph().node_size()) > opts.maxNodes) {
    diag.fileError(name, fmt::format("the graph has {} nodes, more than the limit of {} "
                                     "(--max-nodes)",
                                     model.graph().node_size(), opts.maxNodes));
    return std::nullopt;
  }
  int64_t opset = 0;
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset = o.version();
  if (opset == 0 && model.opset_import_size() == 0)
    opset = 1;
  if (opset < 7) {
    diag.fileError(name, fmt::format("the model's opset is {}; netc reads opset 7 and later "
                                     "(the exporters of the last years write 13 to 17)",
                                     opset));
    return std::nullopt;
  }
  if (!checkGraphOrder(diag, name, model.graph(), opset) ||
      !checkWindows(diag, name, *model.mutable_graph()))
    return std::nullopt;
  for (const auto &t : model.graph().initializer())
    if (t.data_location() == ::onnx::TensorProto_DataLocation_EXTERNAL &&
        !checkExternal(diag, name, dir, t))
      return std::nullopt;
  // Shapes, then the constants they give, then the shapes those give, ...
  // until nothing more folds (a chain of shape arithmetic per round at least).
  for (int round = 0; round < 16; ++round) {
    try {
      ::onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/0,
                                            /*data_prop=*/true);
      ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception &e) {
      diag.fileError(name, fmt::format("ONNX's shape inference failed: {}", e.what()));
      return std::nullopt;
    }
    if (detail::foldIntoConstants(*model.mutable_graph(), 4096) == 0)
      break;
  }
  return detail::convert(diag, model, name, opset, opts);
}

std::optional<std::string> importFile(DiagEngine &diag, llvm::StringRef path,
                                      const ImportOptions &opts) {
  llvm::sys::fs::file_status st;
  if (std::error_code ec = llvm::sys::fs::status(path, st)) {
    diag.fileError(path, "cannot read the model: " + ec.message());
    return std::nullopt;
  }
  if (!llvm::sys::fs::is_regular_file(st)) {
    diag.fileError(path, "cannot read the model: not a regular file");
    return std::nullopt;
  }
  if (st.getSize() > opts.maxBytes) {
    diag.fileError(path, fmt::format("the model is {} bytes, more than the limit of {} "
                                     "(--max-onnx-size)",
                                     st.getSize(), opts.maxBytes));
    return std::nullopt;
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf) {
    diag.fileError(path, "cannot read the model: " + buf.getError().message());
    return std::nullopt;
  }
  llvm::SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  return importBytes(diag, (*buf)->getBuffer(), path, dir, opts);
}

} // namespace netc::onnximport
