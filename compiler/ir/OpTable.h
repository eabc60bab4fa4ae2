//===- OpTable.h - one entry per op, defined once --------------*- C++ -*-===//
//
// Everything netc knows about an op lives in its OpDef: the call signature
// (tensor inputs and attributes, with kinds and defaults), the shape rule, the
// learnable parameters and buffers it owns, and its fusion pattern kind. Later
// stages add the cost rule, reference evaluation and kernel emitter here, not
// elsewhere. Ops are defined in ir/ops/*.cpp, grouped by family; adding an op
// means adding one entry there.
//
// Calling convention in .net: an op is called like a block, tensors first,
// e.g. conv2d(x, 64, k=3, stride=2, padding="same", bias=false).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_OPTABLE_H
#define NETC_IR_OPTABLE_H

#include "ir/Attr.h"
#include "ir/Buffer.h"
#include "ir/Kernel.h"
#include "ir/Onnx.h"
#include "ir/Types.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringMap.h>

#include <memory>
#include <string>
#include <vector>

namespace netc::ir {

/// What an op parameter accepts, and how it is normalized into an Attr.
enum class ParamKind : uint8_t {
  Tensor,   ///< one tensor input
  Tensors,  ///< a list of tensors (concat's inputs); becomes several inputs
  Int,      ///< int
  Float,    ///< float (an int is accepted and converted)
  Bool,     ///< bool
  Str,      ///< string
  IntPair,  ///< int n or (a, b); stored as Ints [a, b] ([n, n] for an int)
  Ints,     ///< list or tuple of ints, any length
  OptInt,   ///< int or none
  OptInts,  ///< int, list/tuple of ints, or none (stored as given: int, Ints or none)
  OptFloat, ///< float or none (an int is accepted and converted)
  Padding,  ///< int | (ph, pw) | (top, bottom, left, right) | "same" | "valid";
            ///< the shape rule normalizes it to Ints [top, bottom, left, right]
  Scalar,   ///< int or float (kept as given)
  Tied,     ///< a tensor whose producing layer's weight this op shares, or none:
            ///< sema stores the producer's node name (a string); see WeightSpec::tiedTo
};

struct ParamSpec {
  const char *name;
  ParamKind kind;
  bool required = true;
  AttrValue defaultValue = NoneAttr{}; ///< used when !required and not given
};

/// TVM's ordered fusion pattern kinds: fusion rules compare them.
enum class PatternKind : uint8_t {
  Elementwise,
  Broadcast,
  Injective,
  Reduce,
  OutElementwiseFusable,
  Opaque,
};

/// A parameter tensor an op owns (PyTorch's parameters and buffers).
struct WeightSpec {
  std::string name;  ///< as in PyTorch's state dict: "weight", "bias", "running_mean"
  Shape shape;
  bool learnable;    ///< true: a parameter (counts in params); false: a buffer
  /// Must be positive (a norm's scale gamma, a running variance): random
  /// weights (eval::randomWeights, the emitted self-check) draw it from
  /// [0.5, 1.5) instead of [-1, 1).
  bool positive = false;
  /// Non-empty: the weight is the weight of the same name of that node (a
  /// tied weight, GPT-2's lm_head sharing the token embedding): it is read
  /// (memory traffic) but owned there, so it counts in neither params nor
  /// weight bytes here, and eval uses the owner's values.
  std::string tiedTo = {};
};

struct OpDef;

/// What a rule sees of one call: the op, the input types and the attributes
/// (bound, defaulted and type-checked already). Shape rules may normalize
/// attributes (e.g. padding "same" -> explicit ints).
struct OpCall {
  const OpDef &op;
  llvm::ArrayRef<TensorType> inputs;
  Attrs &attrs;
};

/// Computes the output types; returns an error message, or "" on success.
/// Messages are lower-case, name the offending values, and never end in '.'.
using ShapeRule = std::string (*)(OpCall &call, std::vector<TensorType> &outputs);
/// Lists the parameter tensors of a call whose shapes are already inferred.
using WeightsRule = void (*)(const OpCall &call, std::vector<WeightSpec> &weights);

/// What one call computes, at the batch of its input types. Memory traffic is
/// not here: the cost model derives it from the input, weight and output
/// sizes, the same way for every op.
struct OpWork {
  int64_t macs = 0;        ///< multiply-accumulates (conv, conv_transpose, linear, matmul only)
  int64_t dotProducts = 0; ///< outputs computed as one dot product each (2n-1 FLOPs exactly)
  int64_t biasAdds = 0;    ///< bias additions (+1 FLOP each, exactly)
  int64_t elementwiseFlops = 0; ///< FLOPs of all other work, from the op's costDoc formula
};
/// Fills `work`; returns an error message (an overflow) or "".
using CostRule = std::string (*)(const OpCall &call, llvm::ArrayRef<TensorType> outputs,
                                 OpWork &work);

/// Weight elements one call reads at `batch` times its input types' batch,
/// when that is not all of its weights (the cost model's default):
/// embedding gathers the rows of its ids only, a mixture of experts reads
/// the experts its tokens are routed to. Nullopt on overflow.
using WeightReadRule = std::optional<int64_t> (*)(const OpCall &call, int64_t batch);
/// Elements an op moves to and from memory beyond its inputs, weights and
/// output, at its input types' batch (the cost model scales them by the
/// batch): attention's KV cache read and its score matrix when not fused.
using ExtraTrafficRule = std::optional<int64_t> (*)(const OpCall &call);
/// The KV cache of one call, in elements at its input types' batch:
/// `held` after the step, `read` (the cached tokens' keys and values) and
/// `written` (the new tokens' keys and values appended) during it.
struct KvCache {
  int64_t held = 0, read = 0, written = 0;
};
using KvCacheRule = std::optional<KvCache> (*)(const OpCall &call);
/// The learnable parameters one token uses (a mixture of experts: the
/// router and top_k experts), when that is not all of the op's params.
using ActiveParamsRule = std::optional<int64_t> (*)(const OpCall &call);

/// The reference semantics of an op: computes `outputs` (already shaped as
/// the shape rule says) from `inputs` and `weights` (in the order of the
/// weights rule), naively, in double precision, as PyTorch's eval mode does.
using EvalRule = void (*)(const OpCall &call, llvm::ArrayRef<const Buffer *> inputs,
                          llvm::ArrayRef<const Buffer *> weights, std::vector<Buffer> &outputs);

/// How a layer's "weight" holds its output channels: batchnorm folding
/// scales each output channel's filter (passes/FoldBatchNorm and the emitted
/// fold_batchnorm()); eval scales such weights by 1/sqrt(fan-in), fan-in being
/// the weight's size over its dim 0, as PyTorch initializes them.
enum class WeightLayout : uint8_t {
  None,       ///< no filter per output channel: nothing folds into the op
  OutFirst,   ///< [out, in/groups, ...]: output channel = index along dim 0 (conv2d, linear)
  Transposed, ///< [in, out/groups, kh, kw]: output channel = group * (out/groups) + dim-1
              ///< index, group = in-channel / (in/groups) (conv_transpose2d)
};

/// Absorbs a zero pad of the input's last two dims, `pad` = [top, bottom,
/// left, right] (all >= 0), into the op's own padding attribute: returns true
/// and updates `attrs`, or returns false and leaves them, with `why` set to
/// the reason (completing "left: ...") or left empty when the op cannot take
/// a pad of this kind at all.
using AbsorbPadRule = bool (*)(Attrs &attrs, const Ints &pad, std::string &why);
/// Whether a call of the op (attributes `attrs`, input `in`) is a constant
/// zero pad of the last two dims of a 4-d tensor: then `tblr` gets its
/// [top, bottom, left, right]; else `why` says what keeps it from being one.
using ZeroPadRule = bool (*)(const Attrs &attrs, const TensorType &in, Ints &tblr,
                             std::string &why);

/// The oneDNN primitive that runs an op (`netc measure`, measure/), named
/// plainly so that ir/ does not depend on oneDNN. None: oneDNN 2.6 has no
/// primitive for it (DnnlOp::why says so), and its layer is unmeasured.
enum class DnnlKind : uint8_t {
  None,
  Convolution,   ///< dense, grouped and depthwise (groups)
  Deconvolution, ///< transposed convolution
  InnerProduct,  ///< linear
  MatMul,
  Pooling,
  Eltwise,
  Binary,
  BatchNorm,     ///< inference: global statistics
  LayerNorm,
  Softmax,
  Concat,
  Resampling,
  Shuffle,       ///< channel shuffle
  Reorder,       ///< a permutation of dims
};

/// The algorithm of an eltwise, binary, pooling or resampling primitive.
enum class DnnlAlg : uint8_t {
  None,
  Relu, Clip, Logistic, Tanh, Swish, HardSwish, GeluErf, GeluTanh,
  HardSigmoid, ///< no oneDNN 2.6 algorithm: measure/ runs affine(1/6, 1/2) then clip [0, 1]
  Affine,      ///< alpha * x + beta (oneDNN's eltwise_linear)
  Add, Sub, Mul, Div,
  PoolMax, PoolAvgIncludePad, PoolAvgExcludePad,
  Nearest, Bilinear,
};

/// How `netc measure` runs an op on oneDNN. Set after add(), like eval.
struct DnnlOp {
  DnnlKind kind = DnnlKind::None;
  DnnlAlg alg = DnnlAlg::None;
  float alpha = 0, beta = 0; ///< eltwise parameters (relu6: clip [0, 6]; silu: swish 1)
  /// Sets the algorithm and parameters a call's attributes choose (gelu's
  /// approximate, leaky_relu's slope, ...); null: they are fixed.
  void (*refine)(const Attrs &attrs, DnnlOp &op) = nullptr;
  /// Reorder: output dim i is input dim perm[i], for an input of `rank` dims.
  Ints (*permutation)(const Attrs &attrs, size_t rank) = nullptr;
  const char *why = nullptr; ///< None: why oneDNN cannot run the op (one phrase)
};

/// How a call acts on its input's last dim, for sema's warning: `verb`
/// ("normalizes over") and `fix` (how to act on the channels instead).
struct TrailingDimUse {
  const char *verb = nullptr; ///< null: this call does not act on the last dim alone
  const char *fix = nullptr;
};
using TrailingDimRule = TrailingDimUse (*)(const Attrs &attrs);

struct OpDef {
  std::string name;
  std::vector<ParamSpec> params; ///< tensors first, then attributes
  PatternKind pattern = PatternKind::Opaque;
  ShapeRule shape = nullptr;
  WeightsRule weights = nullptr; ///< null: the op owns no weights
  std::string doc;               ///< one line for --list-ops
  /// Required (validateOpTable), so no op can be costed as a silent zero.
  CostRule cost = nullptr;
  std::string costDoc; ///< the FLOP formula, for --list-ops and the README
  /// A view at inference (reshape, flatten, dropout, identity; and input,
  /// whose tensor is already in memory): its outputs alias its input, so it
  /// moves no bytes and takes no time.
  bool view = false;
  /// Required (validateOpTable). Set right after the op is added:
  /// t.add({...}).eval = conv2dEval;
  EvalRule eval = nullptr;
  /// How the C++ emitter computes the op (ir/Kernel.h): elementwise and
  /// broadcast ops give a scalar expression, the others a loop nest. An op
  /// with neither cannot be emitted (an error naming it); views need neither.
  ScalarRule scalar = nullptr;
  KernelRule kernel = nullptr;

