#!/usr/bin/env python3
"""The HTML report as a person sees it: Debian's chromium, headless, loads
netc's page of every example (and of every other mode --format html has:
--compare, --sweep, an LLM request, --opt-report, --group-by, --depth,
--max-batch, a calibrated profile, netc measure) from disk, and the checks
read the DOM chromium rendered (--dump-dom, after the page's script ran):

- the page's script ran (data-script="ready") and logged nothing: no
  console message, no uncaught error;
- the roofline has exactly one mark per costed layer (a layer whose
  latency_s in the JSON report of the same command is > 0), per series;
- every total shown equals the JSON total of the same key, and every JSON
  total is shown;
- opened at #sort=-time, the layer table is sorted by time, descending;
- a sweep draws one mark per costed variant and its Pareto front through
  exactly the variants the JSON marks;
- the optimization report lists every pass step and every rewrite.

A screenshot of MobileNetV2's page is kept as OUTDIR/mobilenetv2.png (an
artifact of the run, not committed). chromium is installed by
scripts/deps.sh; without it the test fails, it does not skip.

usage: html-pages.py NETC OUTDIR [NAME-FILTER]   (from the source root; `slow`)
"""
import glob
import html.parser
import json
import os
import shutil
import subprocess
import sys

NETC, OUT = sys.argv[1], sys.argv[2]
ONLY = sys.argv[3] if len(sys.argv) > 3 else ""
os.makedirs(OUT, exist_ok=True)
fails = 0


def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what, file=sys.stdout if ok else sys.stderr)
    fails += not ok
    return ok


def netc(args, out=None):
    cmd = [NETC] + args + (["-o", out, "--force"] if out else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stderr}")
    return p.stdout


