#!/usr/bin/python3
"""Makes the ONNX models of netc's import tests (a maintainer script: the
tests read the committed files and never run Python). Run with Debian's
/usr/bin/python3 (python3-torch, python3-torchvision, python3-onnx).

tests/onnx/models/   small models exported by torch.onnx.export, each with
                     the .net it was written from beside it in
                     tests/onnx/sources/ (the tests compare params and MACs)
tests/onnx/zoo/      seven of torchvision's models (ResNet-18 and -50,
                     MobileNetV2 and V3 small, EfficientNet-B0, ConvNeXt-T,
                     ViT-B/16), exported whole, then cut to their structure:
                     every initializer of more than 64 elements keeps its
                     dims and loses its values (netc never reads weights), so
                     each is 27 to 300 kB instead of 10 to 330 MB
tests/onnx/bad/      broken models: truncated, corrupt, an op netc has no
                     layer for, a missing external data file, opset 6, ...
tests/onnx/models/netc_functions.onnx
                     written by netc itself (build/netc, or $NETC) from
                     tests/onnx/sources/netc_functions.net: rotary, attention
                     and moe as calls of ai.netc functions

Models are exported in training mode (TrainingMode.TRAINING, no constant
folding), with dropout and stochastic depth made identities first: in eval
mode the exporter folds every BatchNorm into its convolution, and the file
then holds other params than PyTorch counts.

usage: scripts/make-onnx-tests.py
"""
import io
import os
import subprocess
import warnings

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "onnx")
torch.manual_seed(0)


def export(model, x, path, opset=13, cut=False):
    model.eval()
    for name, m in list(model.named_modules()):
        for child_name, child in list(m.named_children()):
            if isinstance(child, nn.Dropout) or type(child).__name__ == "StochasticDepth":
                setattr(m, child_name, nn.Identity())
    buf = io.BytesIO()
    torch.onnx.export(model, x, buf, opset_version=opset, do_constant_folding=False,
                      training=torch.onnx.TrainingMode.TRAINING)
    m = onnx.load_from_string(buf.getvalue())
    if cut:
        for t in m.graph.initializer:
            n = 1
            for d in t.dims:
                n *= d
            if n > 64:
                t.ClearField("raw_data")
                t.ClearField("float_data")
    m.producer_version = torch.__version__.split("a")[0]
    with open(path, "wb") as f:
        f.write(m.SerializeToString())
    params = sum(p.numel() for p in model.parameters())
    print(f"wrote {os.path.relpath(path, ROOT)}: {os.path.getsize(path)} bytes, {params} params")


