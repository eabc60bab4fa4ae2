#!/usr/bin/env python3
"""The editor files follow the grammar: every keyword of grammar/Net.g4 is
highlighted as a keyword by editors/vscode's TextMate grammar and by
editors/vim's syntax file.

The keywords and operators are read from Net.g4 itself (a lexer rule whose
body is one quoted literal: `IMPORT : 'import' ;` is a keyword, `PIPE :
'|>' ;` an operator), so a keyword added to the grammar and forgotten in an
editor file fails here. The TextMate grammar is run, not grepped: a small
tokenizer (begin/end regions, includes, captures, leftmost match first, as
VS Code's engine does; the Oniguruma regexes compiled by Python's `re`)
highlights lines, and the checks read the scopes it gives:

- each keyword alone is one token with a keyword scope (keyword.*,
  storage.*, constant.language.*), not inside a longer word, and not taken
  for a function name before '(';
- each operator or punctuation token of the lexer (`|>`, `**`, `//`, `++`,
  `<=`, `(`, ...) is one token of its own, not an error;
- numbers (`1_000`, `1e-5`, `.5`), BAD_NUMBER (`0x10`, `1_`, `1.5.5`),
  strings with escapes, both comment kinds, declarations, calls and their
  keyword arguments, pipe targets and hardware units get their scopes;
- every file of examples/ and stdlib/ highlights without an error scope and
  with every region closed at the end.

And for Vim: each keyword is in a `syn keyword` group linked to a standard
keyword-like highlight group. For VS Code: every JSON file parses, the
package registers `.net` with the grammar's scope and the files it names
exist, and language-configuration.json's comments are the grammar's.

usage: editor-keywords.py [SOURCE-ROOT]   (default: the current directory)
"""
import glob
import json
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
fails = 0


def check(ok, what):
    global fails
    if ok:
        print(f"ok: {what}")
    else:
        print(f"FAIL: {what}", file=sys.stderr)
        fails += 1
    return ok


