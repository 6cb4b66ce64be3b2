"""The answer store: restart and restore, a writer killed mid-write, two writers at once."""
import json
import subprocess
import sys
import time

from brink.exercises import Exercise
from brink.exercises.store import AnswerStore


def test_restart_restores_answers_into_the_widgets(tmp_path, monkeypatch):
    monkeypatch.setenv("BRINK_ANSWERS", str(tmp_path))
    ex = Exercise("02-rhetoric")
    ex.views["r02"].submit("a vow")
    ex.views["r02"].submit("a taunt")
    ex.views["r04"].submit("2")
    ex.views["r09"].submit("My written answer, kept.")
    again = Exercise("02-rhetoric")                    # a new kernel: nothing in memory
    assert again.views["r02"].radio.value == "a taunt"
    assert again.views["r04"].text.value == "2"
    assert again.views["r09"].area.value == "My written answer, kept."
    assert "Restored from your saved answers" in again.views["r02"].feedback.value
    assert "✓ Correct." in again.views["r02"].feedback.value
    assert again.score()[0] == 2.0
    assert len(again.store.read()["attempts"]) == 4    # every attempt, not only the last


def test_two_notebooks_do_not_overwrite_each_other(tmp_path, monkeypatch):
    monkeypatch.setenv("BRINK_ANSWERS", str(tmp_path))
    a, b = Exercise("01-timeline"), Exercise("04-source-comparison")
    a.views["t07"].submit("3")
    b.views["s08"].submit("corroboration")
    a.views["t08"].submit("Because UTC is the time in Washington")
    assert set(AnswerStore("01-timeline", tmp_path).latest()) == {"t07", "t08"}
    assert set(AnswerStore("04-source-comparison", tmp_path).latest()) == {"s08"}


WRITER = """
import sys
from brink.exercises.store import AnswerStore
store = AnswerStore(sys.argv[1], sys.argv[2])
tag, n = sys.argv[3], int(sys.argv[4])
for i in range(n):
    store.save(f"{tag}{i}", "x" * int(sys.argv[5]), "incorrect", 0.0)
    print(i, flush=True)
"""


def test_writer_killed_mid_write_loses_nothing_saved(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, "kill", str(tmp_path), "q", "100000", "200000"],
                            stdout=subprocess.PIPE, text=True)
    confirmed = -1
    deadline = time.time() + 60
    while confirmed < 25 and time.time() < deadline:
        confirmed = int(proc.stdout.readline())
    time.sleep(0.05)                                   # let it get into the middle of another write
    proc.kill()                                        # SIGKILL on POSIX, TerminateProcess on Windows
    proc.wait()
    data = json.loads((tmp_path / "kill.json").read_text(encoding="utf-8"))   # still valid JSON
    saved = {a["question"] for a in data["attempts"]}
    assert {f"q{i}" for i in range(confirmed + 1)} <= saved
    assert AnswerStore("kill", tmp_path).latest()       # and readable by the store


def test_two_writers_keep_every_attempt(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, "shared", str(tmp_path), tag, "60", "10"],
                              stdout=subprocess.DEVNULL) for tag in ("a", "b")]
    for p in procs:
        assert p.wait(timeout=120) == 0
    attempts = AnswerStore("shared", tmp_path).read()["attempts"]
    assert len(attempts) == 120
    assert {a["question"] for a in attempts} == {f"{t}{i}" for t in "ab" for i in range(60)}


def test_unreadable_file_is_set_aside_not_lost(tmp_path):
    (tmp_path / "x.json").write_text("{ not json", encoding="utf-8")
    store = AnswerStore("x", tmp_path)
    store.save("q1", "answer", "incorrect", 0)
    assert (tmp_path / "x.json.unreadable-1").read_text(encoding="utf-8") == "{ not json"
    assert store.latest() == {"q1": "answer"}


def test_widget_reports_a_store_it_cannot_read(tmp_path, monkeypatch):
    monkeypatch.setenv("BRINK_ANSWERS", str(tmp_path))
    (tmp_path / "01-timeline.json").write_text("[]", encoding="utf-8")
    ex = Exercise("01-timeline")
    assert "not a Brink answer file" in ex.score_label.value
