"""Beam pipeline options: the user's flags, with a local runner named explicitly by default."""

from __future__ import annotations

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

LOCAL_RUNNERS = ("DirectRunner", "FnApiRunner", "BundleBasedDirectRunner", "SwitchingDirectRunner")


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
    if is_local(options) and not any(arg.startswith("--direct_running_mode") for arg in beam_args):
        direct.direct_running_mode = "in_memory"
    return options


def is_local(options: PipelineOptions) -> bool:
    runner = options.view_as(StandardOptions).runner
    return isinstance(runner, str) and runner in LOCAL_RUNNERS
