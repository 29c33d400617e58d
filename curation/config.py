"""Pipeline configuration: YAML recipes loaded into typed, validated objects.

An unknown key or a bad value raises `ConfigError` naming the file and the key.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

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


class TokenizerConfig(_Section):
    """Which tokenizer counts tokens: a tiktoken encoding name or a `tokenizer.json` path."""

    name: str = "o200k_base"


class ShardsConfig(_Section):
    """How output shards are sized."""

    tokens_per_shard: int = Field(500_000_000, gt=0)
    row_group_size: int = Field(10_000, gt=0)


class PipelineConfig(_Section):
    """A whole run: input, the stages in order, and the output."""

    input: InputConfig = Field(default_factory=InputConfig)
    normalize: NormalizeConfig = Field(default_factory=NormalizeConfig)
    exact_dedup: ExactDedupConfig = Field(default_factory=ExactDedupConfig)
    tokenizer: TokenizerConfig = Field(default_factory=TokenizerConfig)
    shards: ShardsConfig = Field(default_factory=ShardsConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)

    def resolved(self) -> dict[str, Any]:
        """The config with every default filled in, as plain data (for the manifest)."""
        return self.model_dump(mode="json")


def _describe(error: ValidationError, origin: str) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(top level)"
    if first["type"] == "extra_forbidden":
        return f"{origin}: unknown key '{key}'"
    return f"{origin}: bad value for '{key}': {first['msg']}"


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