class Residual(nn.Module):
    def __init__(self, c, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(x + self.bn2(self.conv2(y)))


class TinyCnn(nn.Module):
    """Conv-BN-ReLU, two residual blocks of one structure (a block), pooling,
    x.view(x.size(0), -1) (Shape/Gather/Concat/Reshape), a classifier."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.pool = nn.MaxPool2d(3, 2, 1)
        self.blocks = nn.Sequential(Residual(8), Residual(8))
        self.avg = nn.AvgPool2d(2)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = self.avg(self.blocks(self.pool(self.stem(x))))
        return self.fc(x.view(x.size(0), -1))


class Mobile(nn.Module):
    """Depthwise convolutions, ReLU6 (Clip), hardswish, a squeeze-excite
    (GlobalAveragePool, hardsigmoid, Mul by a tensor), concat, chunk
    (Split), pad, upsample (Resize), a 1x1 classifier."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, 1, 1)
        self.dw = nn.Conv2d(16, 16, 3, 2, 1, groups=16, bias=False)
        self.se_fc1 = nn.Conv2d(16, 4, 1)
        self.se_fc2 = nn.Conv2d(4, 16, 1)
        self.pw = nn.Conv2d(32, 8, 1)
        self.head = nn.Conv2d(8, 5, 1)

    def forward(self, x):
        x = F.relu6(self.conv(x))
        y = F.hardswish(self.dw(x))
        s = F.hardsigmoid(self.se_fc2(F.relu(self.se_fc1(F.adaptive_avg_pool2d(y, 1)))))
        y = y * s
        a, b = torch.chunk(y, 2, dim=1)
        y = torch.cat([b, a, y], dim=1)
        y = F.pad(F.interpolate(self.pw(y), scale_factor=2.0, mode="nearest"), (1, 1, 1, 1))
        return self.head(y).mean(dim=(2, 3))


class Encoder(nn.Module):
    """A transformer block on [1, 16, 32]: linear on 3-D tensors (MatMul + Add),
    layer norm (decomposed before opset 17), GELU (Erf), softmax attention."""

    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(32)
        self.qkv = nn.Linear(32, 96)
        self.proj = nn.Linear(32, 32)
        self.ln2 = nn.LayerNorm(32)
        self.fc1 = nn.Linear(32, 64)
        self.fc2 = nn.Linear(64, 32)

    def forward(self, x):
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        a = torch.softmax(q @ k.transpose(1, 2) * 0.125, dim=-1) @ v
        x = x + self.proj(a)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


def bad_models():
    d = os.path.join(OUT, "bad")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(OUT, "models", "tiny_cnn.onnx"), "rb") as f:
        good = f.read()
    files = {
        "truncated.onnx": good[: len(good) // 2],
        "not_protobuf.onnx": b"this is not a protobuf at all\n" * 4,
        "empty.onnx": b"",
    }
    h = onnx.helper
    x = h.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 4])
    y = h.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 4])
    def model(nodes, inits=(), opset=13, inputs=(x,), outputs=(y,)):
        g = h.make_graph(nodes, "g", list(inputs), list(outputs), list(inits))
        return h.make_model(g, opset_imports=[h.make_opsetid("", opset)],
                            producer_name="make-onnx-tests").SerializeToString()
    files["unknown_op.onnx"] = model([h.make_node("Relu", ["x"], ["r"], name="first"),
                                      h.make_node("Softsign", ["r"], ["y"], name="/blk/softsign")])
    w = onnx.TensorProto(name="w", data_type=onnx.TensorProto.FLOAT, dims=[4, 4])
    w.data_location = onnx.TensorProto.EXTERNAL
    e = w.external_data.add()
    e.key, e.value = "location", "missing_weights.bin"
    files["missing_external.onnx"] = model([h.make_node("MatMul", ["x", "w"], ["y"], name="mm")], [w])
    files["old_opset.onnx"] = model([h.make_node("Relu", ["x"], ["y"])], opset=6)
    files["no_graph.onnx"] = onnx.ModelProto(ir_version=8).SerializeToString()
    files["constant_output.onnx"] = model(
        [h.make_node("Constant", [], ["y"], value=h.make_tensor("c", 1, [1, 4], [0, 1, 2, 3]))])
    files["conv3d.onnx"] = model(
        [h.make_node("Conv", ["x", "k"], ["y"], name="conv3d")],
        [h.make_tensor("k", 1, [2, 1, 1, 1, 1], [1, 1])],
        inputs=(h.make_tensor_value_info("x", 1, [1, 1, 2, 2, 2]),),
        outputs=(h.make_tensor_value_info("y", 1, [1, 2, 2, 2, 2]),))
    # Found by fuzz_onnx: each crashed the importer (or ONNX's shape
    # inference under it) before the check that now rejects it.
    files["undefined_input.onnx"] = model([h.make_node("Relu", ["nowhere"], ["y"], name="relu")])
    files["conv_weight_rank.onnx"] = model(
        [h.make_node("Conv", ["x", "k"], ["y"], name="conv")],
        [h.make_tensor("k", 1, [2, 1, 1, 1, 1], [1, 1])],
        inputs=(h.make_tensor_value_info("x", 1, [1, 1, 2, 2]),),
        outputs=(h.make_tensor_value_info("y", 1, [1, 2, 2, 2]),))
    files["huge_int_constant.onnx"] = model(
        [h.make_node("Constant", [], ["c"], value=h.make_tensor("c", 1, [1], [3e19])),
         h.make_node("Cast", ["c"], ["ci"], to=7),
         h.make_node("Reshape", ["x", "ci"], ["y"], name="reshape")])
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        print(f"wrote tests/onnx/bad/{name}: {len(data)} bytes")


def main():
    os.makedirs(os.path.join(OUT, "models"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "zoo"), exist_ok=True)
    models = os.path.join(OUT, "models")
    export(TinyCnn(), torch.randn(1, 3, 32, 32), os.path.join(models, "tiny_cnn.onnx"))
    export(Mobile(), torch.randn(1, 3, 16, 16), os.path.join(models, "mobile.onnx"))
    export(Encoder(), torch.randn(1, 16, 32), os.path.join(models, "encoder13.onnx"), opset=13)
    export(Encoder(), torch.randn(1, 16, 32), os.path.join(models, "encoder17.onnx"), opset=17)
    for name in ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0",
                 "convnext_tiny", "vit_b_16"]:
        export(getattr(torchvision.models, name)(), torch.randn(1, 3, 224, 224),
               os.path.join(OUT, "zoo", name + ".onnx"), cut=True)
    bad_models()
    netc = os.environ.get("NETC", os.path.join(ROOT, "build", "netc"))
    subprocess.run([netc, "--emit=onnx", "-O0", "--force",
                    os.path.join(OUT, "sources", "netc_functions.net"),
                    "-o", os.path.join(models, "netc_functions.onnx")], check=True)


if __name__ == "__main__":
    main()
