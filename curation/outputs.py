"""The output directory: what a run owns in it, and making it ready for a new run."""

from __future__ import annotations

import posixpath

import fsspec

from curation.document import DUPLICATES_SCHEMA, LEDGER_SCHEMA, REJECTED_SCHEMA
from curation.manifest import MANIFEST
from curation.shards import write_empty_part

DATA_DIR = "data"
LEDGER_DIR = "dropped"
REJECTED_DIR = "rejected"
DUPLICATES_DIR = "duplicates.parquet"
STAGING = "_staging"
CARD = "README.md"  # the dataset card `curation stats --card` writes beside the data
OWNED = (MANIFEST, DATA_DIR, LEDGER_DIR, REJECTED_DIR, DUPLICATES_DIR, "pii_domains.parquet", CARD, STAGING)


class OutputError(ValueError):
    """An output directory a run must not write into."""


def prepare_output_dir(output_dir: str, overwrite: bool = False) -> None:
    """Empty what an earlier run left (its manifest first), or refuse a directory of other files.

    The manifest goes first, so an interrupted run never leaves one pointing at partial shards.
    """
    fs, root = fsspec.core.url_to_fs(output_dir)
    if not fs.exists(root):
        fs.makedirs(root, exist_ok=True)
        return
    if not fs.isdir(root):
        raise OutputError(f"output path is a file: {output_dir}")
    names = {posixpath.basename(entry.rstrip("/")) for entry in fs.ls(root, detail=False)}
    foreign = sorted(names - set(OWNED))
    if foreign and not overwrite:
        raise OutputError(
            f"output directory {output_dir} holds files this pipeline did not write ({', '.join(foreign[:3])}); "
            "choose an empty directory or set output.overwrite: true"
        )
    for name in (MANIFEST, *sorted(names - {MANIFEST})):
        if name in names and (overwrite or name in OWNED):
            fs.rm(posixpath.join(root, name), recursive=True)


def clear_attempt(output_dir: str) -> None:
    """Remove the shards and side outputs a failed attempt wrote; the staging area stays."""
    fs, root = fsspec.core.url_to_fs(output_dir)
    for name in OWNED:
        path = posixpath.join(root, name)
        if name != STAGING and fs.exists(path):
            fs.rm(path, recursive=True)


def complete_side_outputs(output_dir: str) -> None:
    """Give the ledger, rejected and duplicates directories an empty part when no row reached them."""
    for subdir, schema in (
        (LEDGER_DIR, LEDGER_SCHEMA),
        (REJECTED_DIR, REJECTED_SCHEMA),
        (DUPLICATES_DIR, DUPLICATES_SCHEMA),
    ):
        write_empty_part(schema, output_dir, subdir)
