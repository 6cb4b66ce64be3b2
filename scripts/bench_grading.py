"""Print the time to grade 1,000 submissions with per-student papers, and to write their class report.

    python scripts/bench_grading.py [--students 1000] [--keep DIR]

A class is made in a temporary folder (or ``--keep DIR``): a roster, an instructor secret, each
student's paper code (``variants.paper_code``, as ``brink papers`` issues it), and one submission
per student in a folder per hub user, answering every auto-scored question of the bank in the
variant their code draws, with an attempt log of one to three tries, as the notebook writes them.
Then, each timed on its own (wall clock and CPU of this process):

- ``brink grade`` of every exercise, with the roster, ``--from hub`` and the secret, into a plain gradebook;
- the same with ``--report FILE`` (the class report as well);
- ``brink report`` alone.

It prints figures and asserts nothing about speed (``make bench`` runs it). ``make_class`` is also
what the browser test of the report builds its page from.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(KIT / "lib"))


def _answer(q: dict, rng: random.Random, right: bool):
    """A response to the bank question ``q`` (one variant): its answer, or a wrong one."""
    from brink.exercises.kinds import KINDS
    kind = KINDS[q["kind"]]
    if right:
        return kind.solution(q)
    if q["kind"] in ("single", "evidence"):
        return rng.choice([o for o in q["options"] if o != q["answer"]])
    if q["kind"] == "multiple":
        return [rng.choice([o for o in q["options"] if o not in q["answer"]])]
    return kind.wrong(q)


def make_class(folder: Path, n: int, seed: int = 15, names=None) -> dict:
    """A roster, a secret and ``n`` submissions with paper codes under ``folder``; returns their paths.

    Args:
        folder: an empty folder.
        n: how many students.
        seed: the answer pattern's seed (student ``i`` knows an answer with a chance rising with ``i``).
        names: the students' names (default ``Student 0000`` …).

    Returns:
        ``{"roster", "secret", "submissions"}`` paths.
    """
    from brink.exercises.bank import load_bank
    from brink.exercises.roster import read_roster
    from brink.exercises.variants import paper_code, read_secret, variant_of
    folder = Path(folder)
    names = list(names) if names else [f"Student {i:04d}" for i in range(n)]
    roster = folder / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Name", "Login"])
        w.writerows([name, f"user{i:04d}"] for i, name in enumerate(names))
    secret_file = folder / "paper-secret"
    secret = read_secret(secret_file, create=True)
    bank = load_bank()
    auto = [q for q in bank["questions"] if q["kind"] != "written"]
    rng = random.Random(seed)
    subs = folder / "submissions"
    for i, student in enumerate(read_roster(roster)):
        code = paper_code(secret, student.key)
        ability = 0.2 + 0.7 * i / max(1, n - 1)
        answers: dict = {}
        attempts: dict = {}
        for q in auto:
            v = variant_of(q, code)
            log = attempts.setdefault(q["exercise"], [])
            right = rng.random() < ability
            tries = [_answer(v, rng, False) for _ in range(rng.choice([0, 0, 1, 2]))] + [_answer(v, rng, right)]
            for r in tries:
                log.append({"question": q["id"], "response": r, "status": "saved", "score": 0,
                            "at": f"2026-01-10T10:{len(log) // 60:02d}:{len(log) % 60:02d}+00:00", "n": len(log) + 1})
            answers.setdefault(q["exercise"], {})[q["id"]] = tries[-1]
        sub = {"format": "brink-submission/1", "name": student.name, "login": student.login,
               "submitted_at": "2026-01-10T11:00:00+00:00", "answers": answers, "attempts": attempts, "paper": code}
        out = subs / student.login / "submission.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(sub, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"roster": roster, "secret": secret_file, "submissions": subs}


def _timed(label: str, fn) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    print(f"{label}: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=1000)
    ap.add_argument("--keep", type=Path, default=None, help="make the class in this folder and keep it")
    args = ap.parse_args(argv)
    from brink.exercises.grading import grade
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        c = make_class(folder, args.students)
        print(f"bench_grading: {args.students} submissions with per-student papers made in "
              f"{time.perf_counter() - t:.1f} s (not part of the figures); {os.cpu_count()} CPU(s), "
              f"load average {os.getloadavg()[0]:.1f}")
        common = dict(roster=c["roster"], source="hub", all_exercises=True, secret=c["secret"])
        _timed("brink grade (plain gradebook)",
               lambda: grade([c["submissions"]], folder / "book.csv", **common))
        _timed("brink grade --report (gradebook and class report)",
               lambda: grade([c["submissions"]], folder / "book.csv", report_html=folder / "report.html", **common))
        _timed("brink report (class report only)",
               lambda: grade([c["submissions"]], None, report_html=folder / "report.html", **common))
        print(f"class report: {(folder / 'report.html').stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