def read(rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return f.read()


# ---------------------------------------------------------------- the grammar
g4 = read("grammar/Net.g4")
# A lexer rule with a single literal body: NAME : 'text' ;
literal_rules = re.findall(r"^\s*([A-Z][A-Z0-9_]*)\s*:\s*'((?:[^'\\]|\\.)+)'\s*;", g4, re.M)
keywords = [text for _, text in literal_rules if re.fullmatch(r"[A-Za-z]+", text)]
operators = [text.replace("\\'", "'").replace("\\\\", "\\")
             for _, text in literal_rules if not re.fullmatch(r"[A-Za-z]+", text)]
if not check(len(keywords) >= 10, f"Net.g4 has keywords ({' '.join(keywords)})"):
    sys.exit(1)
check(len(operators) >= 20, f"Net.g4 has operator tokens ({' '.join(operators)})")
m_line = re.search(r"^\s*LINE_COMMENT\s*:\s*'([^']+)'", g4, re.M)
m_block = re.search(r"^\s*BLOCK_COMMENT\s*:\s*'([^']+)'\s*\.\*\?\s*'([^']+)'", g4, re.M)
check(m_line and m_block, "Net.g4 has LINE_COMMENT and BLOCK_COMMENT")

# ------------------------------------------------------------- VS Code's JSON
vscode = "editors/vscode"
docs = {}
for path in sorted(glob.glob(os.path.join(root, vscode, "**", "*.json"), recursive=True)):
    if "node_modules" in path:
        continue
    rel = os.path.relpath(path, root)
    try:
        with open(path, encoding="utf-8") as f:
            docs[rel] = json.load(f)
        check(True, f"{rel} parses")
    except ValueError as e:
        check(False, f"{rel} parses: {e}")

pkg = docs.get(f"{vscode}/package.json", {})
contrib = pkg.get("contributes", {})
lang = (contrib.get("languages") or [{}])[0]
gram = (contrib.get("grammars") or [{}])[0]
check(".net" in lang.get("extensions", []), "package.json: language extensions contain .net")
check(gram.get("language") == lang.get("id") and lang.get("id"),
      "package.json: the grammar is for the contributed language")
grammar_rel = os.path.normpath(os.path.join(vscode, gram.get("path", "<none>")))
check(os.path.isfile(os.path.join(root, grammar_rel)), f"package.json: grammar path {grammar_rel} exists")
config_rel = os.path.normpath(os.path.join(vscode, lang.get("configuration", "<none>")))
check(os.path.isfile(os.path.join(root, config_rel)),
      f"package.json: language configuration {config_rel} exists")
check(os.path.isfile(os.path.join(root, vscode, pkg.get("main", "<none>"))),
      f"package.json: main {pkg.get('main')} exists")
settings = contrib.get("configuration", {}).get("properties", {})
for key in ("netc.path", "netc.hardware", "netc.inlayHints"):
    check(key in settings, f"package.json: setting {key}")

comments = docs.get(config_rel, {}).get("comments", {})
if m_line and m_block:
    check(comments.get("lineComment") == m_line.group(1),
          f"language-configuration.json: lineComment is {m_line.group(1)!r}")
    check(comments.get("blockComment") == [m_block.group(1), m_block.group(2)],
          f"language-configuration.json: blockComment is {[m_block.group(1), m_block.group(2)]}")

tm = docs.get(grammar_rel)
if not check(isinstance(tm, dict) and tm.get("scopeName") == gram.get("scopeName"),
             "the TextMate grammar's scopeName is package.json's"):
    sys.exit(1)


# ---------------------------------------------- a small TextMate tokenizer
def translate(rx):
    """An Oniguruma regex as Python's re reads it. The grammar sticks to the
    common subset; what has no equivalent is refused rather than guessed."""
    for bad in (r"\G", r"\K", "(?~", r"\p{", r"\x{"):
        if bad in rx:
            raise ValueError(f"regex uses {bad}, which this test cannot translate: {rx}")
    rx = rx.replace(r"\h", "[0-9A-Fa-f]").replace(r"\H", "[^0-9A-Fa-f]").replace(r"\z", r"\Z")
    return re.compile(rx)


class TextMate:
    def __init__(self, grammar):
        self.grammar = grammar
        self.repo = grammar.get("repository", {})
        self.compiled = {}

    def rx(self, rule, key):
        k = (id(rule), key)
        if k not in self.compiled:
            self.compiled[k] = translate(rule[key])
        return self.compiled[k]

    def expand(self, patterns, seen=()):
        out = []
        for p in patterns:
            if "include" in p:
                inc = p["include"]
                if inc == "$self":
                    sub = self.grammar
                elif inc.startswith("#"):
                    sub = self.repo[inc[1:]]
                else:
                    raise ValueError(f"include {inc} not supported")
                if id(sub) in seen:
                    continue
                if "match" in sub or "begin" in sub:
                    out.append(sub)
                else:
                    out += self.expand(sub.get("patterns", []), seen + (id(sub),))
            elif "match" in p or "begin" in p:
                out.append(p)
            else:
                out += self.expand(p.get("patterns", []), seen)
        return out

    def tokenize(self, lines):
        """Per line, the scopes of each character and the (start, end,
        scopes) of every match, capture and region delimiter; and the stack
        of regions left open at the end."""
        stack = [(None, self.grammar["patterns"], [self.grammar["scopeName"]])]
        result = []
        for line in lines:
            chars = [None] * len(line)
            toks = []
            pos = 0
            while True:
                rule, patterns, scopes = stack[-1]
                best = None
                if rule is not None:
                    m = self.rx(rule, "end").search(line, pos)
                    if m:
                        best = (m.start(), "end", rule, m)
                for p in self.expand(patterns):
                    m = self.rx(p, "match" if "match" in p else "begin").search(line, pos)
                    if m and (best is None or m.start() < best[0]):
                        best = (m.start(), "match" if "match" in p else "begin", p, m)
                if best is None:
                    break
                start, kind, p, m = best
                chars[pos:start] = [scopes] * (start - pos)
                if kind != "end" and m.end() == m.start():
                    if start >= len(line):
                        break
                    chars[start] = scopes  # an empty match: step over one character
                    pos = start + 1
                    continue
                if kind == "end":
                    self.emit(chars, toks, m, scopes, None, p.get("endCaptures", p.get("captures", {})))
                    stack.pop()
                elif kind == "match":
                    self.emit(chars, toks, m, scopes, p.get("name"), p.get("captures", {}))
                else:
                    self.emit(chars, toks, m, scopes, p.get("name"),
                              p.get("beginCaptures", p.get("captures", {})))
                    inner = scopes + [s for s in (p.get("name"), p.get("contentName")) if s]
                    stack.append((p, p.get("patterns", []), inner))
                pos = m.end()
            chars[pos:] = [stack[-1][2]] * (len(line) - pos)
            result.append((chars, toks))
        return result, stack

    @staticmethod
    def emit(chars, toks, m, scopes, name, captures):
        base = scopes + ([name] if name else [])
        chars[m.start():m.end()] = [base] * (m.end() - m.start())
        toks.append((m.start(), m.end(), base))
        for k, c in sorted(captures.items(), key=lambda kv: int(kv[0])):
            if m.group(int(k)) is not None and "name" in c:
                s, e = m.span(int(k))
                chars[s:e] = [base + [c["name"]]] * (e - s)
                toks.append((s, e, base + [c["name"]]))


engine = TextMate(tm)


def scopes_at(text, col, line=0):
    """The scopes of the character at column col of line `line`."""
    result, _ = engine.tokenize(text.split("\n"))
    return result[line][0][col]


def token_scopes(text, start, end, line=0):
    """The scopes of the matches spanning exactly [start, end)."""
    result, _ = engine.tokenize(text.split("\n"))
    return [sc for s, e, sc in result[line][1] if (s, e) == (start, end)]


def has(scopes, prefix):
    return any(s.startswith(prefix) for s in scopes)


KEYWORD_SCOPES = ("keyword.", "storage.", "constant.language.")

# ------------------------------------------------------ TextMate: keywords
for kw in keywords:
    exact = token_scopes(kw, 0, len(kw))
    check(any(any(s.startswith(KEYWORD_SCOPES) for s in sc) for sc in exact),
          f"TextMate: '{kw}' alone is one keyword token")
    check(not any(s.startswith(KEYWORD_SCOPES) for s in scopes_at(f"{kw}_x", 0)),
          f"TextMate: '{kw}_x' is not a keyword (whole words only)")
    check(not any(s.startswith(KEYWORD_SCOPES) for s in scopes_at(f"x{kw}", 1)),
          f"TextMate: 'x{kw}' is not a keyword (whole words only)")
    check(not has(scopes_at(f"{kw}(x)", 0), "entity.name.function"),
          f"TextMate: '{kw}(x)' is not a function call")

# ----------------------------------------------------- TextMate: operators
for op in operators:
    text = f"f(a {op} b)"  # inside a call: ')' closes it
    exact = token_scopes(text, 4, 4 + len(op))
    check(any(len(sc) > 1 and not has(sc, "invalid") for sc in exact),
          f"TextMate: '{op}' is one token")

# -------------------------------------------------- TextMate: the samples
samples = [
    # (text, column, expected scope prefix) -- the line is the text's last
    ("x = 1_000", 4, "constant.numeric.integer"),
    ("x = 224", 6, "constant.numeric.integer"),
    ("x = 1e-5", 7, "constant.numeric.float"),
    ("x = 0.5", 4, "constant.numeric.float"),
    ("x = .5", 4, "constant.numeric.float"),
    ("x = 1.5e+3", 9, "constant.numeric.float"),
    ("x = 0x10", 4, "invalid.illegal.numeric"),
    ("x = 1_", 4, "invalid.illegal.numeric"),
    ("x = 128GiB", 4, "invalid.illegal.numeric"),
    ("x = 1.5.5", 8, "invalid.illegal.numeric"),
    ("y = log2(x)", 7, "support.function"),
    ("y = log2(x)", 4, "support.function"),
    ('s = "a\\"b\\n"', 6, "constant.character.escape"),
    ('s = "a\\"b\\n"', 10, "string.quoted.double"),
    ('s = "a\\qb"', 6, "invalid.illegal.unknown-escape"),
    ('s = "# no comment"', 6, "string.quoted.double"),
    ("x = 1  # a comment", 9, "comment.line.number-sign"),
    ("# TODO: later", 2, "keyword.other.todo"),
    ("x = /* a */ 1", 8, "comment.block"),
    ("/* one\ntwo */ x = 1", 1, "comment.block"),
    ("/* one\ntwo */ x = 1", 11, "constant.numeric"),
    ("block conv_bn(x: tensor, k: int = 3) {", 8, "entity.name.function"),
    ("block conv_bn(x: tensor, k: int = 3) {", 14, "variable.parameter"),
    ("block conv_bn(x: tensor, k: int = 3) {", 17, "support.type"),
    ("block conv_bn(x: tensor, k: int = 3) {", 25, "variable.parameter"),
    ("block f(x,\n        act: fn = relu) {", 9, "variable.parameter"),
    ("network resnet18(classes: int = 1000) {", 10, "entity.name.function"),
    ("hardware gpu {", 10, "entity.name.type"),
    ("hardware gpu { bandwidth = 76.8 GB/s }", 16, "variable.other.property"),
    ("hardware gpu { bandwidth = 76.8 GB/s }", 33, "keyword.other.unit"),
    ("hardware gpu { bandwidth = 76.8 GB/s }", 35, "keyword.other.unit"),
    ("hardware gpu {\n  peak_fp16 = 71 TFLOP/s", 19, "keyword.other.unit"),
    ("  y = conv2d(x, 64, k=3, bias=false)", 7, "entity.name.function"),
    ("  y = conv2d(x, 64, k=3, bias=false)", 20, "variable.parameter"),
    ("  y = conv2d(x, 64, k=3, bias=false)", 26, "variable.parameter"),
    ("  y = conv2d(x, 64, k=3, bias=false)", 32, "constant.language"),
    ("  y = f(g(a, b=1), c=2)", 13, "variable.parameter"),
    ("  y = f(g(a, b=1), c=2)", 19, "variable.parameter"),
    ("  x = x |> flatten |> linear(10)", 13, "entity.name.function"),
    ("  x = x |> flatten |> linear(10)", 23, "entity.name.function"),
    ("  x = x |> flatten", 9, "keyword.operator.pipe"),
    ("  return a ** 2 // 3", 12, "keyword.operator"),
    ("  x = a ++ b", 8, "keyword.operator"),
    ("  for i in range(n) {", 2, "keyword.control"),
    ("  for i in range(n) {", 8, "keyword.control"),
    ('import "std/blocks.net"', 0, "keyword.control.import"),
    ('import "std/blocks.net"', 9, "string.quoted.double"),
    ("  x = a @ b", 8, "invalid.illegal"),
]
for text, col, want in samples:
    line = text.count("\n")
    got = scopes_at(text, col, line)
    check(has(got or [], want),
          f"TextMate: {text!r} column {col}: {want} (got {' '.join((got or [])[1:]) or 'none'})")
# The '=' of a comparison is not a keyword argument's.
check(not has(scopes_at("  y = f(a == b)", 8), "variable.parameter"),
      "TextMate: f(a == b) has no keyword argument")
check(not has(scopes_at("  y = 1 // 2", 8), "comment"), "TextMate: // is not a comment")

# ------------------------------------- TextMate: the repo's own .net files
files = sorted(glob.glob(os.path.join(root, "examples", "*.net")) +
               glob.glob(os.path.join(root, "stdlib", "*.net")))
check(len(files) >= 10, f"{len(files)} .net files in examples/ and stdlib/")
for path in files:
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    toks, stack = engine.tokenize(lines)
    bad = [(i + 1, s + 1, lines[i][s:e]) for i, (_, line_toks) in enumerate(toks)
           for s, e, sc in line_toks if has(sc, "invalid")]
    rel = os.path.relpath(path, root)
    check(not bad, f"TextMate: {rel} has no error scope" + (f" (first: {bad[0]})" if bad else ""))
    check(len(stack) == 1, f"TextMate: {rel} closes every region"
          + ("" if len(stack) == 1 else f" (open: {stack[-1][0].get('name') or stack[-1][0].get('begin')})"))

# ------------------------------------------------------------------ Vim
vim = read("editors/vim/syntax/netc.vim")
vim_keywords = {}
for line in vim.splitlines():
    m = re.match(r"\s*syn(?:tax)?\s+keyword\s+(\w+)\s+(.*)", line)
    if m:
        for word in m.group(2).split():
            if "=" in word or word in ("contained", "skipwhite", "skipnl", "skipempty",
                                       "transparent", "display", "extend"):
                continue
            vim_keywords.setdefault(word, m.group(1))
links = dict(re.findall(r"^\s*hi(?:ghlight)?\s+def(?:ault)?\s+link\s+(\w+)\s+(\w+)", vim, re.M))
KEYWORD_GROUPS = {"Statement", "Conditional", "Repeat", "Keyword", "Include", "Structure",
                  "StorageClass", "Define", "Boolean", "Constant", "Label", "Exception",
                  "PreProc", "Type", "Typedef", "Special"}
for kw in keywords:
    group = vim_keywords.get(kw)
    target = group
    for _ in range(5):  # follow a chain of links
        target = links.get(target, target)
    check(group is not None and target in KEYWORD_GROUPS,
          f"Vim: '{kw}' is a syn keyword ({group} -> {target})")
check("b:current_syntax" in vim, "Vim: the syntax file sets b:current_syntax")
ftdetect = read("editors/vim/ftdetect/netc.vim")
check(re.search(r"\*\.net\b.*\bnetc\b", ftdetect) is not None, "Vim: *.net files are netc")
ftplugin = read("editors/vim/ftplugin/netc.vim")
check(f"commentstring={m_line.group(1) if m_line else '#'}" in ftplugin,
      "Vim: commentstring uses the grammar's line comment")

if fails:
    print(f"{fails} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("all checks passed")
