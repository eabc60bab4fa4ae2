#!/usr/bin/env python3
"""Times netc lsp's re-analysis of an edited example (issue 22's target).

lsp-bench.py NETC EXAMPLE... [--edits N]

For each example: open it, then N times change one character of the
network's first comment-free line (alternately adding and removing a
trailing space, so the text stays valid) and time from sending the change
to receiving its textDocument/publishDiagnostics. Prints the median and the
slowest, in ms. The first analysis (on open) is printed apart: it also
pays for loading the standard library the example imports.
"""
import json, os, statistics, subprocess, sys, time

def frame(msg):
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body

def read(stream):
    n = None
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("lsp-bench: the server closed its output")
        line = line.strip()
        if not line:
            break
        k, v = line.split(b":", 1)
        if k.strip().lower() == b"content-length":
            n = int(v)
    return json.loads(stream.read(n))

def main():
    args = sys.argv[1:]
    edits = 20
    if "--edits" in args:
        i = args.index("--edits")
        edits = int(args[i + 1])
        del args[i:i + 2]
    netc, examples = args[0], args[1:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen([netc, "lsp", "--stdlib", os.path.join(root, "stdlib")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send = lambda m: (proc.stdin.write(frame(m)), proc.stdin.flush())
    def wait_diagnostics():
        while True:
            m = read(proc.stdout)
            if m.get("method") == "textDocument/publishDiagnostics":
                return m
    send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}})
    read(proc.stdout)
    worst = 0
    for ex in examples:
        path = os.path.abspath(ex)
        uri = "file://" + path
        text = open(path, encoding="utf-8").read()
        lines = text.split("\n")
        line = next(i for i, l in enumerate(lines) if "=" in l and not l.lstrip().startswith("#"))
        t0 = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
              "params": {"textDocument": {"uri": uri, "languageId": "netc", "version": 1,
                                          "text": text}}})
        d = wait_diagnostics()
        first = (time.perf_counter() - t0) * 1000
        errors = [x for x in d["params"]["diagnostics"] if x["severity"] == 1]
        if errors:
            raise SystemExit("lsp-bench: %s has errors: %s" % (ex, errors[0]["message"]))
        times = []
        for k in range(edits):
            end = len(lines[line])
            change = ({"range": {"start": {"line": line, "character": end},
                                 "end": {"line": line, "character": end}}, "text": " "}
                      if k % 2 == 0 else
                      {"range": {"start": {"line": line, "character": end},
                                 "end": {"line": line, "character": end + 1}}, "text": ""})
            t0 = time.perf_counter()
            send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                  "params": {"textDocument": {"uri": uri, "version": k + 2},
                             "contentChanges": [change]}})
            wait_diagnostics()
            times.append((time.perf_counter() - t0) * 1000)
        med = statistics.median(times)
        worst = max(worst, med)
        print("%-28s open %7.1f ms, re-analysis median %6.1f ms, max %6.1f ms (%d edits)"
              % (os.path.basename(ex), first, med, max(times), edits))
    send({"jsonrpc": "2.0", "id": 1, "method": "shutdown"})
    send({"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=30)
    print("slowest median: %.1f ms" % worst)

main()
