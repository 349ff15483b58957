"""Subcommands of ``socialdesk``, one module per feature.

Each module has ``register(commands)``, which adds its subparsers to the
``argparse`` sub-parser action and sets ``run`` on each to a function taking the
parsed arguments and returning an exit status. Helpers shared by every command
live in :mod:`socialdesk.commands.common`.
"""
