"""A directory as input (read recursively, hidden names skipped, saved datasets kept whole), and
input paths normalised: no `..` or `./` reaches a read task, a rejection or a message."""

from __future__ import annotations

import os
import re

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import run_job, write_jsonl

from curation.config import InputConfig
from curation.io.parse import to_document
from curation.io.readers import read_file
from curation.io.sources import InputError, normalized, open_binary, plan_reads

ROWS = [{"id": f"d{i}", "text": f"document number {i} with a few words in it"} for i in range(3)]


def tasks(*paths: str, **config) -> list:
    return plan_reads(InputConfig(paths=list(paths), **config))


def names(found: list, root) -> list[tuple[str, str]]:
    return [(os.path.relpath(task.path, root), task.format) for task in found]


@pytest.fixture
def tree(tmp_path):
    """A folder as a crawl or an earlier run leaves it: inputs, nested folders and bookkeeping."""
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    write_jsonl(root / "z.jsonl", ROWS)
    write_jsonl(root / "a.jsonl.gz", ROWS)
    write_jsonl(root / "b" / "deep" / "c.ndjson", ROWS)
    pq.write_table(pa.Table.from_pylist(ROWS), root / "b" / "p.parquet")
    (root / "README.md").write_text("not an input")
    (root / "_SUCCESS").write_text("")
    (root / ".p.parquet.crc").write_bytes(b"crc")
    (root / "b" / "_hidden.jsonl").write_text('{"text": "skipped"}\n')
    for hidden in ("_staging", ".git"):
        (root / hidden).mkdir()
        write_jsonl(root / hidden / "x.jsonl", ROWS)
    return root


def test_a_directory_is_read_recursively_in_sorted_order_skipping_hidden_names(tree):
    assert names(tasks(str(tree)), tree) == [
        ("a.jsonl.gz", "jsonl"),
        ("b/deep/c.ndjson", "jsonl"),
        ("b/p.parquet", "parquet"),
        ("z.jsonl", "jsonl"),
    ]
    assert tasks(str(tree)) == tasks(str(tree) + "/")  # a trailing slash changes nothing


def test_an_explicit_format_reads_every_visible_file(tmp_path):
    (tmp_path / "crawl").mkdir()
    for name in ("part-0", "part-1.txt"):
        write_jsonl(tmp_path / "crawl" / name, ROWS)
    (tmp_path / "crawl" / "_SUCCESS").write_text("")
    found = tasks(str(tmp_path / "crawl"), format="jsonl")
    assert names(found, tmp_path / "crawl") == [("part-0", "jsonl"), ("part-1.txt", "jsonl")]


