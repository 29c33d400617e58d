"""The heuristic filters at the edges of their thresholds, on hand-made documents.

Each rule is tested just inside and just outside its published threshold; the other rules of the
same filter are switched off where they would interfere, so a test pins one rule.
"""

from __future__ import annotations

import itertools
import random

import pytest

from curation.document import Document
from filters import (
    C4LineFilter,
    C4QualityFilter,
    FilterResult,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
    LengthFilter,
    ParameterError,
)

_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "du"]
VOCAB = ["".join(p) for p in itertools.product(_SYLLABLES, repeat=3)]  # 1,000 six-letter words


def unique_words(n: int, seed: int = 0, length: int = 6) -> list[str]:
    """n distinct words of `length` letters (a to j, so never an English stop word)."""
    if length == 6:
        return random.Random(seed).sample(VOCAB, n)
    rng = random.Random(seed)
    seen: set[str] = set()
    while len(seen) < n:
        seen.add("".join(rng.choice("abcdefghij") for _ in range(length)))
    return sorted(seen, key=lambda _: rng.random())


def prose(n_words: int, seed: int = 0) -> str:
    """English-looking text of exactly n_words whitespace words: no repeated n-grams beyond 1,
    stop words present, mean word length about 5."""
    rng = random.Random(seed)
    words = []
    stops = ["the", "and", "of", "to"]
    for i in range(n_words):
        words.append(stops[i % 4] if i % 5 == 0 else rng.choice(VOCAB))
    return " ".join(words)


def lines_of(n: int, seed: int = 0, words_per_line: int = 6, end: str = ".") -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(VOCAB, words_per_line)) + end for _ in range(n)]


# --------------------------------------------------------------------------------------------
# The contract


@pytest.mark.parametrize("shape", ["str", "dict", "document"])
def test_every_document_shape_gives_the_same_decision(shape):
    text = prose(49)
    doc = {"str": text, "dict": {"text": text}, "document": Document(id="d", text=text, source="s")}[shape]
    result = GopherQualityFilter().filter(doc)
    assert isinstance(result, FilterResult)
    assert not result and result.keep is False
    assert result.reason == "gopher_short_doc"
    assert result.signals["words"] == 49
    assert result.detail == "words=49 < 50"


def test_filters_never_modify_their_input():
    doc = Document(id="d", text="one two three\n" * 3, source="s")
    before = (doc.text, doc.language)
    C4LineFilter().transform(doc)
    GopherRepetitionFilter().filter(doc)
    assert (doc.text, doc.language) == before
    record = {"text": "x y z", "language": "en"}
    LengthFilter().filter(record)
    assert record == {"text": "x y z", "language": "en"}


def test_unsupported_input_type_is_a_type_error():
    with pytest.raises(TypeError, match="expected a Document"):
        LengthFilter().filter(42)


def test_bad_constructor_values_name_the_parameter():
    with pytest.raises(ParameterError, match="'min_doc_words'") as error:
        GopherQualityFilter(min_doc_words=-1)
    assert error.value.param == "min_doc_words"
    with pytest.raises(ParameterError, match="'dup_line_frac'"):
        GopherRepetitionFilter(dup_line_frac=1.5)
    with pytest.raises(ParameterError, match="'line_punct_thr'"):
        FineWebQualityFilter(line_punct_thr="high")
    with pytest.raises(ParameterError, match="'filter_policy'"):
        C4LineFilter(filter_policy="yes")
    with pytest.raises(ParameterError, match="'max_words'"):
        LengthFilter(min_words=10, max_words=5)


# --------------------------------------------------------------------------------------------
# Gopher quality


def test_gopher_min_words_edge():
    assert GopherQualityFilter().filter(prose(50)).keep
    result = GopherQualityFilter().filter(prose(49))
    assert result.reason == "gopher_short_doc"


def test_gopher_max_words_edge_at_the_published_100000():
    assert GopherQualityFilter().filter(prose(100_000)).keep
    assert GopherQualityFilter().filter(prose(100_001)).reason == "gopher_long_doc"


def test_gopher_symbol_only_tokens_are_not_words():
    text = prose(49) + " — ..."
    result = GopherQualityFilter(max_symbol_word_ratio=None).filter(text)
    assert result.signals["words"] == 49
    assert result.reason == "gopher_short_doc"


