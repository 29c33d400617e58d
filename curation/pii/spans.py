"""Choosing among overlapping spans, deterministically."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from curation.document import PiiSpan


def resolve_overlaps(spans: Iterable[PiiSpan], fixed: Iterable[PiiSpan] = ()) -> list[PiiSpan]:
    """Non-overlapping spans sorted by start: the higher score wins, then the longer span, then
    the earlier start, then the entity type's name (so the result never depends on input order).

    `fixed` spans (already non-overlapping) are kept and win over every span that overlaps them.
    """
    ranked = sorted(set(spans), key=lambda s: (-s.score, -(s.end - s.start), s.start, s.entity_type, s.end))
    kept: list[PiiSpan] = sorted(fixed, key=lambda s: (s.start, s.end))
    starts: list[int] = [s.start for s in kept]
    for span in ranked:
        if span.end <= span.start:
            continue
        index = bisect.bisect_left(starts, span.start)
        if index > 0 and kept[index - 1].end > span.start:
            continue
        if index < len(kept) and kept[index].start < span.end:
            continue
        starts.insert(index, span.start)
        kept.insert(index, span)
    return kept
