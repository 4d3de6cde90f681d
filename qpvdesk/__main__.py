import sys

from qpvdesk.cli import main

sys.exit(main())
