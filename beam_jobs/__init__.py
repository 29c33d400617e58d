"""Thin Apache Beam wiring: PTransforms that compose `curation` and `filters` calls."""