  // ---- Traits: what passes, eval and the emitter ask of an op, instead of
  // ---- comparing its name. Set after add(), like eval.

  /// The graph input (input): its tensor is supplied by the caller, in the
  /// order of the input nodes (Graph::inputs(), eval, the emitted run()).
  bool isInput = false;
  /// A layer with one filter per output channel in its "weight" (and a
  /// "bias" attribute): a following batchnorm can fold into it.
  WeightLayout weightLayout = WeightLayout::None;
  /// With a weightLayout: the dim of the output that holds the output
  /// channels, negative counting from the end (linear: -1). A batchnorm
  /// (channels at dim 1) folds in only where this names dim 1.
  int outputChannelDim = 1;
  /// A per-channel affine map at inference over dim 1 (batchnorm, with
  /// attributes eps and affine and weights weight, bias, running_mean,
  /// running_var): folds into a layer with a weightLayout before it.
  bool foldsIntoLayer = false;
  /// Null: a zero pad before the op stays a pad. Else FoldPad asks this rule
  /// to take the pad into the op's padding (conv2d always; avg_pool2d when it
  /// counts padded zeros and the pad is symmetric).
  AbsorbPadRule absorbPad = nullptr;
  /// Set on a padding op (pad): FoldPad asks it whether a call is a zero pad
  /// a following op may absorb (absorbPad).
  ZeroPadRule zeroPad = nullptr;
  /// Its node is named after the variable a statement assigns its output to
  /// (`img = input(...)` is node `img`, `cls = param(...)` node `cls`), not
  /// after the op; sema applies it (input, param).
  bool namedAfterVariable = false;
  /// Its output is its one weight (param): a learned tensor already in
  /// memory. Eval and the emitter read the output from the weights.
  bool outputIsWeight = false;
  /// Its output is [N, C, H, W] with channels at dim 1 (a convolution, a
  /// pooling, a resampling): an op acting on the last dim of it acts on W
  /// (sema warns, see trailingDim).
  bool spatialOutput = false;
  /// Null: the op never acts along its input's last dim alone. Else says
  /// whether a call does (linear always; layernorm without `dims` over one
  /// trailing dim); sema then warns when that input is a spatial output.
  TrailingDimRule trailingDim = nullptr;
  /// The oneDNN primitive `netc measure` times for the op (views need none).
  DnnlOp dnnl = {};
  /// The op takes index tensors (i64 token ids: embedding). Every other op
  /// but views refuses them (inferShapes): ids are never computed on.
  bool takesIndices = false;
  /// Null: a call reads all of its weights (WeightReadRule).
  WeightReadRule weightReads = nullptr;
  /// Null: no traffic beyond inputs, weights and outputs (ExtraTrafficRule).
  ExtraTrafficRule extraTraffic = nullptr;
  /// A bool attribute that, set, keeps the op's intermediates on chip
  /// (attention's `fused`: FlashAttention's tiling, the score matrix never
  /// written): the fuse-attention pass sets it. Its extraTraffic rule says
  /// what it saves.
  const char *onChipAttr = nullptr;
  /// Null: the op keeps no KV cache (KvCacheRule).
  KvCacheRule kvCache = nullptr;
  /// Null: every param is active for every token (ActiveParamsRule).
  ActiveParamsRule activeParams = nullptr;
  OnnxRule onnx = nullptr; ///< how --emit=onnx writes it (ir/Onnx.h); null: no ONNX form
  /// No ONNX operator: the rule's nodes go in a model-local function (domain
  /// ai.netc) whose one call carries the attributes, so netc import reads it back.
  bool onnxFunction = false;
};

class OpTable {
public:
  /// The table with every op of netc. Aborts (in every build) if
  /// validateOpTable finds a problem.
  static const OpTable &get();

