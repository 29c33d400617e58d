"""`curation stats --safety`: pronoun and identity shares checked against a plain per-document
recomputation, the JSON keys, the CLI on an output directory and on raw JSONL, and `--compare`."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from conftest import run_job, write_jsonl

from curation.stats import ScanOptions, compute_stats, open_corpus
from curation.stats.safety import AXES, Words, _load, safety_shift, words_of_text
from curation.synth import generate
from curation_cli.main import main

HAND_MADE = [
    "She said her cat was hers. HE laughed at himself.",
    "They told them: their idea, theirs alone; themself too.",
    "Shelter and heresy and hisses and theyre: no pronoun here.",
    "The African-American and Native American communities; a Muslim family; a gay couple.",
    "White paper, black cat, straight line.",
    "Elle a dit qu'il viendra; ils et elles aussi.",  # French
    "Ella y él; ellos y su casa.",  # Spanish
    "",
    "Catholic CATHOLICS roman catholic jehovah\u2019s witnesses, LGBTQ+ people, non-binary and trans-female.",
]
LANGUAGES = ["en", "en", "en", "en", "en", "fr", "es", "en", "en"]


def _terms(language: str) -> tuple[dict[tuple[str, ...], tuple[str, str]], int]:
    """Every listed term as its words -> (kind key, name), from the data files directly."""
    pronouns, identities = _load("pronouns.json"), _load("identities.json")
    terms: dict[tuple[str, ...], tuple[str, str]] = {}
    for group, forms in pronouns["languages"].get(language, {}).items():
        for form in forms:
            terms[tuple(re.findall(r"\w+", form.lower()))] = ("pronoun", group)
    if language == "en":
        for axis in AXES:
            for term, forms in identities["axes"][axis]["terms"].items():
                for form in (term, *forms):
                    terms[tuple(re.findall(r"\w+", form.lower()))] = (axis, term)
    return terms, max(len(words) for words in terms)


def _found(text: str, language: str) -> set[tuple[str, str]]:
    """Plain recomputation: the document's words (Python's `\\w+`), longest listed run first."""
    terms, longest = _terms(language)
    words = re.findall(r"\w+", text.lower())
    found, at = set(), 0
    while at < len(words):
        for n in range(longest, 0, -1):
            if tuple(words[at : at + n]) in terms:
                found.add(terms[tuple(words[at : at + n])])
                at += n
                break
        else:
            at += 1
    return found


def _expected(texts: list[str], languages: list[str]) -> dict:
    pronouns: dict[str, int] = {}
    terms: dict[tuple[str, str], int] = {}
    axes: dict[str, int] = {}
    covered = {code: 0 for code in ("en", "fr", "es")}
    for text, language in zip(texts, languages, strict=True):
        if language not in covered:
            continue
        covered[language] += 1
        found = _found(text, language)
        for kind, name in found:
            if kind == "pronoun":
                pronouns[name] = pronouns.get(name, 0) + 1
            else:
                terms[(kind, name)] = terms.get((kind, name), 0) + 1
        for axis in {kind for kind, _ in found if kind != "pronoun"}:
            axes[axis] = axes.get(axis, 0) + 1
    return {"pronouns": pronouns, "terms": terms, "axes": axes, "covered": covered}


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], list[str]]:
    rows = list(generate(300, seed=1))
    texts = [row["text"] for row in rows] + HAND_MADE
    languages = [row.get("language") or "en" for row in rows] + LANGUAGES
    return texts, languages


def _shards(tmp_path: Path, texts: list[str], languages: list[str] | None) -> Path:
    columns: dict = {"id": [f"doc-{i}" for i in range(len(texts))], "text": texts}
    if languages is not None:
        columns["language"] = languages
        columns["language_score"] = [0.9] * len(texts)
    path = tmp_path / "shards"
    path.mkdir(exist_ok=True)
    table = pa.table(columns)
    pq.write_table(table.slice(0, 120), path / "a.parquet")  # two files: results must not depend on batches
    pq.write_table(table.slice(120), path / "b.parquet", row_group_size=50)
    return path


def test_words_cut_like_python_word_regex(corpus):
    texts, _ = corpus
    for text in texts + HAND_MADE:
        assert words_of_text(text.lower()) == re.findall(r"\w+", text.lower())


def test_pronoun_and_identity_shares_match_recomputation(tmp_path, corpus):
    texts, languages = corpus
    stats = compute_stats(open_corpus([str(_shards(tmp_path, texts, languages))]), ScanOptions(safety=True, top=1000))
    safety = stats["safety"]
    expected = _expected(texts, languages)
    covered = sum(expected["covered"].values())
    pronouns = safety["pronouns"]
    assert pronouns["documents"] == covered
    assert pronouns["documents_not_covered"] == len(texts) - covered
    for group in ("she", "he", "they"):
        assert pronouns["counts"][group] == expected["pronouns"].get(group, 0), group
        assert pronouns[group] == pytest.approx(expected["pronouns"].get(group, 0) / covered)
    by_language = pronouns["by_language"]
    assert set(pronouns["languages_covered"]) == {code for code, n in expected["covered"].items() if n}
    assert by_language["fr"]["counts"]["she"] >= 1 and by_language["es"]["counts"]["he"] >= 1
    english = expected["covered"]["en"]
    axes = safety["identity_axes"]
    assert axes["documents"] == english
    for axis in AXES:
        assert axes["axes"][axis]["documents"] == expected["axes"].get(axis, 0), axis
        wanted = {term: n for (a, term), n in expected["terms"].items() if a == axis}
        assert axes["axes"][axis]["terms"] == wanted, axis
        for term, share in safety["identities"][axis].items():
            assert share == pytest.approx(wanted[term] / english)


def test_hand_made_documents():
    found = [_found(text, language) for text, language in zip(HAND_MADE, LANGUAGES, strict=True)]
    assert {("pronoun", "she"), ("pronoun", "he")} <= found[0]
    assert found[1] == {("pronoun", "they")}
    assert found[2] == set()  # shelter, heresy, hisses, theyre: not whole words
    assert ("race_and_ethnicity", "african-american") in found[3] and ("nationality", "american") not in found[3]
    assert ("race_and_ethnicity", "native american") in found[3] and ("sexual_orientation", "gay") in found[3]
    table = pa.table({"text": HAND_MADE, "language": LANGUAGES})
    from curation.stats.safety import SafetyStats

    safety = SafetyStats(toxicity=False)
    safety.add(table.to_batches()[0])
    result = safety.to_dict()
    assert result["identity_axes"]["axes"]["religion"]["terms"] == {
        "catholic": 1,
        "jehovah's witness": 1,
        "muslim": 1,
        "roman catholic": 1,
    }
    assert result["identity_axes"]["axes"]["gender_and_sex"]["terms"] == {"nonbinary": 1, "trans female": 1}
    assert result["identity_axes"]["axes"]["sexual_orientation"]["terms"] == {"gay": 1, "lgbtq": 1, "straight": 1}
    race = result["identity_axes"]["axes"]["race_and_ethnicity"]
    assert race["documents"] == 2 and race["documents_unambiguous"] == 1  # white and black only: ambiguous
    assert result["pronouns"]["by_language"]["fr"]["counts"] == {"she": 1, "he": 1, "they": 0}
    assert result["pronouns"]["by_language"]["es"]["counts"] == {"she": 1, "he": 1, "they": 1}
    assert result["toxicity"] is None


def test_json_keys_and_toxicity(tmp_path, corpus):
    texts, _ = corpus
    texts = [*texts[:100], "you are an idiot and a stupid moron, shut up you idiot"]
    stats = compute_stats(open_corpus([str(_shards(tmp_path, texts, None))]), ScanOptions(safety=True))
    safety = stats["safety"]
    assert {"pronouns", "identities", "toxicity", "languages", "personal_data"} <= set(safety)
    assert {"she", "he", "they", "documents", "languages_covered"} <= set(safety["pronouns"])
    assert set(safety["identities"]) == set(AXES)
    assert all(len(terms) <= 10 for terms in safety["identities"].values())
    toxicity = safety["toxicity"]
    assert {"share_at_or_above_0_5", "histogram", "most_toxic", "mean"} <= set(toxicity)
    assert sum(toxicity["histogram"]["counts"]) == len(texts) == toxicity["documents"]
    assert len(toxicity["histogram"]["counts"]) == 20
    top = toxicity["most_toxic"]
    assert len(top) == 20 and top[0]["id"] == f"doc-{len(texts) - 1}" and top[0]["score"] >= 0.5
    assert [row["score"] for row in top] == sorted((row["score"] for row in top), reverse=True)
    assert all(set(row) == {"id", "position", "score"} for row in top)  # never text
    assert toxicity["share_at_or_above_0_5"] == pytest.approx(toxicity["toxic_documents"] / len(texts))
    # no language column: identified with fastText, English lists on English documents
    assert safety["language_identification"]["source"].startswith("fastText")
    assert safety["languages"] and abs(sum(safety["languages"].values()) - 1) < 1e-9
    assert safety["personal_data"]["dropped_domains"] is None
    json.dumps(stats, allow_nan=False)


def test_lid_threshold_makes_unknown(tmp_path):
    table = pa.table(
        {"text": ["a", "b", "c", "d"], "language": ["en", "fr", "en", None], "language_score": [0.9, 0.4, 0.6, None]}
    )
    pq.write_table(table, tmp_path / "x.parquet")
    options = ScanOptions(safety=True, lid_threshold=0.65, toxicity=False)
    stats = compute_stats(open_corpus([str(tmp_path / "x.parquet")]), options)
    assert stats["safety"]["languages"] == {"unknown": 0.75, "en": 0.25}


@pytest.fixture(scope="module")
def raw_and_output(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("safety")
    rows = [
        {"id": row["id"], "text": row["text"], "url": row["url"]}
        for row in itertools.islice(generate(200, seed=3), 200)
    ]
    (root / "raw").mkdir()
    raw = write_jsonl(root / "raw" / "web.jsonl", rows)
    out = root / "out"
    run_job({"input": {"paths": [str(raw)]}, "output": {"path": str(out)}, "shards": {"tokens_per_shard": 40000}})
    return raw, out


def _cli_json(capsys, *argv: str) -> dict:
    capsys.readouterr()
    assert main(["stats", *argv, "--quiet", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_on_output_and_raw(capsys, raw_and_output):
    raw, out = raw_and_output
    output = _cli_json(capsys, str(out), "--safety", "--top", "3")
    assert output["safety"]["language_identification"]["source"] == "language column"
    assert all(len(terms) <= 3 for terms in output["safety"]["identities"].values())
    dropped = output["safety"]["personal_data"]["dropped_domains"]
    assert dropped is not None and "listed" in dropped
    from_raw = _cli_json(capsys, str(raw), "--safety")
    assert from_raw["kind"] == "raw" and from_raw["safety"]["documents"] == 200
    assert from_raw["safety"]["toxicity"]["most_toxic"][0]["id"]
    assert "safety" not in _cli_json(capsys, str(raw))
    capsys.readouterr()
    assert main(["stats", str(out), "--safety", "--quiet"]) == 0
    printed = capsys.readouterr().out
    for title in ("Safety: pronouns", "Safety: identity terms", "Safety: toxicity", "Safety: languages"):
        assert title in printed


def test_compare_shift(capsys, raw_and_output):
    raw, out = raw_and_output
    document = _cli_json(capsys, "--safety", "--compare", str(raw), str(out))
    shift = document["safety_shift"]
    a, b = document["compare"]["a"]["safety"], document["compare"]["b"]["safety"]
    assert shift == safety_shift(a, b)
    assert shift["pronouns"]["she"]["change"] == pytest.approx(b["pronouns"]["she"] - a["pronouns"]["she"])
    assert set(shift["identities"]) == set(AXES)
    assert {"share_at_or_above_0_5", "mean"} == set(shift["toxicity"])
    capsys.readouterr()
    assert main(["stats", "--safety", "--compare", str(raw), str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "Safety shift: pronouns" in printed and "Safety shift: languages" in printed


def test_words_of_a_batch_never_cross_documents():
    texts = ["she", "he", "", "her", "x she"]
    array = pa.array(texts)
    from curation.stats.measures import _string_buffers

    offsets, data = _string_buffers(array)
    words = Words.of(offsets, data)
    assert words.rows.tolist() == [0, 1, 3, 4, 4]
    assert words.lengths.tolist() == [3, 2, 3, 1, 3]


def test_word_boundaries_on_tricky_text():
    """Apostrophes, hyphens, digits, `_`, non-ASCII letters and punctuation, and documents that
    end and start inside a word: cut as Python's `\\w+` and matched as the recomputation."""
    texts = [
        "she's he-him they're them_ 3he he3 l'elle",
        "\u00e9l ELLA \u00c9L naïve ÉLLOS ellos\u00d7ella\u00f7él",  # Spanish, with multiplication / division signs
        "gay\u2019s lgbtq+ non-binary trans-female native-american",
        "\u00a0she\u2003he\u3000they\ufeffthem\uff01her\uff21",  # no-break, em and ideographic spaces, BOM
        "she",
        "he",  # a document that starts right after one ending in a word character
        "x",
    ]
    every_ascii = "".join(chr(code) for code in range(1, 128)) + " A Z a z 0 9 _"
    for text in [*texts, every_ascii, every_ascii.lower()]:
        assert words_of_text(text.lower()) == re.findall(r"\w+", text.lower()), text
        assert words_of_text(text) == re.findall(r"\w+", text), text
    from curation.stats.measures import _string_buffers

    offsets, data = _string_buffers(pc.utf8_lower(pa.array(texts)))
    words = Words.of(offsets, data)
    raw = data.tobytes()
    cut = [[] for _ in texts]
    for start, length, row in zip(words.starts.tolist(), words.lengths.tolist(), words.rows.tolist(), strict=True):
        cut[row].append(raw[start : start + length].decode())
    assert cut == [re.findall(r"\w+", text.lower()) for text in texts]
    languages = ["en", "es", "en", "en", "en", "en", "en"]
    from curation.stats.safety import SafetyStats

    safety = SafetyStats(toxicity=False)
    safety.add(pa.table({"text": texts, "language": languages}).to_batches()[0])
    result = safety.to_dict()
    expected = _expected(texts, languages)
    assert result["pronouns"]["by_language"]["es"]["counts"]["he"] == 1
    for group in ("she", "he", "they"):
        assert result["pronouns"]["counts"][group] == expected["pronouns"].get(group, 0), group
    for axis in AXES:
        wanted = {term: n for (a, term), n in expected["terms"].items() if a == axis}
        assert result["identity_axes"]["axes"][axis]["terms"] == wanted, axis