def _mean_length_doc(total_chars: int) -> str:
    """50 words, two of them stop words (3 letters), the rest 10 or 11 letters, whose lengths add
    up to total_chars."""
    rest = total_chars - 6
    n_long = rest - 48 * 10  # words of 11 letters
    words = ["the", "and"] + ["b" * 11] * n_long + ["c" * 10] * (48 - n_long)
    return " ".join(words)


def test_gopher_mean_word_length_upper_edge():
    kept = GopherQualityFilter().filter(_mean_length_doc(500))
    assert kept.keep and kept.signals["mean_word_length"] == 10
    dropped = GopherQualityFilter().filter(_mean_length_doc(501))
    assert dropped.reason == "gopher_above_avg_threshold"


def test_gopher_mean_word_length_lower_edge():
    words = ["the", "and"] + ["cat"] * 48
    kept = GopherQualityFilter().filter(" ".join(words))
    assert kept.keep and kept.signals["mean_word_length"] == 3
    words[-1] = "at"
    assert GopherQualityFilter().filter(" ".join(words)).reason == "gopher_below_avg_threshold"


def test_gopher_mean_word_length_ignores_surrounding_punctuation():
    words = ["the", "and"] + ["cat,"] * 24 + ['"dog"'] * 24
    result = GopherQualityFilter().filter(" ".join(words))
    assert result.keep and result.signals["mean_word_length"] == 3


def test_gopher_hash_ratio_edge():
    base = prose(100).split()
    tagged = [("#" + w if i % 10 == 3 else w) for i, w in enumerate(base)]  # 10 hashes
    assert GopherQualityFilter().filter(" ".join(tagged)).signals["hash_ratio"] == 0.1
    assert GopherQualityFilter().filter(" ".join(tagged)).keep
    tagged[4] = "#" + tagged[4]
    assert GopherQualityFilter().filter(" ".join(tagged)).reason == "gopher_too_many_hashes"


def test_gopher_ellipsis_ratio_edge():
    base = prose(100).split()
    marked = [(w + "..." if i % 10 == 3 else w) for i, w in enumerate(base)]
    assert GopherQualityFilter().filter(" ".join(marked)).keep
    marked[4] = marked[4] + "…"
    assert GopherQualityFilter().filter(" ".join(marked)).reason == "gopher_too_many_ellipsis"


def test_gopher_bullet_lines_edge():
    lines = [prose(8, seed=i) for i in range(10)]
    bullets = ["- " + line for line in lines[:9]] + lines[9:]
    result = GopherQualityFilter().filter("\n".join(bullets))
    assert result.keep and result.signals["bullet_lines_ratio"] == 0.9
    all_bullets = ["• " + line for line in lines]
    assert GopherQualityFilter().filter("\n".join(all_bullets)).reason == "gopher_too_many_bullets"


def test_gopher_ellipsis_lines_edge():
    lines = [prose(8, seed=i) for i in range(10)]
    three = [line + "..." if i < 3 else line for i, line in enumerate(lines)]
    result = GopherQualityFilter().filter("\n".join(three))
    assert result.keep and result.signals["ellipsis_lines_ratio"] == 0.3
    four = [line + "…" if i < 4 else line for i, line in enumerate(lines)]
    assert GopherQualityFilter().filter("\n".join(four)).reason == "gopher_too_many_end_ellipsis"


def test_gopher_alpha_words_edge():
    words = prose(100).split()
    numeric = [("1234" if i % 5 == 1 else w) for i, w in enumerate(words)]  # 20 of 100
    result = GopherQualityFilter().filter(" ".join(numeric))
    assert result.keep and result.signals["alpha_words_ratio"] == 0.8
    numeric[2] = "5678"
    assert GopherQualityFilter().filter(" ".join(numeric)).reason == "gopher_below_alpha_threshold"


def test_gopher_stop_words_edge_any_case():
    body = " ".join(unique_words(60))
    assert GopherQualityFilter().filter("The " + body + " and").keep
    result = GopherQualityFilter().filter("The " + body + " THE")
    assert result.reason == "gopher_too_few_stop_words"
    assert result.signals["stop_words"] == 1


