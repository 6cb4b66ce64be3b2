"""Fill in the start/end offsets of hand-coded verbatim spans: a thin wrapper of `brink source fill`.

    python scripts/locate_spans.py          # fill every annotation file of the data folder
    python scripts/locate_spans.py --check  # only report, change nothing
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from brink.cli import main

if __name__ == "__main__":
    sys.exit(main(["source", "fill", *sys.argv[1:]]))
