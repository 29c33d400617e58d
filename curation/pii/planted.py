"""Sentences with planted personal data and their ground truth, from the synthetic corpus's generators.

`curation.synth` plants these sentences into its pages without recording the values; this module
calls the same generators (same templates, Faker locales and layouts) and keeps the value, so
tests, the evaluation and the benchmark can measure recall and check for leaks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from curation import synth

KIND_TO_ENTITY = {
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "card": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "ipv4": "IP_ADDRESS",
    "ipv6": "IP_ADDRESS",
    "name": "PERSON",
}
"""Planted kinds the detector should find, and the entity type it should report."""
STRUCTURED_KINDS = ("email", "phone", "card", "iban", "ipv4", "ipv6")
LANGUAGES = tuple(synth._PII_TEMPLATES)


@dataclass(frozen=True)
class Planted:
    """A sentence, the planted value and where it sits."""

    text: str
    kind: str
    language: str
    value: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.value)

    @property
    def entity_type(self) -> str:
        return KIND_TO_ENTITY[self.kind]


def planted_examples(per_kind: int, seed: int = 0, kinds=STRUCTURED_KINDS, languages=LANGUAGES) -> Iterator[Planted]:
    """`per_kind` sentences for every (language, kind), deterministic for `seed`."""
    for language in languages:
        for kind in kinds:
            for index in range(per_kind):
                rng = random.Random(f"planted:{seed}:{language}:{kind}:{index}")
                name = synth._person(rng, language)
                value = name if kind == "name" else synth._pii_value(rng, kind, language, name)
                template = rng.choice(synth._PII_TEMPLATES[language][kind])
                values = {"name": name, "expiry": "04/29", kind: value}
                text = template.format(**values)
                yield Planted(text, kind, language, value, text.index(value))
