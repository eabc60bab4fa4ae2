#!/usr/bin/python3
"""Runs a netc ONNX model (--weights random) with numpy and compares its
outputs with netc's evaluator (tests/tools/netc-evaldump's DUMP).

usage: onnx-numpy.py MODEL.onnx DUMP

There is no ONNX runtime on Debian 12, so this is a small interpreter of the
ONNX operators netc writes (opset 17), from the operators' specification, in
float64 on the float32 weights and inputs. It checks what ONNX's checker
cannot: that the nodes compute what netc's op table says (layouts, pads,
permutations, split sizes, the decompositions of gelu, the norms, rotary,
attention and moe). Exit 0 when every output agrees within 1e-5 of its
largest magnitude.
"""
import math
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def attrs_of(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def windows(x, k, s, pads, d, ceil, fill):
    """x [N, C, H, W] padded with `fill` -> array [N, C, OH, OW, kh, kw]."""
    n, c, h, w = x.shape
    out, ends = [], []
    for i in range(2):
        size = (h, w)[i] + pads[i] + pads[i + 2] - d[i] * (k[i] - 1) - 1
        o = (-(-size // s[i]) if ceil else size // s[i]) + 1
        out.append(o)
        ends.append(max(pads[i + 2], (o - 1) * s[i] + d[i] * (k[i] - 1) + 1 - (h, w)[i] - pads[i]))
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], ends[0]), (pads[1], ends[1])), constant_values=fill)
    res = np.empty((n, c, out[0], out[1], k[0], k[1]))
    for a in range(k[0]):
        for b in range(k[1]):
            res[..., a, b] = xp[:, :, a * d[0]:a * d[0] + s[0] * out[0]:s[0],
                                b * d[1]:b * d[1] + s[1] * out[1]:s[1]]
    return res, (h + pads[0] + pads[2], w + pads[1] + pads[3])


