"""The exercise notebooks: one per lesson, every bank question shown, solutions tagged, outputs clean."""
import json
import tomllib

import pytest

from brink.exercises.bank import load_bank
from kitpaths import KIT

EXERCISES = sorted((KIT / "exercises").glob("*.ipynb"))


def lesson_exercises():
    """The exercise notebooks the lessons name (notebooks/lessons.toml, the one list of lessons)."""
    lessons = tomllib.loads((KIT / "notebooks" / "lessons.toml").read_text(encoding="utf-8"))["lesson"]
    return [lesson["exercise"] for lesson in lessons if "exercise" in lesson]


def test_one_exercise_notebook_per_lesson():
    named = lesson_exercises()
    assert len(named) >= 5
    assert [p.stem for p in EXERCISES] == sorted(named)
    assert named == [f"{p.stem}-exercises" for p in sorted((KIT / "notebooks").glob("0[1-9]-*.ipynb"))
                     if f"{p.stem}-exercises" in named]


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_every_question_is_shown_once_with_its_solution(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    ex_id = path.stem.removesuffix("-exercises")
    wanted = [q["id"] for q in load_bank()["questions"] if q["exercise"] == ex_id]
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    shown = [c.split('"')[1] for c in code if c.startswith("ex.show(")]
    assert shown == wanted and len(shown) >= 8
    solutions = [c for c in nb["cells"] if "solution" in c.get("metadata", {}).get("tags", [])]
    assert len(solutions) == len(wanted)
    assert all("ex.solution(" in "".join(c["source"]) for c in solutions)
    assert code[0].startswith("from brink.exercises import Exercise")


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_stored_outputs_have_no_random_ids_and_no_saved_answers(path):
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    assert nb["metadata"]["kernelspec"]["name"] == "python3" and "widgets" not in nb["metadata"]
    assert "model_id" not in raw and "widget-view+json" not in raw
    assert "Restored from your saved answers" not in raw
    assert "Running score: 0 of" in raw
    shown = [c for c in nb["cells"] if "".join(c["source"]).startswith("ex.show(")]
    for c in shown:
        text = "".join(c["outputs"][0]["data"]["text/plain"])
        assert text.startswith("Question ") and "[Run the notebook to answer this question.]" in text
    assert path.stat().st_size <= 300 * 1024


def test_exercise_notebooks_are_generated_from_the_bank():
    from brink.exercises.build import stale
    assert stale(load_bank()) == [], "run .venv/bin/brink exercises, then make notebooks"


def test_the_build_check_fails_on_a_hand_edit(tmp_path):
    import shutil

    from brink.exercises.build import stale
    for p in EXERCISES:
        shutil.copy(p, tmp_path / p.name)
    nb = json.loads((tmp_path / EXERCISES[0].name).read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = "# A hand-edited title"
    (tmp_path / EXERCISES[0].name).write_text(json.dumps(nb), encoding="utf-8")
    assert stale(load_bank(), tmp_path) == [EXERCISES[0].name]


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_hand_in_instructions_work_anywhere(path):
    text = path.read_text(encoding="utf-8")
    assert ".venv/bin" not in text and "from brink.exercises import submit" in text
