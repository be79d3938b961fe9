"""`python -m builder.cli …` runs the `course` command."""

import sys

from builder.cli import main

sys.exit(main())
