"""Readers that turn input files into records, and the planning of what to read."""
