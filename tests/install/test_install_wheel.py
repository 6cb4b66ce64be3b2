"""What a user gets from `pip install`: the built wheel in a clean venv outside the kit, used from elsewhere.

The wheel is built from a copy of the files the build reads (nothing is written into the kit),
installed with the lock as constraints into a fresh venv in a temporary folder (by uv where it is
installed, else pip: tests/venvs.py), and driven from
another temporary folder with no BRINK_* setting and no PYTHONPATH: every table loads and equals
the checkout's, an exercise answered from Python is saved, `brink submit` and `brink grade`
write a gradebook. A student release (made by `brink assign`, which has no question bank) builds
too. The wheel's size is printed and must match what the README states.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import brink
import venvs
from kitpaths import KIT

LOCK = KIT / "requirements" / "lock.txt"
BUILD_INPUTS = ["pyproject.toml", "README.md", "lib", "data", "exercises"]
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".ipynb_checkpoints", "brink-answers",
                                "*.ipynb", "build")
TABLES = ["sources", "source_fields", "events", "event_reports", "quotes", "claims", "claim_links",
          "discrepancies", "people", "icd203"]

# Run inside the clean venv: a JSON summary of every table, and one exercise answered from Python.
PROBE = textwrap.dedent('''
    import hashlib, json, sys
    import brink
    from brink.exercises import Exercise
    from brink.exercises.bank import load_bank
    out = {"brink": brink.__file__, "data": str(brink.data_dir()), "bank": str(brink.bank_path()), "tables": {}}
    for name in sys.argv[1].split(","):
        df = getattr(brink, name)()
        out["tables"][name] = [len(df), list(df.columns), hashlib.sha256(df.to_csv(index=False).encode()).hexdigest()]
    out["texts"] = {sid: len(brink.source_text(sid)) for sid in brink.sources()["source_id"]}
    bank = [q for q in load_bank()["questions"] if q["exercise"] == "01-timeline"]
    single = next(q for q in bank if q["kind"] == "single")
    numeric = next(q for q in bank if q["kind"] == "numeric")
    ex = Exercise("01-timeline")
    right = ex.show(single["id"]).submit(single["answer"])
    wrong = ex.show(numeric["id"]).submit(float(numeric["answer"]) + 1000)
    out["answered"] = {single["id"]: right.status, numeric["id"]: wrong.status}
    out["saved"] = str(ex.store.path)
    print(json.dumps(out))
''')


def table_summary(name):
    import hashlib
    df = getattr(brink, name)()
    return [len(df), list(df.columns), hashlib.sha256(df.to_csv(index=False).encode()).hexdigest()]


def venv_bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRINK_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(cmd, cwd, timeout=600):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{cmd} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def build_wheel(src: Path, out: Path) -> Path:
    run([sys.executable, "-m", "build", "--wheel", "--outdir", out, src], cwd=src)
    wheels = list(out.glob("brink-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    src = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS + [p.name for p in KIT.glob("LICEN[CS]E*")]:
        path = KIT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=IGNORE)
        else:
            shutil.copy2(path, src / name)
    return build_wheel(src, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory):
    venv = tmp_path_factory.mktemp("clean") / "venv"
    venvs.create(venv, env=clean_env())
    venvs.install(venv_bin(venv, "python"), wheel, constraints=LOCK, env=clean_env())
    print(f"\nthe clean venv was installed by {venvs.USED[-1]}")
    return venv


def test_the_wheel_holds_the_data_and_the_bank_and_no_tests(wheel):
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    data = [p for p in sorted((KIT / "data").rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    assert len(data) > 10
    for path in data:                     # every data file, byte for byte (the source texts included)
        name = "brink/_data/" + path.relative_to(KIT / "data").as_posix()
        assert name in names, f"{name} is not in the wheel"
        assert archive.read(name) == path.read_bytes(), name
    assert {"brink/_exercises/questions.toml", "brink/lab.py", "brink/__main__.py", "brink/_paths.py",
            "brink/exercises/store.py"} <= names
    assert archive.read("brink/_exercises/questions.toml") == (KIT / "exercises" / "questions.toml").read_bytes()
    assert not [n for n in names if n.startswith(("tests/", "notebooks/")) or n.endswith(".ipynb")]


def test_readme_states_the_wheels_size(wheel):
    size_kb = wheel.stat().st_size / 1024
    print(f"\nwheel {wheel.name}: {size_kb:.0f} KB")
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"The wheel is about (\d+) KB", readme)
    assert m, "the README does not state the wheel's size"
    stated = int(m.group(1))
    assert abs(size_kb - stated) <= 0.2 * stated, f"README says about {stated} KB; the wheel is {size_kb:.0f} KB"


def test_a_clean_venv_outside_the_kit_gets_every_table_an_exercise_and_a_gradebook(venv, tmp_path):
    student = tmp_path / "student"
    student.mkdir()
    py = venv_bin(venv, "python")
    probe = json.loads(run([py, "-c", PROBE, ",".join(TABLES)], cwd=student).stdout)
    site = Path(probe["brink"]).resolve().parent
    assert venv.resolve() in site.parents and KIT.resolve() not in site.parents, probe["brink"]
    assert Path(probe["data"]) == site / "_data" and Path(probe["bank"]) == site / "_exercises" / "questions.toml"
    for name in TABLES:
        assert probe["tables"][name] == table_summary(name), f"{name} differs between the wheel and the checkout"
        assert probe["tables"][name][0] > 0, name
    assert probe["texts"] == {sid: len(brink.source_text(sid)) for sid in brink.sources()["source_id"]}

    (single, right), (numeric, wrong) = probe["answered"].items()
    assert (right, wrong) == ("correct", "incorrect")
    saved = json.loads(Path(probe["saved"]).read_text(encoding="utf-8"))
    assert Path(probe["saved"]).parent == student / "brink-answers"
    assert set(saved["latest"]) == {single, numeric} and len(saved["attempts"]) == 2

    out = run([venv_bin(venv, "brink"), "submit", "--name", "Ada Lovelace"], cwd=student)
    written = list(student.glob("submission-*.json"))
    assert len(written) == 1 and written[0].name.startswith("submission-ada-lovelace"), written
    submission = written[0]
    assert submission.name in out.stdout
    run([py, "-m", "brink", "grade", submission, "-o", "gradebook.csv"], cwd=student)
    with open(student / "gradebook.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    possible = [r for r in rows if r["Student"] == "Points Possible"]      # the LMS's row of maximum points
    students = [r for r in rows if r["Student"] != "Points Possible"]
    assert len(possible) <= 1 and len(students) == 1, rows
    row = students[0]
    assert row["Student"] == "Ada Lovelace"
    assert float(row[single]) == 1 and float(row[numeric]) == 0 and float(row["Total"]) == 1
    if possible:
        assert float(possible[0][single]) == float(row[single]) and float(possible[0][numeric]) > 0


def test_brink_lab_from_the_wheel_outside_a_kit_says_where_to_run_it(venv, tmp_path):
    proc = subprocess.run([venv_bin(venv, "python"), "-m", "brink", "lab", "--no-browser"], cwd=tmp_path,
                          env=clean_env(), capture_output=True, text=True, timeout=300)   # a hang guard, not a timing claim
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("brink lab: ") and "not inside a Brink kit or release" in proc.stderr


def test_a_student_release_without_a_bank_builds_and_ships_its_key(tmp_path):
    from brink.exercises.coursework import assign
    release = tmp_path / "release"
    assign(release)
    assert not (release / "exercises" / "questions.toml").exists()
    names = set(zipfile.ZipFile(build_wheel(release, tmp_path / "dist")).namelist())
    assert "brink/_exercises/brink-key.json" in names and "brink/_exercises/questions.toml" not in names
    assert "brink/_data/annotations/sources.csv" in names
