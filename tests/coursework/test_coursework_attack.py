"""The clever student's attack on a release: read only the release, recover answers in bulk, forge a submission.

Against an assessed release it must recover nothing; against a practice release it recovers
what the instructor guide says it can (the answers, by trying every option and value).
"""
import csv
import io
import itertools
import json
from pathlib import Path

import pytest

from brink.exercises.bank import load_bank
from brink.exercises.checking import check
from brink.exercises.coursework import assign
from brink.exercises.grading import grade
from brink.exercises.key import PUBLIC, digest, norm, unlock

FIXED_STRINGS = ["model", "right", "correct", "answer", PUBLIC, "brink", "", "number", "written"]


def attack(release: Path) -> dict:
    """Everything a script can get from the release's key alone: {question: (kind, recovered)}."""
    key = json.loads((release / "exercises" / "brink-key.json").read_text(encoding="utf-8"))
    found = {}
    for ex in key["exercises"].values():
        for e in ex["questions"]:
            got = {}
            salt = e.get("salt", "")
            opts = e.get("options", [])
            if "correct" in e:                                   # try every option against the digests
                got["answer"] = [o for o in opts if digest(salt, "opt:" + norm(o)) in e["correct"]]
            if "positions" in e:
                got["answer"] = [next((x for x in e["items"] if digest(salt, f"pos:{i}:{norm(x)}") == h), None)
                                 for i, h in enumerate(e["positions"])]
            if "pairs" in e:
                got["answer"] = {lft: r for lft, r in itertools.product(e["left"], e["right"])
                                 if digest(salt, f"pair:{norm(lft)}:{norm(r)}") in e["pairs"]}
            if "accepted" in e:                                   # try values at the step
                step = e.get("step", 1)
                dec = max(0, len(f"{step:f}".rstrip("0").split(".")[1]) if step < 1 else 0)
                got["answer"] = [f"{k * step:.{dec}f}" for k in range(0, 20001)
                                 if digest(salt, "num:" + f"{k * step:.{dec}f}") in e["accepted"]][:3]
            for field in ("model_answer", "rubric", "correct_feedback"):   # decrypt with every fixed public string
                blob = e.get(field)
                if isinstance(blob, str):
                    for s in FIXED_STRINGS + [json.dumps(norm(o)) for o in opts]:
                        if (text := unlock(salt, s, blob)) is not None:
                            got[field] = text
            for blob in e.get("feedback", {}).values():
                for o in opts:
                    if (text := unlock(salt, norm(o), blob)) is not None:
                        got.setdefault("feedback", []).append(text)
            for field in ("hint", "wrong_feedback"):
                if e.get(field):
                    got[field] = e[field]
            found[e["id"]] = {k: v for k, v in got.items() if v}
    return found


def forged_submission(release: Path, found: dict, path: Path) -> Path:
    """A submission built from the attack, claiming correctness, with a backdated time."""
    key = json.loads((release / "exercises" / "brink-key.json").read_text(encoding="utf-8"))
    answers = {}
    for ex_id, ex in key["exercises"].items():
        for e in ex["questions"]:
            rec = found.get(e["id"], {}).get("answer")
            if e["kind"] in ("single", "evidence"):
                guess = rec[0] if rec else e["options"][0]
            elif e["kind"] == "multiple":
                guess = rec or e["options"][:1]
            elif e["kind"] == "ordering":
                guess = rec or e["items"]
            elif e["kind"] == "matching":
                guess = rec or {}
            elif e["kind"] == "numeric":
                guess = rec[0] if rec else "0"
            else:
                guess = found.get(e["id"], {}).get("model_answer", "I do not know.")
            answers.setdefault(ex_id, {})[e["id"]] = guess
    attempts = {ex: [{"question": q, "response": r, "status": "correct", "score": 1, "at": "2020-01-01T00:00:00+00:00"}
                     for q, r in qs.items()] for ex, qs in answers.items()}
    data = {"format": "brink-submission/1", "name": "Clever Student", "submitted_at": "2020-01-01T00:00:00+00:00",
            "answers": answers, "attempts": attempts, "score": 999, "correct": True}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    practice, assessed = tmp_path_factory.mktemp("practice"), tmp_path_factory.mktemp("assessed")
    assign(practice, force=True, mode="practice")
    assign(assessed, force=True, mode="assessed")
    return practice, assessed


def total(book: Path) -> float:
    rows = list(csv.DictReader(io.StringIO(book.read_text(encoding="utf-8"))))
    return float(rows[1]["Total"] or 0)


