#!/usr/bin/python3
"""Reference params and MACs of the LLM examples (examples/*.net), from torch modules.

A maintainer tool, not part of the build or the tests: run it with Debian's
Python (`/usr/bin/python3 scripts/llm_reference.py`, needs python3-torch only;
Hugging Face's transformers is not needed) after changing an LLM example, and
commit the rows it writes to tests/zoo/reference.txt (it replaces its own
section of that file, the one whose comment names this script, and keeps
scripts/zoo_reference.py's rows); tests/zoo/check-zoo.sh compares netc against
them without Python.

Each architecture is rebuilt here from its published configuration as plain
torch modules that mirror Hugging Face's module tree parameter for parameter
(nn.Embedding, nn.Linear, nn.LayerNorm, an RMSNorm module, attention as q, k,
v, o projections with matmul and softmax, Mixtral's MoE as a router and 8
expert MLPs), on the meta device, so that 47 B params need no memory:

  bert_base     BertModel (bert-base-uncased), pooler included
  gpt2          GPT2LMHeadModel (gpt2), lm_head.weight is transformer.wte.weight
  llama2_7b     LlamaForCausalLM (meta-llama/Llama-2-7b-hf)
  llama3_8b     LlamaForCausalLM (meta-llama/Meta-Llama-3-8B), 8 KV heads
  mixtral_8x7b  MixtralForCausalLM (mistralai/Mixtral-8x7B-v0.1), 8 experts, top 2

  params = sum(p.numel() for p in model.parameters())   (a tied weight once)
  active = (Mixtral) the params a token uses: all but the experts, plus top_k
           experts of each layer (the router included: every token uses it)
  macs   = for one sequence of SEQ new tokens (batch 1, empty KV cache), counted
           by forward hooks on a meta forward, the convention of
           tests/zoo/reference.txt for vit_b_16:
             nn.Linear:  out.numel() * in_features
             attention:  2 * B * heads * Sq * Lk * D (q k^T and att v over
                         the whole score matrix, a causal mask not subtracted;
                         Lk = past + Sq, GQA's k and v repeated to every head)
             MoE:        the router (a Linear) and the experts' Linears on the
                         tokens routed to them: T * top_k tokens in all
           Embeddings, norms, rotary, softmax and elementwise products: none.

A meta tensor has no values, so the MoE cannot route on the meta device: there
token t goes to experts (t * top_k + j) mod E, j < top_k, which gives every
expert's Linear its share of the T * top_k routed tokens (the MACs do not depend
on which tokens they are). The script checks that rule: each architecture at a
small configuration is also run on the CPU with real values (real top-k routing),
and its hook counts must equal the meta forward's; and every count, small and
full size, must equal the closed-form formula of `formula()`.

Usage: llm_reference.py [-o FILE] [--seq N]   (default: seq 128, to
tests/zoo/reference.txt; '-o -' prints the section)
"""
import argparse
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo_reference  # noqa: E402  (its replace_section, for tests/zoo/reference.txt)

SEQ = 128

# The published configurations (config.json on the Hugging Face hub).
CONFIGS = {
    "bert_base": dict(kind="bert", vocab=30522, positions=512, types=2, d=768, layers=12,
                      heads=12, ff=3072, eps=1e-12),
    "gpt2": dict(kind="gpt2", vocab=50257, positions=1024, d=768, layers=12, heads=12, eps=1e-5),
    "llama2_7b": dict(kind="llama", vocab=32000, d=4096, layers=32, heads=32, kv_heads=32,
                      hidden=11008, eps=1e-5, theta=10000.0),
    "llama3_8b": dict(kind="llama", vocab=128256, d=4096, layers=32, heads=32, kv_heads=8,
                      hidden=14336, eps=1e-5, theta=500000.0),
    "mixtral_8x7b": dict(kind="mixtral", vocab=32000, d=4096, layers=32, heads=32, kv_heads=8,
                         hidden=14336, experts=8, top_k=2, eps=1e-5, theta=1e6),
}