class Dom(html.parser.HTMLParser):
    """What the checks read: the root's attributes, each mark (circle.mark)
    with the id of its svg, each polyline.front, each table's rows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = {}
        self.marks = []  # (svg id, attrs)
        self.fronts = {}  # svg id -> number of points
        self.tables = {}  # id -> {"head": [keys], "rows": [(attrs, [cells])]}
        self.svg = None
        self.table = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.root = a
        elif tag == "svg":
            self.svg = a.get("id")
        elif tag == "circle" and "mark" in a.get("class", "").split():
            self.marks.append((self.svg, a))
        elif tag == "polyline" and "front" in a.get("class", "").split():
            self.fronts[self.svg] = len(a.get("points", "").split())
        elif tag == "table":
            self.table = {"head": [], "rows": []}
            self.tables[a.get("id")] = self.table
        elif tag == "th" and self.table is not None:
            self.table["head"].append(a.get("data-key"))
        elif tag == "tr" and self.table is not None and "data-i" in a:
            self.table["rows"].append((a, []))
        elif tag == "td" and self.table is not None and self.table["rows"]:
            self.cell = {"v": a.get("data-v"), "text": ""}
            self.table["rows"][-1][1].append(self.cell)

    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg = None
        elif tag == "table":
            self.table = None
        elif tag == "td":
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


def render(name, page, fragment=""):
    """chromium's DOM of the page after its script ran, and its log."""
    p = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--enable-logging=stderr", "--v=0", f"--user-data-dir={OUT}/profile",
         "--dump-dom", "file://" + os.path.abspath(page) + fragment],
        capture_output=True, text=True, timeout=120)
    console = [l for l in p.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
    check(p.returncode == 0 and "</html>" in p.stdout, f"{name}: chromium rendered the page")
    check(not console, f"{name}: the page logged nothing" + "".join("\n  " + l for l in console))
    d = Dom()
    d.feed(p.stdout)
    check(d.root.get("data-script") == "ready", f"{name}: the page's script ran")
    return d


def lookup(obj, key):
    for part in key.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def leaves(obj, prefix=""):
    for k, v in obj.items():
        if isinstance(v, dict):
            yield from leaves(v, prefix + k + ".")
        else:
            yield prefix + k, v


def check_totals(name, table, report, shown_keys=None):
    """Each row of `table` (a quantity table) equals the JSON number of its key."""
    if not check(table is not None, f"{name}: a totals table"):
        return
    keys = set()
    bad = []
    for attrs, cells in table["rows"]:
        key = attrs.get("data-key")
        keys.add(key)
        want = lookup(report["totals"], key)
        if want is None:
            want = lookup(report, key)
        got = cells[1]["v"]
        if want is None or got is None or float(got) != float(want):
            bad.append(f"{key}: page {got}, JSON {want}")
    check(not bad, f"{name}: the totals shown equal the JSON totals" + "".join("\n  " + b for b in bad))
    missing = [k for k, v in leaves(report["totals"]) if v is not None and k not in keys]
    check(not missing, f"{name}: every JSON total is shown (missing: {missing})")


def costed(layers):
    return sum(1 for l in layers if l["latency_s"] > 0)


def series(d, svg, s):
    return sum(1 for i, a in d.marks if i == svg and a.get("data-series") == s)


def check_sorted(name, d):
    t = d.tables.get("layers")
    if not check(t is not None and "time" in t["head"], f"{name}: a layer table with a time column"):
        return
    col = t["head"].index("time")
    times = [float(c[col]["v"]) for _, c in t["rows"]]
    check(times == sorted(times, reverse=True) and len(times) > 0,
          f"{name}: #sort=-time sorts the {len(times)} rows by time, descending")


def report_page(name, args, screenshot=False):
    page = f"{OUT}/{name}.html"
    netc(args + ["--format", "html"], page)
    report = json.loads(netc(args + ["--format", "json"]))
    d = render(name, page, "#sort=-time")
    check(series(d, "roofline", "a") == costed(report["layers"]) and costed(report["layers"]) > 0,
          f"{name}: one mark per costed layer ({series(d, 'roofline', 'a')} marks, "
          f"{costed(report['layers'])} costed layers)")
    check(len(d.marks) == series(d, "roofline", "a"), f"{name}: no other mark")
    check_totals(name, d.tables.get("totals"), report)
    check_sorted(name, d)
    if screenshot:
        png = f"{OUT}/{name}.png"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", f"--user-data-dir={OUT}/profile",
                        "--window-size=1280,2400", f"--screenshot={png}",
                        "file://" + os.path.abspath(page)], capture_output=True, timeout=120)
        with open(png, "rb") as f:
            head = f.read(24)
        check(head[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(head[16:20], "big") == 1280,
              f"{name}: a 1280-pixel-wide screenshot in {png}")
    return d, report


def wanted(name):
    return ONLY in name


if not shutil.which("chromium"):
    check(False, "chromium is installed (scripts/deps.sh installs it)")
    sys.exit(1)

for file in sorted(glob.glob("examples/*.net")):
    name = os.path.basename(file)[:-4]
    if wanted(name):
        report_page(name, ["--report", file], screenshot=name == "mobilenetv2")

# Every other mode of --report.
if wanted("group-by-block"):
    report_page("group-by-block", ["--report", "examples/resnet50.net", "--group-by", "block"])
if wanted("depth"):
    report_page("depth", ["--report", "examples/resnet50.net", "--depth", "2"])
if wanted("max-batch"):
    report_page("max-batch", ["--report", "examples/resnet18.net", "--max-batch", "-O0"])
if wanted("calibrated"):
    d, _ = report_page("calibrated", ["--report", "tests/golden/report/calibrated_table.net",
                                      "--hw", "tests/golden/report/lib/calibrated_hw.net"])
    check(d.tables["layers"]["head"].count("estimate") == 1, "calibrated: an estimate column")
if wanted("measure"):
    d, report = report_page("measure", ["measure", "tests/golden/report/lib/calibrated_net.net",
                                        "--repeats", "3"])
    check("measured" in d.tables["layers"]["head"], "measure: a measured column")

if wanted("request"):
    # An LLM request: the prefill's layers and the first decode step's, on
    # one roofline; the decode step is the same network at --phase decode.
    name, base = "request", ["--report", "examples/gpt2.net", "-D", "layers=2"]
    page = f"{OUT}/{name}.html"
    netc(base + ["--prompt", "64", "--generate", "16", "--format", "html"], page)
    prefill = json.loads(netc(base + ["--prompt", "64", "--generate", "16", "--format", "json"]))
    decode = json.loads(netc(base + ["--phase", "decode", "--context", "64", "--format", "json"]))
    d = render(name, page)
    check(series(d, "roofline", "prefill") == costed(prefill["layers"]),
          f"{name}: one prefill mark per costed layer of the prefill")
    check(series(d, "roofline", "decode") == costed(decode["layers"]) > 0,
          f"{name}: one decode mark per costed layer of a decode step at past 64 "
          f"({series(d, 'roofline', 'decode')}, {costed(decode['layers'])})")
    check_totals(name, d.tables.get("totals"), prefill)
    serving = d.tables.get("serving")
    check(serving is not None and len(serving["rows"]) > 0, f"{name}: the serving table")

if wanted("compare"):
    name, a, b = "compare", "examples/mobilenet_v1.net", "examples/mobilenetv2.net"
    page = f"{OUT}/{name}.html"
    netc(["--report", a, "--compare", b, "--format", "html"], page)
    both = json.loads(netc(["--report", a, "--compare", b, "--format", "json"]))
    ra = json.loads(netc(["--report", a, "--format", "json"]))
    rb = json.loads(netc(["--report", b, "--format", "json"]))
    d = render(name, page)
    check(series(d, "roofline", "a") == costed(ra["layers"]), f"{name}: a's marks, one per layer")
    check(series(d, "roofline", "b") == costed(rb["layers"]), f"{name}: b's marks, one per layer")
    t = d.tables.get("totals")
    bad = []
    for attrs, cells in t["rows"] if t else []:
        for side, col in (("a", 1), ("b", 2)):
            want = lookup(both[side]["totals"], attrs["data-key"])
            if want is None:
                want = lookup(both[side], attrs["data-key"])
            if want is None or float(cells[col]["v"]) != float(want):
                bad.append(f"{side} {attrs['data-key']}: {cells[col]['v']} vs {want}")
    check(t is not None and not bad and len(t["rows"]) >= len(list(leaves(both["a"]["totals"]))),
          f"{name}: both networks' totals side by side equal the JSON" + "".join("\n  " + x for x in bad))

if wanted("sweep"):
    name = "sweep"
    args = ["--report", "examples/mobilenetv2.net", "--sweep", "width=0.25:1.5:0.25",
            "--sweep", "res=96:224:64"]
    page = f"{OUT}/{name}.html"
    netc(args + ["--format", "html"], page)
    s = json.loads(netc(args + ["--pareto", "--format", "json"]))
    d = render(name, page, "#sort=-latency")
    ok = [v for v in s["variants"] if v["latency_s"] is not None]
    front = [v for v in ok if v["pareto"]]
    check(sum(1 for i, _ in d.marks if i == "sweep-macs") == len(ok) > 1,
          f"{name}: one mark per variant against MACs ({len(ok)})")
    check(sum(1 for i, a in d.marks if i == "sweep-macs" and a.get("data-pareto") == "true")
          == len(front) and d.fronts.get("sweep-macs") == len(front),
          f"{name}: the Pareto front is drawn through the {len(front)} variants the JSON marks")
    t = d.tables.get("variants")
    col = t["head"].index("latency")
    lat = [float(c[col]["v"]) for _, c in t["rows"]]
    check(len(lat) == len(s["variants"]) and lat == sorted(lat, reverse=True),
          f"{name}: the variants table, sorted by #sort=-latency")

if wanted("opt-report"):
    name, args = "opt-report", ["--opt-report", "examples/resnet18.net"]
    page = f"{OUT}/{name}.html"
    netc(args + ["--format", "html"], page)
    o = json.loads(netc(args + ["--format", "json"]))
    d = render(name, page)
    check(len(d.tables["passes"]["rows"]) == len(o["passes"]), f"{name}: a row per pass step")
    applied = sum(1 for w in o["rewrites"] if w["applied"])
    check(len(d.tables["rewrites"]["rows"]) == applied > 0, f"{name}: a row per rewrite ({applied})")
    left = len(o["rewrites"]) - applied
    check(len(d.tables.get("left-alone", {"rows": []})["rows"]) == left,
          f"{name}: a row per candidate left alone ({left})")
    opt = d.tables.get("optimization")
    check(opt is not None and all(float(c[1]["v"]) == float(o["totals"]["as_written"][a["data-key"]])
                                  and float(c[2]["v"]) == float(o["totals"]["optimized"][a["data-key"]])
                                  for a, c in opt["rows"]),
          f"{name}: as written vs optimized equal the JSON")

if wanted("self-test"):
    # The checks can fail: a page with a mark removed and a script error
    # must fail both (counted apart from the real checks).
    import re
    page = f"{OUT}/self-test.html"
    netc(["--report", "examples/resnet18.net", "--format", "html"], page)
    with open(page) as f:
        text = f.read()
    text = re.sub(r"<circle class=\"mark[^>]*>.*?</circle>", "", text, count=1, flags=re.S)
    text = text.replace("document.documentElement.setAttribute", "undefinedFn();", 1)
    with open(page, "w") as f:
        f.write(text)
    real = fails
    d = render("self-test (must fail)", page)
    report = json.loads(netc(["--report", "examples/resnet18.net", "--format", "json"]))
    flagged = fails - real
    fails = real
    check(flagged == 2 and series(d, "roofline", "a") == costed(report["layers"]) - 1,
          "self-test: a script error and a missing mark are caught")

print(f"{fails} failed" if fails else "all passed")
sys.exit(1 if fails else 0)
