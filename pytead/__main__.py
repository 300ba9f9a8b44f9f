"""``python -m pytead``: the same command line as ``pytead``."""

import sys

from pytead._cli import main

if __name__ == "__main__":
    sys.exit(main())
