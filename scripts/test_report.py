"""Print the logs of the test suites `make test` ran in parallel, then one line per suite and the totals.

    python scripts/test_report.py test-artifacts/logs browser notebooks unit doctest

Each suite left ``<suite>.log``, ``<suite>.rc`` (its exit status) and ``<suite>.seconds``.
The last line sums pytest's closing lines: ``total: N passed, N failed, N skipped``.
Exits 1 when a suite failed, ran no test, or left no exit status.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

# pytest's closing line, e.g. "12 passed, 1 skipped in 3.4s" or "=== 1 failed, 2 passed in 9.1s ==="
CLOSING = re.compile(r"^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s")
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?)")


def closing_line(log: str) -> tuple[str, dict]:
    """The last pytest closing line of a log and its counts.

    >>> closing_line("..\\n3 passed, 1 skipped in 2.50s\\n")
    ('3 passed, 1 skipped in 2.50s', {'passed': 3, 'skipped': 1})
    >>> closing_line("===== 1 failed, 2 passed in 0.31s =====")[1]
    {'failed': 1, 'passed': 2}
    >>> closing_line("no tests ran in 0.01s")
    ('', {})
    """
    line, counts = "", {}
    for text in log.splitlines():
        m = CLOSING.match(text.strip())
        if m:
            line = text.strip().strip("= ")
            counts = {}
            for n, what in COUNT.findall(m.group(1)):
                what = {"error": "errors", "warning": "warnings"}.get(what, what)
                counts[what] = counts.get(what, 0) + int(n)
    return line, counts


def main(folder: Path, suites: list[str]) -> int:
    rows, totals, failed = [], {"passed": 0, "failed": 0, "skipped": 0}, False
    for suite in suites:
        log_path = folder / f"{suite}.log"
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        print(f"\n===== {suite} ({log_path}) =====")
        print(log.rstrip() or "(no output)")
        rc_path, sec_path = folder / f"{suite}.rc", folder / f"{suite}.seconds"
        rc = int(rc_path.read_text()) if rc_path.exists() else None
        seconds = sec_path.read_text().strip() if sec_path.exists() else "?"
        line, counts = closing_line(log)
        for what in totals:
            totals[what] += counts.get(what, 0)
        totals["failed"] += counts.get("errors", 0)
        if rc is None:
            status = "DID NOT RUN"
        elif rc == 5 or (rc == 0 and not line):
            status = "RAN NO TEST"
        elif rc != 0:
            status = f"FAILED (exit {rc})"
        else:
            status = "ok"
        failed |= status != "ok"
        rows.append(f"  {suite:<12} {status:<16} {seconds:>5} s   {line}")
    print("\n===== make test: suites =====")
    print("\n".join(rows))
    print(f"total: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))
