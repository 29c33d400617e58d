"""Core library of the curation pipeline: documents, config, I/O, text and the CLI.

Nothing in this package imports Apache Beam; `beam_jobs` wires these calls into pipelines.
"""

__version__ = "0.1.0"
