"""Sites on shared platforms are their own domain (the public-suffix list's private section), URLs
that are not URLs have none, and the statistics count the documents without one."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from curation import suffixes
from curation.document import Document, registered_domain, url_host
from curation_cli.stats import add_stats_parser, run_stats
from filters import DomainFilter


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://alice.github.io/post", "alice.github.io"),
        ("https://www.alice.github.io/", "alice.github.io"),
        ("https://myrightword.blogspot.com/2020/01/x.html", "myrightword.blogspot.com"),
        ("https://docs.readthedocs.io/en/latest/", "docs.readthedocs.io"),
        ("https://my-app.vercel.app/", "my-app.vercel.app"),
        ("https://bucket.s3.amazonaws.com/key", "bucket.s3.amazonaws.com"),
        ("https://lotar.altervista.org/", "lotar.altervista.org"),
        # the platform's own site is its registered domain under the ICANN suffix
        ("https://github.io/", "github.io"),
        ("https://blogspot.com/", "blogspot.com"),
        ("https://github.com/user/repo", "github.com"),
    ],
)
def test_platform_sites_are_their_own_domain(url, domain):
    assert registered_domain(url) == domain


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://news.bbc.co.uk/story", "bbc.co.uk"),
        ("https://shop.example.com.au/", "example.com.au"),
        ("http://www.example.com:8080/a?b=c", "example.com"),
        ("HTTPS://WWW.EXAMPLE.ORG/", "example.org"),
        ("http://user:secret@Mail.Example.com.:8080/x", "example.com"),
        ("https://example.com./", "example.com"),
        ("  https://example.com/\n", "example.com"),
        ("ftp://ftp.gnu.org/pub/", "gnu.org"),
        ("//cdn.example.net/lib.js", "example.net"),
        ("example.com/a/b", "example.com"),
        ("example.com:8080/a", "example.com"),
        ("www.example.com//double/slash", "example.com"),
        ("http://192.168.0.1/x", "192.168.0.1"),
        ("http://[2001:db8::1]:8080/x", "2001:db8::1"),
        ("http://localhost:8000/", "localhost"),
        ("http://bücher.de/", "bücher.de"),
        ("http://xn--bcher-kva.de/", "xn--bcher-kva.de"),
        ("http://例子.中国/", "例子.中国"),
        ("https://ภาษาไทย.ไทย/", "ภาษาไทย.ไทย"),  # labels with combining marks
        ("https://some_host.example.com/", "example.com"),
        ("https://x.wordpress.com/", "wordpress.com"),  # not in the public-suffix list
    ],
)
def test_real_urls_and_icann_domains_unchanged(url, domain):
    assert registered_domain(url) == domain


@pytest.mark.parametrize(
    "url",
    [
        "hard::dw.com.colonial.html",
        "recall::elnuevoherald.com-miami.html",
        "xhttps://www.zoo-berlin.de/de/aktuelles",
        "mailto:someone@example.com",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "someone@example.com",
        "http:/example.com",
        "http://",
        "http:///path",
        "http://:80/",
        "http://foo bar.com/",
        "http://exa$mple.com/",
        "http://a..b.com/",
        "http://example.com:99999/",
        "http://example.com:http/",
        "http://1.2.3.999/",
        "http://[broken",
        "http://[not:an:ip:address:at:all:x:y:z]/",
        "not a url at all",
    ],
)
def test_pseudo_urls_give_no_domain(url):
    assert registered_domain(url) is None


def test_bare_host_of_a_private_suffix():
    assert registered_domain("github.io") == "github.io"
    assert registered_domain("co.uk") is None and registered_domain("com") is None


def test_url_host_keeps_every_real_host_form():
    assert url_host("HTTP://User@WWW.Example.COM.:80/x") == "www.example.com"
    assert url_host("http://[::1]/") == "::1"
    assert url_host("hard::dw.com.colonial.html") is None


def test_the_bundled_snapshot_has_the_private_section():
    extractor = suffixes.extractor()
    assert extractor.suffix_list_urls == () and extractor.include_psl_private_domains
    assert extractor("alice.github.io").suffix == "github.io"
    assert extractor("x.blogspot.com").suffix == "blogspot.com"
    assert suffixes.registered_domain("alice.github.io") == "alice.github.io"
    assert suffixes.registered_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert suffixes.registered_domain("github.io") == "github.io"


def test_public_suffix_for_email_addresses():
    assert suffixes.has_public_suffix("x.github.io")
    assert suffixes.has_public_suffix("github.io")  # a name under `io`, as `github.com` is under `com`
    assert suffixes.has_public_suffix("bbc.co.uk")
    assert not suffixes.has_public_suffix("co.uk")
    assert not suffixes.has_public_suffix("com")
    assert not suffixes.has_public_suffix("localhost")
    from curation.pii.recognizers import WEB_EMAIL  # the e-mail recognizer's validator uses it

    validate = WEB_EMAIL.patterns[0].validate
    assert validate is not None
    assert validate("alice@alice.github.io") and validate("alice@github.io")
    assert not validate("alice@localhost")


def test_the_filters_bare_host_path():
    # A dict has no domain of its own: the filter takes the host and asks for `//host`'s domain.
    assert registered_domain("//alice.github.io") == "alice.github.io"
    assert registered_domain("//xn--bcher-kva.de") == "xn--bcher-kva.de"
    f = DomainFilter(block_domains=["alice.github.io"])
    blocked = f.filter({"text": "x", "url": "https://alice.github.io/about"})
    assert not blocked.keep and blocked.reason == "blocked_domain"
    assert blocked.signals["domain"] == "alice.github.io"
    deeper = f.filter({"text": "x", "url": "https://www.alice.github.io/"})
    assert deeper.reason == "blocked_domain" and deeper.signals["domain"] == "alice.github.io"
    kept = f.filter({"text": "x", "url": "bob.github.io/page"})  # a bare host as the url
    assert kept.keep and kept.signals["domain"] == "bob.github.io"
    platform = DomainFilter(block_domains=["github.io"])
    result = platform.filter({"text": "x", "url": "https://alice.github.io/"})
    assert result.reason == "blocked_domain"  # an entry above the site's domain
    subdomain = DomainFilter(block_domains=["www.alice.github.io"])
    assert subdomain.filter({"text": "x", "url": "https://www.alice.github.io/"}).reason == "blocked_subdomain"
    document = Document(
        "1", "x", "src", url="https://carol.github.io/", domain=registered_domain("https://carol.github.io/")
    )
    assert DomainFilter().filter(document).signals["domain"] == "carol.github.io"


def _stats(tmp_path: Path, *inputs: str) -> dict:
    parser = argparse.ArgumentParser(prog="curation")
    add_stats_parser(parser.add_subparsers(dest="command", required=True))
    target = tmp_path / "stats.json"
    assert run_stats(parser.parse_args(["stats", *inputs, "--json", str(target)])) == 0
    return json.loads(target.read_text())


URLS = [
    "https://alice.github.io/a",
    "https://alice.github.io/b",
    "https://bob.github.io/",
    "https://news.bbc.co.uk/x",
    "hard::dw.com.colonial.html",
    "xhttps://www.zoo-berlin.de/x",
    None,
]


def test_stats_count_documents_without_a_domain_raw(tmp_path, capsys):
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps({"id": str(i), "text": "some words here", "url": url}) + "\n"
                            for i, url in enumerate(URLS)))  # fmt: skip
    stats = _stats(tmp_path, str(path))
    printed = capsys.readouterr().out
    domains = stats["domains"]
    assert domains["without_domain"] == 3
    by_documents = {row["domain"]: row["documents"] for row in domains["top_by_documents"]}
    assert by_documents == {"alice.github.io": 2, "bob.github.io": 1, "bbc.co.uk": 1, None: 3}
    assert domains["distinct"] == 4  # the three domains and the missing one
    line = next(line for line in printed.splitlines() if "without a domain" in line)
    assert line.split()[-1] == "3"


def test_stats_count_documents_without_a_domain_parquet(tmp_path, capsys):
    domains = [registered_domain(url) for url in URLS]
    pq.write_table(pa.table({"text": ["a b c"] * len(URLS), "domain": domains}), tmp_path / "docs.parquet")
    stats = _stats(tmp_path, str(tmp_path / "docs.parquet"))
    assert stats["domains"]["without_domain"] == 3
    assert "without a domain" in capsys.readouterr().out
    pq.write_table(pa.table({"text": ["a b c"]}), tmp_path / "nodomain.parquet")
    stats = _stats(tmp_path, str(tmp_path / "nodomain.parquet"))
    assert stats["domains"] is None
    assert "without a domain" not in capsys.readouterr().out
