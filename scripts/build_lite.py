"""Build the zero-install JupyterLite site: the lessons, the exercises and the brink wheel, in a browser.

    python scripts/build_lite.py                 # writes _lite/ (what `make lite` runs)
    python scripts/build_lite.py --out DIR

Steps: build the brink wheel (``python -m build --wheel``); copy the lessons and the student
exercises (solution cells removed, as ``brink assign`` does) with one first cell added to each,
``%pip install brink``, which installs the kit from the wheel this site holds; then
``jupyter lite build`` (jupyterlite-core and jupyterlite-pyodide-kernel, the ``lite`` extra) with
the wheel indexed for piplite. Serve the folder with any static server and open ``lab/index.html``.

The stored outputs (charts included) show as soon as a notebook opens. Running code needs the
Pyodide runtime, which the Pyodide kernel fetches from its CDN when a kernel starts: a machine
with no network beyond the package registries cannot start it.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

KIT = Path(__file__).resolve().parents[1]
INSTALL_NOTE = (
    "*Zero-install copy.* This notebook runs in your browser (JupyterLite). Its stored outputs and charts "
    "show as they are. To run code, the browser first downloads the Python runtime (Pyodide) from its "
    "CDN, cdn.jsdelivr.net, which needs an internet connection; the first code cell below then installs "
    "the kit from the copy this site holds: run it first.\n\n"
    "**If the status bar at the bottom shows the kernel as \"Unknown\", or the first code cell stays at `[*]`,** "
    "the runtime could not be downloaded (no connection, or the CDN is blocked where you are), and no "
    "code runs in this copy. Read the stored outputs here, or run the lessons "
    "in JupyterLab on a computer with the kit installed (`make lab`, see the kit's README).")
INSTALL_CELL = "%pip install -q brink"


def build_wheel(out: Path) -> Path:
    """Build the brink wheel into ``out`` with ``python -m build --wheel``; return its path.

    It builds from a copy of the files the wheel is made of, so the kit's own ``build/`` folder is
    never touched (another build, e.g. a test's, may be using it at the same time).
    """
    out.mkdir(parents=True, exist_ok=True)
    src = out.parent / "wheel-source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "brink-answers", ".ipynb_checkpoints")
    for name in ("lib", "data", "exercises"):
        shutil.copytree(KIT / name, src / name, ignore=ignore, dirs_exist_ok=True)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (KIT / name).exists():
            shutil.copy(KIT / name, src / name)
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(src)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"build_lite: building the wheel failed: {done.stderr.strip().splitlines()[-1:]}")
    wheels = sorted(out.glob("brink-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"build_lite: expected one brink wheel in {out}, found {len(wheels)}")
    return wheels[0]


def stage(contents: Path) -> list[Path]:
    """Copy the lessons and the student exercises into ``contents``, each with its install cell first."""
    staged = []
    for folder in ("notebooks", "exercises"):
        (contents / folder).mkdir(parents=True, exist_ok=True)
        for src in sorted((KIT / folder).glob("*.ipynb")):
            nb = nbformat.read(src, as_version=4)
            nb.cells = [c for c in nb.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
            first = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
            nb.cells[first:first] = [nbformat.v4.new_markdown_cell(INSTALL_NOTE, id="lite-note"),
                                     nbformat.v4.new_code_cell(INSTALL_CELL, id="lite-install")]
            dest = contents / folder / src.name
            nbformat.write(nb, dest)
            staged.append(dest)
    return staged


def build(out: Path) -> dict:
    """Build the JupyterLite site into ``out`` (replaced).

    Returns:
        ``{"wheel": name, "notebooks": [paths relative to the site's files/]}``.
    """
    out = Path(out).resolve()  # the build runs in a temporary folder: a relative path would land there
    with tempfile.TemporaryDirectory(prefix="brink-lite-") as tmp:
        tmp = Path(tmp)
        wheel = build_wheel(tmp / "dist")
        staged = stage(tmp / "contents")
        if out.exists():
            shutil.rmtree(out)
        cmd = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(tmp / "lite"),
               "--output-dir", str(out), "--piplite-wheels", str(wheel), "--no-sourcemaps",
               "--contents", str(tmp / "contents")]
        (tmp / "lite").mkdir()
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
        if done.returncode != 0:
            raise SystemExit("build_lite: jupyter lite build failed:\n" + (done.stdout + done.stderr)[-3000:])
        return {"wheel": wheel.name, "notebooks": [p.relative_to(tmp / "contents").as_posix() for p in staged]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build the zero-install JupyterLite site.")
    ap.add_argument("--out", type=Path, default=KIT / "_lite")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    summary = build(out)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    if not (out / "lab" / "index.html").is_file() or not size:
        raise SystemExit(f"build_lite: the build wrote no site to {out}")
    print(f"lite: {len(summary['notebooks'])} notebooks and {summary['wheel']} -> {args.out} "
          f"({size / 1e6:.0f} MB); serve it and open lab/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
