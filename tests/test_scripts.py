"""The writing-systems module (`curation.scripts`) and the offline public-suffix set-up (`curation.suffixes`)."""

from __future__ import annotations

import itertools
import re

import pytest

from curation import scripts, suffixes
from curation.dedup import MinHasher
from curation.pii import domains
from curation.pii.patterns import WebRecognizer
from curation.pii.recognizers import WEB_EMAIL
from filters import text as filter_text


@pytest.mark.parametrize(
    "char",
    [
        "中", "\u3400", "\u4dbf", "\u4e00", "\u9fff", "\uf900", "\U00020000", "\U0002a6df", "\U00030000",  # Han
        "\u3005", "\u3007",  # iteration mark, ideographic zero
        "\u3041", "\u3096", "\u309d", "\u30a1", "\u30fa", "\u30fc", "\u31f0", "\uff66", "\uff9d",  # kana
        "\u3099", "\u309a", "\uff9e",  # kana sound marks
        "\u3105", "\u312f", "\u31a0",  # Bopomofo
        "\u0e01", "\u0e31", "\u0e50", "\u0e81", "\u0ed9",  # Thai, Lao (a letter, a vowel mark, digits)
        "\u1780", "\u17d2", "\u1000", "\u1049", "\u0f40", "\u0f71",  # Khmer, Myanmar, Tibetan
    ],
)  # fmt: skip
def test_characters_of_scripts_written_without_spaces(char):
    assert scripts.is_unspaced(char), f"U+{ord(char):04X}"


@pytest.mark.parametrize(
    "char",
    [
        "a", "é", "я", "\u0905", "\u05d0", "1", " ",  # spaced scripts, digits, space
        "\uac00", "\ud7a3", "\u1100",  # Hangul: written with spaces
        "\u3001", "\u3002", "\u30fb", "\uff0c", "\u300c",  # CJK punctuation
        "\u0e3f", "\u0e4f", "\u0f0d", "\u104a",  # baht sign, Thai fongman, Tibetan shad, Myanmar section
        "\u2f00", "\u309b",  # Kangxi radical, spacing voiced mark (symbols)
        "\u02c7", "\u02ca", "\u0303",  # Bopomofo tone letters and a combining tilde shared with Latin
        "\u3040", "\u3097", "\u0e00", "\ufa6e", "\U0002a6e0",  # unassigned code points next to the ranges
        "\uff21", "\uff10",  # fullwidth Latin and digits
    ],
)  # fmt: skip
def test_characters_outside_them(char):
    assert not scripts.is_unspaced(char), f"U+{ord(char):04X}"


def test_hangul_breaks_addresses_but_is_spaced():
    assert not scripts.is_unspaced("한")
    assert scripts.count_chars("이메일 wang", scripts.ADDRESS_BREAKING_SCRIPTS) == 3


def test_units_of_each_family_and_of_mixed_text():
    assert scripts.split_units("中文 text") == ["中", "文", "text"]
    assert scripts.split_units("ひらがなカタカナー") == list("ひらがなカタカナー")
    assert scripts.split_units("ภาษาไทย") == ["ภ", "า", "ษ", "า", "ไ", "ท", "ย"]
    assert scripts.split_units("ສິນ") == ["ສິ", "ນ"]  # a Lao vowel mark stays on its letter
    assert scripts.split_units("ｶﾞｷﾞ") == ["ｶﾞ", "ｷﾞ"]  # halfwidth sound marks combine
    assert scripts.split_units("2024年5月") == ["2024", "年", "5", "月"]
    assert scripts.split_units("ราคา ๒๕๖๗ บาท")[4] == "๒๕๖๗"  # a number in Thai digits is one unit
    assert scripts.split_units("Hello, world!") == ["Hello,", "world!"]
    assert scripts.split_units("请发邮件至wang@qq.com。") == [*"请发邮件至", "wang@qq.com。"]
    assert scripts.count_units("대한민국 한국어") == 2  # Korean counts by spaces
    assert scripts.count_units("") == 0


def test_count_chars():
    assert scripts.count_chars("中文 and ไทย") == 5
    assert scripts.count_chars("ไทย 中", ("Thai", "Lao")) == 3


def test_ranges_are_sorted_disjoint_and_cover_the_edges():
    ranges = scripts.code_point_ranges()
    assert all(lo <= hi for lo, hi in ranges)
    assert all(a[1] + 1 < b[0] for a, b in itertools.pairwise(ranges))
    pattern = re.compile(f"[{scripts.class_body(ranges)}]")
    for lo, hi in ranges:
        assert pattern.match(chr(lo)) and pattern.match(chr(hi))
        assert not pattern.match(chr(lo - 1)) and not pattern.match(chr(hi + 1))


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh", True), ("zh-Hans", True), ("zho_Hans", True), ("ZH", True), ("cmn", True), ("yue", True),
        ("ja", True), ("jpn", True), ("th", True), ("lo", True), ("km", True), ("my", True), ("bur", True),
        ("bo", True), ("dz", True), ("ko", False), ("vi", False), ("en", False), ("nan", False),
        ("und", None), ("xx", None), ("", None), (None, None),
    ],
)  # fmt: skip
def test_languages_written_without_spaces(tag, expected):
    assert scripts.is_unspaced_language(tag) is expected


def test_base_language():
    assert scripts.base_language("zho_Hant") == "zh"
    assert scripts.base_language(" EN-us ") == "en"
    assert scripts.base_language("und") == "und"
    assert scripts.base_language(None) is None


def test_every_caller_reads_the_same_definition():
    text = "ສະບາຍດີ ທຸກຄົນ ขอบคุณ 你好"  # Lao, Thai, Han: each unspaced
    assert filter_text.profile(text).unspaced
    assert MinHasher().char_mode(text)
    assert domains.count_words(text) == scripts.count_units(text)
    assert filter_text.count_words(text, True) == scripts.count_units(text)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("请发邮件至wang@qq.com。", "wang@qq.com"),
        ("メールはtanaka@example.jpまで", "tanaka@example.jp"),
        ("메일은kim@naver.com으로", "kim@naver.com"),  # Korean particles attach to the address
        ("ส่งถึงsomchai@gmail.com", "somchai@gmail.com"),
        ("ສົ່ງຫາbounmy@gmail.com", "bounmy@gmail.com"),  # Lao: missing from the old range
        ("josé.garcía@gmail.com", "josé.garcía@gmail.com"),
    ],
)
def test_addresses_end_where_text_of_those_scripts_begins(text, address):
    assert [text[r.start : r.end] for r in WebRecognizer(WEB_EMAIL).find(text)] == [address]


def test_public_suffixes_offline():
    assert suffixes.registered_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert suffixes.registered_domain("192.168.0.1") == "192.168.0.1"
    assert suffixes.has_public_suffix("qq.com")
    assert not suffixes.has_public_suffix("localhost")
    assert not suffixes.has_public_suffix("com")
    assert suffixes.extractor().suffix_list_urls == ()
