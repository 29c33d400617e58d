"""Personal data in every field: the url after its host and every metadata string, not only the text."""

from __future__ import annotations

import json
import pickle
import re
from urllib.parse import unquote, urlsplit

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from conftest import run_job, write_jsonl

from beam_jobs.pii import AnonymizePii
from beam_jobs.tags import DROPPED
from curation.config import ConfigError, PiiConfig, parse_config
from curation.document import Document, PiiSpan, registered_domain, url_host
from curation.pii import Anonymizer, PiiDetector
from curation.pii.domains import summarize
from curation.pii.fields import (
    UrlView,
    anonymize_document,
    anonymize_url,
    detect_fields,
    field_texts,
    field_values,
    metadata_strings,
    url_tail_start,
)

OPTIONS = PipelineOptions(["--runner=DirectRunner", "--direct_running_mode=in_memory"])
EMAIL, PHONE = "jane.roe@example.com", "+1-780-563-6083"
URL = "https://shop.example.com/account?email=jane.roe%40example.com&phone=%2B1-780-563-6083"
METADATA = {
    "author": {"contact": {"email": EMAIL, "phone": PHONE}, "name": "J. R.", "age": 41},
    "tags": ["news", f"write {EMAIL}", 3, None, True, 2.5],
    "title": "A quiet week",
}


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return PiiDetector()


@pytest.fixture(scope="module")
def anonymizer() -> Anonymizer:
    return Anonymizer(PiiConfig())


def scrub(doc: Document, detector: PiiDetector, anonymizer: Anonymizer, fields=("text", "url", "metadata")) -> Document:
    [(text_spans, field_spans)] = detect_fields(detector, [doc], fields)
    return anonymize_document(
        anonymizer, Document(**{**doc.__dict__, "pii_spans": text_spans, "pii_field_spans": field_spans})
    )


def same_url_parts(before: str, after: str) -> None:
    old, new = urlsplit(before), urlsplit(after)
    assert (new.scheme, new.netloc, url_host(after)) == (old.scheme, old.netloc, url_host(before))
    assert not re.search(r"[\s<>\"]", after)  # nothing a url may not hold unquoted


# --- the url ------------------------------------------------------------------------------------


def test_url_view_decodes_escapes_reads_delimiters_as_spaces_and_maps_back():
    view = UrlView.of(URL)
    assert view.start == len("https://shop.example.com")
    assert view.text == " account email jane.roe@example.com phone +1-780-563-6083"
    assert view.value == "/account?email=jane.roe@example.com&phone=+1-780-563-6083"
    start = view.text.index(EMAIL)
    first, last = view.original_span(start, start + len(EMAIL))
    assert URL[first:last] == "jane.roe%40example.com"
    odd = UrlView.of("https://h.example/caf%C3%A9%ZZ%C3/x%2Fy")
    assert odd.value == "/café%ZZ%C3/x/y" and odd.text == " café%ZZ%C3 x/y"  # an escaped `/` is data


@pytest.mark.parametrize(
    ("url", "tail"),
    [
        ("https://a.example.com:8443/p?q#f", "/p?q#f"),
        ("//a.example.com/p", "/p"),
        ("a.example.com/contact?x=1", "/contact?x=1"),
        ("https://a.example.com", ""),
        ("mailto:jane@example.com", "jane@example.com"),
    ],
)
def test_url_tail_is_what_follows_the_host(url, tail):
    assert url[url_tail_start(url) :] == tail


def test_url_pii_is_replaced_quoted_and_the_rest_kept(detector, anonymizer):
    doc = scrub(Document(id="u", text="nothing here", source="s", url=URL), detector, anonymizer)
    assert doc.url == "https://shop.example.com/account?email=%3CEMAIL_ADDRESS%3E&phone=%3CPHONE_NUMBER%3E"
    same_url_parts(URL, doc.url)
    assert doc.pii_field_redactions == {"url": {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}}
    assert doc.pii_redactions == {} and doc.pii_spans is None and doc.pii_field_spans is None


@pytest.mark.parametrize(
    "url",
    [
        "https://people.example.org/users/jane.roe@example.com/profile",
        "http://jane.example.net:8080/contact/+1-780-563-6083#jane.roe%40example.com",
        "example.com/write?to=jane.roe@example.com",
        "https://x.example/?q=caf%C3%A9&mail=jane.roe%40example.com&empty=&=x",
    ],
)
def test_urls_stay_valid_with_scheme_and_host(url, detector, anonymizer):
    doc = scrub(Document(id="u", text="t", source="s", url=url), detector, anonymizer)
    same_url_parts(url, doc.url)
    assert EMAIL not in unquote(doc.url) and "780-563" not in unquote(doc.url)
    assert "%3CEMAIL_ADDRESS%3E" in doc.url


