#!/usr/bin/env python3
"""Renders the README's screenshot of an HTML report: MobileNetV2's page
(`netc --report examples/mobilenetv2.net --format html`) as headless
chromium shows it 1280 pixels wide, cut to its header, totals and roofline:
docs/mobilenetv2-report.png. The PNG records the SHA-256 of the HTML it was
taken from in a tEXt chunk ("netc-html-sha256"), so that `--check` (the test
cli/html-docs) tells a stale picture without a browser: it makes the page
again and compares the hashes.

usage: scripts/render-html.py [NETC]           (default build/netc)
       scripts/render-html.py --check NETC     exit 1 when the PNG is stale
"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PNG = os.path.join(ROOT, "docs", "mobilenetv2-report.png")
ARGS = ["--report", "examples/mobilenetv2.net", "--format", "html"]
KEY = b"netc-html-sha256"
SIZE = "1280,1560"  # the header, the totals and the roofline with its legend


def page(netc):
    return subprocess.run([netc] + ARGS, cwd=ROOT, check=True, capture_output=True).stdout


def chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    i = 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        yield data[i + 4:i + 8], data[i + 8:i + 8 + n], i
        i += 12 + n


def recorded(path):
    with open(path, "rb") as f:
        data = f.read()
    for kind, body, _ in chunks(data):
        if kind == b"tEXt" and body.startswith(KEY + b"\0"):
            return body[len(KEY) + 1:].decode()
    return None


def with_text(data, text):
    """The PNG with a tEXt chunk KEY=text after its header chunk."""
    body = KEY + b"\0" + text.encode()
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(
        ">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    ihdr_end = 8 + 12 + 13
    return data[:ihdr_end] + chunk + data[ihdr_end:]


def main():
    if sys.argv[1:2] == ["--check"]:
        netc = os.path.abspath(sys.argv[2])
        want = hashlib.sha256(page(netc)).hexdigest()
        got = recorded(PNG) if os.path.exists(PNG) else None
        if got != want:
            print(f"FAIL: {os.path.relpath(PNG, ROOT)} was taken from another page "
                  f"(sha256 {got}, now {want}): run scripts/render-html.py", file=sys.stderr)
            return 1
        print(f"ok: {os.path.relpath(PNG, ROOT)} shows the page netc writes now")
        return 0
    netc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "netc"))
    html = page(netc)
    with tempfile.TemporaryDirectory() as tmp:
        src, shot = os.path.join(tmp, "mobilenetv2.html"), os.path.join(tmp, "shot.png")
        with open(src, "wb") as f:
            f.write(html)
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", "--force-color-profile=srgb",
                        f"--user-data-dir={tmp}/profile", f"--window-size={SIZE}",
                        f"--screenshot={shot}", "file://" + src],
                       check=True, capture_output=True, timeout=120)
        with open(shot, "rb") as f:
            data = f.read()
    with open(PNG + ".tmp", "wb") as f:
        f.write(with_text(data, hashlib.sha256(html).hexdigest()))
    os.replace(PNG + ".tmp", PNG)
    print(f"wrote {os.path.relpath(PNG, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
