"""Token counting: our Beam stage and library call against plain tiktoken on the same texts.

    python benchmarks/bench_tokens.py [--repeats 5] [--tokenizer o200k_base]

Prints tokens per second (medians of the repeats) and the overhead of our counting stage over
`tiktoken.Encoding.encode_ordinary_batch` (goal: under 15%). The stage is timed as a Beam
pipeline with the stage minus the same pipeline without it, so Beam's start-up is not counted.
"""

from __future__ import annotations

import argparse
import statistics
import time

import apache_beam as beam
from _corpus import benchmark_texts
from apache_beam.options.pipeline_options import PipelineOptions

from beam_jobs.tokens import CountTokens
from curation.document import Document
from curation.tokens import token_counter


def _seconds(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _pipeline(docs: list[Document], tokenizer: str | None) -> None:
    options = PipelineOptions(["--runner=DirectRunner", "--direct_running_mode=in_memory"])
    with beam.Pipeline(options=options) as pipeline:
        stream = pipeline | beam.Create(docs, reshuffle=False)
        if tokenizer:
            stream = stream | CountTokens(tokenizer)
        _ = stream | beam.Map(lambda doc: doc.token_count) | beam.CombineGlobally(sum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tokenizer", default="o200k_base")
    args = parser.parse_args()
    description, texts = benchmark_texts()
    counter = token_counter(args.tokenizer)
    import tiktoken

    plain = tiktoken.get_encoding(args.tokenizer)
    docs = [Document(id=str(i), text=text, source="bench") for i, text in enumerate(texts)]
    tokens = sum(len(ids) for ids in plain.encode_ordinary_batch(texts))
    megabytes = sum(len(text.encode()) for text in texts) / 1e6
    timings: dict[str, list[float]] = {"tiktoken": [], "library": [], "stage": []}
    for _ in range(args.repeats):
        timings["tiktoken"].append(_seconds(lambda: plain.encode_ordinary_batch(texts)))
        timings["library"].append(_seconds(lambda: counter.count_batch(texts)))
        with_stage = _seconds(lambda: _pipeline(docs, args.tokenizer))
        without = _seconds(lambda: _pipeline(docs, None))
        timings["stage"].append(max(with_stage - without, 1e-9))
    print(f"{description}: {megabytes:.1f} MB, {tokens:,} tokens ({args.tokenizer}), median of {args.repeats}")
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, seconds in medians.items():
        print(f"  {name:<9} {tokens / seconds / 1e6:6.2f} M tokens/s  {megabytes / seconds:6.1f} MB/s")
    overhead = medians["stage"] / medians["tiktoken"] - 1
    print(f"stage overhead over tiktoken encode_ordinary_batch: {overhead:+.1%} (goal < +15%)")


if __name__ == "__main__":
    main()
