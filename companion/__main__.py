"""`python -m companion` runs the same front door as the `companion` command."""

import sys

from companion.cli import main

sys.exit(main())
