"""Print the kit's speed and memory figures as ratios measured in one run (``make bench``).

    python scripts/bench.py            # every figure
    python scripts/bench.py --imports  # only the import figures

Figures, each measured here and now, so machines of different speed give comparable ratios:
- import cost: CPU time (median of several fresh processes) of ``import brink`` plus a lesson's
  setup cell, here and in a lean environment without JupyterLab (``.cache/lean-venv``: only
  pandas, altair<6 and ipywidgets, at the kit's pins, created once with pip), and of the same plus
  loading every table, against the lean floor ``import pandas, altair, ipywidgets``;
- each notebook's run (kernel start included) against an empty kernel's start, and the kernel's
  peak memory (its maximum resident set size) at the end of each lesson;
- where each notebook's seconds go beyond the kernel start: the notebook run again under cProfile in its
  kernel, the CPU seconds by package (the kernel's own machinery left out) and the kit's costliest calls;
- which heavy packages each exercise notebook's kernel imported (an exercise should not need the chart stack);
- the click → feedback latency the browser suite wrote to ``test-artifacts/latency.txt``.
It prints figures and asserts nothing about speed.
"""
from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
LEAN = KIT / ".cache" / "lean-venv"
LEAN_PACKAGES = ["pandas", "altair", "ipywidgets"]
TABLES = ["sources", "events", "event_reports", "quotes", "claims", "claim_links", "discrepancies",
          "people", "source_fields", "icd203"]
FLOOR = "import pandas, altair, ipywidgets"


def pins() -> list[str]:
    """The kit's own pins of the lean packages (altair stays below 6 by the kit's pin)."""
    deps = tomllib.loads((KIT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return [d for d in deps if re.split(r"[=<>!~ \[]", d)[0].lower() in LEAN_PACKAGES]


def lean_python() -> Path:
    """The lean environment's Python, created once under ``.cache/`` (pip, the package index)."""
    python = LEAN / "bin" / "python"
    stamp = LEAN / ".lean-installed"
    if not stamp.exists() or stamp.read_text() != "\n".join(pins()):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(LEAN)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins()],
                       check=True)
        stamp.write_text("\n".join(pins()))
    return python


