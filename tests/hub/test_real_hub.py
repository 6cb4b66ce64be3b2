"""Brink on a real JupyterHub, on loopback: five students follow the nbgitpuller link, answer, submit.

The repository the students pull is a git repository of a student release made by
``brink assign``; the hub's environment holds the kit installed (not editable) from that
release, as a hub image would. JupyterHub and nbgitpuller come from the package index, the
proxy from the npm registry; DummyAuthenticator and SimpleLocalProcessSpawner give each
student a home under a temporary folder. Everything goes through the hub and each student's
own server: the link, a kernel per student (code sent over the server's websocket), a
terminal for ``brink submit``, the contents API for a student's own edit.

Then the instructor commits a change to a lesson; a student who has answered follows the
link again: their answers and their edit survive the pull, and the change arrives.

Marked ``hub``: make test runs this folder as a suite of its own, in parallel with the others.
Timings are printed, never asserted.
"""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from brink.hub import hub_link
from hubkit import FIGURES, Hub, Student, Terminal, Timer, hub_python, proxy_command, run

pytestmark = pytest.mark.hub

EXERCISE = "01-timeline"
NOTEBOOK = f"exercises/{EXERCISE}-exercises.ipynb"
FOLDER = "brink-course"                     # the repository's name, so the folder in each home
STUDENTS = {                                # login: (name for brink submit, {question: answered right?})
    "ada": ("Ada Student", {"t02": True, "t03": True, "t04": True, "t08": True}),
    "bea": ("Bea Student", {"t02": True, "t03": True, "t04": True, "t08": False}),
    "cai": ("Cai Student", {"t02": False, "t03": True, "t04": True}),
    "dev": ("Dev Student", {"t02": True, "t03": False}),
    "eli": ("Eli Student", {"t02": False, "t03": False, "t08": False}),
}
LATE = "fay"                                # logs in without the link: the hub's default URL pulls
INSTRUCTOR_NOTE = "Note for this week: read the section on date precision before the seminar."
STUDENT_NOTE = "My own note: compare the two clock times with the policy statement."

BRINK = [sys.executable, "-m", "brink.cli"]


def responses() -> dict:
    """A right and a wrong response to each question the students answer, from the kit's question bank."""
    from brink.exercises.bank import load_bank
    bank = {q["id"]: q for q in load_bank()["questions"]}
    out = {}
    for qid in ("t02", "t03", "t04", "t08"):
        q = bank[qid]
        if q["kind"] == "numeric":
            right, wrong = str(q["answer"]), str(float(q["answer"]) + 1000)
        else:
            right, wrong = q["answer"], next(o for o in q["options"] if o != q["answer"])
        out[qid] = {True: right, False: wrong}
    return out


def git(repo: Path, *args) -> str:
    return run(["git", "-C", repo, *args]).stdout


