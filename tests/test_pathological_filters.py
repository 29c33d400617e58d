"""Every filter's work is linear in the document: 1 MB of each shape that makes a backtracking
regex quadratic finishes in seconds (Gopher's alpha-word regex once took 21 s on 40,000 `=`)."""

from __future__ import annotations

import re
import time

import pytest

from filters.registry import REGISTRY

SIZE = 1_000_000
SHAPES = {
    "one run of '='": "=" * SIZE,
    "digits": "7" * SIZE,
    "letters": "a" * SIZE,
    "terminal marks without a space": "!" * SIZE,
    "dots": "." * SIZE,
    "ellipses": "..." * (SIZE // 3),
    "hashes": "#" * SIZE,
    "e-mail-ish": "a@" * (SIZE // 2),
    "ip-ish": "1." * (SIZE // 2),
    "url-ish": "http://" + "a" * SIZE,
    "short words": "a " * (SIZE // 2),
    "blank lines": "\n" * SIZE,
    "bullet lines": "- x\n" * (SIZE // 4),
    "mixed": "=a=" * (SIZE // 3),
    "a page then a run": "A page with some words in it. " * 100 + "=" * SIZE,
    # words enough to keep the mean word length in Gopher's range, so its alpha-word rule runs
    "words then a letterless run": "word " * 25_000 + "=" * 100_000 + " word" * 25_000,
}
BOUND_SECONDS = 10.0  # a linear pass takes well under a second; a quadratic one takes hours
DOMAIN_STEPS: dict[str, dict] = {}


def built(name: str):
    if name == "fasttext_classifier":
        pytest.skip("needs a model file")
    return REGISTRY[name](**DOMAIN_STEPS.get(name, {}))


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_filter_is_linear_on_pathological_text(name):
    step = built(name)
    call = step.filter if hasattr(step, "filter") else step.transform
    for shape, text in SHAPES.items():
        started = time.perf_counter()
        call({"text": text, "url": "https://" + "a." * 2000 + "com/", "id": "x"})
        spent = time.perf_counter() - started
        assert spent < BOUND_SECONDS, (name, shape, spent)


OLD_ALPHA_WORD = re.compile(r"\S*?[^\W\d_]\S*")


@pytest.mark.parametrize(
    "text", ["Hello world, 42 times.", "= == a=b 3.14 _x_ ü ß 中文 9a", "line one\nline two\t\tend", "", "123 456"]
)
def test_the_linear_alpha_word_regex_counts_as_the_old_one(text):
    from filters.gopher import _ALPHA_WORD

    assert len(_ALPHA_WORD.findall(text)) == len(OLD_ALPHA_WORD.findall(text))
