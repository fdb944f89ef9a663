"""Entry script of the frozen app: the same ``main`` as the ``robloxassets`` command.

Guarded, because worker processes started from a fresh interpreter import the main module.
"""

import sys

from robloxassets.cli import main

if __name__ == "__main__":
    sys.exit(main())
