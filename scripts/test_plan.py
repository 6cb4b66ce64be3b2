"""Plan `make test` by measured seconds: which suite starts first, and which unit-test files each unit suite runs.

    python3 scripts/test_plan.py order SUITE...        the suites, longest first (by their measured seconds)
    python3 scripts/test_plan.py split K N FILE...     the files of unit suite K of N (balanced by seconds)
    python3 scripts/test_plan.py record LOGS           rewrite tests/seconds.json from a run's logs

The seconds come from tests/seconds.json, which `make test-seconds` rewrites from the last `make test`
(each suite's ``<suite>.seconds`` and the per-file sums of its ``<suite>.xml``, pytest's JUnit report).
A suite or file not measured yet counts as the median of those that were. Only the standard library is
used: the Makefile runs this with the system's python3 before any venv exists.
"""
from __future__ import annotations

import json
import statistics
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
TABLE = KIT / "tests" / "seconds.json"


def load(table: Path = TABLE) -> dict:
    """The measured seconds: ``{"suites": {name: s}, "files": {path: s}}`` (empty when there is no table)."""
    try:
        data = json.loads(table.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"suites": {}, "files": {}}
    return {"suites": dict(data.get("suites", {})), "files": dict(data.get("files", {}))}


def estimate(names: list[str], known: dict) -> dict:
    """Each name's measured seconds; the median of the known ones for a name not measured.

    >>> estimate(["a", "b", "new"], {"a": 10, "b": 30, "c": 2})
    {'a': 10, 'b': 30, 'new': 10}
    >>> estimate(["x"], {})
    {'x': 1.0}
    """
    default = statistics.median(known.values()) if known else 1.0
    return {n: known.get(n, default) for n in names}


def order(suites: list[str], known: dict) -> list[str]:
    """The suites, longest first (ties keep the given order), so the longest ones never start last.

    >>> order(["doctest", "unit1", "browser"], {"browser": 300, "unit1": 200, "doctest": 10})
    ['browser', 'unit1', 'doctest']
    """
    seconds = estimate(suites, known)
    return sorted(suites, key=lambda s: -seconds[s])


def split(files: list[str], lanes: int, known: dict) -> list[list[str]]:
    """The files in ``lanes`` groups of about equal measured seconds (longest first, each to the lightest group).

    Every file is in exactly one group; each group keeps the files' sorted order.

    >>> split(["a", "b", "c", "d"], 2, {"a": 9, "b": 5, "c": 4, "d": 1})
    [['a', 'd'], ['b', 'c']]
    >>> split(["a"], 2, {})
    [['a'], []]
    """
    seconds = estimate(files, known)
    groups: list[list[str]] = [[] for _ in range(lanes)]
    load_of = [0.0] * lanes
    for f in sorted(files, key=lambda f: (-seconds[f], f)):
        i = load_of.index(min(load_of))
        groups[i].append(f)
        load_of[i] += seconds[f]
    return [sorted(g) for g in groups]


def file_seconds(junit: Path, root: Path = KIT) -> dict:
    """Seconds per test file in one JUnit report (setup, call and teardown of each test, summed by file)."""
    out: dict[str, float] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        parts = (case.get("classname") or "").split(".")
        # "tests.test_x" or "tests.test_x.TestClass": the longest prefix that names a file
        for n in range(len(parts), 0, -1):
            path = "/".join(parts[:n]) + ".py"
            if (root / path).is_file():
                out[path] = out.get(path, 0.0) + float(case.get("time") or 0)
                break
    return out


def record(logs: Path, table: Path = TABLE) -> dict:
    """Rewrite ``table`` with the seconds of the run in ``logs``; suites and files not in the run keep theirs."""
    data = load(table)
    for sec in sorted(logs.glob("*.seconds")):
        data["suites"][sec.stem] = int(sec.read_text().strip())
    for junit in sorted(logs.glob("*.xml")):
        try:
            data["files"].update({k: round(v, 1) for k, v in file_seconds(junit).items()})
        except ET.ParseError as e:
            print(f"test_plan: {junit}: not a JUnit report ({e}); skipped", file=sys.stderr)
    data = {"suites": dict(sorted(data["suites"].items())), "files": dict(sorted(data["files"].items()))}
    table.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return data


def main(argv: list[str]) -> int:
    if len(argv) >= 1 and argv[0] == "order":
        print(" ".join(order(argv[1:], load()["suites"])))
    elif len(argv) >= 3 and argv[0] == "split":
        k, n = int(argv[1]), int(argv[2])
        print(" ".join(split(argv[3:], n, load()["files"])[k - 1]))
    elif len(argv) == 2 and argv[0] == "record":
        data = record(Path(argv[1]))
        print(f"test_plan: {TABLE.relative_to(KIT)}: {len(data['suites'])} suites, {len(data['files'])} files")
    else:
        print("usage:\n" + "\n".join(__doc__.strip().splitlines()[2:5]), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
