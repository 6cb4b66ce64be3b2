"""Execute notebooks top to bottom and store their outputs, the way the kit commits them.

    python scripts/run_notebooks.py notebooks/*.ipynb      # execute and save in place
    python scripts/run_notebooks.py --no-write notebooks/*.ipynb   # only time them
    python scripts/run_notebooks.py --charts-only notebooks/01-timeline.ipynb   # after a save in JupyterLab

Outputs are kept reproducible: no timing metadata, execution counts 1, 2, 3 … in
order, notebook metadata trimmed to the kernelspec and the kernel's language_info, and widget
views (random model ids) reduced to their text. Every chart output also stores a static SVG
copy of the chart (``scripts/static_charts.py``) for GitHub, nbviewer, nbconvert and Jupyter
Book, and a small PNG preview (so that JupyterLab writes none in on opening). ``--charts-only``
does that last step alone, without a kernel: the fix for a lesson saved from JupyterLab. Exercise notebooks run with an
empty answer folder, so no one's saved answers end up in the stored outputs. It prints
the wall time of each notebook (the figures the README reports).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from brink.exercises.build import notebook_metadata
from static_charts import with_static

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def coalesce_streams(outputs: list) -> list:
    """Merge consecutive outputs of the same stream: how a kernel chunks its prints varies from run to run."""
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1]["name"] == out["name"]):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def run(path: Path, write: bool) -> float:
    nb = nbformat.read(path, as_version=4)
    nb.metadata = notebook_metadata()
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    # the kernel's own language_info, which JupyterLab writes in when the kernel starts: the same, so a
    # lesson does not open as modified (brink.exercises.build.notebook_metadata)
    reported = nb.metadata.get("language_info")
    nb.metadata = notebook_metadata()
    if reported != nb.metadata["language_info"]:
        raise SystemExit(f"{path}: the kernel reported language_info {reported}, not "
                         f"{nb.metadata['language_info']}: update brink.exercises.build.notebook_metadata")
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
        for out in cell.get("outputs", []):
            # a live widget's view carries a random model id and no state once the kernel is gone:
            # keep only its text, which a notebook shows until it is run again
            out.get("data", {}).pop(WIDGET_VIEW, None)
    if write:
        with_static(nb)
        nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    import os
    import tempfile
    os.environ["BRINK_ANSWERS"] = tempfile.mkdtemp(prefix="brink-answers-")
    write = "--no-write" not in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    if "--charts-only" in argv:
        for p in paths:
            nb = nbformat.read(p, as_version=4)
            n = with_static(nb)
            nbformat.write(nb, p)
            print(f"{p}: {n} chart(s) with a static SVG copy and a PNG preview", flush=True)
        return 0
    for p in paths:
        print(f"{p}: {run(p, write):.1f} s{'' if write else ' (not saved)'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