@pytest.fixture(scope="module")
def course():
    timer = Timer()
    # A folder of its own, not pytest's numbered temporary folders: a concurrent pytest run of the same
    # user prunes those, which would pull the students' homes away from under a running hub.
    root = Path(tempfile.mkdtemp(prefix="brink-hub-"))
    hub = None
    try:
        repo = root / "upstream" / FOLDER
        run([*BRINK, "assign", repo])
        git(repo, "init", "-q", "-b", "main")
        git(repo, "-c", "user.name=Instructor", "-c", "user.email=instructor@example.edu", "add", "-A")
        git(repo, "-c", "user.name=Instructor", "-c", "user.email=instructor@example.edu", "commit", "-q", "-m", "Release")
        timer.mark("brink assign, and the release as a git repository")
        python = hub_python(repo)
        timer.mark("hub environment (venv cached after the first run; the kit installed from the release)")
        proxy = proxy_command()
        timer.mark("configurable-http-proxy from npm (cached after the first run)")
        link_args = dict(repo=repo.as_uri(), branch="main")
        # The hub's default URL is the link's part from /git-pull on: the Zero to JupyterHub recipe's
        # singleuser.defaultUrl (docs/hub.md), exercised here by a student who only logs in.
        default_url = "/" + hub_link("http://hub", **link_args).split("/hub/user-redirect/", 1)[1]
        hub = Hub(root, python, proxy, [*STUDENTS, LATE], default_url=default_url)
        hub.start()
        timer.mark("jupyterhub and its proxy up")
        yield {"hub": hub, "repo": repo, "root": root, "timer": timer, "link": hub_link(hub.url, **link_args),
               "python": python}
    finally:
        left = hub.stop() if hub is not None else []
        timer.mark("hub, proxy, servers and kernels stopped")
        figures = ("Real hub timings (wall clock; printed, not asserted):\n" + timer.report() +
                   f"\nProcesses the hub left running (stopped by the test): {left or 'none'}")
        artifacts = Path(__file__).resolve().parents[2] / "test-artifacts" / "hub"
        artifacts.mkdir(parents=True, exist_ok=True)
        (artifacts / "timings.txt").write_text(figures + "\n", encoding="utf-8")
        FIGURES.append(figures)
        if hub is not None and hub.log.is_file():
            shutil.copy(hub.log, artifacts / "jupyterhub.log")
        shutil.rmtree(root, ignore_errors=True)


