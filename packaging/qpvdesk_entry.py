"""PyInstaller entry point of the frozen app (build.spec): the same main() as `python -m qpvdesk`."""

import sys

from qpvdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
