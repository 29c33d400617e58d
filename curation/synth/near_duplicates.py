"""Near duplicates: an earlier page edited so that its word-5-gram Jaccard is mostly 0.7-0.95."""

from __future__ import annotations

import random
import re

from curation.synth._data import load
from curation.synth.languages import CJK, date, pool, word_count

_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")
_SOURCE_LINE: dict[str, str] = load("pages")["source_lines"]


def _edit_tokens(rng: random.Random, tokens: list[str], lang: str, budget: float) -> None:
    """Substitute, insert or delete single tokens until `budget` 5-gram shingles are spent."""
    words = pool(lang).words
    for _ in range(10_000):
        if budget <= 0 or len(tokens) <= 10:
            return
        p = rng.randrange(len(tokens))
        if "\n" in tokens[p]:
            continue
        r = rng.random()
        new = rng.choice(words)
        if lang in CJK:
            new = new[:1]
        if r < 0.55:
            tail = "" if lang in CJK else tokens[p][len(tokens[p].rstrip(".,!?;:")) :]
            if new + tail == tokens[p]:
                continue
            tokens[p] = new + tail
        elif r < 0.8:
            tokens.insert(p, new)
        else:
            del tokens[p]
        budget -= 5


def near_duplicate(rng: random.Random, text: str, lang: str, domain: str) -> str:
    """`text` edited (a source line added, a year changed, words substituted, inserted or deleted)
    so that its word-5-gram Jaccard with the original is about 0.72-0.95."""
    cjk = lang in CJK
    size = len(text) if cjk else text.count(" ") + text.count("\n") + 1
    target = rng.uniform(0.72, 0.95)
    budget = max(5.0, size * (1 - target) / (1 + target))
    if rng.random() < 0.5:
        line = _SOURCE_LINE[lang].format(d=domain, date=date(rng, lang))
        text = f"{line}\n{text}" if rng.random() < 0.4 else f"{text}\n{line}"
        budget -= word_count(line, lang) + 4
    if rng.random() < 0.5 and _YEAR.search(text):
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + rng.choice((-2, -1, 1))), text, count=1)
        budget -= 5
    tokens = list(text) if cjk else text.split(" ")
    _edit_tokens(rng, tokens, lang, max(budget, 5.0 if len(tokens) > 10 else 0.0))
    return ("" if cjk else " ").join(tokens)
