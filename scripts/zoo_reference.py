#!/usr/bin/python3
"""Reference params and MACs of the model zoo (examples/*.net), from torchvision.

A maintainer tool, not part of the build or the tests: run it with Debian's
Python (`/usr/bin/python3 scripts/zoo_reference.py`, needs `python3-torchvision`)
after changing the zoo, and commit the numbers it writes to
tests/zoo/reference.txt; the C++ tests compare netc against that file and need
no Python.

For every network: the torchvision model built with weights=None in eval mode,
fed one 1x3x224x224 image (224 for every network, whatever the example's own
default resolution), and

  params = sum(p.numel() for p in model.parameters())
  macs   = the multiply-accumulates of the Conv2d and Linear layers only,
           counted with forward hooks:
             Conv2d: out.numel() * (in_channels / groups) * kh * kw
             Linear: out.numel() * in_features
           and, for a transformer (vit_b_16), nn.MultiheadAttention as a whole
           (its functional forward calls no Linear module), for a query of L
           tokens of width E in a batch of N:
             N*L*E*3E (in_proj) + 2*N*L*L*E (q k^T and att v over all heads)
             + N*L*E*E (out_proj)
           which is what netc counts for its linear and matmul ops.

MobileNetV1 is not in torchvision: it is built here from Table 1 of Howard et
al., "MobileNets" (2017): BN after every conv, no conv biases, a final FC with
bias (4.2 M params, 569 M mult-adds at 224); the last depthwise conv has stride 1
(Table 1 says s2, but its input and output are both 7x7), and the width
multiplier gives max(8, int(c * width)) channels, as TensorFlow's slim code.

The networks' names are the examples' (examples/NAME.net; mobilenet_v2 is
examples/mobilenetv2.net). Compare with `-D res=224` (efficientnet_b3's own
default is 300): tests/zoo/check-zoo.sh does.

The file also holds scripts/llm_reference.py's rows (the LLM examples) in a
section of their own, which this script keeps.

Usage: zoo_reference.py [-o FILE] [NAME ...]   (default: all, to tests/zoo/reference.txt)
"""
import argparse
import os
import sys
import warnings

import torch
from torch import nn
import torchvision.models as tvm

RES = 224


def mobilenet_v1(num_classes=1000, width=1.0):
    """MobileNetV1, Table 1 of the paper (the last dw conv has stride 1: 7x7 in and out)."""
    def c(ch):
        return max(8, int(ch * width))

    def conv_bn(inp, out, stride):
        return [nn.Conv2d(inp, out, 3, stride, 1, bias=False), nn.BatchNorm2d(out), nn.ReLU(inplace=True)]

    def dw_sep(inp, out, stride):
        return [nn.Conv2d(inp, inp, 3, stride, 1, groups=inp, bias=False), nn.BatchNorm2d(inp),
                nn.ReLU(inplace=True),
                nn.Conv2d(inp, out, 1, 1, 0, bias=False), nn.BatchNorm2d(out), nn.ReLU(inplace=True)]

    cfg = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
           (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
    layers = conv_bn(3, c(32), 2)
    inp = c(32)
    for out, s in cfg:
        layers += dw_sep(inp, c(out), s)
        inp = c(out)
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(1), nn.Linear(inp, num_classes))


MODELS = {
    "mobilenet_v1": lambda: mobilenet_v1(),
    "mobilenet_v2": lambda: tvm.mobilenet_v2(weights=None),
    "mobilenet_v3_large": lambda: tvm.mobilenet_v3_large(weights=None),
    "mobilenet_v3_small": lambda: tvm.mobilenet_v3_small(weights=None),
    "resnet18": lambda: tvm.resnet18(weights=None),
    "resnet50": lambda: tvm.resnet50(weights=None),
    "resnext50_32x4d": lambda: tvm.resnext50_32x4d(weights=None),
    "vgg16": lambda: tvm.vgg16(weights=None),
    "alexnet": lambda: tvm.alexnet(weights=None),
    "efficientnet_b0": lambda: tvm.efficientnet_b0(weights=None),
    "efficientnet_b3": lambda: tvm.efficientnet_b3(weights=None),
    "squeezenet1_0": lambda: tvm.squeezenet1_0(weights=None),
    "shufflenet_v2_x1_0": lambda: tvm.shufflenet_v2_x1_0(weights=None),
    "densenet121": lambda: tvm.densenet121(weights=None),
    "googlenet": lambda: tvm.googlenet(weights=None, aux_logits=False, init_weights=False),
    "convnext_tiny": lambda: tvm.convnext_tiny(weights=None),
    "vit_b_16": lambda: tvm.vit_b_16(weights=None),
}


