"""``python -m factcheck``: the command line (see ``factcheck.cli``)."""

import sys

from factcheck.cli import main

if __name__ == "__main__":
    sys.exit(main())
