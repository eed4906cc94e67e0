"""The command line.

    python build.py [--region ID...] [--lang CODE...] [--material NAME...] [--list] [--strict]
    python build.py --check [--strict] [--verbose]
    python build.py translations update|status [--lang CODE...]
    python build.py verify-sheet [--all]
    python build.py mark-checked ID... [--date YYYY-MM-DD] [--verified] [--how HOW]
    python build.py schema
    python build.py previews
    python build.py merge-manifests DIR... [--out FOLDER]
    python build.py import-hsds PATH --region ID [--force] [--dry-run] [--source TEXT]
    python build.py serve [--port N] [--region ID...] [--lang CODE...] [--material NAME...]

Exit codes: 0 done; 1 a mistake in the content or options (the message says where and how
to fix it), or --strict found a warning, or a file could not be written (the message names
it and says it was not changed); 2 wrong command-line usage; 3 a bug in handout (its
traceback is printed, with a request to report it); 130 stopped by Ctrl-C or SIGTERM;
141 the output went to a pipe that was closed early (`python build.py --list | head -5`):
the command ends quietly, as programs killed by SIGPIPE do (128 + 13, what a shell reports
for them).

Each command is a module of this package with `parser(root)` and `run(options)`. A command's
module is imported only when it runs: a build with nothing to do must answer in a tenth of a
second, before any other command's imports (Jinja, Babel, WeasyPrint) are loaded.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import os
import select
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from handout.content.errors import UserError

BUG = 3
STOPPED = 130
"""Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report Ctrl-C)."""
OUTPUT_CLOSED = 141
"""The reader of the output went away (128 + SIGPIPE, as shells report `yes | head`)."""

COMMANDS = {
    "translations": "translations",
    "verify-sheet": "verify_sheet",
    "mark-checked": "mark_checked",
    "schema": "schema",
    "previews": "previews",
    "merge-manifests": "merge_manifests",
    "import-hsds": "import_hsds",
    "serve": "serve",
}
"""Each command's name on the command line -> its module in `handout.cli`. Without a
command name, the arguments are the build's (`handout.cli.build`)."""


def command_module(name: str) -> ModuleType:
    """The module of a command: `build`, or a value of `COMMANDS`."""
    return importlib.import_module(f"handout.cli.{name}")


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM stops a command the way Ctrl-C does (KeyboardInterrupt), so that the build
    stops its workers, removes its temporary files and lets go of the output folder."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    """Run one command; its exit code (see the module's docstring).

    Output to a pipe whose reader is gone (`| head -5`) ends the command quietly with
    `OUTPUT_CLOSED`, whichever command printed: the output is flushed here, inside the
    `try`, not at exit where Python would print a traceback of its own."""
    try:
        try:
            return _run(argv, root)
        except SystemExit as done:  # argparse: --help printed, or a usage error
            if done.code in (0, None) and _reader_gone():
                return _output_closed()  # argparse ignores a failed write of the help
            raise
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        return _output_closed()


def _reader_gone() -> bool:
    """Whether the output is a pipe that nobody reads any more (poll says POLLERR)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _fd, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # not a file (tests), or no poll()
        return False


def _output_closed() -> int:
    """What the Python documentation advises on SIGPIPE: point the closed output at
    os.devnull, so that the flush at exit finds nothing to complain about, and end."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
    return OUTPUT_CLOSED


def unknown_command(name: str) -> str:
    """What to say for a first word that is no command (`verify-sheets`, `serv`)."""
    guess = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.6)
    hint = f"; did you mean `{guess[0]}`?" if guess else ""
    return f"there is no command `{name}`{hint} (the commands: {', '.join(COMMANDS)})"


def _run(argv: list[str] | None, root: Path | None) -> int:
    root = root or Path.cwd()
    argv = sys.argv[1:] if argv is None else argv
    try:
        with _stopped_by_sigterm():
            if argv[:1] and argv[0] in COMMANDS:
                command = command_module(COMMANDS[argv[0]])
                return command.run(command.parser(root).parse_args(argv[1:]))
            command = command_module("build")
            build_parser = command.parser(root)
            if argv[:1] and not argv[0].startswith("-"):
                build_parser.error(unknown_command(argv[0]))
            return command.run(build_parser.parse_args(argv))
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "stopped (Ctrl-C or SIGTERM): the render workers were stopped and no half-written "
            "file was left in the output folder",
            file=sys.stderr,
        )
        return STOPPED
    except BrokenPipeError:
        raise  # the output's reader is gone: see `main`
    except Exception:
        traceback.print_exc()
        print(
            "\nThis is a bug in handout, not a mistake of yours. Please report it with the "
            "text above and the command you ran.",
            file=sys.stderr,
        )
        return BUG
