"""The ``brink`` command. Each subcommand lives in its own module and registers itself here.

    brink assign OUT                      # a student release of the kit, without readable answers
    brink submit --name "Ada Lovelace"    # in the exercises folder: one submission file
    brink grade SUBMISSIONS... -o gradebook.csv
    brink lab                             # JupyterLab on the kit or release you are in

A subcommand module has ``register(subparsers)``, which adds its parsers and sets
``func`` on each to a function taking the parsed arguments and returning an exit status.
A problem the user can fix is reported as one line on standard error, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from .errors import BrinkError

#: modules that add subcommands, in the order ``brink --help`` lists them
COMMAND_MODULES = ["brink.exercises.commands", "brink.lab", "brink.hub", "brink.dataset.commands",
                   "brink.export.commands", "brink.analysis.commands", "brink.analysis.forecast_commands"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brink", description="Brink: the kit's command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one ``brink`` command; a :class:`~brink.errors.BrinkError` it raises becomes one line on
    standard error and the error's exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrinkError as e:
        # "brink: …", or "brink assign: …" for a command that names itself (``error_prefix``)
        print(f"{getattr(args, 'error_prefix', 'brink')}: {str(e).removeprefix('brink: ')}", file=sys.stderr)
        return e.exit_code


if __name__ == "__main__":
    sys.exit(main())
