"""qacast: turn written Q&A interviews into multi-voice podcast episodes."""

import os
import signal
import sys

__version__ = "0.1.0"


def leave_interrupted(signum: int, frame: object) -> None:
    """Ctrl-C while no command is at work (still starting, or parsing its
    options): nothing was written, so leave at once, as a Ctrl-C should (130)."""
    os.write(2, b"qacast: interrupted; no partial files were left\n")
    os._exit(130)


# Starting the CLI imports for a few tenths of a second, and a Ctrl-C then
# would print a traceback of whichever module was loading and end the process
# by the signal rather than with 130. So the handler comes first, before any
# other import. Only when qacast is the program (its console script, or
# `python -m qacast.cli`, which imports this package while sys.argv[0] is
# still "-m"), never for a program that imports qacast; the CLI's command
# runs with Python's own handler (see qacast/cli.py).
# os.path, not pathlib: importing pathlib (and urllib with it) is part of the
# window this closes.
if os.path.basename(sys.argv[0]) == "qacast" or sys.argv[0] == "-m":  # noqa: PTH119
    signal.signal(signal.SIGINT, leave_interrupted)