# The published counts (model cards, papers) the script must reproduce.
EXPECTED_PARAMS = {
    "bert_base": 109_482_240,
    "gpt2": 124_439_808,
    "llama2_7b": 6_738_415_616,
    "llama3_8b": 8_030_261_248,
    "mixtral_8x7b": 46_702_792_704,
}

# Small configurations of each kind, run on the CPU and on meta (the check).
SMALL = {
    "bert": dict(kind="bert", vocab=97, positions=32, types=2, d=32, layers=2, heads=4, ff=64,
                 eps=1e-12),
    "gpt2": dict(kind="gpt2", vocab=97, positions=32, d=32, layers=2, heads=4, eps=1e-5),
    "llama": dict(kind="llama", vocab=97, d=32, layers=2, heads=4, kv_heads=2, hidden=48,
                  eps=1e-5, theta=10000.0),
    "mixtral": dict(kind="mixtral", vocab=97, d=32, layers=2, heads=4, kv_heads=2, hidden=48,
                    experts=4, top_k=2, eps=1e-5, theta=1e6),
}


class RMSNorm(nn.Module):
    """Llama's LlamaRMSNorm: x / sqrt(mean(x^2) + eps) * weight."""

    def __init__(self, d, eps, device):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d, device=device))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def repeat_kv(x, heads):
    """HF Llama's repeat_kv: [B, kv_heads, L, D] -> [B, heads, L, D], kv head j
    serving query heads j * rep .. (j + 1) * rep - 1."""
    b, kvh, l, d = x.shape
    return x[:, :, None].expand(b, kvh, heads // kvh, l, d).reshape(b, heads, l, d)


class Sdpa(nn.Module):
    """softmax(q k^T * scale + mask) v on [B, heads, S, D]; k and v of kv_heads
    heads are repeated to every query head (GQA). Its own module, so that a
    forward hook counts its two matrix products."""

    def __init__(self, causal):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v):
        k, v = repeat_kv(k, q.shape[1]), repeat_kv(v, q.shape[1])
        s = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        if self.causal:
            sq, lk = q.shape[2], k.shape[2]
            mask = torch.ones(sq, lk, dtype=torch.bool, device=q.device).triu(lk - sq + 1)
            s = s.masked_fill(mask, float("-inf"))
        return s.softmax(-1) @ v


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat((-b, a), dim=-1)


def rotary(x, theta, past):
    """HF Llama's rotary embedding of [B, heads, S, D] at positions past.. (no params)."""
    d = x.shape[-1]
    inv = 1.0 / theta ** (torch.arange(0, d, 2, device=x.device).float() / d)
    pos = torch.arange(past, past + x.shape[2], device=x.device).float()
    ang = torch.cat([torch.outer(pos, inv)] * 2, dim=-1)
    return x * ang.cos() + rotate_half(x) * ang.sin()


class Attention(nn.Module):
    """q, k, v, o projections, heads split, optional rotary, a KV cache of `past` tokens."""

    def __init__(self, d, heads, kv_heads, bias, causal, theta, device, fused_qkv=False):
        super().__init__()
        self.heads, self.kv_heads, self.hd, self.theta = heads, kv_heads, d // heads, theta
        if fused_qkv:  # GPT-2's c_attn
            self.c_attn = nn.Linear(d, 3 * d, bias=bias, device=device)
        else:
            self.q_proj = nn.Linear(d, heads * self.hd, bias=bias, device=device)
            self.k_proj = nn.Linear(d, kv_heads * self.hd, bias=bias, device=device)
            self.v_proj = nn.Linear(d, kv_heads * self.hd, bias=bias, device=device)
        self.o_proj = nn.Linear(heads * self.hd, d, bias=bias, device=device)
        self.sdpa = Sdpa(causal)

    def forward(self, x, past=0):
        b, s, _ = x.shape
        if hasattr(self, "c_attn"):
            q, k, v = self.c_attn(x).chunk(3, dim=-1)
        else:
            q, k, v = self.q_proj(x), self.k_proj(x), self.v_proj(x)
        q = q.view(b, s, self.heads, self.hd).transpose(1, 2)
        k = k.view(b, s, self.kv_heads, self.hd).transpose(1, 2)
        v = v.view(b, s, self.kv_heads, self.hd).transpose(1, 2)
        if self.theta is not None:
            q, k = rotary(q, self.theta, past), rotary(k, self.theta, past)
        if past:
            cache = torch.zeros(b, self.kv_heads, past, self.hd, device=x.device)
            k, v = torch.cat([cache, k], dim=2), torch.cat([cache, v], dim=2)
        a = self.sdpa(q, k, v)
        return self.o_proj(a.transpose(1, 2).reshape(b, s, self.heads * self.hd))