def test_gopher_stop_words_only_for_english_or_unknown_language():
    german = " ".join(unique_words(60))  # no English stop words
    assert GopherQualityFilter().filter({"text": german, "language": "de"}).keep
    assert GopherQualityFilter().filter({"text": german}).reason == "gopher_too_few_stop_words"
    assert GopherQualityFilter().filter({"text": german, "language": "en"}).reason == "gopher_too_few_stop_words"
    assert GopherQualityFilter(stop_words_languages=None).filter({"text": german, "language": "de"}).reason == (
        "gopher_too_few_stop_words"
    )


def test_gopher_rules_switch_off_with_none():
    assert GopherQualityFilter(min_doc_words=None, min_stop_words=None).filter("hello world").keep


# --------------------------------------------------------------------------------------------
# Gopher repetition

NO_NGRAMS = {"top_n_grams": None, "dup_n_grams": None}


def test_repetition_duplicate_lines_fraction_edge():
    unique = lines_of(6, seed=1)
    three_repeats = "\n".join([*unique, "ok", "ok", "ok", "ok"])  # 10 lines, 3 repeats
    result = GopherRepetitionFilter(**NO_NGRAMS).filter(three_repeats)
    assert result.keep and result.signals["dup_line_frac"] == 0.3
    four_repeats = "\n".join([*unique, "ok", "ok", "ok", "ok", "ok"])
    assert GopherRepetitionFilter(**NO_NGRAMS).filter(four_repeats).reason == "dup_line_frac"


def _text_of_length(lines: list[str], total: int) -> str:
    """Pad the first line so that the joined text has exactly `total` characters."""
    text = "\n".join(lines)
    missing = total - len(text)
    assert missing >= 0
    return "\n".join([lines[0] + "x" * missing, *lines[1:]])


def test_repetition_duplicate_line_characters_edge():
    repeated = "y" * 200
    lines = [*lines_of(3, seed=2), repeated, repeated]  # one repeat of five lines: 0.2 of lines
    result = GopherRepetitionFilter(**NO_NGRAMS).filter(_text_of_length(lines, 1000))
    assert result.keep and result.signals["dup_line_char_frac"] == 0.2
    longer = "y" * 201
    lines = [*lines_of(3, seed=2), longer, longer]
    assert GopherRepetitionFilter(**NO_NGRAMS).filter(_text_of_length(lines, 1004)).reason == "dup_line_char_frac"


def test_repetition_duplicate_paragraphs_edge():
    paragraphs = lines_of(6, seed=3)
    three = "\n\n".join([*paragraphs, "Same.", "Same.", "Same.", "Same."])  # 10 paragraphs, 3 repeats
    result = GopherRepetitionFilter(**NO_NGRAMS).filter(three)
    assert result.keep and result.signals["dup_para_frac"] == 0.3
    paragraphs = lines_of(6, seed=3)
    four = "\n\n".join([*paragraphs, "Same.", "Same.", "Same.", "Same.", "Same."])
    assert GopherRepetitionFilter(**NO_NGRAMS).filter(four).reason == "dup_para_frac"


def _top_bigram_doc(n_unique: int) -> str:
    """'aa bb' ten times, separated by unique 4-letter words: 40 characters in the top 2-gram."""
    uniques = unique_words(n_unique, seed=5, length=4)
    tokens = []
    for i in range(n_unique):
        if i < 10:
            tokens += ["aa", "bb"]
        tokens.append(uniques[i])
    return " ".join(tokens)


def test_repetition_top_2_gram_edge():
    keep = GopherRepetitionFilter(dup_n_grams=None).filter(_top_bigram_doc(40))  # 40 / (40 + 160)
    assert keep.keep and keep.signals["top_2_gram"] == 0.2
    drop = GopherRepetitionFilter(dup_n_grams=None).filter(_top_bigram_doc(39))  # 40 / 196
    assert drop.reason == "top_2_gram"


def test_repetition_top_n_gram_needs_a_repeat():
    result = GopherRepetitionFilter().filter("just four short words")
    assert result.keep and result.signals["top_2_gram"] == 0


