"""Print the logs of the test suites `make test` ran in parallel, then one line per suite and the totals.

    python scripts/test_report.py test-artifacts/logs browser notebooks unit doctest

Each suite left ``<suite>.log``, ``<suite>.rc`` (its exit status), ``<suite>.seconds`` (wall clock) and
``<suite>.cpu`` (the shell's ``times``: the CPU its processes used, the second line). Each suite's row shows
both; the last lines sum pytest's closing lines (``total: N passed, N failed, N skipped``) and the CPU.
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


TIMES = re.compile(r"(\d+)m([\d.]+)s")


def cpu_seconds(times: str) -> float | None:
    """User + system CPU seconds of the children, from the shell's ``times`` output (its last line).

    >>> cpu_seconds("0m0.01s 0m0.00s\\n2m3.50s 0m10.25s\\n")
    133.75
    >>> cpu_seconds("") is None
    True
    """
    lines = times.strip().splitlines()
    found = TIMES.findall(lines[-1]) if lines else []
    return sum(int(m) * 60 + float(s) for m, s in found) if len(found) == 2 else None


def main(folder: Path, suites: list[str]) -> int:
    rows, totals, failed, cpu_total = [], {"passed": 0, "failed": 0, "skipped": 0}, False, 0.0
    for suite in suites:
        log_path = folder / f"{suite}.log"
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        print(f"\n===== {suite} ({log_path}) =====")
        print(log.rstrip() or "(no output)")
        rc_path, sec_path = folder / f"{suite}.rc", folder / f"{suite}.seconds"
        rc = int(rc_path.read_text()) if rc_path.exists() else None
        seconds = sec_path.read_text().strip() if sec_path.exists() else "?"
        cpu_path = folder / f"{suite}.cpu"
        cpu = cpu_seconds(cpu_path.read_text()) if cpu_path.exists() else None
        cpu_total += cpu or 0.0
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
        cpu_text = f"{cpu:.0f}" if cpu is not None else "?"
        rows.append(f"  {suite:<12} {status:<16} {seconds:>5} s  {cpu_text:>5} s CPU   {line}")
    print("\n===== make test: suites =====")
    print("\n".join(rows))
    print(f"total: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
    print(f"CPU: {cpu_total:.0f} s over all suites (user + system)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))
