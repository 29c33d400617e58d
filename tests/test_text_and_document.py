import pytest

from curation.document import Document, registered_domain, stable_id
from curation.text import content_hash, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  a\u00a0\u00a0b\t c  ", "a b c"),
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("nul\x00 and bell\x07 go", "nul and bell go"),
        ("e\u0301", "\u00e9"),
        ("\ufeffbom", "bom"),
        ("trailing   \n  leading", "trailing\nleading"),
        ("\x00\x01\x02", ""),
        ("中文\u3000文本", "中文 文本"),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_nfkc_folds_compatibility_forms():
    assert normalize_text("ﬁne ①", "NFKC") == "fine 1"


def test_content_hash_tells_texts_apart():
    assert content_hash("a") == content_hash("a")
    assert content_hash("a") != content_hash("b")


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://news.bbc.co.uk/story", "bbc.co.uk"),
        ("http://www.example.com:8080/a?b=c", "example.com"),
        ("https://user.github.io/page", "user.github.io"),
        ("https://shop.example.com.au/", "example.com.au"),
        ("HTTPS://WWW.EXAMPLE.ORG/", "example.org"),
        ("http://192.168.0.1/x", "192.168.0.1"),
        ("not a url at all", None),
        ("http://[broken", None),
        ("", None),
        (None, None),
    ],
)
def test_registered_domain_offline(url, domain):
    assert registered_domain(url) == domain


def test_stable_id_depends_on_place_not_order():
    first = stable_id("src", "file.jsonl", 3)
    assert first == stable_id("src", "file.jsonl", 3)
    assert len({first, stable_id("src", "file.jsonl", 4), stable_id("other", "file.jsonl", 3)}) == 3


def test_document_row_carries_metadata_as_json():
    row = Document("1", "text", "src", metadata={"b": 1, "a": [1, 2]}).to_row()
    assert row["metadata"] == '{"a": [1, 2], "b": 1}'
    assert Document("2", "text", "src").to_row()["metadata"] is None
