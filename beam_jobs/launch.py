"""Running a configured job end to end: checks first, the Beam pipeline, then the manifest."""

from __future__ import annotations

import logging
import os
import posixpath
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import apache_beam as beam
import fsspec

from beam_jobs.options import RunnerOptionError, engine_identity, on_one_machine, pipeline_options
from beam_jobs.pipeline import Layout, build_pipeline, progress_stages
from beam_jobs.progress import PROGRESS_LABEL, PROGRESS_NAMESPACE
from beam_jobs.workers import watch_workers
from curation import interrupts
from curation.config import PipelineConfig
from curation.finish import RejectedInputError, finish_run
from curation.io.sources import ReadTask, plan_reads
from curation.manifest import InvariantError, Manifest
from curation.outputs import (
    STAGING,
    check_output_apart,
    clear_attempt,
    discard_run,
    prepare_output_dir,
)
from curation.progress import Progress, RunProgress, clear_progress, read_progress
from curation.tokens import token_counter

ProgressCallback = Callable[[RunProgress], None]
_log = logging.getLogger(__name__)


@dataclass
class RunOutcome:
    """What a finished run reports to the person who started it."""

    manifest: Manifest
    manifest_path: str
    seconds: float
    input_bytes: int
    stage_seconds: dict[str, float]
    """Processing time per top-level stage, summed over workers (empty when the runner reports none)."""
    counters: dict[str, int]
    """The pipeline's `Metrics` counters, `namespace/name` -> value (committed, or attempted where not)."""


def _synthetic_tasks(config: PipelineConfig, staging_dir: str) -> list[str]:
    from curation.synth import write_corpus

    spec = config.input.synthetic
    assert spec is not None, "called for a synthetic input"
    path = posixpath.join(staging_dir, "input", f"synthetic-{spec.docs}-seed{spec.seed}.jsonl.gz")
    fs, local = fsspec.core.url_to_fs(path)
    fs.makedirs(posixpath.dirname(local), exist_ok=True)
    write_corpus(path, spec.docs, spec.seed)
    return [path]


class StageConfigError(ValueError):
    """A stage's settings that cannot work (a filter step, PII operators); names the key."""


def check_stages(config: PipelineConfig) -> None:
    """Build what each enabled stage would build, so a bad setting fails before anything runs."""
    if config.filters.enabled and config.filters.steps:
        from filters import build_chain

        try:
            build_chain(config.filters.steps)
        except ValueError as error:
            raise StageConfigError(f"filters.{error}") from None
    if config.pii.enabled:
        from curation.pii import check_pii_config

        try:
            check_pii_config(config.pii)
        except ValueError as error:
            raise StageConfigError(str(error)) from None


def plan(config: PipelineConfig, config_path: str | None = None) -> tuple[list[ReadTask], Layout]:
    """Check everything that can be checked before the pipeline starts; prepare the output.

    Raises `StageConfigError`, `InputError`, `TokenizerError` or `OutputError` with one clear line.
    """
    check_stages(config)
    output_dir = config.output.path.rstrip("/")
    tasks = plan_reads(config.input) if config.input.synthetic is None else None
    check_output_apart(output_dir, [task.path for task in tasks or []], config_path, config.output.overwrite)
    token_counter(config.tokenizer.name)
    prepare_output_dir(output_dir, config.output.overwrite)
    staging = posixpath.join(output_dir, STAGING)
    if tasks is None:
        tasks = plan_reads(config.input, _synthetic_tasks(config, staging))
    return tasks, Layout(output_dir, staging)


def _input_bytes(tasks: list[ReadTask]) -> int:
    total = 0
    for path in {task.path for task in tasks}:
        try:
            fs, local = fsspec.core.url_to_fs(path)
            total += fs.size(local) or 0
        except (OSError, ValueError):
            pass
    return total


def stage_seconds(result) -> dict[str, float]:
    """Execution time per top-level transform from the runner's metrics, largest first.

    The DirectRunner reports it in its monitoring infos; Prism (and other portable runners) as the
    system counter `beam/metric:ptransform_execution_time:total_msecs:v1` per step. {} where the
    runner reports neither.
    """
    from apache_beam.metrics import monitoring_infos

    totals: dict[str, float] = {}
    try:
        infos = list(getattr(result, "monitoring_infos", list)())
    except Exception as error:  # noqa: BLE001 - as for counters
        _log.warning("could not read the run's stage times (%s)", type(error).__name__)
        infos = []
    for info in infos:
        label = info.labels.get(monitoring_infos.PTRANSFORM_LABEL, "")
        if info.urn == monitoring_infos.TOTAL_MSECS_URN and label and not label.startswith(("ref_", PROGRESS_LABEL)):
            stage = label.split("/")[0]
            totals[stage] = totals.get(stage, 0.0) + monitoring_infos.extract_counter_value(info) / 1000
    if not infos:
        totals = _portable_stage_seconds(result)
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


