#!/usr/bin/python3
"""Compares netc's latency predictions with real PyTorch inference on this machine.

Ground truth: eager-mode inference with Debian's python3-torch, in the regime
/work/shared/MEASURING.md found stable (+-4% between processes): every network
is timed in its own fresh process (this script re-run with --worker NAME) with

  LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
  MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1   (jemalloc, page decay off)
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)

batch 1, 224x224, eval mode under no_grad, --warmup runs, then the median of
--runs runs. That is repeated in --processes processes (in rounds: every
network once, then again), and a network's time is the median of its
processes' medians; the spread reported is the min and max of those medians.
Without jemalloc, freed buffers are re-faulted at ~10 us a page and one
process can be 4x slower than the next. The BLAS matters too: on one thread at
batch 1, torch 1.13 gives unstrided 1x1 convolutions (a MobileNet's pointwise
layers, most of a ResNet-50 bottleneck) not to oneDNN but to its own GEMM path
(aten::_slow_conv2d_forward) on the system BLAS, as it does linear layers. With
Debian's reference BLAS (no libopenblas0-pthread) 40 of MobileNetV3-Small's 52
convolutions ran there and it took 20-30 ms. The worker reports the BLAS its
process loaded; the header names it, and a BLAS other than OpenBLAS is warned
about.

Networks: the 15 of scripts/zoo_reference.py (examples/NAME.net; MobileNetV1
is built there from the paper) and the VARIANTS below, torchvision models the
examples express with -D parameters (ResNet-34 is not one: examples/resnet18.net
has no depth). For every network netc's totals.params must equal
sum(p.numel() for p in model.parameters()) of the torch model, and its
totals.macs the Conv2d and Linear MACs zoo_reference.count() hooks out of a
forward pass; a network whose counts differ is not reported (the mismatch is
printed).

Predictors, all from netc on the example with `-O0 -D res=224` (-O0: the
graph as written, which is what eager mode executes); nothing is fitted:

  FLOPs / peak      totals.flops / hardware.peak_flops (--report --hw HOST);
  roofline          totals.latency_s, the roofline lower bound (same run);
  classes (old)     totals.calibrated_latency_s with the profile stripped of
                    its `kernel = ...` lines (the per-kernel measurements), so
                    only the op-class efficiencies remain: written as
                    --classes-hw (default: next to HOST, STEM-classes.net);
  kernels (new)     totals.calibrated_latency_s with the full profile;
  kernels + torch's per-layer cost
                    the same with the profile's layer_overhead replaced by
                    torch's own fixed cost of a layer call: the median of the
                    per-call times of tiny modules (a 1x1 Conv2d, BatchNorm2d,
                    ReLU and Linear on 8 elements), timed in a worker process
                    of the same regime (--worker-overhead). A property of the
                    runtime, measured on no network (STEM-torch.net);
  netc measure      measured.total_s of `netc MEASURE_ARGS FILE`: every layer
                    run with oneDNN on this machine (up to seconds a network;
                    one at a time, before any torch timing, never beside it).
                    --skip-measure leaves it out.

Metrics per predictor, against torch's medians: Spearman's rho, the median
absolute % error, the share of networks within +-20%, and the share of "hard
pairs" ordered as torch orders them: every pair of networks whose MACs
(totals.macs) differ by less than 2x, ordered right when
sign(pred_a - pred_b) == sign(torch_a - torch_b). MACs alone is a row too
(rho and hard pairs; it is not a time, so no errors).

usage: /usr/bin/python3 scripts/validate-latency.py --hw host.net [--netc build/netc]
       [--classes-hw FILE] [--runs 20] [--warmup 3] [--processes 3]
       [--skip-measure] [-o results.md] [NAME ...]
Run it through scripts/validate-latency.sh, which checks the packages and
calibrates first. Progress goes to stderr, the Markdown to stdout and -o.
"""
import argparse
import itertools
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

