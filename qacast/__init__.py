"""qacast: turn written Q&A interviews into multi-voice podcast episodes."""

import os
import signal
import sys
from pathlib import Path

__version__ = "0.1.0"


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C before a command runs: nothing was written, so leave quietly."""
    os.write(2, b"qacast: interrupted; no partial files were left\n")
    os._exit(130)


# Starting the CLI imports for a few tenths of a second, and a Ctrl-C then
# would print a traceback of whichever module was loading. Only when qacast is
# the program (its console script, or `python -m qacast.cli`, which imports
# this package while sys.argv[0] is still "-m"), never for a program that
# imports qacast; cli.run() gives Python its own handler back before the
# command starts.
if Path(sys.argv[0]).name == "qacast" or sys.argv[0] == "-m":
    signal.signal(signal.SIGINT, _interrupted_while_starting)
