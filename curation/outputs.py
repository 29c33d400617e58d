"""The output directory: what a run owns in it, and making it ready for a new run."""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Iterable

import fsspec

from curation.catalog import OUTPUTS
from curation.manifest import MANIFEST

STAGING = "_staging"
CARD = "README.md"  # the dataset card `curation stats --card` writes beside the data
OWNED = (MANIFEST, *(output.name for output in OUTPUTS), CARD, STAGING)


_log = logging.getLogger(__name__)


class OutputError(ValueError):
    """An output directory a run must not write into."""


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def resolved(path: str) -> str:
    """A local path with every symlink and `..` resolved; a remote URL as given (no trailing slash)."""
    if not _is_local(path):
        return path.rstrip("/")
    return os.path.realpath(os.path.expanduser(path.removeprefix("file://")))


def _within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def check_output_apart(
    output_dir: str, inputs: Iterable[str], config_path: str | None = None, overwrite: bool = False
) -> None:
    """Refuse an output directory whose clearing could delete an input, the config, or (with
    `overwrite`) the home or current directory. Raises `OutputError` naming the path.

    Paths are compared resolved (symlinks followed), so a link to the input directory is seen
    for what it is.
    """
    out = resolved(output_dir)
    for path in inputs:
        if _within(resolved(path), out):
            raise OutputError(f"input {path} lies inside the output directory {output_dir}; a run would delete it")
    if config_path and _within(resolved(config_path), out):
        raise OutputError(f"the config {config_path} lies inside the output directory {output_dir}")
    if overwrite and _is_local(output_dir) and (out in ("/", resolved("~")) or _within(os.getcwd(), out)):
        raise OutputError(
            f"refusing to overwrite {output_dir}: it is the root, home or current directory, or holds it"
        )


def _remove(fs: fsspec.AbstractFileSystem, path: str) -> None:
    if _is_local(path) and os.path.islink(path):
        os.unlink(path)  # the link, never what it points to
    else:
        fs.rm(path, recursive=True)


def _probe_writable(fs: fsspec.AbstractFileSystem, root: str) -> None:
    probe = posixpath.join(root, STAGING, ".write-probe")
    fs.makedirs(posixpath.dirname(probe), exist_ok=True)
    with fs.open(probe, "wb") as handle:
        handle.write(b"ok")
    fs.rm(probe)


def _os_reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def prepare_output_dir(output_dir: str, overwrite: bool = False) -> None:
    """Empty what an earlier run left (its manifest first), or refuse a directory of other files;
    then check that the directory can be written. Raises `OutputError` naming the path.

    The manifest goes first, so an interrupted run never leaves one pointing at partial shards.
    """
    try:
        fs, root = fsspec.core.url_to_fs(output_dir)
        if fs.exists(root) and not fs.isdir(root):
            raise OutputError(f"output path is a file: {output_dir}")
        if fs.exists(root):
            _clear(fs, root, output_dir, overwrite)
        fs.makedirs(root, exist_ok=True)
        _probe_writable(fs, root)
    except OutputError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write to output directory {output_dir}: {_os_reason(error)}") from None


def _clear(fs: fsspec.AbstractFileSystem, root: str, output_dir: str, overwrite: bool) -> None:
    names = {posixpath.basename(entry.rstrip("/")) for entry in fs.ls(root, detail=False)}
    foreign = sorted(names - set(OWNED))
    if foreign and not overwrite:
        raise OutputError(
            f"output directory {output_dir} holds files this pipeline did not write ({', '.join(foreign[:3])}); "
            "choose an empty directory, or replace its contents with --overwrite (output.overwrite: true)"
        )
    for name in (MANIFEST, *sorted(names - {MANIFEST})):
        if name in names and (overwrite or name in OWNED):
            _remove(fs, posixpath.join(root, name))


def clear_attempt(output_dir: str) -> None:
    """Remove the shards and side outputs a failed attempt wrote; the staging area stays."""
    fs, root = fsspec.core.url_to_fs(output_dir)
    for name in OWNED:
        path = posixpath.join(root, name)
        if name != STAGING and fs.exists(path):
            _remove(fs, path)


def discard_run(output_dir: str) -> None:
    """Remove everything a failed or interrupted run wrote (staging included); never raises."""
    try:
        clear_attempt(output_dir)
        fs, root = fsspec.core.url_to_fs(output_dir)
        staging = posixpath.join(root, STAGING)
        if fs.exists(staging):
            fs.rm(staging, recursive=True)
    except OSError as error:
        _log.warning("could not remove the failed run's files from %s (%s)", output_dir, _os_reason(error))