def conv(x, w, b, a):
    k = a["kernel_shape"]
    s, d = a.get("strides", [1, 1]), a.get("dilations", [1, 1])
    g = a.get("group", 1)
    win, _ = windows(x, k, s, a.get("pads", [0] * 4), d, False, 0.0)
    n, c, oh, ow = win.shape[:4]
    win = win.reshape(n, g, c // g, oh, ow, k[0], k[1])
    wg = w.reshape(g, w.shape[0] // g, c // g, k[0], k[1])
    y = np.einsum("ngchwab,gocab->ngohw", win, wg).reshape(n, w.shape[0], oh, ow)
    return y if b is None else y + b.reshape(1, -1, 1, 1)


def conv_transpose(x, w, b, a):
    k, s = a["kernel_shape"], a.get("strides", [1, 1])
    d, g = a.get("dilations", [1, 1]), a.get("group", 1)
    p, op = a.get("pads", [0] * 4), a.get("output_padding", [0, 0])
    n, c, h, wd = x.shape
    cout = w.shape[1] * g
    full = [(h - 1) * s[0] + d[0] * (k[0] - 1) + 1 + op[0],
            (wd - 1) * s[1] + d[1] * (k[1] - 1) + 1 + op[1]]
    y = np.zeros((n, cout, full[0], full[1]))
    xg = x.reshape(n, g, c // g, h, wd)
    wg = w.reshape(g, c // g, w.shape[1], k[0], k[1])
    for i in range(k[0]):
        for j in range(k[1]):
            part = np.einsum("ngchw,gco->ngohw", xg, wg[..., i, j]).reshape(n, cout, h, wd)
            y[:, :, i * d[0]:i * d[0] + s[0] * h:s[0], j * d[1]:j * d[1] + s[1] * wd:s[1]] += part
    y = y[:, :, p[0]:full[0] - p[2], p[1]:full[1] - p[3]]
    return y if b is None else y + b.reshape(1, -1, 1, 1)


def pool(x, a, kind):
    k, s = a["kernel_shape"], a.get("strides", [1, 1])
    p, d = a.get("pads", [0] * 4), a.get("dilations", [1, 1])
    ceil = a.get("ceil_mode", 0)
    if kind == "max":
        return windows(x, k, s, p, d, ceil, -np.inf)[0].max(axis=(4, 5))
    win, padded = windows(x, k, s, p, d, ceil, 0.0)
    ones = np.pad(np.ones((1, 1) + x.shape[2:]), ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])),
                  constant_values=1.0 if a.get("count_include_pad", 0) else 0.0)
    count = windows(ones, k, s, [0] * 4, d, ceil, 0.0)[0].sum(axis=(4, 5))
    return win.sum(axis=(4, 5)) / count


def resize(x, a, scales, sizes):
    out = list(sizes) if sizes is not None else [int(math.floor(x.shape[i] * scales[i]))
                                                  for i in range(4)]
    sc = list(scales) if scales is not None else [out[i] / x.shape[i] for i in range(4)]
    y = x
    for axis in (2, 3):
        n_in, n_out = x.shape[axis], out[axis]
        o = np.arange(n_out, dtype=np.float64)
        if a["mode"] == b"nearest":
            idx = np.minimum(np.floor(o / sc[axis]).astype(np.int64), n_in - 1)
            y = np.take(y, idx, axis=axis)
            continue
        src = (o + 0.5) / sc[axis] - 0.5 if n_out > 1 else np.zeros(1)
        src = np.maximum(src, 0)
        i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
        i1 = np.minimum(i0 + 1, n_in - 1)
        lam = (src - i0).reshape([-1 if i == axis else 1 for i in range(4)])
        y = np.take(y, i0, axis=axis) * (1 - lam) + np.take(y, i1, axis=axis) * lam
    return y


FUNCTIONS = {}  # the model's local functions: netc's ops without an ONNX operator


def run_node(node, v):
    a = attrs_of(node)
    ins = [v[i] if i else None for i in node.input]
    t, x = node.op_type, ins[0] if ins else None
    if node.domain == "ai.netc":  # a call: run the body (as a runtime inlines it)
        f = FUNCTIONS[t]
        env = dict(zip(f.input, ins))
        for inner in f.node:
            for name, value in zip(inner.output, run_node(inner, env)):
                env[name] = np.asarray(value)
        return [env[o] for o in f.output]
    if t == "Constant":
        return [numpy_helper.to_array(a["value"]).astype(np.float64)
                if a["value"].data_type == onnx.TensorProto.FLOAT
                else numpy_helper.to_array(a["value"])]
    simple = {"Relu": lambda: np.maximum(x, 0), "Sigmoid": lambda: 1 / (1 + np.exp(-x)),
              "Tanh": lambda: np.tanh(x), "Neg": lambda: -x, "Sqrt": lambda: np.sqrt(x),
              "Identity": lambda: x, "Erf": lambda: np.vectorize(math.erf)(x),
              "Add": lambda: x + ins[1], "Sub": lambda: x - ins[1], "Mul": lambda: x * ins[1],
              "Div": lambda: x / ins[1], "MatMul": lambda: np.matmul(x, ins[1]),
              "HardSwish": lambda: x * np.clip(x / 6 + 0.5, 0, 1),
              "GlobalAveragePool": lambda: x.mean(axis=(2, 3), keepdims=True)}
    if t in simple:
        return [simple[t]()]
    if t == "Clip":
        return [np.clip(x, ins[1], ins[2])]
    if t == "LeakyRelu":
        return [np.where(x >= 0, x, a["alpha"] * x)]
    if t == "HardSigmoid":
        return [np.clip(a["alpha"] * x + a["beta"], 0, 1)]
    if t == "Softmax":
        e = np.exp(x - x.max(axis=a["axis"], keepdims=True))
        return [e / e.sum(axis=a["axis"], keepdims=True)]
    if t == "Gemm":
        y = x @ (ins[1].T if a.get("transB") else ins[1])
        return [y + ins[2] if len(ins) > 2 else y]
    if t == "Conv":
        return [conv(x, ins[1], ins[2] if len(ins) > 2 else None, a)]
    if t == "ConvTranspose":
        return [conv_transpose(x, ins[1], ins[2] if len(ins) > 2 else None, a)]
    if t in ("MaxPool", "AveragePool"):
        return [pool(x, a, "max" if t == "MaxPool" else "avg")]
    if t == "BatchNormalization":
        sh = [1, -1] + [1] * (x.ndim - 2)
        sc, b, m, var = (i.reshape(sh) for i in ins[1:5])
        return [(x - m) / np.sqrt(var + a.get("epsilon", 1e-5)) * sc + b]
    if t == "LayerNormalization":
        axes = tuple(range(a.get("axis", -1) % x.ndim, x.ndim))
        m = x.mean(axis=axes, keepdims=True)
        var = ((x - m) ** 2).mean(axis=axes, keepdims=True)
        y = (x - m) / np.sqrt(var + a.get("epsilon", 1e-5)) * ins[1]
        return [y + ins[2] if len(ins) > 2 and ins[2] is not None else y]
    if t == "ReduceMean":
        return [x.mean(axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))]
    if t == "Reshape":
        return [x.reshape(ins[1])]
    if t == "Transpose":
        return [np.transpose(x, a["perm"])]
    if t == "Concat":
        return [np.concatenate(ins, axis=a["axis"])]
    if t == "Split":
        return np.split(x, np.cumsum(ins[1])[:-1], axis=a.get("axis", 0))
    if t == "Slice":
        sl = [slice(None)] * x.ndim
        step = int(ins[4][0]) if len(ins) > 4 else 1
        sl[int(ins[3][0])] = slice(int(ins[1][0]), int(ins[2][0]), step)
        return [x[tuple(sl)]]
    if t == "Gather":
        return [np.take(x, ins[1].astype(np.int64), axis=a.get("axis", 0))]
    if t == "Pad":
        r = x.ndim
        width = [(int(ins[1][i]), int(ins[1][r + i])) for i in range(r)]
        mode = a.get("mode", b"constant").decode()
        if mode == "constant":
            return [np.pad(x, width, constant_values=ins[2] if len(ins) > 2 else 0)]
        return [np.pad(x, width, mode=mode)]
    if t == "Resize":
        scales = ins[2] if len(ins) > 2 and ins[2] is not None else None
        return [resize(x, a, scales, ins[3] if len(ins) > 3 else None)]
    if t == "Expand":
        return [np.broadcast_to(x, np.broadcast_shapes(x.shape, tuple(ins[1])))]
    if t == "TopK":
        k = int(ins[1][0])
        idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
        return [np.take_along_axis(x, idx, axis=-1), idx]
    if t == "ScatterElements":
        y = x.copy()
        np.put_along_axis(y, ins[1], ins[2], axis=a.get("axis", 0))
        return [y]
    raise SystemExit(f"onnx-numpy: no numpy rule for {t} (node {node.name})")


