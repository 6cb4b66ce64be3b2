"""Execute notebooks top to bottom and store their outputs, the way the kit commits them.

    python scripts/run_notebooks.py notebooks/*.ipynb      # execute and save in place
    python scripts/run_notebooks.py --no-write notebooks/*.ipynb   # only time them

Outputs are kept reproducible: no timing metadata, execution counts 1, 2, 3 … in
order, and notebook metadata trimmed to the kernelspec and language name. It prints
the wall time of each notebook (the figures the README reports).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def run(path: Path, write: bool) -> float:
    nb = nbformat.read(path, as_version=4)
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    if write:
        nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    write = "--no-write" not in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    for p in paths:
        print(f"{p}: {run(p, write):.1f} s{'' if write else ' (not saved)'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
