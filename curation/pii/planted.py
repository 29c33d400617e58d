"""Sentences with planted personal data and their ground truth, from the synthetic corpus's generators.

`curation.synth` plants these sentences into its pages without recording the values; this module
calls the same generators (`curation.synth.pii`: same templates, Faker locales and layouts) and
keeps the value, so tests, the evaluation and the benchmark can measure recall and check for leaks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from curation.synth import pii as synth_pii

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
LANGUAGES = synth_pii.LANGUAGES


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


def planted_examples(
    per_kind: int, seed: int = 0, kinds: Sequence[str] = STRUCTURED_KINDS, languages: Sequence[str] = LANGUAGES
) -> Iterator[Planted]:
    """`per_kind` sentences for every (language, kind), deterministic for `seed`."""
    for language in languages:
        for kind in kinds:
            for index in range(per_kind):
                rng = random.Random(f"planted:{seed}:{language}:{kind}:{index}")
                name = synth_pii.person(rng, language)
                value = synth_pii.pii_value(rng, kind, language, name)
                template = rng.choice(synth_pii.pii_templates(language)[kind])
                values = {"name": name, "expiry": "04/29", kind: value}
                text = template.format(**values)
                yield Planted(text, kind, language, value, text.index(value))
