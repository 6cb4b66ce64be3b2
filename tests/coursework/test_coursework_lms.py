"""A class of 30 with a roster: Canvas and Moodle gradebooks, written answers read and scored, feedback."""
import csv
import io
import json
import zipfile

import pytest

from brink.exercises.bank import load_bank
from brink.exercises.coursework import CourseworkError
from brink.exercises.gradebooks import CANVAS_IDENTITY
from brink.exercises.grading import grade
from brink.exercises.kinds import KINDS

BANK = load_bank()
TITLES = [m["title"] for m in BANK["exercises"].values()]
POINTS = {ex: sum(q["points"] for q in BANK["questions"] if q["exercise"] == ex) for ex in BANK["exercises"]}


def answers(i):
    """Student i answers exercises 01 and 02 only; the first i auto questions right."""
    out, n = {}, 0
    for q in BANK["questions"]:
        if q["exercise"] not in ("01-timeline", "02-rhetoric"):
            continue
        kind, ex = KINDS[q["kind"]], out.setdefault(q["exercise"], {})
        if q["kind"] == "written":
            ex[q["id"]] = f"Written answer by student {i}."
            continue
        ex[q["id"]] = kind.solution(q) if n < i else kind.wrong(q)
        n += 1
    return out


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    roster = root / "canvas-export.csv"
    with roster.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(CANVAS_IDENTITY + ["Week 0 quiz (1001)"])
        w.writerow(["    Points Possible", "", "", "", "", "10"])
        for i in range(30):
            w.writerow([f"Student{i:02d}, Test", str(9000 + i), f"S{i:04d}", f"user{i:02d}", "Section A", ""])
    zpath = root / "submissions.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for i in range(28):                                          # 2 students never submit
            ident = ({"login": f"user{i:02d}"} if i % 3 == 0 else {"id": f"S{i:04d}"} if i % 3 == 1
                     else {})                                         # the last third: by name only
            name = f"Test Student{i:02d}" if i % 3 == 2 else f"Whatever {i}"
            z.writestr(f"s{i}/submission.json", json.dumps({"format": "brink-submission/1", "name": name,
                                                            "answers": answers(i), **ident}))
        z.writestr("stranger.json", json.dumps({"format": "brink-submission/1", "name": "Not Enrolled",
                                                "answers": answers(3)}))
    return root, roster, zpath


def read(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_canvas_gradebook_from_a_class_of_30(klass, tmp_path):
    _, roster, zpath = klass
    report = grade([zpath], tmp_path / "canvas.csv", roster=roster, fmt="canvas", all_exercises=True)
    rows = read(tmp_path / "canvas.csv")
    assert rows[0] == CANVAS_IDENTITY + TITLES
    assert rows[1][:5] == ["Points Possible", "", "", "", ""]
    assert rows[1][5:] == [f"{POINTS[ex]:g}" for ex in BANK["exercises"]]
    body = rows[2:]
    assert len(body) == 30 and [r[1] for r in body] == [str(9000 + i) for i in range(30)]
    by_sis = {r[2]: r for r in body}
    # 01 and 02 hold a written answer not scored yet: blank in Canvas until it is, never a partial score
    blank = [""] * len(BANK["exercises"])
    assert by_sis["S0010"][5:] == blank and "cell stays blank until they are scored" in report.text()
    assert by_sis["S0028"][5:] == blank and by_sis["S0029"][5:] == blank   # no submission
    assert any(label.endswith("submissions.zip!s12/submission.json") and who == "Student12, Test"
               for label, who in report.read)                 # matched by name "Test Student12" ↔ "Student12, Test"
    assert sorted(report.missing) == ["Student28, Test", "Student29, Test"]
    assert [who for _, who in report.unmatched] == ["Not Enrolled"]
    assert "matched no one on the roster" in report.text() and "have no submission" in report.text()


def test_moodle_gradebook_has_an_identifier_it_can_map(klass, tmp_path):
    root, _, zpath = klass
    roster = root / "moodle-export.csv"
    with roster.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["First name", "Last name", "ID number", "Institution", "Department", "Email address"])
        for i in range(30):
            w.writerow(["Test", f"Student{i:02d}", f"S{i:04d}", "", "", f"user{i:02d}@example.edu"])
    grade([zpath], tmp_path / "moodle.csv", roster=roster, fmt="moodle", written_html=tmp_path / "w.html",
          all_exercises=True)
    template = (tmp_path / "w-scores.csv").read_text(encoding="utf-8").splitlines()
    filled = [template[0]] + [line.replace(",,", ",1,", 1) for line in template[1:]]   # 1 point per answer
    (tmp_path / "scores.csv").write_text("\n".join(filled) + "\n", encoding="utf-8")
    grade([zpath], tmp_path / "moodle.csv", roster=roster, fmt="moodle", rubric_scores=tmp_path / "scores.csv",
          all_exercises=True)
    rows = read(tmp_path / "moodle.csv")
    assert rows[1 + 10][4:6] == ["9", "3"]          # student 10: 8 auto + 1 written; 2 auto + 1 written
    assert rows[0] == ["Full name", "ID number", "Email address", "Username"] + TITLES
    assert len(rows) == 31 and rows[1][:3] == ["Test Student00", "S0000", "user00@example.edu"]
    assert all("Points Possible" not in r[0] for r in rows)
    assert rows[1 + 9][4] != "" and rows[1 + 29][4] == ""   # user09 (login user09 = e-mail's local part) / missing