def test_an_empty_directory_or_one_without_input_files_names_it_and_the_formats(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    named = re.escape(str(empty))
    with pytest.raises(InputError, match=rf"no input files in directory {named}: .*\.jsonl.*\.parquet.*\.warc"):
        tasks(str(empty))
    (empty / "notes.txt").write_text("x")
    (empty / "_SUCCESS").write_text("")
    with pytest.raises(InputError, match=r"save_to_disk dataset \(state\.json or dataset_dict\.json\)"):
        tasks(str(empty))
    (empty / "notes.txt").unlink()
    (empty / "_staging").mkdir()
    write_jsonl(empty / "_staging" / "a.jsonl", ROWS)
    with pytest.raises(InputError, match=rf"no input files in directory {named}: looked for jsonl files; hidden"):
        tasks(str(empty), format="jsonl")


def test_a_saved_dataset_is_read_whole_at_the_top_or_inside_a_folder(tmp_path):
    import datasets

    datasets.Dataset.from_list(ROWS).save_to_disk(str(tmp_path / "top" / "saved"), num_shards=2)
    datasets.DatasetDict({"train": datasets.Dataset.from_list(ROWS)}).save_to_disk(str(tmp_path / "top" / "dd"))
    write_jsonl(tmp_path / "top" / "extra.jsonl", ROWS)
    saved = tasks(str(tmp_path / "top" / "saved"))
    assert [t.format for t in saved] == ["hf_disk", "hf_disk"]
    found = names(tasks(str(tmp_path / "top")), tmp_path / "top")
    assert [fmt for _, fmt in found] == ["hf_disk", "jsonl", "hf_disk", "hf_disk"]  # dd/train, extra, saved
    assert not [name for name, _ in found if name.endswith(".json")]  # state.json is no JSON Lines file
    cfg = InputConfig(paths=[str(tmp_path / "top")])
    texts = [
        doc.text
        for task in plan_reads(cfg)
        for doc in (to_document(r, task, cfg) for r in read_file(task.path, task.format, open_binary, ("text",)))
    ]
    assert sorted(texts) == sorted([row["text"] for row in ROWS] * 3)


def test_a_remote_directory_is_listed_through_its_filesystem():
    fs = fsspec.filesystem("memory")
    try:
        fs.pipe("/bucket/crawl/b/two.jsonl", b'{"text": "two"}\n')
        fs.pipe("/bucket/crawl/a.jsonl", b'{"text": "one"}\n')
        fs.pipe("/bucket/crawl/_SUCCESS", b"")
        fs.pipe("/bucket/crawl/.a.jsonl.crc", b"")
        fs.pipe("/bucket/crawl/_staging/tasks-000000.jsonl", b"{}\n")
        found = tasks("memory://bucket/crawl")
        assert [t.path for t in found] == ["memory:///bucket/crawl/a.jsonl", "memory:///bucket/crawl/b/two.jsonl"]
        assert tasks("memory://bucket/other/../crawl/./b") == found[1:]
        fs.mkdir("/bucket/void")
        fs.pipe("/bucket/void/notes.txt", b"")
        with pytest.raises(InputError, match="no input files in directory memory:///bucket/void"):
            tasks("memory://bucket/void")
    finally:
        fs.rm("/bucket", recursive=True)


def test_a_link_loop_inside_a_directory_is_walked_once(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", ROWS)
    (tmp_path / "in" / "loop").symlink_to(tmp_path / "in")
    assert names(tasks(str(tmp_path / "in")), tmp_path / "in") == [("a.jsonl", "jsonl")]


def test_a_runs_output_directory_reads_back_its_shards(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", [{"text": f"a page about topic {i} that is long enough"} for i in range(5)])
    config = {
        "input": {"paths": [str(tmp_path / "in.jsonl")]},
        "output": {"path": str(tmp_path / "first")},
        "filters": {"enabled": False},
    }
    first = run_job(config)
    (tmp_path / "first" / "data" / "_SUCCESS").write_text("")
    (tmp_path / "first" / "data" / ".part-00000-of-00001.parquet.crc").write_bytes(b"crc")
    config = {
        "input": {"paths": [str(tmp_path / "first" / "data")]},
        "output": {"path": str(tmp_path / "second")},
        "filters": {"enabled": False},
    }
    second = run_job(config)
    assert second["input_documents"] == first["output_documents"] == 5
    assert second["rejected_records"] == 0


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/data/./crawl/../shared/a.jsonl", "/data/shared/a.jsonl"),
        ("data//x/", "data/x"),
        ("gs://bucket/a/./b/../c.jsonl", "gs://bucket/a/c.jsonl"),
        ("s3://bucket/../../x.jsonl", "s3://bucket/x.jsonl"),  # never out of the bucket
        ("gs://bucket/dir/", "gs://bucket/dir/"),
        ("gs://bucket", "gs://bucket"),
        ("file:///data/crawl/../a.jsonl", "file:///data/a.jsonl"),
        ("https://host.example/a/../b.jsonl?sig=x/../y#f", "https://host.example/b.jsonl?sig=x/../y#f"),
        ("HuggingFaceFW/fineweb-2", "HuggingFaceFW/fineweb-2"),
    ],
)
def test_normalized_paths(given, expected):
    assert normalized(given) == expected


def test_dot_dot_and_dot_never_reach_tasks_or_rejections(tmp_path):
    for folder in ("curation", "shared"):
        (tmp_path / folder).mkdir()
    write_jsonl(tmp_path / "shared" / "a.jsonl", ["{bad"])
    given = f"{tmp_path}/curation/../shared/./a.jsonl"
    (task,) = tasks(given)
    assert task.path == f"{tmp_path}/shared/a.jsonl"
    (record,) = read_file(task.path, task.format, open_binary)
    rejection = to_document(record, task, InputConfig())
    assert rejection.source_file == f"{tmp_path}/shared/a.jsonl" and ".." not in rejection.where
    (folder_task,) = tasks(f"{tmp_path}/curation/../shared/")
    assert folder_task.path == task.path
    with pytest.raises(InputError, match=re.escape(f"input not found: {tmp_path}/shared/none.jsonl")):
        tasks(f"{tmp_path}/curation/../shared/none.jsonl")


def test_one_file_named_several_ways_is_read_once(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    write_jsonl(tmp_path / "a.jsonl", ROWS)
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "a.jsonl")
    monkeypatch.chdir(tmp_path / "sub")
    spellings = [f"{tmp_path}/sub/../a.jsonl", "../a.jsonl", "./../a.jsonl", str(tmp_path / "a.jsonl")]
    found = tasks(*spellings, str(tmp_path / "link.jsonl"), str(tmp_path))
    assert [t.path for t in found] == [f"{tmp_path}/a.jsonl"]


def test_the_output_directory_of_a_run_is_read_as_its_shards(tmp_path):
    out = tmp_path / "out"
    (out / "data").mkdir(parents=True)
    (out / "manifest.json").write_text("{}")
    (out / "rejected").mkdir()
    (out / "rejected" / "part-00000.parquet").write_bytes(b"")
    (out / "data" / "part-00000-of-00001.parquet").write_bytes(b"")
    tasks = plan_reads(InputConfig(paths=[str(out)]))
    shard = str(out / "data" / "part-00000-of-00001.parquet")
    assert [(task.path, task.format) for task in tasks] == [(shard, "parquet")]
