#!/usr/bin/env python3
"""A scripted Language Server Protocol client for netc lsp's tests.

lsp-client.py NETC SCRIPT [--update EXPECTED | --expect EXPECTED]

SCRIPT is a JSON list of messages to send, in order. Placeholders:
  "$ROOT"              in any string: the repository's root directory;
  {"$file": "PATH"}    as a value: the text of PATH (relative to the root);
  {"$raw": "TEXT"}     as an element: TEXT sent as one message's body as it
                       is (not JSON, say);
  {"$wait": "M"}       as an element: wait until the server has sent a
                       message with method M (or a response to every request
                       sent so far when M is "responses") before going on.
Requests (with an "id") are matched with their responses. The server analyses
a changed document once no further message is waiting, so a script waits for
the diagnostics of each change before it sends the next one: otherwise how
many publications there are depends on timing. The transcript of
every message the server sent, with the root replaced by $ROOT and
`serverInfo`'s version dropped, is compared with EXPECTED (or written to it).
The server must exit by itself after the script's `exit`, with status 0.
"""
import json, os, subprocess, sys, threading, queue

def frame(msg):
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body

def reader(stream, out):
    while True:
        headers = {}
        while True:
            line = stream.readline()
            if not line:
                out.put(None)
                return
            line = line.strip()
            if not line:
                break
            k, v = line.split(b":", 1)
            headers[k.strip().lower()] = v.strip()
        n = int(headers[b"content-length"])
        out.put(json.loads(stream.read(n)))

def expand(v, root):
    if isinstance(v, str):
        return v.replace("$ROOT", root)
    if isinstance(v, list):
        return [expand(x, root) for x in v]
    if isinstance(v, dict):
        if set(v) == {"$file"}:
            with open(os.path.join(root, v["$file"]), encoding="utf-8") as f:
                return f.read()
        return {k: expand(x, root) for k, x in v.items()}
    return v

def normalize(v, root):
    if isinstance(v, str):
        return v.replace(root, "$ROOT")
    if isinstance(v, list):
        return [normalize(x, root) for x in v]
    if isinstance(v, dict):
        return {k: normalize(x, root) for k, x in v.items()}
    return v

def main():
    netc, script = sys.argv[1], sys.argv[2]
    mode, expected = sys.argv[3], sys.argv[4]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(script, encoding="utf-8") as f:
        steps = json.load(f)
    proc = subprocess.Popen([netc, "lsp", "--stdlib", os.path.join(root, "stdlib")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root)
    q = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, q), daemon=True).start()
    got, pending = [], set()

    def take(timeout=60):
        m = q.get(timeout=timeout)
        if m is None:
            return None
        got.append(m)
        if "id" in m and "method" not in m:
            pending.discard(m["id"])
        return m

    for step in steps:
        if isinstance(step, dict) and "$wait" in step:
            want = step["$wait"]
            while True:
                if want == "responses" and not pending:
                    break
                m = take()
                if m is None:
                    sys.exit("lsp-client: the server closed its output while waiting for " + want)
                if want != "responses" and m.get("method") == want:
                    break
            continue
        if isinstance(step, dict) and "$raw" in step:
            body = step["$raw"].encode()
            proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            proc.stdin.flush()
            continue
        msg = expand(step, root)
        if "id" in msg:
            pending.add(msg["id"])
        proc.stdin.write(frame(msg))
        proc.stdin.flush()
    proc.stdin.close()
    while take() is not None:
        pass
    rc = proc.wait(timeout=60)
    for m in got:
        if isinstance(m.get("result"), dict):
            m["result"].get("serverInfo", {}).pop("version", None)
    text = "".join(json.dumps(normalize(m, root), indent=1, sort_keys=True, ensure_ascii=False)
                   + "\n" for m in got) + "exit: %d\n" % rc
    if mode == "--update":
        with open(expected, "w", encoding="utf-8") as f:
            f.write(text)
        return
    with open(expected, encoding="utf-8") as f:
        want = f.read()
    if text != want:
        import difflib
        sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                                   expected, "netc lsp"))
        sys.exit(1)

main()
