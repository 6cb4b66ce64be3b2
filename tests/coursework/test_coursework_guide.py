"""docs/instructor-guide.md followed literally, in order, as a newcomer instructor would: a hub class of 30.

Every ```sh block of the guide is run as written (``brink`` in this process, the rest in bash),
with the students' hand-ins made in between, and the rubric scores filled in where the guide says
to fill them in. The hub homes are a folder of the test's (``/home/`` is the one word replaced).
The cycle runs twice: as the guide writes it (written answers exported without ``--roster``,
merged with it), and with the roster flags on the export instead of the merge. No rubric score
may be lost either way.
"""
import csv
import io
import os
import re
import shlex
import shutil
import subprocess
import zipfile

import pytest

from brink.exercises.bank import load_bank
from brink.exercises.kinds import KINDS
from brink.exercises.store import AnswerStore
from brink.exercises.submission import submit
from kitpaths import KIT

GUIDE = KIT / "docs" / "instructor-guide.md"
SH = re.compile(r"^ *```sh\n(.*?)^ *```", re.S | re.M)
BANK = load_bank()
QUESTIONS = [q for q in BANK["questions"] if q["exercise"] == "01-timeline"]
N = 30
ROSTER_FLAGS = ["--roster", "roster.csv", "--format", "canvas"]


def commands() -> list[str]:
    return [line.strip() for block in SH.findall(GUIDE.read_text(encoding="utf-8"))
            for line in block.splitlines() if line.strip()]


def hand_in(homes, release):
    """Each student answers in their home's copy of the release and runs submit() there (on a hub: a login only)."""
    for i in range(N):
        user = f"user{i:02d}"
        folder = homes / f"jupyter-{user}" / "week1" / "exercises" / "brink-answers"
        folder.mkdir(parents=True)
        store = AnswerStore("01-timeline", folder)
        for q in QUESTIONS:
            kind = KINDS[q["kind"]]
            if q["kind"] == "written":
                store.save(q["id"], f"An essay by student {i}, about two clocks. " * 20, "saved", 0)
            else:
                store.save(q["id"], kind.solution(q) if i % 2 == 0 else kind.wrong(q), "saved", 0)
        submit(f"Student {i:02d}", answers_folder=folder, login=user,
               out=folder.parent / f"submission-student-{i:02d}.json")


def roster(path):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"])
        w.writerow(["    Points Possible", "", "", "", ""])
        for i in range(N):
            w.writerow([f"Student {i:02d}", str(7000 + i), f"S{i:04d}", f"user{i:02d}", "A"])


def fill_in(scores_csv):
    """The instructor gives every written answer full marks, in a spreadsheet, with a decimal comma."""
    rows = list(csv.DictReader(io.StringIO(scores_csv.read_text(encoding="utf-8"))))
    assert len(rows) == N
    for r in rows:
        r["score"] = r["points"].replace(".", ",")
    with scores_csv.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def swap_roster(cmd: str, export: bool) -> str:
    """The same command with the roster flags moved: onto the export, off the merge."""
    words, plain = shlex.split(cmd), []
    for w in words:
        if plain and plain[-1] in ("--roster", "--format"):
            plain.pop()
            continue
        plain.append(w)
    if export:
        plain[plain.index("-o"):plain.index("-o")] = ROSTER_FLAGS
    else:
        plain[plain.index("-o") + 1] = "book-merged.csv"
    return shlex.join(plain)


