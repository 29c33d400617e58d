"""Beam pipeline options: the user's flags, with a local runner named explicitly by default."""

from __future__ import annotations

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions, WorkerOptions

LOCAL_RUNNERS = ("direct", "fnapi", "bundlebaseddirect", "switchingdirect")
"""Local runner names as Beam compares them: lower case, without the `Runner` suffix."""


class RunnerOptionError(ValueError):
    """Beam options this pipeline refuses, with the reason."""


def pipeline_options(beam_args: list[str]) -> PipelineOptions:
    """Options from Beam flags; without `--runner`, the DirectRunner in memory.

    Naming the mode keeps Beam 2.77 from trying to download the Prism runner first, which
    stalls on a closed network. `--direct_running_mode=multi_processing` uses all cores.
    """
    options = PipelineOptions(beam_args)
    standard = options.view_as(StandardOptions)
    direct = options.view_as(DirectOptions)
    if standard.runner is None:
        standard.runner = "DirectRunner"
    if is_local(options):
        if not _given("--direct_running_mode", beam_args):
            direct.direct_running_mode = "in_memory"
        if direct.direct_running_mode == "multi_threading":
            raise RunnerOptionError(
                "--direct_running_mode=multi_threading loses records on GroupByKey in Beam 2.77; "
                "use in_memory or multi_processing"
            )
        if not _given("--default_sdk_harness_log_level", beam_args):
            # multi_processing workers otherwise log every channel they open at INFO.
            options.view_as(WorkerOptions).default_sdk_harness_log_level = "WARNING"
    return options


def _given(flag: str, beam_args: list[str]) -> bool:
    return any(arg == flag or arg.startswith(f"{flag}=") for arg in beam_args)


def is_local(options: PipelineOptions) -> bool:
    runner = options.view_as(StandardOptions).runner
    return isinstance(runner, str) and runner.lower().removesuffix("runner") in LOCAL_RUNNERS