def test_a_url_without_personal_data_is_left_as_it_is(detector, anonymizer):
    for url in ["https://www.example.com/2016/04/13/oil-changes/?utm=a%20b&x=%7E", "https://example.com", None]:
        doc = scrub(Document(id="u", text="t", source="s", url=url), detector, anonymizer)
        assert doc.url == url and doc.pii_field_redactions == {}


def test_url_spans_never_swallow_a_delimiter():
    class Everything:
        def anonymize(self, text, spans):
            return "X", {"EMAIL_ADDRESS": 1}

    url = "https://a.example/ab?cd"
    view = UrlView.of(url)
    whole = PiiSpan(0, len(view.text), "EMAIL_ADDRESS", 1.0)  # starts on the path's `/`
    new, counts = anonymize_url(Everything(), url, [whole])
    assert new == "https://a.example/X" and counts == {"EMAIL_ADDRESS": 1}
    same_url_parts(url, new)


# --- metadata -----------------------------------------------------------------------------------


def test_metadata_paths_nested_dicts_and_lists():
    paths = dict(metadata_strings(METADATA))
    assert paths == {
        "metadata.author.contact.email": EMAIL,
        "metadata.author.contact.phone": PHONE,
        "metadata.author.name": "J. R.",
        "metadata.tags.0": "news",
        "metadata.tags.1": f"write {EMAIL}",
        "metadata.title": "A quiet week",
    }
    assert list(dict(metadata_strings({"a.b": "x", "a": {"b": "y"}, "c\\": "z"}))) == [
        "metadata.a\\.b",
        "metadata.a.b",
        "metadata.c\\\\",
    ]


def test_metadata_strings_anonymized_keys_order_and_non_strings_kept(detector, anonymizer):
    doc = scrub(Document(id="m", text="t", source="s", metadata=METADATA), detector, anonymizer)
    assert doc.metadata == {
        "author": {"contact": {"email": "<EMAIL_ADDRESS>", "phone": "<PHONE_NUMBER>"}, "name": "J. R.", "age": 41},
        "tags": ["news", "write <EMAIL_ADDRESS>", 3, None, True, 2.5],
        "title": "A quiet week",
    }
    assert list(doc.metadata) == list(METADATA) and list(doc.metadata["author"]) == list(METADATA["author"])
    assert METADATA["author"]["contact"]["email"] == EMAIL  # the input is not changed in place
    assert doc.pii_field_redactions == {
        "metadata.author.contact.email": {"EMAIL_ADDRESS": 1},
        "metadata.author.contact.phone": {"PHONE_NUMBER": 1},
        "metadata.tags.1": {"EMAIL_ADDRESS": 1},
    }
    clean = {"n": 1, "tags": ["a", "b"], "nested": {"x": [None, {"y": "plain words"}]}}
    same = scrub(Document(id="c", text="t", source="s", metadata=clean), detector, anonymizer)
    assert same.metadata is clean


# --- the document -------------------------------------------------------------------------------


def planted() -> Document:
    return Document(id="d", text=f"Mail {EMAIL} today.", source="s", url=URL, metadata=METADATA, language="en")


def test_field_texts_in_order_and_only_configured_fields():
    doc = planted()
    assert [f.path for f in field_texts(doc)] == [
        "text",
        "url",
        *(path for path, _ in metadata_strings(METADATA)),
    ]
    assert [f.path for f in field_texts(doc, ["text"])] == ["text"]
    assert next(f.path for f in field_texts(doc, ["url", "metadata"])) == "url"


def test_text_only_leaves_url_and_metadata_alone(detector, anonymizer):
    doc = scrub(planted(), detector, anonymizer, fields=["text"])
    assert doc.url == URL and doc.metadata == METADATA
    assert doc.text == "Mail <EMAIL_ADDRESS> today." and doc.pii_field_redactions == {}
    row = doc.to_row()
    assert row["url"] == URL and json.loads(row["metadata"]) == METADATA
    assert row["pii_redactions"] == [{"field": "text", "entity_type": "EMAIL_ADDRESS", "count": 1}]
    assert PiiConfig(fields=["text"]).fields == ["text"] and PiiConfig().fields == ["text", "url", "metadata"]