def student_session(hub: Hub, login: str, link: str, answers: dict, name: str) -> dict:
    """One student: log in, follow the link, run the exercise notebook, answer, submit."""
    s = Student(hub, login)
    s.login()
    pull = s.follow_pull_link(link)
    s.make_token()
    home = hub.homes / login
    nb = s.read_notebook(f"{FOLDER}/{NOTEBOOK}")
    k = s.start_kernel(f"{FOLDER}/{NOTEBOOK}")
    try:
        where = k.execute("import os, sys; print(os.getcwd()); print(sys.executable)")
        ran = [k.execute("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]
        checked = {qid: k.execute(f"r = ex.show({qid!r}).submit({resp!r}); print(r.status, r.score)")
                   for qid, resp in answers.items()}
        score = k.execute("print(ex.score())")["stdout"].strip()
    finally:
        k.close()
    t = Terminal(s)
    try:
        # at the top of the student's copy: brink submit finds the answers from anywhere inside it
        status, shown = t.run(f"cd ~/{FOLDER} && brink submit --name '{name}'")
    finally:
        t.close()
    return {"student": s, "home": home, "pull": pull, "where": where, "ran": ran, "checked": checked,
            "score": score, "submit": (status, shown)}


def late_session(hub: Hub) -> dict:
    """A student who only logs in at the hub's front page."""
    s = Student(hub, LATE)
    s.login()
    url, _ = s.open(f"{hub.url}/hub/")
    return {"url": url, "pull": s.follow_pull_link(url) if "/git-pull?" in url else None}


def test_five_students_pull_answer_submit_and_are_graded(course):
    hub, repo, timer = course["hub"], course["repo"], course["timer"]
    resp = responses()
    plans = {login: {qid: resp[qid][right] for qid, right in plan.items()} for login, (_, plan) in STUDENTS.items()}
    with ThreadPoolExecutor(max_workers=len(STUDENTS) + 1) as pool:
        futures = {login: pool.submit(student_session, hub, login, course["link"], plans[login], STUDENTS[login][0])
                   for login in STUDENTS}
        late = pool.submit(late_session, hub)   # meanwhile, one who only logs in (checked in a test below)
        sessions = {login: f.result() for login, f in futures.items()}
        try:
            course["late"] = late.result()
        except Exception as e:  # reported by its own test
            course["late"] = e
    timer.mark("5 students: log in, pull, run the exercise, answer, submit (and a 6th logs in)")

    for login, (_, plan) in STUDENTS.items():
        got = sessions[login]
        home = got["home"]
        # nbgitpuller cloned the repository into the student's own home, and the link landed in JupyterLab
        assert got["pull"]["target"] == FOLDER
        assert (home / FOLDER / "notebooks" / "00-start-here.ipynb").is_file()
        assert sorted(p.name for p in (home / FOLDER / "notebooks").glob("*.ipynb")) == \
            sorted(p.name for p in (repo / "notebooks").glob("*.ipynb"))
        assert git(home / FOLDER, "rev-parse", "HEAD") == git(repo, "rev-parse", "HEAD")
        assert got["pull"]["landed"].endswith(f"/user/{login}/lab/tree/{FOLDER}/notebooks/00-start-here.ipynb")
        assert "JupyterLab" in got["pull"]["page"]
        # the kernel is the student's own, in their copy, on the hub environment's Python
        cwd, exe = got["where"]["stdout"].split()
        assert Path(cwd) == home / FOLDER / "exercises"
        assert Path(exe).parent.resolve() == course["python"].parent.resolve()
        for cell in got["ran"]:
            assert cell["status"] == "ok", cell["error"]
        assert "Running score: 0 of" in got["ran"][0]["results"][-1]
        for qid, right in plan.items():
            assert got["checked"][qid]["stdout"].split() == (["correct", "1.0"] if right else ["incorrect", "0.0"]), \
                (login, qid, got["checked"][qid])
        # answers saved in the student's home, one file per exercise
        saved = json.loads((home / FOLDER / "exercises" / "brink-answers" / f"{EXERCISE}.json").read_text())
        assert set(saved["latest"]) == set(plan)
        # brink submit, typed in a terminal of the student's server
        status, shown = got["submit"]
        assert status == 0, shown
        assert "Submission written to" in shown
        assert len(list((home / FOLDER).glob(f"submission-{login}-student-*.json"))) == 1

    # the instructor collects the five files, one folder per hub user (as docs/hub.md does), and grades them
    submissions = course["root"] / "submissions"
    submissions.mkdir()
    for login in STUDENTS:
        src, = (hub.homes / login / FOLDER).glob("submission-*.json")
        (submissions / login).mkdir()
        (submissions / login / src.name).write_bytes(src.read_bytes())
    gradebook = course["root"] / "gradebook.csv"
    graded = subprocess.run([*BRINK, "grade", submissions, "--from", "hub", "--all-exercises", "-o", gradebook],
                            capture_output=True, text=True)
    assert graded.returncode == 0, graded.stderr
    assert "Graded 5 submission(s); left out 0 file(s)." in graded.stdout
    rows = {r["Student"]: r for r in csv.DictReader(gradebook.open(encoding="utf-8"))}
    points = rows.pop("Points Possible")
    assert set(rows) == {name for name, _ in STUDENTS.values()}
    for name, plan in STUDENTS.values():
        row = rows[name]
        for qid in ("t02", "t03", "t04", "t08"):
            expected = {True: points[qid], False: "0", None: ""}[plan.get(qid)]   # unanswered: blank
            assert row[qid] == expected, (name, qid, row[qid])
        assert float(row["Total"] or 0) == sum(float(points[q]) for q, right in plan.items() if right)
    timer.mark("instructor grades the five")
    course["sessions"] = sessions


def test_a_pull_after_an_upstream_change_keeps_answers_and_edits(course):
    hub, repo, timer = course["hub"], course["repo"], course["timer"]
    if "sessions" not in course:
        pytest.fail("the class scenario did not complete; see the test before")
    ada: Student = course["sessions"]["ada"]["student"]
    copy = hub.homes / "ada" / FOLDER
    answers = {p.name: p.read_bytes() for p in (copy / "exercises" / "brink-answers").glob("*.json")}
    assert answers

    # the student writes a note into a lesson (through her server, as JupyterLab saves)
    lesson = f"{FOLDER}/notebooks/01-timeline.ipynb"
    nb = ada.read_notebook(lesson)
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": STUDENT_NOTE, "id": "ada-note"})
    ada.save_notebook(lesson, nb)

    # the instructor changes another lesson upstream and commits
    changed = repo / "notebooks" / "02-rhetoric.ipynb"
    up = json.loads(changed.read_text(encoding="utf-8"))
    up["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": [INSTRUCTOR_NOTE], "id": "week-note"})
    changed.write_text(json.dumps(up, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    git(repo, "-c", "user.name=Instructor", "-c", "user.email=instructor@example.edu",
        "commit", "-q", "-am", "02-rhetoric: a note for this week")

    pull = ada.follow_pull_link(course["link"])
    timer.mark("a student follows the link again after an upstream change")
    assert pull["landed"].endswith(f"/user/ada/lab/tree/{FOLDER}/notebooks/00-start-here.ipynb")
    # her answers are untouched, byte for byte, and still load in a fresh kernel
    assert {p.name: p.read_bytes() for p in (copy / "exercises" / "brink-answers").glob("*.json")} == answers
    # her edit survived; the upstream change arrived in the file she did not touch
    mine = json.loads((copy / "notebooks" / "01-timeline.ipynb").read_text(encoding="utf-8"))
    assert any("".join(c["source"]) == STUDENT_NOTE for c in mine["cells"])
    theirs = json.loads((copy / "notebooks" / "02-rhetoric.ipynb").read_text(encoding="utf-8"))
    assert "".join(theirs["cells"][1]["source"]) == INSTRUCTOR_NOTE
    assert git(repo, "rev-parse", "HEAD").strip() in git(copy, "log", "--format=%H")
    k = ada.start_kernel(f"{FOLDER}/{NOTEBOOK}")
    try:
        out = k.execute(f"from brink.exercises import Exercise\nprint(Exercise({EXERCISE!r}).score())")
    finally:
        k.close()
    assert out["status"] == "ok", out["error"]
    assert out["stdout"].strip() == course["sessions"]["ada"]["score"]
    assert out["stdout"].startswith("(4.0, ")
    timer.mark("her answers load again in a new kernel")


def test_the_hub_default_url_pulls_for_a_student_who_only_logs_in(course):
    """Z2JH's singleuser.defaultUrl (KubeSpawner.default_url, the Spawner's default_url here) set to
    the link's /git-pull part: logging in is enough to get the kit."""
    hub, late = course["hub"], course.get("late")
    if late is None:
        pytest.fail("the class scenario did not run; see the first test")
    if isinstance(late, Exception):
        raise late
    assert f"/user/{LATE}/git-pull?" in late["url"], late["url"]
    assert dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(late["url"]).query))["repo"] == course["repo"].as_uri()
    assert (hub.homes / LATE / FOLDER / "notebooks" / "00-start-here.ipynb").is_file()
    assert late["pull"]["landed"].endswith(f"/user/{LATE}/lab/tree/{FOLDER}/notebooks/00-start-here.ipynb")


def test_the_hub_environment_holds_no_plain_question_bank(course):
    """The kit in the hub's environment came from the release: it has the compiled key, not the bank.

    Attacked as a student on the hub would: read every file of the installed package and look for
    the texts a release must not show before an option is chosen (per-option feedback and model
    answers, taken from the kit's question bank), and for the bank itself.
    """
    site = Path(run([course["python"], "-c", "import brink, pathlib; print(pathlib.Path(brink.__file__).parent)"])
                .stdout.strip())
    assert not list(site.rglob("questions.toml"))
    assert list(site.rglob("brink-key.json"))
    from brink.exercises.bank import bank_path, load_bank
    bank = load_bank()["questions"]
    secrets = [q["model_answer"] for q in bank if q["kind"] == "written"]
    secrets += [t for q in bank for t in (q.get("feedback") or {}).values() if isinstance(t, str) and len(t) >= 30]
    assert len(secrets) >= 20
    bank_text = bank_path().read_text(encoding="utf-8")
    assert sum(t in bank_text for t in secrets) >= 10       # the search finds them where they are written
    installed = "\n".join(p.read_text(errors="ignore") for p in site.rglob("*") if p.is_file() and p.suffix != ".pyc")
    assert [t[:60] for t in secrets if t in installed] == []
