"""Text normalization applied to every document before any measurement."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Literal

# C0/C1 controls except tab and newline, plus BOM, zero-width no-break space and lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")
_INLINE_SPACE = re.compile(r"[^\S\n]+")  # any whitespace but newline, incl. NBSP and ideographic
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")

UnicodeForm = Literal["NFC", "NFD", "NFKC", "NFKD"]


def normalize_text(text: str, unicode_form: UnicodeForm = "NFC") -> str:
    """Unicode-normalize, drop control characters and fold whitespace.

    Line breaks are kept (`\\r\\n` and `\\r` become `\\n`), runs of other whitespace become one
    space, spaces at line ends go, at most one blank line is kept, and the ends are stripped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize(unicode_form, text)
    text = _INLINE_SPACE.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def content_hash(text: str) -> str:
    """A hex digest of the text, the key of exact deduplication."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
