#!/usr/bin/python3
"""Where eager PyTorch spends a network's time, by module kind.

A diagnostic for the validation (scripts/validate-latency.py): times every
leaf module of a torchvision model with forward pre/post hooks over a few
forward passes and sums by kind (Conv2d split into 1x1, depthwise and kxk),
so that a network netc mispredicts can be traced to the torch kernels that
differ from oneDNN's (the hooks add a little time per module). Run it in the
validation's regime:

  LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 \\
  MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
  /usr/bin/python3 scripts/torch-module-times.py googlenet

usage: torch-module-times.py TORCHVISION_MODEL [--runs 10]
"""
import argparse
import collections
import time
import warnings

import torch
import torchvision.models as tvm


def kind(module):
    if isinstance(module, torch.nn.Conv2d):
        if module.groups > 1:
            return "Conv2d depthwise/grouped"
        return "Conv2d %dx%d" % module.kernel_size
    return type(module).__name__


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.set_grad_enabled(False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = getattr(tvm, args.model)(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    for _ in range(3):
        model(x)
    total, count, start = collections.defaultdict(float), collections.Counter(), {}

    def pre(module, _):
        start[module] = time.perf_counter()

    def post(module, _, __):
        total[kind(module)] += time.perf_counter() - start[module]
        count[kind(module)] += 1

    for m in model.modules():
        if not list(m.children()):
            m.register_forward_pre_hook(pre)
            m.register_forward_hook(post)
    t0 = time.perf_counter()
    for _ in range(args.runs):
        model(x)
    whole = (time.perf_counter() - t0) / args.runs
    print(f"{args.model}: {whole * 1e3:.2f} ms a forward pass (with hooks)")
    for k, v in sorted(total.items(), key=lambda kv: -kv[1]):
        print(f"  {k:26s} {v / args.runs * 1e3:8.2f} ms  {count[k] // args.runs:4d} modules")


if __name__ == "__main__":
    main()
