"""Domain and URL block/allow lists from plain-text files."""

from __future__ import annotations

import pytest

from curation.document import Document
from filters import DomainFilter, ParameterError, UrlFilter


@pytest.fixture
def block_file(tmp_path):
    path = tmp_path / "block.txt"
    path.write_text(
        "# a comment line\n"
        "spam.example.com  # inline comment\n"
        "*.badsite.org\n"
        "https://www.tracker.net/some/path\n"
        "0.0.0.0 adult.co.uk\n"
        "news.bbc.co.uk\n"
        "\n"
        "bücher.de\n",
        encoding="utf-8",
    )
    return str(path)


def doc(url):
    return {"text": "x", "url": url}


def test_registered_domains_and_their_subdomains_are_blocked(block_file):
    f = DomainFilter(block_list=block_file)
    result = f.filter(doc("https://badsite.org/page"))
    assert result.reason == "blocked_domain" and result.signals["domain"] == "badsite.org"
    assert f.filter(doc("http://deep.sub.badsite.org/x")).reason == "blocked_domain"
    assert f.filter(doc("https://shop.adult.co.uk/")).reason == "blocked_domain"
    assert f.filter(doc("https://notbadsite.org/")).keep  # a suffix match needs a dot
    assert f.filter(doc("https://example.org/")).keep


def test_subdomain_entries_cover_only_that_subtree(block_file):
    f = DomainFilter(block_list=block_file)
    result = f.filter(doc("https://spam.example.com/a"))
    assert result.reason == "blocked_subdomain" and result.signals["matched"] == "spam.example.com"
    assert f.filter(doc("https://a.spam.example.com/")).reason == "blocked_subdomain"
    assert f.filter(doc("https://example.com/")).keep
    assert f.filter(doc("https://www.bbc.co.uk/")).keep  # bbc.co.uk is the registered domain
    assert f.filter(doc("https://news.bbc.co.uk/x")).reason == "blocked_subdomain"


def test_urls_ports_case_and_idn_entries(block_file):
    f = DomainFilter(block_list=block_file)
    assert f.filter(doc("HTTPS://WWW.Tracker.NET:8080/other")).reason == "blocked_subdomain"
    assert f.filter(doc("https://bücher.de/")).reason == "blocked_domain"
    assert f.filter(doc("https://xn--bcher-kva.de/")).reason == "blocked_domain"


def test_allow_list_carves_exceptions_and_only_allowed_mode(tmp_path, block_file):
    allow = tmp_path / "allow.txt"
    allow.write_text("good.badsite.org\n", encoding="utf-8")
    f = DomainFilter(block_list=block_file, allow_list=str(allow))
    assert f.filter(doc("https://good.badsite.org/")).keep
    assert f.filter(doc("https://x.good.badsite.org/")).keep
    assert f.filter(doc("https://evil.badsite.org/")).reason == "blocked_domain"
    only = DomainFilter(allow_domains=["wikipedia.org"], only_allowed=True)
    assert only.filter(doc("https://en.wikipedia.org/wiki/X")).keep
    assert only.filter(doc("https://example.com/")).reason == "domain_not_allowed"
    with pytest.raises(ParameterError, match="'only_allowed'"):
        DomainFilter(only_allowed=True)


def test_documents_without_url():
    assert DomainFilter(block_domains=["a.com"]).filter({"text": "x"}).keep
    assert DomainFilter(block_domains=["a.com"], drop_without_url=True).filter({"text": "x"}).reason == "no_url"
    assert DomainFilter().filter(doc("http://[bad")).keep


def test_document_domain_is_used_when_present():
    d = Document(id="1", text="x", source="s", url="https://a.b.example.co.uk/", domain="example.co.uk")
    assert DomainFilter(block_domains=["example.co.uk"]).filter(d).reason == "blocked_domain"


def test_missing_list_file_names_the_parameter(tmp_path):
    with pytest.raises(ParameterError, match="'block_list'"):
        DomainFilter(block_list=str(tmp_path / "nope.txt"))
    with pytest.raises(ParameterError, match="'block_domains'"):
        DomainFilter(block_domains=["http://"])


def test_url_filter_exact_urls_and_banned_words(tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("https://Example.com/Bad/Page/\n# comment\n", encoding="utf-8")
    f = UrlFilter(url_list=str(urls), banned_words=["casino"], block_domains=["spam.net"])
    assert f.filter(doc("https://example.com/Bad/Page#section")).reason == "blocked_url"
    assert f.filter(doc("https://example.com/Bad/Page/other")).keep
    assert f.filter(doc("https://example.com/best-casino-online")).reason == "banned_url_word"
    assert f.filter(doc("https://example.com/casinos")).keep  # whole words only
    assert f.filter(doc("https://spam.net/")).reason == "blocked_domain"
    assert f.name == "url" and DomainFilter.name == "domain"