def read_dump(path):
    inputs, outputs = [], []
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines) and lines[i]:
        kind, _, n = lines[i].split()
        vals = np.array([float(s) for s in lines[i + 1:i + 1 + int(n)]])
        (inputs if kind == "input" else outputs).append(vals)
        i += 1 + int(n)
    return inputs, outputs


def main():
    model = onnx.load(sys.argv[1])
    inputs, expected = read_dump(sys.argv[2])
    g = model.graph
    FUNCTIONS.update({f.name: f for f in model.functions if f.domain == "ai.netc"})
    v = {}
    for t in g.initializer:
        v[t.name] = numpy_helper.to_array(t).astype(np.float64)
    for vi, data in zip(g.input, inputs):
        tt = vi.type.tensor_type
        shape = [d.dim_value for d in tt.shape.dim]
        v[vi.name] = data.reshape(shape).astype(
            np.int64 if tt.elem_type == onnx.TensorProto.INT64 else np.float64)
    for node in g.node:
        for name, value in zip(node.output, run_node(node, v)):
            v[name] = np.asarray(value)
    worst = 0.0
    for o, want in zip(g.output, expected):
        got = v[o.name].reshape(-1)
        scale = max(np.abs(want).max(), 1e-30)
        rel = np.abs(got - want).max() / scale if got.size == want.size else np.inf
        print(f"output {o.name}: {want.size} values, relative difference {rel:.3g}")
        worst = max(worst, rel if rel == rel else np.inf)
    ok = worst <= 1e-5 and len(g.output) == len(expected)
    print(f"{'PASS' if ok else 'FAIL'}: numpy run of the ONNX model vs netc's evaluator, "
          f"max relative difference {worst:.3g} (limit 1e-5)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
