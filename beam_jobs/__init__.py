"""Thin Apache Beam wiring: PTransforms that compose `curation` and `filters` calls."""

import logging

# Beam's worker logs every element it processes at DEBUG ("Processing [...]"): document text and
# the personal data in it would reach the logs of anyone who turns on DEBUG. This module is
# imported wherever our DoFns are unpickled, so the cap holds on remote workers too.
logging.getLogger("apache_beam.runners.worker.operations").setLevel(logging.INFO)