RES = 224
JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
# The environment of every timing process (see the docstring).
WORKER_ENV = {
    "LD_PRELOAD": JEMALLOC,
    "MALLOC_CONF": "dirty_decay_ms:-1,muzzy_decay_ms:-1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}
REPORT_ARGS = ["--report", "-O0", "--format", "json", "--top", "0", "-D", f"res={RES}"]
MEASURE_ARGS = ["measure", "-O0", "--layout", "plain", "--format", "json", "-D", f"res={RES}"]

# Variants of the examples that build a torchvision model exactly (same layers;
# main() checks params and MACs): name -> (example file, -D overrides,
# torchvision constructor, its keyword arguments). The zoo's own networks come
# from zoo_reference.MODELS.
VARIANTS = {
    "resnet101": ("resnet50.net", {"depth": "101"}, "resnet101", {}),
    "resnet152": ("resnet50.net", {"depth": "152"}, "resnet152", {}),
    "wide_resnet50_2": ("resnet50.net", {"base_width": "128"}, "wide_resnet50_2", {}),
    "wide_resnet101_2": ("resnet50.net", {"depth": "101", "base_width": "128"},
                         "wide_resnet101_2", {}),
    "resnext101_32x8d": ("resnet50.net", {"depth": "101", "groups": "32", "base_width": "8"},
                         "resnext101_32x8d", {}),
    "vgg16_bn": ("vgg16.net", {"batch_norm": "true"}, "vgg16_bn", {}),
    "densenet161": ("densenet121.net", {"depth": "161"}, "densenet161", {}),
    "densenet169": ("densenet121.net", {"depth": "169"}, "densenet169", {}),
    "densenet201": ("densenet121.net", {"depth": "201"}, "densenet201", {}),
    "shufflenet_v2_x0_5": ("shufflenet_v2_x1_0.net", {"width": "0.5"}, "shufflenet_v2_x0_5", {}),
    "shufflenet_v2_x1_5": ("shufflenet_v2_x1_0.net", {"width": "1.5"}, "shufflenet_v2_x1_5", {}),
    "shufflenet_v2_x2_0": ("shufflenet_v2_x1_0.net", {"width": "2.0"}, "shufflenet_v2_x2_0", {}),
    "efficientnet_b1": ("efficientnet_b0.net", {"depth": "1.1"}, "efficientnet_b1", {}),
    "efficientnet_b2": ("efficientnet_b0.net", {"width": "1.1", "depth": "1.2"},
                        "efficientnet_b2", {}),
    "mobilenet_v2_x0_5": ("mobilenetv2.net", {"width": "0.5"}, "mobilenet_v2",
                          {"width_mult": 0.5}),
    "mobilenet_v3_large_x0_75": ("mobilenet_v3_large.net", {"width": "0.75"},
                                 "mobilenet_v3_large", {"width_mult": 0.75}),
}

# (label, row key); "measure" only without --skip-measure.
PREDICTORS = [("FLOPs / peak", "flops"), ("roofline", "roofline"),
              ("class efficiencies (old)", "classes"), ("kernel estimate (new)", "kernels"),
              ("kernels + torch per-layer cost", "kernels_fw"), ("netc measure -O0", "measure")]


def zoo_names():
    import zoo_reference
    return list(zoo_reference.MODELS)


def all_names():
    return zoo_names() + list(VARIANTS)


def example_file(name):
    return os.path.join(ROOT, "examples", "mobilenetv2.net" if name == "mobilenet_v2" else name + ".net")


def netc_source(name):
    """[FILE, -D NAME=VALUE ...] of `name` (without the res=224 every run adds)."""
    if name in VARIANTS:
        file, defines, _, _ = VARIANTS[name]
        args = [os.path.join(ROOT, "examples", file)]
        for k, v in defines.items():
            args += ["-D", f"{k}={v}"]
        return args
    return [example_file(name)]


def torch_model(name):
    """The torch model of `name`, built with random weights, in eval mode."""
    if name in VARIANTS:
        import torchvision.models as tvm
        _, _, ctor, kwargs = VARIANTS[name]
        model = getattr(tvm, ctor)(weights=None, **kwargs)
    else:
        import zoo_reference
        model = zoo_reference.MODELS[name]()
    return model.eval()


# ---------------------------------------------------------------- the worker

def worker(name, warmup, runs):
    """Times `name` in this process; prints one JSON line with the runs' times."""
    for k, v in WORKER_ENV.items():
        if os.environ.get(k) != v:
            sys.exit(f"validate-latency worker: {k} is {os.environ.get(k)!r}, not {v!r}")
    import torch
    with open("/proc/self/maps") as f:
        maps = [line.split()[-1] for line in f if "/" in line]
    if not any("libjemalloc" in m for m in maps):
        sys.exit("validate-latency worker: jemalloc is not loaded (LD_PRELOAD failed?)")
    blas = sorted({m for m in maps if "libblas" in m or "libopenblas" in m})
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = torch_model(name)
    x = torch.randn(1, 3, RES, RES)
    ts = []
    with torch.no_grad():
        for _ in range(warmup):
            model(x)
        for _ in range(runs):
            t0 = time.perf_counter()
            model(x)
            ts.append(time.perf_counter() - t0)
    print(json.dumps({"name": name, "median_s": statistics.median(ts), "min_s": min(ts),
                      "max_s": max(ts), "threads": torch.get_num_threads(),
                      "blas": " ".join(blas) or "none"}))


def worker_overhead():
    """Torch's fixed cost of a layer call: prints the median per-call time of
    tiny modules (nothing of any network)."""
    import torch
    torch.set_num_threads(1)
    x4, x2 = torch.randn(1, 8, 1, 1), torch.randn(1, 8)
    tiny = [(torch.nn.Conv2d(8, 8, 1, bias=False), x4), (torch.nn.BatchNorm2d(8), x4),
            (torch.nn.ReLU(), x4), (torch.nn.Linear(8, 8), x2)]
    per = []
    with torch.no_grad():
        for module, x in tiny:
            module.eval()
            for _ in range(200):
                module(x)
            calls, reps = 2000, []
            for _ in range(7):
                t0 = time.perf_counter()
                for _ in range(calls):
                    module(x)
                reps.append((time.perf_counter() - t0) / calls)
            per.append(statistics.median(reps))
    print(json.dumps({"overhead_s": statistics.median(per), "per_module_s": per}))


def torch_overhead():
    """worker_overhead() in a fresh process of the timing regime."""
    env = dict(os.environ, **WORKER_ENV)
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker-overhead"],
                       env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"validate-latency: timing torch's per-layer cost failed:\n{p.stderr}")
    return json.loads(p.stdout.strip().splitlines()[-1])["overhead_s"]