_SYSTEM_NAMESPACE = "beam"
_TOTAL_MSECS = "metric:ptransform_execution_time:total_msecs:v1"
_PORTABLE_STEP = re.compile(r"e?ref_AppliedPTransform_([A-Za-z0-9]+)")
"""A portable step id: `ref_AppliedPTransform_` + the transform's full label with `/` as `-`."""


def _portable_stage_seconds(result) -> dict[str, float]:
    """Stage times from a portable runner's system counters, by the step's top-level label."""
    totals: dict[str, float] = {}
    for metric in _query_counters(result):
        step = _PORTABLE_STEP.match(metric.key.step or "")
        if step and step[1] == PROGRESS_LABEL:
            continue
        if metric.key.metric.namespace == _SYSTEM_NAMESPACE and metric.key.metric.name == _TOTAL_MSECS and step:
            totals[step[1]] = totals.get(step[1], 0.0) + _value(metric) / 1000
    return totals


def _query_counters(result) -> list:
    try:
        return list(result.metrics().query()["counters"])
    except Exception as error:  # noqa: BLE001 - metrics are a report; a finished run stays finished
        _log.warning("could not read the run's counters (%s)", type(error).__name__)
        return []


def _value(metric) -> int:
    return int((metric.committed if metric.committed is not None else metric.attempted) or 0)


def _totals(metrics, skip: tuple[str, ...] = ()) -> dict[str, int]:
    """Counter values summed over steps, `namespace/name` -> value, in name order, without the
    namespaces in `skip`."""
    totals: dict[str, int] = {}
    for metric in metrics:
        if metric.key.metric.namespace in skip:
            continue
        name = f"{metric.key.metric.namespace}/{metric.key.metric.name}"
        totals[name] = totals.get(name, 0) + _value(metric)
    return dict(sorted(totals.items()))


def counters(result) -> dict[str, int]:
    """Every user counter of a finished run, `namespace/name` -> value, in name order (the
    system counters that portable runners such as Prism add, namespace `beam`, and the progress
    display's, left out)."""
    return _totals(_query_counters(result), skip=(_SYSTEM_NAMESPACE, PROGRESS_NAMESPACE))


def _worth_retrying(error: BaseException) -> bool:
    """A run that failed on its data or its graph fails the same way again: only other failures
    (a worker lost, a bundle out of retries) are worth another attempt. Worker processes report
    errors as text, so the class is also looked for by name in the message."""
    from beam_jobs.minhash import ComponentsDidNotConverge
    from beam_jobs.read import InputRecordError

    deterministic = (InputRecordError, ComponentsDidNotConverge)
    if interrupts.received():
        return False
    return not isinstance(error, deterministic) and not any(kind.__name__ in str(error) for kind in deterministic)


_RAISED = re.compile(r"^(?:[\w.]+\.)?(\w+(?:Error|Exception|Exit)): (.+)$", re.MULTILINE)
"""The last line of a Python traceback: `module.KindError: message`."""


def error_line(error: BaseException) -> str:
    """`Kind: message` on one line, without Beam's `[while running ...]` trailer. A worker process
    reports its failure as the text of a traceback: then it is the error the worker raised."""
    message, kind = str(error), type(error).__name__
    if "Traceback (most recent call last)" in message:
        raised = _RAISED.findall(message)
        if raised:
            kind, message = raised[-1]
    message = re.sub(r"\s*\[while running .*?\]", "", " ".join(message.split()))
    return f"{kind}: {message}"[:500]


def input_record_error(error: BaseException) -> str | None:
    """The message of a bad record under `input.fail_fast`, raised here or in a worker process."""
    from beam_jobs.read import InputRecordError

    kind, _, message = error_line(error).partition(": ")
    return message if kind == InputRecordError.__name__ else None


def _run_attempts(
    config: PipelineConfig,
    tasks: list[ReadTask],
    layout: Layout,
    options,
    attempts: int,
    on_started: Callable[[object], None] = lambda result: None,
):
    """Run the pipeline; when it fails (a worker killed, a bundle out of retries), clear what the
    attempt wrote and run it again, up to `attempts` times in all. Output is deterministic, so a
    later attempt writes exactly what an unbroken run would. `on_started` gets the runner's result
    as soon as the runner returns it (at once for a job service, at the end for the DirectRunner).
    Returns the runner's result."""
    for attempt in range(1, attempts + 1):
        try:
            pipeline = beam.Pipeline(options=options)
            build_pipeline(pipeline, config, tasks, layout)
            with watch_workers():  # a killed worker process would otherwise hang the run
                result = pipeline.run()
                on_started(result)
                result.wait_until_finish()
            return result
        except Exception as error:
            if attempt == attempts or not _worth_retrying(error):
                raise
            _log.warning("attempt %d of %d failed (%s); running again", attempt, attempts, error_line(error))
            clear_attempt(layout.output_dir)
            fs, report = fsspec.core.url_to_fs(layout.report_path)
            if fs.exists(report):
                fs.rm(report)
            if layout.progress_dir:  # the next attempt counts from zero
                clear_progress(layout.progress_dir)