def test_whole_document_rows_name_the_fields_and_keep_nothing_detected(detector, anonymizer):
    first, second = (scrub(planted(), detector, anonymizer) for _ in range(2))
    assert first == second  # deterministic
    row = first.to_row()
    assert [(r["field"], r["entity_type"]) for r in row["pii_redactions"]] == [
        ("text", "EMAIL_ADDRESS"),
        ("url", "EMAIL_ADDRESS"),
        ("url", "PHONE_NUMBER"),
        ("metadata.author.contact.email", "EMAIL_ADDRESS"),
        ("metadata.author.contact.phone", "PHONE_NUMBER"),
        ("metadata.tags.1", "EMAIL_ADDRESS"),
    ]
    everything = unquote(json.dumps(row))
    assert EMAIL not in everything and "780-563-6083" not in everything
    assert pickle.loads(pickle.dumps(first)) == first


def test_scanned_document_pickles_and_domain_scores_count_every_field(detector):
    doc = planted()
    [(text_spans, field_spans)] = detect_fields(detector, [doc])
    scanned = Document(**{**doc.__dict__, "pii_spans": text_spans, "pii_field_spans": field_spans})
    assert pickle.loads(pickle.dumps(scanned)) == scanned
    summary = summarize(scanned.text, text_spans, field_values(scanned))
    assert dict(summary.spans) == {"EMAIL_ADDRESS": 4, "PHONE_NUMBER": 2}  # text, url, 2 in metadata
    assert len(summary.emails) == 1 and len(summary.phones) == 1  # one person, one value each
    assert summary.words == summarize(scanned.text, text_spans).words  # words: the text's only


def test_unknown_field_is_refused_at_load():
    with pytest.raises(ConfigError, match=r"pii\.fields"):
        parse_config({"pii": {"fields": ["text", "title"]}})


def test_a_field_detection_cannot_read_drops_its_document_without_its_values(monkeypatch, tmp_path):
    real = PiiDetector.detect_batch

    def failing(self, texts, languages=None, regions=None):
        if any("boom" in text for text in texts):
            raise RuntimeError(f"cannot read {list(texts)}")
        return real(self, texts, languages)

    monkeypatch.setattr(PiiDetector, "detect_batch", failing)
    docs = [
        Document(id="bad", text="Fine text.", source="t", metadata={"note": f"boom {EMAIL}"}),
        Document(id="good", text=f"Mail {EMAIL}.", source="t"),
    ]
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs) | AnonymizePii(PiiConfig(), str(tmp_path))
        assert_that(out.documents | beam.Map(lambda d: (d.id, d.text)), equal_to([("good", "Mail <EMAIL_ADDRESS>.")]))
        assert_that(
            out[DROPPED] | beam.Map(lambda d: (d.id, d.reason, d.detail)),
            equal_to([("bad", "pii_error", "personal data detection failed")]),
            label="dropped",
        )


# --- Beam ---------------------------------------------------------------------------------------


def test_stage_anonymizes_url_and_metadata(tmp_path):
    block = tmp_path / "block.txt"
    block.write_text("blocked.example\n")
    docs = [
        Document(id="a", text="Nothing personal.", source="t", url=URL, domain="example.com", metadata=METADATA),
        Document(id="b", text=f"Call {PHONE}.", source="t", url="https://news.example.net/x", domain="example.net"),
        Document(
            id="c",
            text="Blocked.",
            source="t",
            url="https://blocked.example/u/jane.roe%40example.com",
            domain="blocked.example",
        ),
    ]
    config = PiiConfig(domains={"block_list": str(block)})

    def seen(doc):
        return doc.id, doc.url, doc.metadata.get("author", {}).get("contact"), doc.to_row()["pii_redactions"]

    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs) | AnonymizePii(config, str(tmp_path / "out"))
        expected = [
            (
                "a",
                "https://shop.example.com/account?email=%3CEMAIL_ADDRESS%3E&phone=%3CPHONE_NUMBER%3E",
                {"email": "<EMAIL_ADDRESS>", "phone": "<PHONE_NUMBER>"},
                [
                    {"field": "url", "entity_type": "EMAIL_ADDRESS", "count": 1},
                    {"field": "url", "entity_type": "PHONE_NUMBER", "count": 1},
                    {"field": "metadata.author.contact.email", "entity_type": "EMAIL_ADDRESS", "count": 1},
                    {"field": "metadata.author.contact.phone", "entity_type": "PHONE_NUMBER", "count": 1},
                    {"field": "metadata.tags.1", "entity_type": "EMAIL_ADDRESS", "count": 1},
                ],
            ),
            ("b", "https://news.example.net/x", None, [{"field": "text", "entity_type": "PHONE_NUMBER", "count": 1}]),
        ]
        assert_that(out.documents | beam.Map(seen), equal_to(expected))
        assert_that(
            out.documents | "Spans" >> beam.Map(lambda d: (d.pii_spans, d.pii_field_spans)),
            equal_to([(None, None)] * 2),
            label="cleared",
        )
        assert_that(
            out[DROPPED] | beam.Map(lambda d: (d.id, d.reason, d.url)),
            equal_to([("c", "pii_domain", "https://blocked.example/u/%3CEMAIL_ADDRESS%3E")]),
            label="dropped",
        )
    scores = {row["domain"]: row for row in pq.read_table(tmp_path / "out" / "pii_domains.parquet").to_pylist()}
    assert scores["example.com"]["spans"] == 5 and scores["example.com"]["distinct_emails"] == 1


