"""`python -m beam_jobs ...` is `curation run ...`."""

import sys

from curation_cli.main import main

sys.exit(main(["run", *sys.argv[1:]]))
