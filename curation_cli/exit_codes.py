"""The exit codes of every `curation` command, in one table.

| code | meaning |
|---|---|
| 0 | done |
| 1 | the work itself failed: a pipeline error, a fetch refused, a `verify` mismatch |
| 2 | a flag, config or option that cannot be used; nothing was started |
| 3 | the input: missing or unreadable; a bad record under `input.fail_fast`; a run that rejected |
|   | more than `input.max_rejected_share` of its records; a bad line given to `scrub --jsonl` |
| 4 | a run whose documents do not add up (input != output + dropped); no manifest was written |
| 130 | interrupted by SIGINT or SIGTERM, as shells report it |
"""

from curation.interrupts import EXIT_INTERRUPTED

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_INVARIANT = 4

__all__ = ["EXIT_FAILED", "EXIT_INPUT", "EXIT_INTERRUPTED", "EXIT_INVARIANT", "EXIT_OK", "EXIT_USAGE"]
