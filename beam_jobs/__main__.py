"""`python -m beam_jobs ...` is `curation run ...`."""

import sys

from curation.cli import main

sys.exit(main(["run", *sys.argv[1:]]))