def test_written_answers_exported_scored_and_merged(klass, tmp_path):
    _, roster, zpath = klass
    html_file = tmp_path / "written.html"
    grade([zpath], tmp_path / "b.csv", roster=roster, fmt="canvas", written_html=html_file, anonymise=True)
    page = html_file.read_text(encoding="utf-8")
    assert "Written answer by student 4." in page and "Student04" not in page and "Test Student" not in page
    template = list(csv.DictReader(io.StringIO((tmp_path / "written-scores.csv").read_text(encoding="utf-8"))))
    assert len(template) == 28 * 2 and {r["question"] for r in template} == {"t09", "r09"}
    for r in template:
        r["score"] = "2,5" if r["question"] == "r09" else "3"
        r["comment"] = "Clear."
    scores = tmp_path / "scores.csv"
    with scores.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(template[0]))
        w.writeheader()
        w.writerows(template)
    fb = tmp_path / "feedback"
    grade([zpath], tmp_path / "merged.csv", roster=roster, fmt="canvas", rubric_scores=scores, feedback_dir=fb)
    rows = {r[2]: r for r in read(tmp_path / "merged.csv")[2:]}
    assert rows["S0010"][5] == "11" and rows["S0010"][6] == "4.5"        # 8 auto + 3 written; 2 auto + 2.5
    reports = sorted(fb.glob("feedback-*.html"))
    assert len(reports) == 28
    one = next(p for p in reports if "student10" in p.name).read_text(encoding="utf-8")
    assert "Your instructor: Clear." in one and "Model answer:" in one and "Answer:" in one


def test_bad_rubric_scores_name_file_row_and_column(klass, tmp_path):
    _, roster, zpath = klass
    bad = tmp_path / "scores.csv"
    grade([zpath], tmp_path / "b.csv", roster=roster, written_html=tmp_path / "w.html")
    code = next(r["answer"] for r in csv.DictReader(io.StringIO((tmp_path / "w-scores.csv").read_text(encoding="utf-8")))
                if r["question"] == "t09")
    bad.write_text(f"answer,question,score\n{code},t09,7\n", encoding="utf-8")
    with pytest.raises(CourseworkError, match=r"scores.csv, row 2, column 'score': 7 is outside 0–3"):
        grade([zpath], tmp_path / "b.csv", roster=roster, rubric_scores=bad)
    bad.write_text(f"answer,question,score\n{code},t09,lots\n", encoding="utf-8")
    with pytest.raises(CourseworkError, match=r"row 2, column 'score': 'lots'"):
        grade([zpath], tmp_path / "b.csv", roster=roster, rubric_scores=bad)


def test_one_exercise_at_a_time(klass, tmp_path):
    _, roster, zpath = klass
    grade([zpath], tmp_path / "w1.csv", roster=roster, fmt="canvas", exercises=["01-timeline"])
    assert read(tmp_path / "w1.csv")[0] == CANVAS_IDENTITY + [TITLES[0]]
    with pytest.raises(CourseworkError, match="no exercise 'nope'"):
        grade([zpath], tmp_path / "w1.csv", roster=roster, exercises=["nope"])


def test_canvas_needs_a_roster(klass, tmp_path):
    with pytest.raises(CourseworkError, match="needs --roster"):
        grade([klass[2]], tmp_path / "x.csv", fmt="canvas")
