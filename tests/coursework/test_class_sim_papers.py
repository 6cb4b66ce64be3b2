"""``brink papers --student X --paper F [--answers]``: the instructor reprints exactly the paper a student saw.

For students of the simulated class, the printed paper is read back (each exercise, each
question's number, variant, prompt and lists, in order) and compared with what that student's
notebook showed: the Exercise widgets over the release's key, after the student typed their
code (the radio buttons', check boxes' and drop-downs' own options, in their order). The
instructor's copy adds each answer, and that answer is the one the grader scores right for
that student.
"""
import html
import re

import pytest

from brink.exercises.bank import grading_key, pool_of
from brink.exercises.checking import check
from brink.exercises.kinds import KINDS
from brink.exercises.variants import pick, variant_of
from paperclass import BANK, EXERCISES, brink, env, open_exercise, shared_class, student

QUESTIONS = {q["id"]: q for q in BANK["questions"]}
TITLES = {BANK["exercises"][ex]["title"]: ex for ex in EXERCISES}
ENTRIES = {q["id"]: q for ex in grading_key()["exercises"].values() for q in ex["questions"]}
HEAD = re.compile(r"Question (\d+)(?: \(variant (\d+) of (\d+)\))?: (.*)", re.S)


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    return shared_class(tmp_path_factory)


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def read_paper(page: str) -> list[dict]:
    """The printed paper, question by question: exercise, number, variant, prompt, its lists and the key line."""
    out, exercise = [], None
    for part in re.split(r"(?=<h2>)|(?=<article>)", page):
        if part.startswith("<h2>"):
            exercise = TITLES[text(part[:part.index("</h2>")])]
        elif part.startswith("<article>"):
            head = HEAD.fullmatch(text(re.search(r"<h3>(.*?)</h3>", part, re.S).group(1)))
            lists = [[text(li) for li in re.findall(r"<li>(.*?)</li>", ol, re.S)]
                     for ol in re.findall(r"<ol[^>]*>(.*?)</ol>", part, re.S)]
            key = re.search(r'<p class="key">(.*?)</p>', part, re.S)
            out.append({"exercise": exercise, "n": int(head.group(1)),
                        "variant": int(head.group(2) or 1), "of": int(head.group(3) or 1),
                        "prompt": head.group(4), "lists": lists, "key": text(key.group(1)) if key else None})
    return out


def offered(dropdown) -> list:
    """The choices a drop-down offers, in order (its "choose…" placeholder aside)."""
    return [value for _, value in dropdown.options if value is not None]


def shown_by_notebook(klass, tmp_path, i) -> list[dict]:
    """What student i's notebooks show once the code is typed: the widgets' own option lists, in order."""
    code = klass.codes[student(i)["login"]]
    folder = tmp_path / f"home{i}" / "brink-answers"
    folder.mkdir(parents=True)
    out = []
    for ex in EXERCISES:
        exercise = open_exercise(klass.release("assessed"), ex, folder, code)
        for n, (qid, view) in enumerate(exercise.views.items(), start=1):
            kind = view.kind
            if kind in ("single", "evidence"):
                lists = [list(view.radio.options)]
            elif kind == "multiple":
                lists = [[b.description for b in view.boxes]]
            elif kind == "ordering":
                lists = [offered(view.slots[0])]
                assert all(offered(s) == lists[0] for s in view.slots)          # each position offers them so
            elif kind == "matching":
                lists = [[left for left, _ in view.pairs], offered(view.pairs[0][1])]
                assert all(offered(dd) == lists[1] for _, dd in view.pairs)
            else:
                lists = []
            assert f": {html.escape(view.entry['prompt'])}</p>" in view.prompt.value and f"Question {n}" in view.prompt.value
            out.append({"exercise": ex, "id": qid, "n": n, "variant": view.entry["variant"] + 1,
                        "of": len(pool_of(QUESTIONS[qid])), "prompt": view.entry["prompt"], "lists": lists})
    return out


@pytest.mark.parametrize("i, who", [(0, "Student 00"), (11, "S0011"), (23, "user23")])
def test_a_printed_paper_is_exactly_what_the_students_notebook_showed(klass, tmp_path, i, who):
    page = tmp_path / "paper.html"
    with env(BRINK_PAPER_SECRET=klass.secret):
        said = brink("papers", "--roster", klass.roster, "--student", who, "--paper", page)
    code = klass.codes[student(i)["login"]]
    assert f"Wrote the paper of {student(i)['name']} (code {code})" in said
    printed = read_paper(page.read_text(encoding="utf-8"))
    shown = shown_by_notebook(klass, tmp_path, i)
    assert len(printed) == len(shown) == len(BANK["questions"])
    for p, s in zip(printed, shown):
        assert p["key"] is None                                  # the student's copy holds no answer
        for field in ("exercise", "n", "variant", "of", "prompt", "lists"):
            assert p[field] == s[field], (s["id"], field, p[field], s[field])
    assert any(s["of"] > 1 for s in shown) and any(len(s["lists"]) for s in shown)


def test_the_instructors_copy_gives_the_answer_the_grader_scores_right(klass, tmp_path):
    i = 7
    code = klass.codes[student(i)["login"]]
    plain, keyed = tmp_path / "paper.html", tmp_path / "key.html"
    with env(BRINK_PAPER_SECRET=klass.secret):
        brink("papers", "--roster", klass.roster, "--student", student(i)["name"], "--paper", plain)
        brink("papers", "--roster", klass.roster, "--student", student(i)["name"], "--paper", keyed, "--answers")
    bare, full = read_paper(plain.read_text(encoding="utf-8")), read_paper(keyed.read_text(encoding="utf-8"))
    assert [{**q, "key": None} for q in full] == bare            # the same paper, with the key added
    for q, bank_q in zip(full, BANK["questions"]):
        v = variant_of(bank_q, code)
        assert q["key"] == KINDS[v["kind"]].describe(v)
        if v["kind"] != "written":
            entry = pick(ENTRIES[bank_q["id"]], code)
            assert check(entry, KINDS[v["kind"]].solution(v), words=False).score == float(v["points"]), bank_q["id"]
        if len(pool_of(bank_q)) > 1:
            assert q["variant"] == pool_of(bank_q).index(v) + 1


def test_papers_refuses_a_student_not_on_the_roster_in_one_line(klass, tmp_path, capsys):
    from brink.cli import main
    with env(BRINK_PAPER_SECRET=klass.secret):
        code = main(["papers", "--roster", str(klass.roster), "--student", "Nobody Here", "--paper",
                     str(tmp_path / "p.html")])
    err = capsys.readouterr().err
    assert code != 0 and "no student(s) on the roster match 'Nobody Here'" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and not (tmp_path / "p.html").exists()