def setup_cell(lesson: str = "01-timeline") -> str:
    """The source of a lesson's setup cell (its first code cell)."""
    nb = json.loads((KIT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    return next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def cpu_seconds(python: Path, code: str) -> float:
    """CPU time one fresh process spends running ``code`` (interpreter start-up excluded)."""
    timed = f"import time as _t\n_c = _t.process_time()\n{code}\nprint('CPU', _t.process_time() - _c)\n"
    env = dict(os.environ, PYTHONPATH=str(KIT / "lib"), PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run([str(python), "-c", timed], capture_output=True, text=True, env=env, cwd=KIT)
    if out.returncode:
        raise RuntimeError(f"{python} failed:\n{out.stderr[-2000:]}")
    return float(out.stdout.rsplit("CPU", 1)[1])


def medians(cases: dict, repeats: int = 5) -> dict:
    """Median CPU seconds of each ``name -> (python, code)``, the runs interleaved so drift hits all alike."""
    runs = {name: [] for name in cases}
    for _ in range(repeats):
        for name, (python, code) in cases.items():
            runs[name].append(cpu_seconds(python, code))
    return {name: statistics.median(v) for name, v in runs.items()}


def import_figures(repeats: int = 5) -> dict:
    """Median CPU seconds: setup here and lean; setup plus every table here; the lean floor."""
    lean, here, setup = lean_python(), Path(sys.executable), setup_cell()
    tables = setup + "\n" + "\n".join(f"brink.{t}()" for t in TABLES)
    return medians({"setup": (here, setup), "setup (lean)": (lean, setup),
                    "setup + tables": (here, tables), "floor (lean)": (lean, FLOOR)}, repeats)


def run_notebook(path: Path | None) -> tuple[float, int]:
    """Wall seconds to start a kernel and run a notebook (None: an empty one), and the kernel's peak RSS in KiB."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4) if path else nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"))
    start = time.perf_counter()
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str((path or KIT / "notebooks" / "x").parent)}}).execute()
    seconds = time.perf_counter() - start
    return seconds, int(nb.cells[-1].outputs[0]["text"].strip())


#: the kernel's own machinery, left out of a lesson's profile: it runs between cells whatever the lesson does
KERNEL_PACKAGES = {"ipykernel", "zmq", "tornado", "asyncio", "traitlets", "jupyter_client", "IPython", "comm",
                   "selectors", "threading", "debugpy", "psutil", "cProfile", "pstats", "nest_asyncio"}
#: heavy packages whose import an exercise notebook should not pay for
HEAVY = ["altair", "vl_convert", "pandera", "jsonschema", "pandas", "numpy"]

PROFILE_START = "import cProfile as _bench_cp\n_bench_prof = _bench_cp.Profile()\n_bench_prof.enable()"
PROFILE_END = r"""
_bench_prof.disable()
import json as _bj, pstats as _bps, sys as _bsys
def _bench_where(filename):
    parts = filename.replace("\\", "/").split("/")
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            return parts[parts.index(marker) + 1].removesuffix(".py")
    if "brink" in parts:
        i = len(parts) - 1 - parts[::-1].index("brink")
        return ".".join(["brink"] + [p.removesuffix(".py") for p in parts[i + 1:] if p != "__init__.py"])
    if filename.startswith("<frozen") or filename == "~":
        return "(interpreter: imports and built-ins)"
    return parts[-1].removesuffix(".py") if filename.endswith(".py") else filename
_by, _kit = {}, []
for (_f, _l, _n), (_cc, _nc, _tt, _ct, _callers) in _bps.Stats(_bench_prof).stats.items():
    _w = _bench_where(_f)
    _g = ".".join(_w.split(".")[:2]) if _w.startswith("brink") else _w
    _by[_g] = _by.get(_g, 0.0) + _tt
    if _w.startswith("brink"):
        _kit.append((_ct, _w + "." + _n))
print(_bj.dumps({"by": _by, "kit": sorted(_kit, reverse=True)[:40],
                 "heavy": [m for m in %r if m in _bsys.modules]}))
""" % (HEAVY,)


def profile_notebook(path: Path) -> dict:
    """A notebook run in a new kernel under cProfile (kernel start excluded): CPU seconds by package, the kit's
    costliest calls (cumulative seconds), and which of HEAVY the kernel imported."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PROFILE_START))
    nb.cells.append(nbformat.v4.new_code_cell(PROFILE_END))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    found = json.loads(text.strip().splitlines()[-1])
    by = {k: v for k, v in found["by"].items() if k not in KERNEL_PACKAGES and v >= 0.005}
    kit, seen = [], set()
    for seconds, name in found["kit"]:           # a function's cumulative time once (recursion repeats it)
        if name not in seen and not name.endswith(".<module>"):
            seen.add(name)
            kit.append((seconds, name))
    return {"by": dict(sorted(by.items(), key=lambda kv: -kv[1])), "kit": kit[:5], "heavy": found["heavy"]}


def print_profiles(paths: list[Path], top: int = 6) -> None:
    print("Where each notebook's CPU goes beyond the kernel start (cProfile in the kernel; seconds by package,"
          " the kernel's own machinery left out; the kit's costliest calls, cumulative)")
    for path in paths:
        prof = profile_notebook(path)
        total = sum(prof["by"].values())
        shares = ", ".join(f"{name} {sec:.2f}" for name, sec in list(prof["by"].items())[:top])
        print(f"  {path.relative_to(KIT)}: {total:.2f} s profiled: {shares}")
        print("      kit: " + ("; ".join(f"{name} {sec:.2f} s" for sec, name in prof["kit"]) or "nothing measurable"))
        if path.parent.name == "exercises":
            print("      heavy packages imported: " + (", ".join(prof["heavy"]) or "none of " + ", ".join(HEAVY)))


def uncompiled(python: Path, names=("pandas", "numpy", "altair", "ipywidgets", "ipykernel", "jsonschema")) -> list[str]:
    """Which of ``names`` have no bytecode in ``python``'s venv (then every new process compiles them again)."""
    code = ("import importlib.util as u, os, sys; print(' '.join(n for n in sys.argv[1:] if (s := u.find_spec(n))"
            " and not os.path.exists(u.cache_from_source(s.origin))))")
    out = subprocess.run([str(python), "-c", code, *names], capture_output=True, text=True)
    return out.stdout.split()


def main(argv: list[str]) -> int:
    os.environ.setdefault("BRINK_ANSWERS", str(KIT / ".cache" / "bench-answers"))
    f = import_figures()
    print("Import cost (CPU seconds, median of 5 fresh processes each)")
    for name, python in (("here", Path(sys.executable)), ("lean", LEAN / "bin" / "python")):
        if missing := uncompiled(python):
            print(f"  note: no bytecode {name} for {', '.join(missing)}: each process compiles them from source"
                  " (`make setup` compiles the kit's venv)")
    print(f"  import brink + setup cell:           {f['setup']:.2f} s here, {f['setup (lean)']:.2f} s lean "
          f"→ {f['setup'] / f['setup (lean)']:.2f}×")
    print(f"  import + setup + every table:        {f['setup + tables']:.2f} s ÷ lean floor ({FLOOR}) "
          f"{f['floor (lean)']:.2f} s → {f['setup + tables'] / f['floor (lean)']:.2f}×")
    if "--imports" in argv:
        return 0
    empty, empty_rss = run_notebook(None)
    print(f"Notebooks (wall time with kernel start ÷ an empty kernel's start, {empty:.2f} s; peak kernel memory)")
    for path in sorted((KIT / "notebooks").glob("*.ipynb")) + sorted((KIT / "exercises").glob("*.ipynb")):
        seconds, rss = run_notebook(path)
        print(f"  {path.relative_to(KIT)}: {seconds:.1f} s = {seconds / empty:.1f}× empty; "
              f"peak {rss / 1024:.0f} MiB (empty kernel {empty_rss / 1024:.0f} MiB)")
    print_profiles(sorted((KIT / "notebooks").glob("*.ipynb")) + sorted((KIT / "exercises").glob("*.ipynb")))
    latency = KIT / "test-artifacts" / "latency.txt"
    print("Browser suite:", latency.read_text(encoding="utf-8").strip() if latency.exists()
          else "no test-artifacts/latency.txt yet (make test writes it when Chromium is installed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
