"""Names of the tagged outputs every stage may emit besides its main output."""

DROPPED = "dropped"
REJECTED = "rejected"
DUPLICATES = "duplicates"
SIGNALS = "signals"
