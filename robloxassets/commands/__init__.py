"""Subcommands of the ``robloxassets`` command line, one module per job.

Each module exposes ``register(subparsers)``, which adds its parsers and sets
``func=handler`` on them; a handler takes the parsed ``argparse.Namespace`` and returns the
exit code. Handlers stay thin: the work happens in ``robloxassets.core``.
"""
