#!/usr/bin/python3
"""Compares netc's latency estimates with real PyTorch inference on this machine.

For every network of the model zoo that torch can build (the torchvision
models of scripts/zoo_reference.py, and its MobileNetV1), times eager-mode
inference with Debian's python3-torch -- one thread, batch 1, 224x224, eval
mode under no_grad, a few warm-up runs, then the median of repeated runs --
and compares it with three estimates netc makes for the same architecture
(examples/*.net at -D res=224, -O0: the graph as written, the graph torch's
eager mode runs) on a hardware profile written by `netc calibrate`:

  flops     FLOPs / peak_fp32 (FLOPs alone);
  roofline  the roofline lower bound (netc's latency);
  calibrated  the calibrated estimate: roofline / op-class efficiency +
            per-layer overhead, with the profile as calibrate wrote it;
  calibrated+fw  the same with the per-layer overhead set to torch's own
            cost of a layer call, measured here on nn.ReLU over 1 element (a
            framework constant: no network is timed to get it).

Reports, per estimate, Spearman's rank correlation with the measured times
and the median absolute percentage error, against the median run (the
method) and against the fastest run (less sensitive to a busy machine).
Nothing is fitted per network.

usage: /usr/bin/python3 scripts/validate-latency.py --hw host.net [--netc build/netc]
       [--runs 20] [--warmup 3] [-o results.md] [NAME ...]
Run it through scripts/validate-latency.sh, which calibrates first.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def example_file(name):
    return os.path.join(ROOT, "examples", "mobilenetv2.net" if name == "mobilenet_v2" else name + ".net")


def netc_report(netc, hw, name):
    out = subprocess.run([netc, "--report", "-O0", "--format", "json", "--top", "0",
                          "-D", "res=224", "--hw", hw, example_file(name)],
                         check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out)


def time_call(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return ts


def ranks(xs):
    """Average ranks (1-based), ties sharing their mean rank."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(xs, ys):
    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    num = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    den = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return num / den if den else float("nan")


def mape(est, real):
    return statistics.median(abs(e - r) / r for e, r in zip(est, real))


def with_overhead(profile_text, seconds, name):
    """The profile with layer_overhead replaced (or added) and a new name."""
    line = f"  layer_overhead = {seconds * 1e6:.3f} us"
    text = re.sub(r"^hardware \w+ \{", f"hardware {name} {{", profile_text, flags=re.M)
    if re.search(r"^\s*layer_overhead\s*=", text, flags=re.M):
        return re.sub(r"^\s*layer_overhead\s*=.*$", line, text, flags=re.M)
    return re.sub(r"^\}\s*$", line + "\n}", text, flags=re.M)


def ms(s):
    return f"{s * 1e3:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--netc", default=os.path.join(ROOT, "build", "netc"))
    ap.add_argument("--hw", required=True, help="profile written by `netc calibrate`")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("-o", "--output", help="also write the Markdown table here")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()

    import torch
    import zoo_reference
    torch.set_num_threads(1)
    torch.set_grad_enabled(False)
    names = args.names or list(zoo_reference.MODELS)

    # Torch's fixed cost per layer: an nn.ReLU module called on one element
    # (median of many calls): eager mode's module call and op dispatch.
    tiny = torch.zeros(1)
    layer = torch.nn.ReLU()
    calls = 2000
    per = time_call(lambda: [layer(tiny) for _ in range(calls)], 3, 15)
    fw_overhead = statistics.median(per) / calls
    fw_hw = os.path.splitext(args.hw)[0] + "-torch-overhead.net"
    with open(args.hw) as f:
        profile = f.read()
    with open(fw_hw, "w") as f:
        f.write(with_overhead(profile, fw_overhead, "host_torch_overhead"))

    rows = []
    for name in names:
        model = zoo_reference.MODELS[name]().eval()
        x = torch.randn(1, 3, 224, 224)
        ts = time_call(lambda: model(x), args.warmup, args.runs)
        rep = netc_report(args.netc, args.hw, name)
        fw = netc_report(args.netc, fw_hw, name)
        t = rep["totals"]
        if "calibrated_latency_s" not in t:
            sys.exit(f"{args.hw} has no efficiencies: write it with `netc calibrate`")
        row = dict(name=name, real=statistics.median(ts), real_min=min(ts), real_max=max(ts),
                   flops=t["flops"] / rep["hardware"]["peak_flops"], roofline=t["latency_s"],
                   calibrated=t["calibrated_latency_s"],
                   calibrated_fw=fw["totals"]["calibrated_latency_s"], gflops=t["flops"] / 1e9)
        rows.append(row)
        print(f"{name:20s} torch {ms(row['real'])} ms (min {ms(row['real_min'])}, max "
              f"{ms(row['real_max'])})  calibrated {ms(row['calibrated'])} ms  "
              f"+fw {ms(row['calibrated_fw'])} ms  roofline {ms(row['roofline'])} ms",
              file=sys.stderr, flush=True)

    real = [r["real"] for r in rows]
    estimates = [("FLOPs / peak", "flops"), ("roofline lower bound", "roofline"),
                 ("calibrated estimate", "calibrated"),
                 ("calibrated + torch per-layer overhead", "calibrated_fw")]
    out = []
    out.append(f"torch {torch.__version__}, 1 thread, batch 1, 224x224, median of {args.runs} "
               f"runs after {args.warmup} warm-up; profile {os.path.basename(args.hw)}; torch "
               f"per-layer overhead {fw_overhead * 1e6:.2f} us (nn.ReLU on 1 element)")
    out.append("")
    out.append("| network | GFLOPs | torch ms (min-max) | FLOPs/peak ms | roofline ms | "
               "calibrated ms | calibrated + overhead ms |")
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        out.append(f"| {r['name']} | {r['gflops']:.2f} | {ms(r['real'])} ({ms(r['real_min'])}-"
                   f"{ms(r['real_max'])}) | {ms(r['flops'])} | {ms(r['roofline'])} | "
                   f"{ms(r['calibrated'])} | {ms(r['calibrated_fw'])} |")
    out.append("")
    fastest = [r["real_min"] for r in rows]
    out.append("| estimate | Spearman rho | median abs. % error | rho vs fastest run | "
               "error vs fastest run |")
    out.append("|---|---:|---:|---:|---:|")
    for label, key in estimates:
        est = [r[key] for r in rows]
        out.append(f"| {label} | {spearman(est, real):.3f} | {100 * mape(est, real):.1f}% | "
                   f"{spearman(est, fastest):.3f} | {100 * mape(est, fastest):.1f}% |")
    text = "\n".join(out) + "\n"
    print(text)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
