"""A class at once: 30 students answer through their own kernels into one answer folder; no answer is lost.

Each kernel is a real ipykernel (started with jupyter_client, as JupyterLab starts one), with
the release's compiled key, answering every question of one exercise twice through the
widgets' own submit path, all into the same answer file: the worst case for the store's lock.
Then ``brink grade`` on 1,000 submissions with a roster prints its time (no assertion on speed).
"""
import csv
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from brink.exercises.bank import compile_key, load_bank
from brink.exercises.store import AnswerStore

pytestmark = pytest.mark.load
STUDENTS = 30
EXERCISE = "02-rhetoric"

KERNEL_CODE = """
import json
from brink.exercises import Exercise
ex = Exercise({exercise!r})
sent = []
for round_ in range(2):
    for qid, entry in ex.entries.items():
        kind = entry["kind"]
        if kind in ("single", "evidence"):
            r = entry["options"][({i} + round_) % len(entry["options"])]
        elif kind == "multiple":
            r = entry["options"][: 1 + ({i} + round_) % len(entry["options"])]
        elif kind == "matching":
            r = {{entry["left"][0]: entry["right"][({i} + round_) % len(entry["right"])]}}
        elif kind == "ordering":
            r = list(entry["items"])
        elif kind == "numeric":
            r = str(1000 * round_ + {i})
        else:
            r = f"Written answer of student {i}, round {{round_}}."
        result = ex.views[qid].submit(r)
        assert "Saved." in ex.views[qid].feedback.value, ex.views[qid].feedback.value
        sent.append([qid, r])
print("SENT " + json.dumps(sent))
"""


def test_thirty_kernels_answer_at_once_and_lose_nothing(tmp_path):
    from jupyter_client import KernelManager
    key_file = tmp_path / "brink-key.json"
    key_file.write_text(json.dumps(compile_key(load_bank(), exercises=[EXERCISE])), encoding="utf-8")
    answers = tmp_path / "shared-answers"
    env = {**os.environ, "BRINK_ANSWERS": str(answers), "BRINK_KEY": str(key_file),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "lib")}
    start = time.perf_counter()
    managers = []
    try:
        for n in range(STUDENTS):
            # thirty kernels started together race for free TCP ports (and other suites start kernels
            # too): on POSIX each kernel talks over its own IPC sockets in this test's folder instead
            ipc = {"transport": "ipc", "ip": str(tmp_path / f"k{n}")} if os.name == "posix" else {}
            km = KernelManager(kernel_name="python3", **ipc)
            km.start_kernel(env=env, cwd=str(tmp_path))
            managers.append(km)
        clients = []
        for km in managers:
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=600)       # thirty kernels starting at once on a starved machine: a wait
            clients.append(kc)
        ids = [kc.execute(KERNEL_CODE.format(exercise=EXERCISE, i=i)) for i, kc in enumerate(clients)]
        sent = Counter()
        for i, (kc, msg_id) in enumerate(zip(clients, ids)):
            # the kernels run side by side from the moment they were sent the code: wait for each to finish (a
            # wait for the state, bounded so a hung kernel fails the test by name, not a timing claim)
            out, done, deadline = "", False, time.time() + 900
            while time.time() < deadline:
                msg = kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    out += msg["content"]["text"]
                elif msg["msg_type"] == "error":
                    raise AssertionError(f"kernel {i}: {msg['content']['ename']}: {msg['content']['evalue']}")
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    done = True
                    break
            assert done, f"kernel {i} did not finish its answers in 900 s: {out[-500:]!r}"
            line = next(x for x in out.splitlines() if x.startswith("SENT "))
            sent.update((q, json.dumps(r, ensure_ascii=False, sort_keys=True)) for q, r in json.loads(line[5:]))
            kc.stop_channels()
    finally:
        for km in managers:
            km.shutdown_kernel(now=True)
    seconds = time.perf_counter() - start
    data = AnswerStore(EXERCISE, answers).read()
    stored = Counter((a["question"], json.dumps(a["response"], ensure_ascii=False, sort_keys=True))
                     for a in data["attempts"])
    print(f"\n{STUDENTS} kernels, {sum(sent.values())} answers into one file: {seconds:.1f} s")
    assert sum(sent.values()) == STUDENTS * 2 * 9
    assert stored == sent                                   # every answer of every student, none twice
    assert not list(answers.glob("*.unreadable-*"))


def test_grading_a_thousand_submissions_with_a_roster(tmp_path):
    from brink.exercises.grading import grade
    bank = load_bank()
    subs = tmp_path / "subs"
    subs.mkdir()
    roster = tmp_path / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"])
        for i in range(1000):
            w.writerow([f"Student {i:04d}", str(i), f"S{i:04d}", f"u{i:04d}", "A"])
    answers = {}
    for q in bank["questions"]:
        answers.setdefault(q["exercise"], {})[q["id"]] = (
            "An answer." if q["kind"] == "written" else str(q["answer"]) if q["kind"] == "numeric" else q["answer"])
    for i in range(1000):
        (subs / f"s{i:04d}.json").write_text(json.dumps({"format": "brink-submission/1", "name": f"Student {i:04d}",
                                                         "login": f"u{i:04d}", "answers": answers}), encoding="utf-8")
    start = time.perf_counter()
    report = grade([subs], tmp_path / "canvas.csv", roster=roster, fmt="canvas")
    seconds = time.perf_counter() - start
    line = f"brink grade: 1,000 submissions × {len(bank['questions'])} questions with a roster: {seconds:.1f} s"
    print("\n" + line, file=sys.stderr)
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "grade-1000.txt").write_text(line + "\n", encoding="utf-8")
    assert len(report.read) == 1000 and not report.missing
    rows = (tmp_path / "canvas.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1002
