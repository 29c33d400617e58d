"""Property tests: no filter raises on arbitrary Unicode, whatever the document shape."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curation.document import Document
from filters import (
    DEFAULT_STEPS,
    REGISTRY,
    BaseTransformer,
    FilterResult,
    TransformResult,
    apply_chain,
    build_chain,
)
from filters.fasttext_model import default_lid_path

# Every code point, surrogates and controls included, plus text that looks like web pages.
ANY_CHAR = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()),  # lone surrogates
)
WEBBY = st.sampled_from(
    [
        " ",
        "\n",
        "\n\n",
        ".",
        "...",
        "…",
        "#",
        "- ",
        "• ",
        "{",
        "[1]",
        "lorem ipsum",
        "javascript",
        "。",
        "的",
        "ไทย",
        "!",
        "\t",
    ]
)
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=400), st.lists(st.one_of(WEBBY, st.text(max_size=12)), max_size=80).map("".join)
)
LANGUAGES = st.one_of(st.none(), st.sampled_from(["en", "zh", "ja", "th", "de", "zho_Hans", "", "xx-YY"]))
URLS = st.one_of(
    st.none(), st.text(max_size=60), st.sampled_from(["https://a.example.co.uk/x", "http://[::1]/", "//x", "http://"])
)

PARAMS = {
    "fasttext_classifier": {"model_path": str(default_lid_path()), "label": "en"},
    "url": {"block_domains": ["example.co.uk"], "banned_words": ["casino"]},
    "domain": {"block_domains": ["example.co.uk"], "allow_domains": ["a.example.co.uk"]},
}
CHAIN = [REGISTRY[name](**PARAMS.get(name, {})) for name in sorted(REGISTRY)]
DEFAULT_CHAIN = build_chain(DEFAULT_STEPS)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=TEXTS, language=LANGUAGES, url=URLS, shape=st.sampled_from(["str", "dict", "document"]))
def test_no_filter_raises_on_arbitrary_unicode(text, language, url, shape):
    if shape == "str":
        doc = text
    elif shape == "dict":
        doc = {"text": text, "language": language, "url": url}
    else:
        doc = Document(id="p", text=text, source="h", url=url, language=language or None)
    for step in CHAIN:
        if isinstance(step, BaseTransformer):
            result = step.transform(doc)
            assert isinstance(result, TransformResult) and isinstance(result.text, str)
            assert len(result.text) <= len(text) + 1
        else:
            result = step.filter(doc)
            assert isinstance(result, FilterResult)
            assert isinstance(result.keep, bool)
            assert result.keep == (result.reason is None)
            assert isinstance(result.signals, dict)
            if result.detail is not None:
                assert len(result.detail) < 120


@SETTINGS
@given(text=TEXTS)
def test_the_default_chain_never_raises(text):
    outcome = apply_chain(DEFAULT_CHAIN, {"text": text})
    assert outcome.kept == (outcome.doc is not None)
    if not outcome.kept:
        assert outcome.stage in {step.name for step in DEFAULT_CHAIN}
        assert outcome.reason


@SETTINGS
@given(text=TEXTS)
def test_c4_lines_is_idempotent(text):
    step = REGISTRY["c4_lines"]()
    once = step.transform(text).text
    assert step.transform(once).text == once or "[" in once
