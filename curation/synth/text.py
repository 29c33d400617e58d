"""Text pieces in any language: sentences, paragraphs, titles and headings.

English comes from the topic templates; other languages are random words of Faker's localized
word lists with their function words mixed in.
"""

from __future__ import annotations

import random

from curation.synth import english
from curation.synth._util import cap
from curation.synth.english import Topic
from curation.synth.languages import CJK, pool


def word_salad(rng: random.Random, lang: str) -> str:
    """A sentence of random words of `lang` (with function words mixed in)."""
    vocabulary = pool(lang)
    words = rng.choices(vocabulary.mixed if lang != "en" else vocabulary.words, k=rng.randint(5, 15))
    if lang in CJK:
        if len(words) > 7 and rng.random() < 0.5:
            words[rng.randrange(2, len(words) - 2)] += "、" if lang == "ja" else "\uff0c"
        return "".join(words) + ("。" if rng.random() < 0.9 else "\uff01")
    if len(words) > 8 and rng.random() < 0.4:
        words[rng.randrange(2, len(words) - 3)] += ","
    end = "." if rng.random() < 0.88 else rng.choice("?!")
    return cap(" ".join(words)) + end


def sentence(rng: random.Random, lang: str, topic: Topic, casual: bool = False, noise: float = 0.0) -> str:
    """A sentence of `lang`; English from the templates except for a `noise` share of word salad."""
    if lang == "en" and rng.random() >= noise:
        return english.sentence(rng, topic, casual)
    return word_salad(rng, lang)


def paragraph(rng: random.Random, lang: str, topic: Topic, n: int, casual: bool = False, noise: float = 0.0) -> str:
    """`n` sentences joined the way `lang` joins them."""
    sep = "" if lang in CJK else " "
    return sep.join(sentence(rng, lang, topic, casual, noise) for _ in range(n))


def short_phrase(rng: random.Random, lang: str, lo: int, hi: int) -> str:
    """`lo` to `hi` random words of `lang`, capitalized."""
    words = rng.choices(pool(lang).words, k=rng.randint(lo, hi))
    return "".join(words) if lang in CJK else cap(" ".join(words))


def title(rng: random.Random, lang: str, topic: Topic) -> str:
    """A page title."""
    if lang == "en":
        return english.render(rng, rng.choice(english.TITLE), topic, title=True)
    return short_phrase(rng, lang, 3, 7)


def heading(rng: random.Random, lang: str, topic: Topic) -> str:
    """A section heading."""
    if lang == "en":
        return english.render(rng, rng.choice(english.HEADING), topic, title=True)
    return short_phrase(rng, lang, 1, 4)