def _dup_5_gram_doc(other_chars: int) -> str:
    """A 5-word sequence (15 letters) twice, among unique 5-letter words worth other_chars."""
    phrase = ["abc", "bcd", "cde", "def", "efg"]
    others = unique_words(other_chars // 5, seed=6, length=5)
    extra = other_chars % 5
    if extra:
        others[0] += "z" * extra
    half = len(others) // 2
    return " ".join([*phrase, *others[:half], *phrase, *others[half:]])


def test_repetition_duplicate_5_gram_edge():
    # 15 repeated characters over 100 word characters (30 in the phrases, 70 elsewhere)
    keep = GopherRepetitionFilter(top_n_grams=None).filter(_dup_5_gram_doc(70))
    assert keep.keep and keep.signals["duplicated_5_n_grams"] == 0.15
    drop = GopherRepetitionFilter(top_n_grams=None).filter(_dup_5_gram_doc(69))
    assert drop.reason == "duplicated_5_n_grams"


def test_repetition_overlapping_duplicates_count_once():
    # "a b c d e f" then again: the repeated 5-grams starting at 6 and 7 overlap on 4 words
    words = ["w1", "w2", "w3", "w4", "w5", "w6"]
    filler = unique_words(40, seed=7, length=2)
    text = " ".join(words + filler + words)
    result = GopherRepetitionFilter(top_n_grams=None, dup_n_grams=[[5, 1.0]]).filter(text)
    covered = 12  # six two-letter words of the second copy, each counted once
    assert result.signals["duplicated_5_n_grams"] == pytest.approx(covered / (2 * 12 + 80))


def test_repetition_thresholds_accept_mappings_and_reject_nonsense():
    assert GopherRepetitionFilter(top_n_grams={2: 0.2}).top_n_grams == ((2, 0.2),)
    with pytest.raises(ParameterError, match="'dup_n_grams'"):
        GopherRepetitionFilter(dup_n_grams=[[5]])
    with pytest.raises(ParameterError, match="'top_n_grams'"):
        GopherRepetitionFilter(top_n_grams=[[0, 0.2]])


def test_repetition_keeps_normal_prose():
    assert GopherRepetitionFilter().filter("\n\n".join(lines_of(30, seed=8))).keep


# --------------------------------------------------------------------------------------------
# C4


def test_c4_sentence_minimum_edge():
    five = "\n".join(lines_of(5, seed=9))
    result = C4QualityFilter().filter(five)
    assert result.keep and result.signals["sentences"] == 5
    four = "\n".join(lines_of(4, seed=9))
    assert C4QualityFilter().filter(four).reason == "too_few_sentences"


def test_c4_counts_sentences_only_on_lines_it_keeps():
    lines = [*lines_of(4, seed=10), "No terminal punctuation here at all", "Too short."]
    result = C4QualityFilter().filter("\n".join(lines))
    assert result.reason == "too_few_sentences"
    assert result.signals["sentences"] == 4
    assert result.signals["lines_no_terminal_punct"] == 1
    assert result.signals["lines_too_few_words"] == 1
    assert C4QualityFilter(filter_no_terminal_punct=False).filter("\n".join(lines)).keep


def test_c4_lorem_ipsum_and_curly_bracket_drop_the_page():
    body = lines_of(6, seed=11)
    assert C4QualityFilter().filter("\n".join([*body, "Lorem ipsum dolor sit amet."])).reason == "lorem_ipsum"
    assert C4QualityFilter().filter("\n".join([*body, "Use a dict like {a: 1} here."])).reason == "curly_bracket"
    # on a line C4 removes anyway (no terminal punctuation), the page rules do not fire
    assert C4QualityFilter().filter("\n".join([*body, "function f() { return 1 }"])).keep
    assert C4QualityFilter(filter_curly_bracket=False).filter("\n".join([*body, "A set {1, 2} here."])).keep


def test_c4_lines_removes_exactly_the_lines_c4_removes():
    kept = "This line has enough words."
    text = "\n".join(
        [
            kept,
            "Two words.",  # fewer than 3 words
            "No punctuation at the end",
            "It trails off in an ellipsis...",
            "Please enable JavaScript to view this.",
            "We use cookies to improve your experience.",
            "Read our privacy policy for details.",
            "A fact with a citation.[1]",
            "x" * 1001 + " is a long word.",
            "y" * 1000 + " is long but allowed.",
            "",
        ]
    )
    result = C4LineFilter().transform({"text": text})
    assert result.text.split("\n") == [kept, "A fact with a citation.", "y" * 1000 + " is long but allowed."]
    signals = result.signals
    assert signals["lines_too_few_words"] == 1
    assert signals["lines_no_terminal_punct"] == 2
    assert signals["lines_javascript"] == 1
    assert signals["lines_policy"] == 2
    assert signals["lines_too_long_word"] == 1
    assert signals["chars_removed"] == len(text) - len(result.text)


def test_c4_lines_keeps_page_rule_lines_for_c4_quality():
    text = "\n".join([*lines_of(5, seed=12), "Lorem ipsum dolor sit amet."])
    cleaned = C4LineFilter().transform(text).text
    assert "Lorem ipsum" in cleaned
    assert C4QualityFilter().filter(cleaned).reason == "lorem_ipsum"


def test_c4_quality_after_c4_lines_agrees_with_c4_quality_alone():
    rng = random.Random(13)
    for seed in range(30):
        pool = [*lines_of(8, seed=seed), "short", "no stop here", "Click {here}.", "Lorem ipsum sit amet.", "ok."]
        text = "\n".join(rng.sample(pool, rng.randint(1, len(pool))))
        alone = C4QualityFilter().filter(text)
        cleaned = C4LineFilter().transform(text).text
        chained = C4QualityFilter().filter(cleaned) if cleaned else None
        if chained is not None:
            assert (alone.keep, alone.reason) == (chained.keep, chained.reason)
            assert alone.signals["sentences"] == chained.signals["sentences"]


def test_c4_terminal_punctuation_of_other_scripts():
    chinese = "\n".join(f"第{i}个句子也很长而且有标点符号。" for i in range(5))
    assert C4QualityFilter().filter({"text": chinese, "language": "zh"}).keep
    hindi = "\n".join(f"यह एक परीक्षण वाक्य है संख्या {i}।" for i in range(5))
    assert C4QualityFilter().filter(hindi).keep


def test_c4_skips_the_terminal_punctuation_rule_for_thai():
    thai = "\n".join(f"ประเทศไทยมีประชากรมาก และมีวัฒนธรรมที่หลากหลาย บรรทัดที่ {i}" for i in range(6))
    assert C4LineFilter().transform({"text": thai, "language": "th"}).text == thai
    assert C4QualityFilter().filter(thai).keep  # the script alone says Thai


# --------------------------------------------------------------------------------------------
# FineWeb


def test_fineweb_line_punctuation_edge():
    lines = lines_of(100, seed=14, end="")
    twelve = [line + "." if i < 12 else line for i, line in enumerate(lines)]
    result = FineWebQualityFilter().filter("\n".join(twelve))
    assert result.reason == "line_punct_ratio"  # the paper: <= 0.12 is removed
    assert result.signals["line_punct_ratio"] == 0.12
    thirteen = [line + "." if i < 13 else line for i, line in enumerate(lines)]
    assert FineWebQualityFilter().filter("\n".join(thirteen)).keep


def test_fineweb_line_punctuation_exclude_zero():
    lines = "\n".join(lines_of(10, seed=15, end=""))
    assert FineWebQualityFilter().filter(lines).reason == "line_punct_ratio"
    assert FineWebQualityFilter(line_punct_exclude_zero=True).filter(lines).keep


def _short_line_doc(n_short: int, total: int = 100) -> str:
    long_lines = [(line + " " + "z" * 30)[:40] + "." for line in lines_of(total - n_short, seed=16)]
    short_lines = [f"sa {w[:3]} ti {w[3:]} ka." for w in unique_words(n_short, seed=17)]  # under 30
    return "\n".join(long_lines + short_lines)


def test_fineweb_short_line_edge():
    result = FineWebQualityFilter(new_line_ratio=None).filter(_short_line_doc(67))
    assert result.signals["short_line_ratio"] == 0.67
    assert result.reason == "short_line_ratio"  # the paper: >= 0.67 is removed
    assert FineWebQualityFilter(new_line_ratio=None).filter(_short_line_doc(66)).keep


def test_fineweb_short_line_means_shorter_than_30_characters():
    thirty = "abcd efgh ijkl mnop qrst uvwx."
    assert len(thirty) == 30
    result = FineWebQualityFilter(new_line_ratio=None).filter(thirty)
    assert result.keep and result.signals["short_line_ratio"] == 0
    assert FineWebQualityFilter(new_line_ratio=None).filter(thirty[1:]).reason == "short_line_ratio"


def _dup_chars_doc(dup_chars: int) -> str:
    """Unique lines plus one repeated line of dup_chars characters, 1000 characters without newlines."""
    repeated = ("ka lo mi " * 40)[: dup_chars - 1].strip() + "."
    repeated = repeated + "x" * (dup_chars - len(repeated))
    assert len(repeated) == dup_chars
    lines = lines_of(15, seed=18)
    body = "\n".join([*lines, repeated, repeated])
    non_newline = len(body) - body.count("\n")
    missing = 1000 - non_newline
    assert missing >= 0
    lines[0] = lines[0][:-1] + "q" * missing + "."
    return "\n".join([*lines, repeated, repeated])


def test_fineweb_duplicate_line_characters_edge():
    assert FineWebQualityFilter().filter(_dup_chars_doc(100)).reason == "char_dup_ratio"  # >= 0.1
    result = FineWebQualityFilter().filter(_dup_chars_doc(99))
    assert result.keep and result.signals["char_dup_ratio"] == 0.099


def test_fineweb_newline_ratio_edge():
    three_words = "\n".join(f"{w} tired words." for w in unique_words(11, seed=19))
    # 10 newlines, 33 words: 0.303 > 0.3
    assert FineWebQualityFilter(short_line_thr=None).filter(three_words).reason == "list_ratio"
    longer = three_words + " extra"  # 10 / 34
    assert FineWebQualityFilter(short_line_thr=None).filter(longer).keep


def test_fineweb_empty():
    assert FineWebQualityFilter().filter(" \n ").reason == "empty"


# --------------------------------------------------------------------------------------------
# Length


def test_length_edges():
    f = LengthFilter(min_chars=10, max_chars=20, min_words=2, max_words=3)
    assert f.filter("abcdefghi").reason == "too_few_chars"
    assert f.filter("abcd efghi").keep
    assert f.filter("abcd efghijk mnopqrs").keep  # 20 characters
    assert f.filter("abcd efghijkl mnopqrs").reason == "too_many_chars"
    assert f.filter("a" * 10).reason == "too_few_words"
    assert f.filter("ab cd ef gh").reason == "too_many_words"
    assert f.filter("ab cd ef ghijklmnopqrs").reason == "too_many_chars"


def test_length_defaults_are_gophers_word_bounds():
    assert LengthFilter().filter(prose(50)).keep
    assert LengthFilter().filter(prose(49)).reason == "too_few_words"


# --------------------------------------------------------------------------------------------
# Languages written without spaces

CHINESE = (
    "中华人民共和国是位于东亚的社会主义国家，首都为北京。全国陆地面积约九百六十万平方公里，"  # noqa: RUF001
    "是世界上国土面积第三大的国家。中国有着悠久的历史和灿烂的文化，是四大文明古国之一。"  # noqa: RUF001
)
JAPANESE = (
    "日本は東アジアに位置する島国で、首都は東京です。四季がはっきりしていて、春には桜が咲きます。"
    "夏は暑く、冬には北の地方で雪がたくさん降ります。"
)
THAI = "ประเทศไทยตั้งอยู่ในเอเชียตะวันออกเฉียงใต้ มีกรุงเทพมหานครเป็นเมืองหลวง ประชากรส่วนใหญ่นับถือศาสนาพุทธ"


@pytest.mark.parametrize(("text", "language"), [(CHINESE, "zh"), (JAPANESE, "ja"), (THAI, "th"), (CHINESE, None)])
def test_word_count_rules_count_units_for_unspaced_languages(text, language):
    doc = {"text": text, "language": language} if language else text
    assert len(text.split()) < 50  # whitespace words would fail every minimum
    assert GopherQualityFilter().filter(doc).keep
    assert LengthFilter().filter(doc).keep
    assert LengthFilter().filter(doc).signals["words"] >= 40


def test_fineweb_newline_ratio_counts_units_for_unspaced_text():
    text = "\n".join([CHINESE[:40], CHINESE[40:]])
    result = FineWebQualityFilter().filter({"text": text, "language": "zh"})
    assert result.signals["new_line_ratio"] < 0.3


def test_thai_has_no_line_punctuation_rule():
    text = "\n".join(f"{THAI} บรรทัด {i}" for i in range(5))
    assert FineWebQualityFilter().filter({"text": text, "language": "th"}).keep
