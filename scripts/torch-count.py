#!/usr/bin/python3
"""What issue 22 compares netc's start-to-finish report with: counting the
same network in PyTorch (import torch, build the torchvision model, one
forward pass with hooks counting the MACs of Conv2d and Linear, as
scripts/zoo_reference.py does). scripts/bench.sh times this and
`netc --report examples/NAME.net` side by side with hyperfine.

usage: /usr/bin/python3 scripts/torch-count.py [NAME]   (default resnet50)
"""
import sys

import torch
import torchvision


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "resnet50"
    model = getattr(torchvision.models, name)(weights=None).eval()
    macs = 0

    def hook(module, inputs, output):
        nonlocal macs
        if isinstance(module, torch.nn.Conv2d):
            kh, kw = module.kernel_size
            macs += output.numel() * (module.in_channels // module.groups) * kh * kw
        elif isinstance(module, torch.nn.Linear):
            macs += output.numel() * module.in_features

    for m in model.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            m.register_forward_hook(hook)
    with torch.no_grad():
        model(torch.randn(1, 3, 224, 224))
    params = sum(p.numel() for p in model.parameters())
    print(f"{name}: {params} params, {macs} MACs")


if __name__ == "__main__":
    main()