class _ProgressFeed:
    """Feeds the progress callback while the pipeline runs: from the workers' files on this
    machine, else from the counters of a runner that reports them while it runs."""

    def __init__(
        self,
        callback: ProgressCallback,
        layout: Layout,
        tasks: int,
        input_bytes: int,
        stages: list[str],
        generated: bool,
    ):
        self._callback = callback
        self._directory = layout.progress_dir
        self._tasks, self._input_bytes, self._stages = tasks, input_bytes, tuple(stages)
        self._generated = generated
        self._started = time.perf_counter()
        self.result: object | None = None

    def _from_metrics(self) -> Progress | None:
        """Counts from the runner's counters (None before it returned a result, or where they fail)."""
        if self.result is None:
            return None
        try:
            totals = _totals(self.result.metrics().query()["counters"])  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - a runner without live metrics shows none
            return None
        prefix = f"{PROGRESS_NAMESPACE}/"
        stages = {name.removeprefix(prefix): count for name, count in totals.items() if name.startswith(prefix)}
        return Progress(
            records_read=totals.get("read/documents", 0) + totals.get("read/rejected_records", 0), stages=stages
        )

    def _counted(self, finished: bool) -> Progress:
        """Workers' files where there are any; at the end, the stages as the runner counted them."""
        counted = read_progress(self._directory) if self._directory else None
        metered = self._from_metrics() if finished or counted is None else None
        if counted is None:
            return metered or Progress()
        if metered and metered.stages:
            return replace(counted, stages=metered.stages)
        return counted

    def report(self, finished: bool = False) -> None:
        seconds = time.perf_counter() - self._started
        self._callback(
            RunProgress(
                self._counted(finished),
                self._tasks,
                self._input_bytes,
                self._stages,
                seconds,
                finished,
                self._generated,
            )
        )

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(0.5):
            self.report()


def _run_pipeline(config, tasks, layout: Layout, options, attempts: int, feed: _ProgressFeed | None):
    """The pipeline's attempts, with the progress callback fed while they run."""
    if feed is None:
        return _run_attempts(config, tasks, layout, options, attempts)
    stop = threading.Event()
    watcher = threading.Thread(target=feed.run, args=(stop,), daemon=True)
    watcher.start()

    def started(result) -> None:
        feed.result = result

    try:
        result = _run_attempts(config, tasks, layout, options, attempts, started)
    finally:
        stop.set()
        watcher.join()
    feed.report(finished=True)
    return result


def execute(
    config: PipelineConfig,
    tasks: list[ReadTask],
    layout: Layout,
    beam_args: list[str],
    on_progress: ProgressCallback | None = None,
    attempts: int = 1,
) -> RunOutcome:
    """Run the pipeline, check that every document is accounted for, write the manifest last.

    `attempts` > 1 reruns a failed pipeline (the DirectRunner does not restart a dead worker, and
    Prism fails the job on a bundle's first failure). Raises `RunnerOptionError` for Beam options
    this pipeline refuses.
    """
    options = pipeline_options(beam_args)
    if attempts > 1 and not on_one_machine(options):
        raise RunnerOptionError(
            "--attempts is for the runners on this machine (DirectRunner, Prism); cluster runners retry "
            "failed bundles themselves"
        )
    input_bytes = _input_bytes(tasks)
    feed = None
    if on_progress:
        local_output = "://" not in layout.output_dir or layout.output_dir.startswith("file://")
        progress_dir = None
        if on_one_machine(options) and local_output:
            progress_dir = posixpath.join(layout.staging_dir, "progress")
            os.makedirs(progress_dir, exist_ok=True)
        layout = Layout(layout.output_dir, layout.staging_dir, progress_dir, count_progress=True)
        generated = config.input.synthetic is not None
        feed = _ProgressFeed(on_progress, layout, len(tasks), input_bytes, progress_stages(config), generated)
    started = time.perf_counter()
    try:
        result = _run_pipeline(config, tasks, layout, options, attempts, feed)
        manifest_path, manifest = finish_run(
            config,
            layout.output_dir,
            layout.staging_dir,
            layout.report_path,
            token_counter(config.tokenizer.name).identity,
            engine_identity(options),
        )
    except (InvariantError, RejectedInputError):
        raise  # the output stays, without a manifest, for whoever investigates the mismatch
    except BaseException:  # a failure or an interrupt: what the run wrote is incomplete, free the space
        discard_run(layout.output_dir)
        raise
    seconds = time.perf_counter() - started
    return RunOutcome(manifest, manifest_path, seconds, input_bytes, stage_seconds(result), counters(result))