  const OpDef *lookup(llvm::StringRef name) const;
  /// All ops, sorted by name (deterministic listing).
  std::vector<const OpDef *> all() const;

  // Used by the ir/ops/*.cpp registration functions.
  OpDef &add(OpDef def);
  void alias(llvm::StringRef alias, llvm::StringRef target);

private:
  std::vector<std::unique_ptr<OpDef>> defs;
  llvm::StringMap<const OpDef *> byName;
};

/// What is incomplete in `t`, one message per problem (an op without an eval
/// rule, without a shape or cost rule or cost doc, ...); empty when every op
/// is complete. OpTable::get() refuses a table with problems.
std::vector<std::string> validateOpTable(const OpTable &t);

/// Whether the op's tensor inputs are one list (its only tensor parameter is
/// a ParamKind::Tensors, like concat's `xs`): the emitter then passes them to
/// its kernel as a table (KernelCall::list).
bool takesTensorList(const OpDef &op);

/// An op's cost doc as --list-ops and the README show it (" (a view)" added).
std::string costText(const OpDef &op);

/// The README's table of ops and their FLOP formulas (OpDef::costDoc), as
/// Markdown rows; tests/unit/OpCoverageTest checks README.md holds it.
std::string opTableMarkdown(const OpTable &t);

// One registration function per op family (ir/ops/*.cpp).
void registerInputOps(OpTable &t);
void registerConvOps(OpTable &t);
void registerLinearOps(OpTable &t);
void registerNormOps(OpTable &t);
void registerActivationOps(OpTable &t);
void registerPoolOps(OpTable &t);
void registerElementwiseOps(OpTable &t);
void registerConcatOps(OpTable &t);
void registerPermuteOps(OpTable &t);
void registerViewOps(OpTable &t);
void registerResampleOps(OpTable &t);
void registerSliceOps(OpTable &t);
void registerTransformerOps(OpTable &t);
void registerAttentionOps(OpTable &t);
void registerMoeOps(OpTable &t);

// ---- helpers shared by the shape rules -----------------------------------

/// PyTorch's output size of a sliding window:
/// floor((in + padBefore + padAfter - dilation*(k-1) - 1) / stride + 1), with
/// ceil instead of floor when ceilMode, where the last window must start inside
/// the input or the left padding (PyTorch's pooling rule). Returns nullopt on
/// overflow; the result may be <= 0 (callers report it).
std::optional<int64_t> windowOutputSize(int64_t in, int64_t k, int64_t stride,
                                        int64_t padBefore, int64_t padAfter, int64_t dilation,
                                        bool ceilMode = false);

/// Resolves a Padding attribute (int, [ph, pw], [t, b, l, r], "same",
/// "valid") for a 2-D window into [top, bottom, left, right]. "same" keeps
/// the output at ceil(in / stride) (TensorFlow's rule; for stride 1 this is
/// PyTorch's padding="same", the extra pixel of an odd total going after).
/// Returns an error message, or "".
std::string resolvePadding2d(const AttrValue &padding, const Shape &inputHW,
                             const Ints &kernel, const Ints &stride, const Ints &dilation,
                             Ints &out);

/// Converts `v` in place to what `kind` stores (an int for a Float becomes a
/// double, an int for an IntPair [n, n], ...). Returns "" or an error naming
/// what was expected ("expected an int or a pair of ints"); never a Tensor.
std::string normalizeAttr(ParamKind kind, AttrValue &v);

/// A readable name of what a kind accepts: "an int or a pair of ints".
const char *describeKind(ParamKind kind);

/// Binds `given` attributes (by name) to `op`'s signature: checks and
/// normalizes each, fills defaults, and reports unknown or missing ones. On
/// success `out` holds every attribute in signature order. For callers that
/// build nodes directly (tests, passes); .net calls bind in sema the same way.
std::string bindAttrs(const OpDef &op, const Attrs &given, Attrs &out);

/// Binds attributes and runs the shape rule.
std::string inferShapes(const OpDef &op, llvm::ArrayRef<TensorType> inputs, const Attrs &given,
                        Attrs &bound, std::vector<TensorType> &outputs);

/// PyTorch's type promotion between two tensors: i8 with a float type gives
/// the float type; f16 with bf16 gives f32; otherwise f32 wins.
DType promoteDTypes(DType a, DType b);

/// PyTorch's dim wrapping: `dim` in [-rank, rank) names dim (dim + rank) %
/// rank of `x`. Returns an error naming the argument (`what`) and the shape,
/// or "". 0-d tensors have no dims to name.
std::string wrapDim(const char *what, int64_t dim, const TensorType &x, int64_t &out);

/// The int attribute `name` of a call, a dim of `x` already checked by the
/// shape rule (wrapDim), wrapped into [0, rank) (eval rules).
size_t wrappedDim(const OpCall &c, const char *name, const TensorType &x);

/// An error if `t` has more elements than int64 can count (a broadcast or a
/// wide layer can grow past its inputs), else "".
std::string checkElementCount(const TensorType &t);

/// A norm's normalized shape as given by its `shape` attribute: none ->
/// [last dim], n -> [n], or the list itself. Empty for a 0-d input without a
/// shape (reported by trailingNormShape).
Ints normalizedShape(const OpCall &c);
/// The shape rule of a norm over the trailing dims `shape` (layernorm,
/// rmsnorm): they must match x's last dims and eps be a number >= 0; `shape`
/// is normalized to the list of those dims and the output is x's type.
std::string trailingNormShape(OpCall &c, std::vector<TensorType> &outs);

/// An error unless groups > 0 and divides the channels (dim 1) of `x`.
std::string checkChannelGroups(const TensorType &x, int64_t groups);

/// Product of the dims of `s` in [from, to) (1 for none): the elements of a
/// block of a row-major tensor (kernel and eval rules, shapes already checked).
int64_t dimsProduct(llvm::ArrayRef<int64_t> s, size_t from, size_t to);

/// Cost rules shared by many ops: N FLOPs per output element (0 for data
/// movement), with overflow checks.
std::string flopsPerOutputElement(int64_t n, llvm::ArrayRef<TensorType> outputs, OpWork &work);
template <int64_t N>
std::string costPerOutput(const OpCall &, llvm::ArrayRef<TensorType> outputs, OpWork &work) {
  return flopsPerOutputElement(N, outputs, work);
}

/// Offset in a row-major tensor of shape `in` (aligned at the right with the
/// broadcast shape `out`) of the element at flat `index` of `out` (eval rules).
size_t broadcastOffset(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> out, size_t index);

/// The state-dict key of weight `tensor` of node `node`, as PyTorch names
/// it: "node.tensor" ("layer1.conv.weight"), or the node's own path for a
/// tensor without a name (a param's: "encoder.pos_embedding", like an
/// nn.Parameter attribute).
std::string stateDictKey(llvm::StringRef node, llvm::StringRef tensor);

/// "[1,32,56,56]"-style shape text for messages.
std::string shapeText(const TensorType &t);

} // namespace netc::ir

#endif