# ---- BERT (HF BertModel) -------------------------------------------------------

class BertLayer(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        d = c["d"]
        self.attention = Attention(d, c["heads"], c["heads"], True, False, None, dev)
        self.ln1 = nn.LayerNorm(d, eps=c["eps"], device=dev)
        self.intermediate = nn.Linear(d, c["ff"], device=dev)
        self.output = nn.Linear(c["ff"], d, device=dev)
        self.ln2 = nn.LayerNorm(d, eps=c["eps"], device=dev)

    def forward(self, x, past=0):
        x = self.ln1(x + self.attention(x))
        return self.ln2(x + self.output(F.gelu(self.intermediate(x))))


class Bert(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        d = c["d"]
        self.word_embeddings = nn.Embedding(c["vocab"], d, device=dev)
        self.position_embeddings = nn.Embedding(c["positions"], d, device=dev)
        self.token_type_embeddings = nn.Embedding(c["types"], d, device=dev)
        self.ln = nn.LayerNorm(d, eps=c["eps"], device=dev)
        self.layers = nn.ModuleList(BertLayer(c, dev) for _ in range(c["layers"]))
        self.pooler = nn.Linear(d, d, device=dev)

    def forward(self, ids, past=0):
        s = ids.shape[1]
        pos = torch.arange(s, device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.token_type_embeddings(torch.zeros_like(ids)) \
            + self.position_embeddings(pos)
        x = self.ln(x)
        for layer in self.layers:
            x = layer(x)
        return x, torch.tanh(self.pooler(x[:, 0]))


# ---- GPT-2 (HF GPT2LMHeadModel; Conv1D has nn.Linear's params) ------------------

class Gpt2Block(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        d = c["d"]
        self.ln_1 = nn.LayerNorm(d, eps=c["eps"], device=dev)
        self.attn = Attention(d, c["heads"], c["heads"], True, True, None, dev, fused_qkv=True)
        self.ln_2 = nn.LayerNorm(d, eps=c["eps"], device=dev)
        self.c_fc = nn.Linear(d, 4 * d, device=dev)
        self.c_proj = nn.Linear(4 * d, d, device=dev)

    def forward(self, x, past=0):
        x = x + self.attn(self.ln_1(x), past)
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt2(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        d = c["d"]
        self.wte = nn.Embedding(c["vocab"], d, device=dev)
        self.wpe = nn.Embedding(c["positions"], d, device=dev)
        self.h = nn.ModuleList(Gpt2Block(c, dev) for _ in range(c["layers"]))
        self.ln_f = nn.LayerNorm(d, eps=c["eps"], device=dev)
        self.lm_head = nn.Linear(d, c["vocab"], bias=False, device=dev)
        self.lm_head.weight = self.wte.weight  # tied: one Parameter, counted once

    def forward(self, ids, past=0):
        pos = torch.arange(past, past + ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.wte(ids) + self.wpe(pos)
        for block in self.h:
            x = block(x, past)
        return self.lm_head(self.ln_f(x))


# ---- Llama and Mixtral (HF LlamaForCausalLM, MixtralForCausalLM) ---------------

class SwiGlu(nn.Module):
    """LlamaMLP (gate_proj, up_proj, down_proj) or a Mixtral expert (w1, w3, w2)."""

    def __init__(self, d, hidden, dev):
        super().__init__()
        self.w1 = nn.Linear(d, hidden, bias=False, device=dev)
        self.w3 = nn.Linear(d, hidden, bias=False, device=dev)
        self.w2 = nn.Linear(hidden, d, bias=False, device=dev)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Moe(nn.Module):
    """MixtralSparseMoeBlock: router gate d -> E, softmax, top-k, renormalized
    weights, each token through its top_k experts."""

    def __init__(self, d, hidden, experts, top_k, dev):
        super().__init__()
        self.top_k = top_k
        self.gate = nn.Linear(d, experts, bias=False, device=dev)
        self.experts = nn.ModuleList(SwiGlu(d, hidden, dev) for _ in range(experts))

    def forward(self, x):
        b, s, d = x.shape
        xs = x.reshape(-1, d)
        t, e = xs.shape[0], len(self.experts)
        probs = self.gate(xs).softmax(-1)
        y = torch.zeros_like(xs)
        if xs.is_meta:
            # No values to route on: token i goes to experts (i * top_k + j) mod E.
            counts = [0] * e
            for i in range(t * self.top_k):
                counts[i % e] += 1
            for ex, n in zip(self.experts, counts):
                if n:
                    y[:n] += ex(xs[:n])
            return y.reshape(b, s, d)
        w, sel = probs.topk(self.top_k, dim=-1)
        w = w / w.sum(-1, keepdim=True)
        for i, ex in enumerate(self.experts):
            tok, slot = torch.where(sel == i)
            if tok.numel():
                y.index_add_(0, tok, w[tok, slot, None] * ex(xs[tok]))
        return y.reshape(b, s, d)


class LlamaLayer(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        d = c["d"]
        self.input_layernorm = RMSNorm(d, c["eps"], dev)
        self.self_attn = Attention(d, c["heads"], c["kv_heads"], False, True, c["theta"], dev)
        self.post_attention_layernorm = RMSNorm(d, c["eps"], dev)
        if c["kind"] == "mixtral":
            self.mlp = Moe(d, c["hidden"], c["experts"], c["top_k"], dev)
        else:
            self.mlp = SwiGlu(d, c["hidden"], dev)

    def forward(self, x, past=0):
        x = x + self.self_attn(self.input_layernorm(x), past)
        return x + self.mlp(self.post_attention_layernorm(x))


class Llama(nn.Module):
    def __init__(self, c, dev):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab"], c["d"], device=dev)
        self.layers = nn.ModuleList(LlamaLayer(c, dev) for _ in range(c["layers"]))
        self.norm = RMSNorm(c["d"], c["eps"], dev)
        self.lm_head = nn.Linear(c["d"], c["vocab"], bias=False, device=dev)

    def forward(self, ids, past=0):
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, past)
        return self.lm_head(self.norm(x))


def build(c, dev):
    return {"bert": Bert, "gpt2": Gpt2, "llama": Llama, "mixtral": Llama}[c["kind"]](c, dev)


def count(c, seq, past=0, dev="meta"):
    """(params, active params, macs) of the model of config `c`, by torch."""
    torch.manual_seed(0)
    model = build(c, torch.device(dev)).eval()
    params = sum(p.numel() for p in model.parameters())
    active = params
    for m in model.modules():
        if isinstance(m, Moe):
            per_expert = sum(p.numel() for p in m.experts[0].parameters())
            active -= (len(m.experts) - m.top_k) * per_expert
    macs = 0

    def linear_hook(m, inp, out):
        nonlocal macs
        macs += out.numel() * m.in_features

    def sdpa_hook(m, inp, out):
        nonlocal macs
        q, k, _ = inp  # [B, heads, Sq, D], [B, kv_heads, Lk, D]
        b, h, sq, d = q.shape
        macs += 2 * b * h * sq * k.shape[2] * d

    for m in model.modules():
        if isinstance(m, nn.Linear):
            m.register_forward_hook(linear_hook)
        elif isinstance(m, Sdpa):
            m.register_forward_hook(sdpa_hook)
    vocab = c["vocab"]
    ids = torch.randint(0, vocab, (1, seq)) if dev == "cpu" else \
        torch.zeros(1, seq, dtype=torch.long, device=dev)
    with torch.no_grad():
        model(ids, past)
    return params, active, macs


def formula(c, seq, past=0):
    """(params, active params, macs) in closed form: the cross-check."""
    d, L, V, T, Lk = c["d"], c["layers"], c["vocab"], seq, past + seq
    hd = d // c["heads"]
    att_macs = 2 * c["heads"] * T * Lk * hd
    if c["kind"] == "bert":
        ff = c["ff"]
        layer = 4 * d * d + 4 * d + 2 * d * ff + ff + d + 4 * d
        p = (V + c["positions"] + c["types"]) * d + 2 * d + L * layer + d * d + d
        m = L * (T * (4 * d * d + 2 * d * ff) + att_macs) + d * d
        return p, p, m
    if c["kind"] == "gpt2":
        layer = 12 * d * d + 13 * d
        p = (V + c["positions"]) * d + L * layer + 2 * d
        m = L * (T * 12 * d * d + att_macs) + T * d * V
        return p, p, m
    kv = c["kv_heads"] * hd
    attn = 2 * d * d + 2 * d * kv
    if c["kind"] == "llama":
        mlp, mlp_active, mlp_macs = (3 * d * c["hidden"],) * 2 + (T * 3 * d * c["hidden"],)
    else:
        e, k, h = c["experts"], c["top_k"], c["hidden"]
        mlp = d * e + e * 3 * d * h
        mlp_active = d * e + k * 3 * d * h
        mlp_macs = T * (d * e + k * 3 * d * h)
    p = 2 * V * d + d + L * (attn + mlp + 2 * d)
    a = 2 * V * d + d + L * (attn + mlp_active + 2 * d)
    m = L * (T * attn + att_macs + mlp_macs) + T * d * V
    return p, a, m


def check_small():
    """The meta forward's counts (MoE routed by the rule above) equal the CPU
    forward's with real routing and the formula's, at small sizes, with and
    without a KV cache."""
    for kind, c in SMALL.items():
        for seq, past in ((7, 0), (1, 9), (5, 3)):
            if kind == "bert" and past:
                continue
            cpu, meta, form = count(c, seq, past, "cpu"), count(c, seq, past, "meta"), \
                formula(c, seq, past)
            if not cpu == meta == form:
                sys.exit(f"small {kind} seq {seq} past {past}: cpu {cpu}, meta {meta}, "
                         f"formula {form}")


HEADER = "# written by scripts/llm_reference.py"


def section(rows, seq):
    lines = [f"{HEADER} (torch {torch.__version__}, meta device): the LLM examples' "
             f"published configurations as torch modules; fields: name params macs "
             f"[active=ACTIVE_PARAMS] [-D NAME=VALUE ...] (netc's arguments); batch 1, "
             f"seq {seq} new tokens, empty KV cache (past 0); MACs of nn.Linear and "
             f"attention's q k^T and att v; MoE: active experts only"]
    for name, (p, a, m) in rows.items():
        extra = f" active={a}" if a != p else ""
        args = f" -D seq={seq}"
        lines.append(f"{name} {p} {m}{extra}{args}")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("-o", default=os.path.join(here, "..", "tests", "zoo", "reference.txt"),
                    help="output file ('-' for standard output: this script's section only)")
    ap.add_argument("--seq", type=int, default=SEQ, help=f"new tokens (default {SEQ})")
    args = ap.parse_args()
    check_small()
    rows = {}
    for n in CONFIGS:  # every row (a minute in all), so that the section stays whole
        got = count(CONFIGS[n], args.seq)
        want = formula(CONFIGS[n], args.seq)
        if got != want:
            sys.exit(f"{n}: torch counts {got}, the formula {want}")
        if got[0] != EXPECTED_PARAMS[n]:
            sys.exit(f"{n}: {got[0]} params, published {EXPECTED_PARAMS[n]}")
        rows[n] = got
        print(f"{n} params {got[0]} active {got[1]} macs {got[2]}", file=sys.stderr)
    lines = section(rows, args.seq)
    if args.o == "-":
        sys.stdout.write("\n".join(lines) + "\n")
        return
    text = zoo_reference.replace_section(args.o, lines, HEADER, first=False)
    with open(args.o + ".tmp", "w") as f:
        f.write(text)
    os.replace(args.o + ".tmp", args.o)


if __name__ == "__main__":
    main()
