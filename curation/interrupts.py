"""Interrupts (SIGINT, SIGTERM) turned into one clean failure of the command that received them.

The first signal raises `KeyboardInterrupt` in the main thread and is remembered, so a run whose
libraries swallow or rewrap the exception still fails instead of writing a manifest; a second
signal ends the process at once.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_INTERRUPTED = 130
_HANDLED = (signal.SIGINT, signal.SIGTERM)
_received: list[int] = []


class Interrupted(KeyboardInterrupt):
    """The run was interrupted by a signal; the message names it."""


def received() -> str | None:
    """The name of the first signal received inside `handle_interrupts`, if any."""
    return signal.Signals(_received[0]).name if _received else None


def check() -> None:
    """Raise `Interrupted` if a signal arrived, even one whose exception something swallowed."""
    if _received:
        raise Interrupted(f"interrupted by {received()}")


def message() -> str:
    """The one line a person reads after an interrupt."""
    return f"interrupted by {received() or 'SIGINT'}; no manifest was written and the partial output was removed"


def _on_signal(signum: int, _frame) -> None:
    if _received:  # a second signal: the person wants out now
        sys.stderr.write(f"error: interrupted again by {signal.Signals(signum).name}; stopped at once\n")
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    _received.append(signum)
    logging.disable(logging.ERROR)  # the runners' tracebacks of the stopped work are noise now
    raise Interrupted(f"interrupted by {signal.Signals(signum).name}")


@contextmanager
def handle_interrupts() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise `Interrupted` (the main thread only)."""
    _received.clear()
    previous = {}
    for signum in _HANDLED:
        try:
            if signal.getsignal(signum) is not signal.SIG_IGN:  # a background job ignores SIGINT: keep it so
                previous[signum] = signal.signal(signum, _on_signal)
        except ValueError:  # not the main thread: leave signals to whoever owns it
            pass
    unraisable = sys.unraisablehook
    sys.unraisablehook = _quiet_unraisable(unraisable)
    try:
        yield
    finally:
        sys.unraisablehook = unraisable
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if _received:
            logging.disable(logging.NOTSET)


def _quiet_unraisable(hook):
    """A signal that lands in a finalizer (`__del__`) cannot propagate: Python would print its
    traceback as "Exception ignored" and go on. Print nothing and send the signal again, so it
    is raised where the program is once the finalizer has returned."""

    def quiet(unraisable) -> None:
        if not isinstance(unraisable.exc_value, Interrupted) or not _received:
            hook(unraisable)
            return
        signum = _received.pop()  # so that it counts as the first signal again, not a second
        threading.Timer(0.05, os.kill, (os.getpid(), signum)).start()  # after the finalizer returned

    return quiet
