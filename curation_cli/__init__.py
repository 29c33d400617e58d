"""The command lines (`curation run | synth | verify | stats | scrub | engines`): the application
layer above the library (`curation`, `filters`) and the Beam jobs (`beam_jobs`).

It parses flags, calls the library or `beam_jobs.launch`, and turns every error into one
`error:` line and an exit code from `curation_cli.exit_codes`. Nothing below it imports it.
"""
