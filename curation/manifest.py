"""The run manifest: what a completed output holds, written last as its completion marker."""

from __future__ import annotations

import hashlib
import json
import posixpath
from dataclasses import dataclass, field
from typing import Any

import fsspec

from curation.config import PipelineConfig
from curation.shards import write_atomically

MANIFEST = "manifest.json"


class InvariantError(RuntimeError):
    """The output does not account for every input document."""


@dataclass
class RunReport:
    """Counts the pipeline reports at its end, before the manifest is written."""

    input_documents: int
    rejected_records: int
    dropped: dict[str, int]
    shards: list[dict[str, Any]] = field(default_factory=list)

    @property
    def output_documents(self) -> int:
        return sum(shard["documents"] for shard in self.shards)

    @property
    def output_tokens(self) -> int:
        return sum(shard["tokens"] for shard in self.shards)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunReport:
        return cls(data["input_documents"], data["rejected_records"], data["dropped"], data["shards"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "input_documents": self.input_documents,
            "rejected_records": self.rejected_records,
            "dropped": self.dropped,
            "shards": self.shards,
        }

    def check(self) -> None:
        """Raise `InvariantError` unless input = output + dropped."""
        dropped = sum(self.dropped.values())
        if self.input_documents != self.output_documents + dropped:
            raise InvariantError(
                f"documents unaccounted for: input {self.input_documents} != "
                f"output {self.output_documents} + dropped {dropped}"
            )


def shard_path_is_safe(path: Any) -> bool:
    """Whether a manifest's shard path stays inside the output directory's `data/` (a crafted
    manifest must not make `verify` or `stats` read elsewhere)."""
    if not isinstance(path, str) or "\\" in path:
        return False
    normal = posixpath.normpath(path)
    return normal == path and normal.startswith("data/") and "/" not in normal[len("data/") :]


def config_sha256(resolved: dict[str, Any]) -> str:
    canonical = json.dumps(resolved, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def build_manifest(
    report: RunReport, config: PipelineConfig, tokenizer: dict[str, str], engine: dict[str, str] | None = None
) -> dict[str, Any]:
    """The manifest of a checked report; `tokenizer` is the token counter's identity, `engine` the
    runner's (name, Beam version, the engine's own version), recorded where given."""
    resolved = config.resolved()
    manifest = {
        "input_documents": report.input_documents,
        "output_documents": report.output_documents,
        "output_tokens": report.output_tokens,
        "rejected_records": report.rejected_records,
        "dropped": dict(sorted(report.dropped.items())),
        "shards": sorted(report.shards, key=lambda shard: shard["path"]),
        "tokenizer": tokenizer,
        "config": resolved,
        "config_sha256": config_sha256(resolved),
    }
    if engine is not None:
        manifest["engine"] = engine
    return manifest


def write_manifest(manifest: dict[str, Any], output_dir: str) -> str:
    """Write `manifest.json` atomically; returns its path."""
    path = posixpath.join(output_dir, MANIFEST)
    write_atomically(json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n", path)
    return path


def read_manifest(output_dir: str) -> dict[str, Any]:
    with fsspec.open(posixpath.join(output_dir, MANIFEST), "r") as handle:
        return json.load(handle)
