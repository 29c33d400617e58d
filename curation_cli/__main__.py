"""`python -m curation_cli ...` is `curation ...`."""

import sys

from curation_cli.main import main

sys.exit(main())
