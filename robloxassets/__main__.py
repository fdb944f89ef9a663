"""`python -m robloxassets` runs the same entry point as the `robloxassets` command."""

import sys

from robloxassets.cli import main

sys.exit(main())