def write_overhead_profile(hw, path, seconds):
    """`hw` with its layer_overhead replaced by `seconds` (added when absent)."""
    with open(hw) as f:
        lines = f.read().splitlines(keepends=True)
    line = f"  layer_overhead = {seconds * 1e9:.0f} ns\n"
    out = [line if re.match(r"^\s*layer_overhead\s*=", x) else x for x in lines]
    if out == lines:
        close = max(i for i, x in enumerate(out) if x.startswith("}"))
        out.insert(close, line)
    with open(path, "w") as f:
        f.writelines(out)


def time_torch(name, warmup, runs):
    """(The median of `runs` runs of `name` timed in a fresh process, the BLAS
    library that process loaded)."""
    env = dict(os.environ, **WORKER_ENV)
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", name,
                        "--warmup", str(warmup), "--runs", str(runs)],
                       env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"validate-latency: timing {name} failed:\n{p.stderr}")
    r = json.loads(p.stdout.strip().splitlines()[-1])
    if r["threads"] != 1:
        sys.exit(f"validate-latency: {name} ran on {r['threads']} threads")
    return r["median_s"], r["blas"]


# ---------------------------------------------------------------- netc

def wait_for(path, seconds=600):
    """netc is rebuilt now and then: wait for the binary instead of failing."""
    deadline = time.monotonic() + seconds
    while not os.access(path, os.X_OK):
        if time.monotonic() > deadline:
            sys.exit(f"validate-latency: no {path}")
        time.sleep(5)


