"""Build the outreach materials: `python build.py --help` for the options."""

import sys
from pathlib import Path

from handout.cli.main import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))