# The figures (issue 5): a check that the counting rule is the right one.
EXPECTED = {
    "resnet50": (25557032, 4089184256),
    "mobilenet_v2": (3504872, 300774272),
    "vgg16": (138357544, 15470264320),
}


def count(model):
    """(params, macs) of `model` on one RES x RES image."""
    params = sum(p.numel() for p in model.parameters())
    macs = 0

    def conv_hook(m, inp, out):
        nonlocal macs
        kh, kw = m.kernel_size
        macs += out.numel() * (m.in_channels // m.groups) * kh * kw

    def linear_hook(m, inp, out):
        nonlocal macs
        macs += out.numel() * m.in_features

    def attention_hook(m, inp, out):
        nonlocal macs
        # Self-attention (torchvision passes query = key = value by keyword,
        # which forward hooks of this torch do not see): L from the output.
        y = out[0] if m.batch_first else out[0].transpose(0, 1)  # [N, L, E]
        n, l, e = y.shape
        assert m.kdim == e and m.vdim == e, "self-attention only"
        macs += n * l * e * 3 * e + 2 * n * l * l * e + n * l * e * e

    attention = [m for m in model.modules() if isinstance(m, nn.MultiheadAttention)]
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            m.register_forward_hook(conv_hook)
        elif isinstance(m, nn.MultiheadAttention):
            m.register_forward_hook(attention_hook)
        elif isinstance(m, nn.Linear) and not any(m is a.out_proj for a in attention):
            m.register_forward_hook(linear_hook)
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, RES, RES))
    return params, macs


HEADER = "# name params macs -- written by scripts/zoo_reference.py"


def replace_section(path, lines, header=HEADER, first=True):
    """The file with the section of one script (from its comment line
    `header` up to the next comment line) replaced by `lines`; the other
    sections are kept. A missing section goes first (this script's) or last
    (`first=False`: scripts/llm_reference.py's, which imports this)."""
    old = open(path).read().splitlines() if os.path.exists(path) else []
    out, skipping, done = [], False, False
    for line in old:
        if line.startswith(header):
            skipping, done = True, True
            out += lines
            continue
        if skipping and line.startswith("#"):
            skipping = False
        if not skipping:
            out.append(line)
    if not done:
        out = lines + out if first else out + lines
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("-o", default=os.path.join(here, "..", "tests", "zoo", "reference.txt"),
                    help="output file ('-' for standard output)")
    ap.add_argument("names", nargs="*", help="networks (default: all)")
    args = ap.parse_args()
    names = args.names or list(MODELS)
    for n in names:
        if n not in MODELS:
            sys.exit(f"unknown network {n}; known: {' '.join(MODELS)}")
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    lines = [HEADER + " "
             f"(torch {torch.__version__}, torchvision {__import__('torchvision').__version__}); "
             f"{RES}x{RES} (netc: -D res={RES}), batch 1, MACs of Conv2d and Linear only "
             "(and MultiheadAttention's projections and products)"]
    for n in names:
        p, m = count(MODELS[n]())
        if n in EXPECTED and (p, m) != EXPECTED[n]:
            sys.exit(f"{n}: {p} params, {m} MACs; expected {EXPECTED[n][0]} and {EXPECTED[n][1]}")
        lines.append(f"{n} {p} {m}")
        print(lines[-1], file=sys.stderr)
    if args.o == "-":
        sys.stdout.write("\n".join(lines) + "\n")
    else:
        text = replace_section(args.o, lines)
        with open(args.o + ".tmp", "w") as f:
            f.write(text)
        os.replace(args.o + ".tmp", args.o)


if __name__ == "__main__":
    main()