def run_netc(netc, args):
    wait_for(netc)
    p = subprocess.run([netc] + args, capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        sys.exit(f"validate-latency: `netc {' '.join(args)}` failed:\n{p.stderr}")
    return json.loads(p.stdout)


def netc_report(netc, hw, name):
    return run_netc(netc, REPORT_ARGS + ["--hw", hw] + netc_source(name))


def netc_measure(netc, name):
    return run_netc(netc, MEASURE_ARGS + netc_source(name))


def check_measure_args(netc):
    """Fails early, before minutes of timing, if netc measure lacks an option."""
    wait_for(netc)
    text = subprocess.run([netc, "--help"], capture_output=True, text=True).stdout
    missing = [a for a in MEASURE_ARGS if a.startswith("--") and a not in text]
    if missing:
        sys.exit(f"validate-latency: {netc} has no {', '.join(missing)} (netc measure "
                 f"{' '.join(MEASURE_ARGS[1:])}): rebuild netc, or pass --skip-measure")


def write_classes_profile(hw, path):
    """`hw` without its kernel lines: the op-class efficiencies alone. True when
    the profile had kernel lines (otherwise both estimates are the same)."""
    with open(hw) as f:
        lines = f.read().splitlines(keepends=True)
    kept = [line for line in lines if not re.match(r"^\s*kernel\s*=", line)]
    with open(path, "w") as f:
        f.writelines(kept)
    return len(kept) != len(lines)


# ---------------------------------------------------------------- metrics

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


def errors(pred, real):
    """Signed relative errors (pred - real) / real."""
    return [(p - r) / r for p, r in zip(pred, real)]


def hard_pairs(macs):
    """Index pairs of networks whose MACs differ by less than 2x."""
    return [(i, j) for i, j in itertools.combinations(range(len(macs)), 2)
            if max(macs[i], macs[j]) < 2 * min(macs[i], macs[j])]


def sign(x):
    return (x > 0) - (x < 0)


def ordered_right(pairs, pred, real):
    return sum(sign(pred[i] - pred[j]) == sign(real[i] - real[j]) for i, j in pairs)


# ---------------------------------------------------------------- output

def ms(s):
    return f"{s * 1e3:.2f}"


def pct(x):
    return f"{100 * x:+.0f}%"


def share(k, n):
    return f"{100 * k / n:.0f}% ({k}/{n})" if n else "-"


def markdown(rows, predictors, header):
    out = [header, ""]
    heads = ["network", "GFLOPs", "GMACs", "torch ms (processes min-max)"]
    heads += [f"{label} ms (error)" for label, _ in predictors]
    out.append("| " + " | ".join(heads) + " |")
    out.append("|---|" + "---:|" * (len(heads) - 1))
    for r in rows:
        cells = [r["name"], f"{r['gflops']:.2f}", f"{r['macs'] / 1e9:.3f}",
                 f"{ms(r['real'])} ({ms(r['real_min'])}-{ms(r['real_max'])})"]
        cells += [f"{ms(r[k])} ({pct((r[k] - r['real']) / r['real'])})"
                  + (" *" if r.get(k + "_partial") else "") for _, k in predictors]
        out.append("| " + " | ".join(cells) + " |")

    real = [r["real"] for r in rows]
    macs = [r["macs"] for r in rows]
    pairs = hard_pairs(macs)
    out += ["", f"{len(rows)} networks; {len(pairs)} hard pair{'' if len(pairs) == 1 else 's'} "
            "(networks whose MACs differ by less than 2x).", ""]
    out.append("| predictor | Spearman rho | median abs. error | within +-20% | "
               "hard pairs ordered as torch |")
    out.append("|---|---:|---:|---:|---:|")
    for label, key in predictors:
        pred = [r[key] for r in rows]
        err = [abs(e) for e in errors(pred, real)]
        out.append(f"| {label} | {spearman(pred, real):.3f} | {100 * statistics.median(err):.1f}% | "
                   f"{share(sum(e <= 0.2 for e in err), len(err))} | "
                   f"{share(ordered_right(pairs, pred, real), len(pairs))} |")
    out.append(f"| MACs | {spearman(macs, real):.3f} | - | - | "
               f"{share(ordered_right(pairs, macs, real), len(pairs))} |")

    spread = sorted((r["real_max"] / r["real_min"] - 1, r["name"]) for r in rows)
    out += ["", "Errors are (predictor - torch) / torch, signed. Torch's process spread "
            f"(max / min - 1 of the processes' medians): median "
            f"{100 * statistics.median(s for s, _ in spread):.1f}%, largest "
            f"{100 * spread[-1][0]:.1f}% ({spread[-1][1]})."]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- main

def log(*a):
    print(*a, file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--netc", default=os.path.join(ROOT, "build", "netc"))
    ap.add_argument("--hw", help="profile written by `netc calibrate` (required)")
    ap.add_argument("--classes-hw", help="where to write the profile without kernel lines "
                    "(default: next to --hw, STEM-classes.net)")
    ap.add_argument("--runs", type=int, default=20, help="timed runs per process (default 20)")
    ap.add_argument("--warmup", type=int, default=3, help="warm-up runs per process (default 3)")
    ap.add_argument("--processes", type=int, default=3,
                    help="fresh processes per network, median of their medians (default 3)")
    ap.add_argument("--skip-measure", action="store_true", help="leave out `netc measure`")
    ap.add_argument("-o", "--output", help="also write the Markdown here")
    ap.add_argument("--worker", metavar="NAME", help=argparse.SUPPRESS)
    ap.add_argument("--worker-overhead", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("names", nargs="*", help="networks (default: all)")
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker, args.warmup, args.runs)
    if args.worker_overhead:
        return worker_overhead()
    if not args.hw:
        ap.error("--hw is required")
    args.hw, args.netc = os.path.abspath(args.hw), os.path.abspath(args.netc)  # netc runs in ROOT
    if min(args.runs, args.processes) < 1 or args.warmup < 0:
        ap.error("--runs and --processes must be at least 1, --warmup at least 0")
    if not os.path.exists(JEMALLOC):
        sys.exit(f"validate-latency: no {JEMALLOC} (apt-get install libjemalloc2)")

    # This process only builds models to count params and MACs; it times nothing.
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[k] = "1"
    import torch
    import zoo_reference
    torch.set_num_threads(1)
    known = all_names()
    names = args.names or known
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit(f"validate-latency: unknown network {' '.join(unknown)}; known: {' '.join(known)}")
    predictors = [p for p in PREDICTORS if not (args.skip_measure and p[1] == "measure")]
    if not args.skip_measure:
        check_measure_args(args.netc)

    classes_hw = os.path.abspath(args.classes_hw or os.path.splitext(args.hw)[0] + "-classes.net")
    has_kernels = write_classes_profile(args.hw, classes_hw)
    fw_overhead = torch_overhead()
    fw_hw = os.path.splitext(args.hw)[0] + "-torch.net"
    write_overhead_profile(args.hw, fw_hw, fw_overhead)
    log(f"torch's per-layer cost: {fw_overhead * 1e6:.2f} us (tiny modules)")

    # netc's predictions, and the params and MACs check.
    rows, notes = [], []
    for name in names:
        rep = netc_report(args.netc, args.hw, name)
        t = rep["totals"]
        profile_name = rep["hardware"]["name"]
        if "calibrated_latency_s" not in t:
            sys.exit(f"validate-latency: {args.hw} has no efficiencies: write it with `netc calibrate`")
        torch_params, torch_macs = zoo_reference.count(torch_model(name))
        if (t["params"], t["macs"]) != (torch_params, torch_macs):
            log(f"{name:26s} NOT REPORTED: netc {t['params']} params, {t['macs']} MACs; torch "
                f"{torch_params} params ({t['params'] - torch_params:+d}), {torch_macs} MACs "
                f"({t['macs'] - torch_macs:+d}) for `netc {' '.join(netc_source(name))}`")
            notes.append(f"Not reported: {name} (netc {t['params']} params, {t['macs']} MACs; "
                         f"torch {torch_params}, {torch_macs}).")
            continue
        classes = netc_report(args.netc, classes_hw, name)["totals"]
        fw = netc_report(args.netc, fw_hw, name)["totals"]
        rows.append(dict(name=name, params=t["params"], macs=t["macs"], gflops=t["flops"] / 1e9,
                         flops=t["flops"] / rep["hardware"]["peak_flops"], roofline=t["latency_s"],
                         classes=classes["calibrated_latency_s"], kernels=t["calibrated_latency_s"],
                         kernels_fw=fw["calibrated_latency_s"]))
        log(f"{name:26s} {t['params']} params, {t['macs']} MACs: as torch's")
    if not rows:
        sys.exit("validate-latency: no network to report")

    # netc measure: one network at a time, before torch and never beside it.
    if not args.skip_measure:
        for r in rows:
            m = netc_measure(args.netc, r["name"])["measured"]
            r["measure"] = m["total_s"]
            if m["unmeasured_layers"]:
                r["measure_partial"] = True
                why = sorted({layer["why"] for layer in m["layers"]
                              if layer["status"] == "unmeasured"})
                notes.append(f"\\* netc measure left {m['unmeasured_layers']} layers of {r['name']} "
                             f"unmeasured, not in its total ({'; '.join(why)}).")
            log(f"{r['name']:26s} netc measure {ms(r['measure'])} ms")

    # Torch: rounds of fresh processes, every network once per round.
    times = {r["name"]: [] for r in rows}
    blas = set()
    for p in range(args.processes):
        for r in rows:
            secs, lib = time_torch(r["name"], args.warmup, args.runs)
            times[r["name"]].append(secs)
            if "openblas" not in lib and lib not in blas:
                log(f"validate-latency: WARNING: torch runs on {lib}, not OpenBLAS: its "
                    "unstrided 1x1 convolutions (one thread, batch 1) and linear layers are "
                    "GEMMs of that BLAS; these times are not the regime")
            blas.add(lib)
            log(f"{r['name']:26s} torch process {p + 1}/{args.processes}: "
                f"{ms(secs)} ms")
    for r in rows:
        ts = times[r["name"]]
        r.update(real=statistics.median(ts), real_min=min(ts), real_max=max(ts))

    wait_for(args.netc)
    netc_version = subprocess.run([args.netc, "--version"], capture_output=True,
                                  text=True).stdout.strip()
    header = (f"torch {torch.__version__}, each network in its own process (jemalloc with page "
              f"decay off, OMP/OpenBLAS/torch 1 thread; BLAS {', '.join(sorted(blas))}), "
              f"batch 1, {RES}x{RES}, eval + no_grad; "
              f"median of {args.runs} runs after {args.warmup} warm-up, median over "
              f"{args.processes} processes (their min-max in brackets). {netc_version}, -O0, "
              f"profile {os.path.basename(args.hw)} (hardware {profile_name}"
              + ("" if has_kernels else "; no kernel lines: the old and new estimates coincide")
              + f"); torch's per-layer cost {fw_overhead * 1e6:.2f} us (tiny modules)"
              + ("" if args.skip_measure else f"; netc {' '.join(MEASURE_ARGS)}") + ".")
    text = markdown(rows, predictors, header)
    if notes:
        text += "\n" + "\n".join(notes) + "\n"
    print(text, end="")
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
