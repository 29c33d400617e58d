"""The datatrove side of the end-to-end benchmark; runs inside `benchmarks/.venv` (datatrove 0.10.1).

    python datatrove_side.py SPEC.json

Imports nothing from this project. SPEC names the input folder (JSONL.gz files), a scratch folder,
the lid.176.ftz file, tasks and workers; the result (seconds per executor and datatrove's own
per-step stats) is written to SPEC["result"]. The pipeline is the FineWeb recipe cut to the
stages the two systems share (datatrove's `examples/fineweb.py` and
`examples/minhash_deduplication.py`):

1. JsonlReader -> LanguageFilter(["en"], 0.65) -> GopherRepetitionFilter() -> GopherQualityFilter()
   -> JsonlWriter (the survivors) -> MinhashDedupSignature
2. MinhashDedupBuckets (one task per bucket)
3. MinhashDedupCluster (one task: datatrove requires world_size == 1)
4. JsonlReader (the survivors) -> MinhashDedupFilter -> PIIFormatter() -> ParquetWriter

Every filter and the MinHash filter get an exclusion writer that keeps only id and reason (our
drop ledger keeps no text either), so agreement can be explained stage by stage.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def ledger_adapter(self, document) -> dict:
    """What an exclusion writer keeps of a dropped document: its id and the reason (no text)."""
    return {"id": document.id, "reason": document.metadata.get("filter_reason")}


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets
    from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter, LanguageFilter
    from datatrove.pipeline.formatters import PIIFormatter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter, ParquetWriter

    work = Path(spec["scratch"])
    tasks, workers = spec["tasks"], spec["workers"]
    config = MinhashConfig(n_grams=5, num_buckets=16, hashes_per_bucket=8)  # 128 permutations, as ours

    def removed(stage: str) -> JsonlWriter:
        return JsonlWriter(str(work / "removed" / stage), adapter=ledger_adapter)

    language = LanguageFilter(languages=["en"], language_threshold=0.65, exclusion_writer=removed("language"))
    # datatrove downloads lid.176.bin on first use (datatrove/utils/lid.py, FastTextLID.model); point its
    # "download" at the same lid.176.ftz ours uses. A file:// URL is copied into the asset cache
    # (HF_ASSETS_CACHE, set to the scratch folder by the caller) by the same process-safe code path.
    language.model.MODEL_URL = "file://" + spec["model"]

    stages = {
        "1 read+filters+signatures": LocalPipelineExecutor(
            pipeline=[
                JsonlReader(spec["input"], glob_pattern="*.jsonl.gz"),
                language,
                GopherRepetitionFilter(exclusion_writer=removed("gopher_repetition")),
                GopherQualityFilter(exclusion_writer=removed("gopher_quality")),
                JsonlWriter(str(work / "filtered")),
                MinhashDedupSignature(output_folder=str(work / "signatures"), config=config),
            ],
            tasks=tasks,
            workers=workers,
            logging_dir=str(work / "logs" / "1_filter_signatures"),
        ),
        "2 buckets": LocalPipelineExecutor(
            pipeline=[
                MinhashDedupBuckets(
                    input_folder=str(work / "signatures"), output_folder=str(work / "buckets"), config=config
                )
            ],
            tasks=config.num_buckets,
            workers=workers,
            logging_dir=str(work / "logs" / "2_buckets"),
        ),
        "3 cluster": LocalPipelineExecutor(
            pipeline=[
                MinhashDedupCluster(
                    input_folder=str(work / "buckets"), output_folder=str(work / "remove_ids"), config=config
                )
            ],
            tasks=1,
            workers=1,
            logging_dir=str(work / "logs" / "3_cluster"),
        ),
        "4 dedup filter+PII+write": LocalPipelineExecutor(
            pipeline=[
                JsonlReader(str(work / "filtered")),
                MinhashDedupFilter(input_folder=str(work / "remove_ids"), exclusion_writer=removed("minhash")),
                PIIFormatter(),
                ParquetWriter(spec["output"]),
            ],
            tasks=tasks,
            workers=workers,
            logging_dir=str(work / "logs" / "4_dedup_filter"),
        ),
    }
    result = {"seconds": {}, "stats": {}}
    for name, executor in stages.items():
        if name.startswith("4"):
            # stage 4 must read exactly what stage 1 wrote, task by task (MinhashDedupFilter matches
            # documents by their position in the task): a task whose documents were all filtered
            # wrote no file, which would shift the files between tasks.
            written = sorted(p.name for p in (work / "filtered").glob("*.jsonl.gz"))
            expected = [f"{rank:05d}.jsonl.gz" for rank in range(tasks)]
            if written != expected:
                raise SystemExit(f"datatrove stage 1 wrote {written}, expected {expected}: stage 4 would misalign")
        started = time.perf_counter()
        executor.run()
        result["seconds"][name] = time.perf_counter() - started
        stats_file = Path(executor.logging_dir.path) / "stats.json"
        result["stats"][name] = json.loads(stats_file.read_text()) if stats_file.exists() else None
    Path(spec["result"]).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