@pytest.mark.parametrize("order", ["as written", "roster on the export"])
def test_the_guide_cycle_loses_no_rubric_score(order, tmp_path, monkeypatch, capsys):
    from brink.cli import main
    grading = tmp_path / "grading"
    grading.mkdir()
    homes = tmp_path / "home"
    monkeypatch.chdir(grading)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    roster(grading / "roster.csv")
    steps = commands()
    brink_steps = [c for c in steps if c.startswith("brink ")]
    assert brink_steps[0].startswith("brink assign ../week1-release") and any("--written-html" in c for c in steps)
    outputs = []
    for cmd in steps:
        if cmd.startswith("brink grade") and "--rubric-scores" in cmd and "--feedback" not in cmd:
            fill_in(grading / "written-scores.csv")
        if order != "as written" and cmd.startswith("brink grade"):
            if "--written-html" in cmd:
                cmd = swap_roster(cmd, export=True)
            elif "--rubric-scores" in cmd and "--format canvas" in cmd:
                cmd = swap_roster(cmd, export=False)
        if cmd.startswith("brink "):
            code = main(shlex.split(cmd)[1:])
            out = capsys.readouterr()
            assert code == 0, (cmd, out.err)
            assert "Traceback" not in out.err
            outputs.append((cmd, out.out))
            if cmd.startswith("brink assign"):
                hand_in(homes, tmp_path / "week1-release")
        else:
            run = subprocess.run(["bash", "-c", cmd.replace("/home/", f"{homes}/")], capture_output=True, text=True)
            assert run.returncode == 0, (cmd, run.stderr)
    assert sorted(os.listdir(grading / "submissions")) == [f"user{i:02d}" for i in range(N)]
    merge_cmd, merge_out = next((c, o) for c, o in outputs if "--rubric-scores" in c and "--feedback" not in c)
    assert "no rubric score yet" not in merge_out and "Graded 30 submission(s)" in merge_out
    auto = sum(float(q["points"]) for q in QUESTIONS if q["kind"] != "written")
    written = sum(float(q["points"]) for q in QUESTIONS if q["kind"] == "written")
    if order == "as written":
        rows = list(csv.reader(io.StringIO((grading / "canvas.csv").read_text(encoding="utf-8"))))
        assert rows[0][5:] == [BANK["exercises"]["01-timeline"]["title"]]     # only what the release assigned
        got = {r[2]: float(r[5]) for r in rows[2:]}
        want = {f"S{i:04d}": (auto if i % 2 == 0 else 0) + written for i in range(N)}
    else:
        rows = list(csv.DictReader(io.StringIO((grading / "book-merged.csv").read_text(encoding="utf-8"))))[1:]
        got = {r["Login"]: float(r["Total"]) for r in rows}
        want = {f"user{i:02d}": (auto if i % 2 == 0 else 0) + written for i in range(N)}
    assert got == want
    # the class report the guide writes: all 30 analysed, each question right for the 15 even students only
    page = (grading / "report.html").read_text(encoding="utf-8")
    assert '<strong data-col="analysed">30</strong>' in page
    for q in QUESTIONS:
        if q["kind"] != "written":
            table = page.split(f'<table data-table="figures" data-q="{q["id"]}">')[1].split("</table>")[0]
            row = table.split('<tr data-variant="all">')[1]
            assert '<td data-col="given" class=n>30</td>' in row and '<td data-col="correct" class=n>15</td>' in row
    # walked as found (issue 20): each note names what this run did, not an option it already has or lacks
    for cmd, out in outputs:
        if cmd.startswith(("brink grade", "brink report")):
            assert "name it with --release" not in out and "../week1-release asked for no paper codes" in out, cmd
        if cmd.startswith("brink report"):
            assert "--rubric-scores to merge" not in out and "written answer(s) are not in the class report" in out
    # the scores template holds the columns the guide names, in its order
    named = re.search(r"one\s+row per answer: (.*?)\.\n", GUIDE.read_text(encoding="utf-8"), re.S).group(1)
    header = (grading / "written-scores.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == re.findall(r"`([a-z]+)`", named)
    feedback = sorted(p.name for p in (grading / "feedback").iterdir())
    assert len(feedback) == N and all(re.fullmatch(r"feedback-student-\d\d-user\d\d-[0-9a-f]{8}\.html", f)
                                      for f in feedback)


# --- the same cycle on laptops, through Canvas and Moodle (issue 20, walked as found) ---------------------------
CLASS = [  # name, Canvas's sortable name in its download, Canvas ID, SIS User ID, Moodle participant, e-mail
    ("Zoë Ångström", "ångströmzoë", 7001, "S1001", 501, "zoe@example.edu"),
    ("张伟", "张伟", 7002, "S1002", 502, "zhang.wei@example.edu"),
    ("محمد رضا", "رضامحمد", 7003, "S1003", 503, "m.reza@example.edu"),
    ("Анна Петрова", "петроваанна", 7004, "S1004", 504, "anna@example.edu"),
    ("अनन्या शर्मा", "शर्माअनन्या", 7005, "S1005", 505, "ananya@example.edu"),
]


class RawName(zipfile.ZipInfo):
    """A member written as a built-in zipper writes it: cp437 bytes, else UTF-8 bytes (macOS), the UTF-8 flag off."""

    def _encodeFilenameFlags(self):
        try:
            raw = self.real.encode("cp437")
        except UnicodeEncodeError:
            raw = self.real.encode("utf-8")
        return raw, self.flag_bits & ~0x800


def lms_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, (name, data) in enumerate(members):
            info = RawName(f"member{n}", date_time=(2027, 1, 20, 12, 0, 0))
            info.real = name
            z.writestr(info, data)
    with zipfile.ZipFile(path) as z:      # Python reads the UTF-8 names garbled (cp437 is right): the kit must not
        assert all(not i.flag_bits & 0x800 for i in z.infolist())
        garbled = [g for g, (name, _) in zip(z.namelist(), members) if g != name]
    assert len(garbled) == len(members) - 1          # all but Zoë's, whose letters cp437 has
    return garbled


def test_the_guide_cycle_on_laptops_with_five_scripts_and_zips_without_the_utf8_flag(tmp_path, monkeypatch, capsys):
    """The guide's commands, `--from hub` read as the laptop walk-through says (`--from canvas`), its Canvas and Moodle
    import lines as written; submissions handed in with submit() and downloaded as zips re-made by a built-in zipper."""
    from brink.cli import main
    grading = tmp_path / "grading"
    (grading / "submissions").mkdir(parents=True)
    (grading / "moodle-download").mkdir()
    monkeypatch.chdir(grading)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    with (grading / "roster.csv").open("w", encoding="utf-8", newline="") as f:      # a Canvas gradebook export
        w = csv.writer(f)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"])
        w.writerow(["    Points Possible", "", "", "", ""])
        w.writerows([n, cid, sis, "", "A"] for n, _, cid, sis, _, _ in CLASS)
    shutil.copy(grading / "roster.csv", grading / "canvas-export.csv")
    with (grading / "moodle-export.csv").open("w", encoding="utf-8", newline="") as f:  # the grading worksheet
        w = csv.writer(f)
        w.writerow(["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade"])
        w.writerows([f"Participant {pid}", n, mail, "Submitted for grading", "", "100.00"] for n, _, _, _, pid, mail in CLASS)

    def brink(cmd):
        code = main(shlex.split(cmd)[1:])
        out = capsys.readouterr()
        assert code == 0 and "Traceback" not in out.err, (cmd, out.err)
        return out.out

    steps = [c.replace("--from hub", "--from canvas") for c in commands() if c.startswith("brink ")]
    text = GUIDE.read_text(encoding="utf-8")
    imports = {fmt: re.search(rf"^`(brink grade [^`]*--format {fmt} [^`]*)`$", text, re.M).group(1)
               for fmt in ("canvas", "moodle")}
    assert steps[0].startswith("brink assign ../week1-release --mode assessed")
    brink(steps[0])
    canvas, moodle = [], []
    for i, (name, sortable, cid, _, pid, _) in enumerate(CLASS):
        folder = tmp_path / f"laptop{i}" / "week1-release" / "exercises"
        store = AnswerStore("01-timeline", folder / "brink-answers")
        for q in QUESTIONS:
            response = (f"{name}: one instant, two clocks. " * 5 if q["kind"] == "written" else
                        KINDS[q["kind"]].solution(q) if i % 2 == 0 else KINDS[q["kind"]].wrong(q))
            store.save(q["id"], response, "saved", 0)
        monkeypatch.chdir(folder)
        submit(name, answers_folder=folder / "brink-answers")
        (handed,) = folder.glob("submission-*.json")
        assert name.casefold().split()[0] in handed.name               # the file says whose it is, in its script
        canvas.append((f"{sortable}_{cid}_{900 + i}_{handed.name}", handed.read_bytes()))
        moodle.append((f"{name}_{pid}_assignsubmission_file/{handed.name}", handed.read_bytes()))
    monkeypatch.chdir(grading)
    capsys.readouterr()
    garbled = lms_zip(grading / "submissions" / "canvas-download.zip", canvas)
    garbled += lms_zip(grading / "moodle-download" / "moodle-download.zip", moodle)
    printed = {}
    for cmd in steps[1:]:
        if "--rubric-scores" in cmd and "--feedback" not in cmd:
            rows = list(csv.DictReader(io.StringIO((grading / "written-scores.csv").read_text(encoding="utf-8"))))
            assert len(rows) == 5
            for r in rows:
                r["score"] = "2,5"
            with (grading / "written-scores.csv").open("w", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(rows[0]))
                w.writeheader()
                w.writerows(rows)
        printed[cmd] = brink(cmd)
    for out in printed.values():                                        # every name read as its student wrote it
        assert not any(g in out for g in garbled) and all(s in out for _, s, *_ in CLASS), out
    auto = sum(float(q["points"]) for q in QUESTIONS if q["kind"] != "written")
    want = {sis: (auto if i % 2 == 0 else 0) + 2.5 for i, (_, _, _, sis, _, _) in enumerate(CLASS)}
    rows = list(csv.reader(io.StringIO((grading / "canvas.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", BANK["exercises"]["01-timeline"]["title"]]
    assert {r[2]: float(r[5]) for r in rows[2:]} == want
    # the guide's Canvas import line, as written, gives the same book
    brink(imports["canvas"].replace("-o canvas.csv", "-o canvas-import.csv") + " --rubric-scores written-scores.csv")
    assert (grading / "canvas-import.csv").read_text(encoding="utf-8") == (grading / "canvas.csv").read_text(encoding="utf-8")
    # Moodle: its import line as written (no scores merged: the written answer keeps the exercise blank), then merged
    said = brink(imports["moodle"].replace("submissions/", "moodle-download/"))
    assert "create one grade item per column with these maxima first" in said and f": {auto + 3:g}" in said
    book = list(csv.DictReader(io.StringIO((grading / "moodle.csv").read_text(encoding="utf-8"))))
    assert [r["Full name"] for r in book] == [n for n, *_ in CLASS] and {r[rows[0][5]] for r in book} == {""}
    brink(imports["moodle"].replace("submissions/", "moodle-download/") + " --rubric-scores written-scores.csv")
    book = list(csv.DictReader(io.StringIO((grading / "moodle.csv").read_text(encoding="utf-8"))))
    assert {r["Email address"]: float(r[rows[0][5]]) for r in book} == {
        mail: want[sis] for _, _, _, sis, _, mail in CLASS}
    feedback = sorted(p.name for p in (grading / "feedback").iterdir())
    assert sorted(f.rsplit("-", 1)[0] for f in feedback) == sorted(f"feedback-{s}-{cid}" for _, s, cid, *_ in CLASS)
    assert '<strong data-col="analysed">5</strong>' in (grading / "report.html").read_text(encoding="utf-8")
