"""The run manifest: what a completed output holds, written last as its completion marker.

`Manifest` is its typed form: `build_manifest` makes one from a checked `RunReport`,
`write_manifest` writes it, `read_manifest` reads one back (and refuses, with one line, a file
that is not a manifest: a crafted one must not make `verify` or `stats` read elsewhere).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from typing import Any

import fsspec
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from curation.config import PipelineConfig
from curation.shards import PartInfo, write_atomically

MANIFEST = "manifest.json"


class InvariantError(RuntimeError):
    """The output does not account for every input document."""


class ManifestError(ValueError):
    """A `manifest.json` that is not a manifest; the message names the first bad key."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def shard_path_is_safe(path: Any) -> bool:
    """Whether a manifest's shard path stays inside the output directory's `data/`."""
    if not isinstance(path, str) or "\\" in path:
        return False
    normal = posixpath.normpath(path)
    return normal == path and normal.startswith("data/") and "/" not in normal[len("data/") :]


class ShardEntry(_Record):
    """One Parquet shard: its path under the output directory, rows, tokens, size and checksum."""

    path: str
    documents: int = Field(ge=0)
    tokens: int = Field(ge=0)
    bytes: int = Field(ge=0)
    sha256: str

    @field_validator("path")
    @classmethod
    def _inside_data(cls, path: str) -> str:
        if not shard_path_is_safe(path):
            raise ValueError(f"{path!r} is not a file under data/")
        return path

    @classmethod
    def of(cls, part: PartInfo) -> ShardEntry:
        """The entry of a written shard."""
        return cls(path=part.path, documents=part.rows, tokens=part.weight, bytes=part.bytes, sha256=part.sha256)


class RunReport(_Record):
    """Counts the pipeline reports at its end, before the manifest is written."""

    input_documents: int = Field(ge=0)
    rejected_records: int = Field(ge=0)
    dropped: dict[str, int]
    shards: list[ShardEntry] = Field(default_factory=list)

    @property
    def output_documents(self) -> int:
        return sum(shard.documents for shard in self.shards)

    @property
    def output_tokens(self) -> int:
        return sum(shard.tokens for shard in self.shards)

    def check(self) -> None:
        """Raise `InvariantError` unless input = output + dropped."""
        dropped = sum(self.dropped.values())
        if self.input_documents != self.output_documents + dropped:
            raise InvariantError(
                f"documents unaccounted for: input {self.input_documents} != "
                f"output {self.output_documents} + dropped {dropped}"
            )


class Manifest(_Record):
    """What a completed output holds: the accounting, the shards, the tokenizer, the resolved
    config (with its sha256) and, where known, the engine that ran it."""

    input_documents: int = Field(ge=0)
    output_documents: int = Field(ge=0)
    output_tokens: int = Field(ge=0)
    rejected_records: int = Field(ge=0)
    dropped: dict[str, int]
    shards: list[ShardEntry]
    tokenizer: dict[str, str]
    config: dict[str, Any]
    config_sha256: str
    engine: dict[str, str] | None = None

    @property
    def dropped_documents(self) -> int:
        return sum(self.dropped.values())

    def to_json(self) -> dict[str, Any]:
        """Plain data, in the key order of `manifest.json` (`engine` only when known)."""
        data = self.model_dump(mode="json")
        if data["engine"] is None:
            del data["engine"]
        return data

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Validate plain data (as read from `manifest.json`); raises `ManifestError`."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            key = ".".join(str(part) for part in first["loc"]) or "(top level)"
            if first["type"] == "missing":
                raise ManifestError(f"manifest.json: missing '{key}'") from None
            if first["type"] == "extra_forbidden":
                raise ManifestError(f"manifest.json: unknown key '{key}'") from None
            message = first["msg"].removeprefix("Value error, ")
            raise ManifestError(f"manifest.json: bad value for '{key}': {message}") from None


def config_sha256(resolved: dict[str, Any]) -> str:
    canonical = json.dumps(resolved, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def build_manifest(
    report: RunReport, config: PipelineConfig, tokenizer: dict[str, str], engine: dict[str, str] | None = None
) -> Manifest:
    """The manifest of a checked report; `tokenizer` is the token counter's identity, `engine` the
    runner's (name, Beam version, the engine's own version), recorded where given."""
    resolved = config.resolved()
    return Manifest(
        input_documents=report.input_documents,
        output_documents=report.output_documents,
        output_tokens=report.output_tokens,
        rejected_records=report.rejected_records,
        dropped=dict(sorted(report.dropped.items())),
        shards=sorted(report.shards, key=lambda shard: shard.path),
        tokenizer=tokenizer,
        config=resolved,
        config_sha256=config_sha256(resolved),
        engine=engine,
    )


def write_manifest(manifest: Manifest, output_dir: str) -> str:
    """Write `manifest.json` atomically; returns its path."""
    path = posixpath.join(output_dir, MANIFEST)
    write_atomically(json.dumps(manifest.to_json(), indent=2, ensure_ascii=False).encode() + b"\n", path)
    return path


def read_manifest(output_dir: str) -> Manifest:
    """The manifest of an output. Raises FileNotFoundError, or `ManifestError` for a file that is
    not valid JSON or not a manifest."""
    with fsspec.open(posixpath.join(output_dir, MANIFEST), "r") as handle:
        try:
            data = json.load(handle)
        except ValueError:
            raise ManifestError("manifest.json is not valid JSON") from None
    return Manifest.from_json(data)