def test_stage_with_text_only_keeps_url_and_metadata(tmp_path):
    docs = [Document(id="a", text=f"Mail {EMAIL}.", source="t", url=URL, domain="example.com", metadata=METADATA)]
    with TestPipeline(options=OPTIONS) as p:
        out = p | beam.Create(docs) | AnonymizePii(PiiConfig(fields=["text"]), str(tmp_path))
        assert_that(
            out.documents | beam.Map(lambda d: (d.text, d.url, d.metadata, d.to_row()["pii_redactions"])),
            equal_to(
                [
                    (
                        "Mail <EMAIL_ADDRESS>.",
                        URL,
                        METADATA,
                        [{"field": "text", "entity_type": "EMAIL_ADDRESS", "count": 1}],
                    )
                ]
            ),
        )


# --- end to end ---------------------------------------------------------------------------------


def test_planted_values_in_urls_and_extra_fields_reach_no_output(tmp_path, caplog):
    import logging

    from curation.stats import ScanOptions, compute_stats, open_corpus

    people = [(f"ann.lee{n}@example.org", f"+1-780-555-01{n:02d}") for n in range(12)]
    records = []
    for n, (email, phone) in enumerate(people):
        quoted = email.replace("@", "%40")
        records.append(
            {
                "id": f"r{n}",
                "text": f"Page {n} about gardening, soil and the seasons; nothing personal at all in {n} words.",
                "url": f"https://www.garden{n}.com/profile/{quoted}?phone={phone.replace('+', '%2B')}#top",
                "author": {"contact": {"email": email, "phones": [phone, "none"]}, "rank": n},
                "notes": f"reach me at {email} or {phone}",
            }
        )
    corpus = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out"
    with caplog.at_level(logging.DEBUG):
        manifest = run_job({"input": {"paths": [str(corpus)]}, "output": {"path": str(out)}, "pii": {"enabled": True}})
    assert manifest["output_documents"] == len(records)
    rows = pq.read_table(out / "data").to_pylist()  # every column
    written = [json.dumps(rows, default=str), caplog.text, (out / "manifest.json").read_text()]
    written += [str(pq.read_table(out / name).to_pylist()) for name in ("dropped", "pii_domains.parquet")]
    for text in written:
        for email, phone in people:
            for form in (email, email.replace("@", "%40"), phone, phone[1:], phone.replace("+", "%2B")):
                assert form not in text and form not in unquote(text)
    for row in rows:
        same_url_parts(records[int(row["id"][1:])]["url"], row["url"])
        assert json.loads(row["metadata"])["author"]["rank"] == int(row["id"][1:])
        fields = {(r["field"], r["entity_type"]) for r in row["pii_redactions"]}
        assert fields == {
            ("url", "EMAIL_ADDRESS"),
            ("url", "PHONE_NUMBER"),
            ("metadata.author.contact.email", "EMAIL_ADDRESS"),
            ("metadata.author.contact.phones.0", "PHONE_NUMBER"),
            ("metadata.notes", "EMAIL_ADDRESS"),
            ("metadata.notes", "PHONE_NUMBER"),
        }
        assert registered_domain(row["url"]) == row["domain"]
    redactions = compute_stats(open_corpus([str(out)]), ScanOptions())["pii_redactions"]
    assert {r["field"]: (r["spans"], r["documents"]) for r in redactions["by_field"]} == {
        "url": (24, 12),
        "metadata": (48, 12),
    }
    assert {r["entity_type"]: r["documents"] for r in redactions["by_type"]} == {
        "EMAIL_ADDRESS": 12,
        "PHONE_NUMBER": 12,
    }