def test_an_assessed_release_gives_the_attack_nothing(releases, tmp_path):
    _, assessed = releases
    found = attack(assessed)
    assert len(found) == len(load_bank()["questions"]) and all(v == {} for v in found.values()), {k: v for k, v in found.items() if v}
    key_text = (assessed / "exercises" / "brink-key.json").read_text(encoding="utf-8")
    for field in ('"salt"', '"correct"', '"accepted"', '"positions"', '"pairs"', '"feedback"', '"model_answer"',
                  '"rubric"', '"hint"'):
        assert field not in key_text
    bank = load_bank()
    for q in bank["questions"]:                          # nothing written in any file of the release either
        for secret in (q.get("model_answer"), q.get("hint"), q.get("correct_feedback"), q.get("wrong_feedback")):
            if secret:
                assert all(secret not in p.read_text(encoding="utf-8", errors="replace")
                           for p in (assessed / "exercises").iterdir() if p.is_file())
    book = tmp_path / "book.csv"
    grade([forged_submission(assessed, found, tmp_path / "forged.json")], book)
    honest_guess = forged_submission(assessed, {}, tmp_path / "guess.json")
    grade([honest_guess], tmp_path / "guess.csv")
    assert total(book) == total(tmp_path / "guess.csv")          # the attack earns what blind guessing earns


def test_a_practice_release_yields_what_the_guide_says_and_no_more(releases, tmp_path):
    practice, _ = releases
    found = attack(practice)
    bank = {q["id"]: q for q in load_bank()["questions"]}
    recovered = [qid for qid, v in found.items() if v.get("answer")]
    assert len(recovered) == len([q for q in bank.values() if q["kind"] != "written"])   # every auto-graded answer, by trying: as documented
    written = [qid for qid, q in bank.items() if q["kind"] == "written"]
    assert all(found[qid].get("model_answer") == bank[qid]["model_answer"] for qid in written)   # encoded, not secret
    # "correct" feedback is locked with the right response: no fixed string opens it, only trying the right option
    opened = {qid for qid in bank if "correct_feedback" in found[qid]}
    assert opened and all(bank[qid]["kind"] in ("single", "evidence") for qid in opened)
    assert all(found[qid]["correct_feedback"] == bank[qid]["correct_feedback"] for qid in opened)


def test_forged_flags_and_backdated_times_earn_nothing(tmp_path):
    bank = load_bank()
    answers = {q["exercise"]: {} for q in bank["questions"]}
    for q in bank["questions"]:
        answers[q["exercise"]][q["id"]] = {"correct": True, "score": 1}
    data = {"format": "brink-submission/1", "name": "Forger", "submitted_at": "1999-01-01T00:00:00+00:00",
            "answers": answers, "score": 999, "status": "correct"}
    (tmp_path / "f.json").write_text(json.dumps(data), encoding="utf-8")
    grade([tmp_path / "f.json"], tmp_path / "book.csv")
    assert total(tmp_path / "book.csv") == 0


def test_the_widget_in_an_assessed_release_says_saved_not_correct(releases, tmp_path):
    import os
    import subprocess
    import sys
    _, assessed = releases
    code = ("from brink.exercises import Exercise; ex = Exercise('02-rhetoric');"
            "r = ex.views['r02'].submit('a taunt'); print(r.status, '|', r.message, '|', ex.score_text())")
    env = {**os.environ, "BRINK_ANSWERS": str(tmp_path), "PYTHONPATH": str(assessed / "lib")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=assessed / "exercises")
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("saved | ✎ Saved.") and "Correct" not in out.stdout
    assert "Answers saved: 1 of 9 questions" in out.stdout
    assert check({"kind": "single", "mode": "assessed", "options": ["a taunt"]}, "a taunt").status == "saved"


def test_a_release_uses_its_own_key_even_when_the_kit_checkout_is_imported(releases, tmp_path):
    """A hub image may install the kit itself (editable): a release opened there still uses its own key."""
    import os
    import subprocess
    import sys
    _, assessed = releases
    code = ("import brink, pathlib; from brink.exercises import Exercise; ex = Exercise('02-rhetoric');"
            "print(pathlib.Path(brink.__file__).parents[2] != pathlib.Path.cwd().parent, ex.mode)")
    env = {**os.environ, "BRINK_ANSWERS": str(tmp_path)}
    env.pop("PYTHONPATH", None)
    env.pop("BRINK_KEY", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=assessed / "exercises")
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "assessed"]
