"""`brink report`: every figure of the class report checked against a plain computation from known answers.

A class of 30 is built through the kit's real paths: a release from ``brink assign --papers``, a
paper code per student from ``brink papers``, answers saved in each student's answer folder as the
notebook saves them (every attempt), ``submit`` run in it, the files collected one folder per hub
user, and ``brink report`` (and ``brink grade --report``) run on them. Each student's answers
follow a known pattern drawn here; the test then works out every figure itself, from that pattern
and nothing of the report's code (shares, upper and lower 27 %, discrimination, wrong options,
attempts until the first right answer, spread across variants, spans chosen wrongly), and reads
each one off the page.
"""
from __future__ import annotations

import csv
import json
import random
from collections import Counter
from html.parser import HTMLParser

import pytest

from brink.exercises.bank import load_bank
from brink.exercises.store import AnswerStore
from brink.exercises.submission import submit
from brink.exercises.variants import keep_paper, variant_of

N = 30
BANK = load_bank()
AUTO = [q for q in BANK["questions"] if q["kind"] != "written"]
EVIL = '<b onmouseover="x()">Eve & Co</b>'          # a student name that HTML must not run


# --- the class, and its answers --------------------------------------------------------------
def _weighted(rng, options):
    """A wrong option, the first of them most often (so the counts differ)."""
    return rng.choices(options, weights=[4] + [1] * (len(options) - 1))[0]


def right_answer(q):
    if q["kind"] == "numeric":
        return f"{float(q['answer']):g}"
    if q["kind"] == "multiple":
        return sorted(q["answer"])
    if q["kind"] == "matching":
        return dict(q["answer"])
    return q["answer"] if not isinstance(q["answer"], list) else list(q["answer"])


def wrong_answer(q, rng):
    kind = q["kind"]
    if kind in ("single", "evidence"):
        return _weighted(rng, sorted(o for o in q["options"] if o != q["answer"]))
    if kind == "multiple":
        wrong = sorted(o for o in q["options"] if o not in q["answer"])
        return [_weighted(rng, wrong)] + ([q["answer"][0]] if rng.random() < 0.5 else [])
    if kind == "matching":
        lefts = list(q["answer"])
        rights = [q["answer"][x] for x in lefts]
        return {x: rights[(i + 1) % len(rights)] for i, x in enumerate(lefts)}
    if kind == "ordering":
        a = list(q["answer"])
        return a[1:] + a[:1]
    return f"{float(q['answer']) + 1000 * rng.choice([1, 1, 2]):g}"


def plain_score(q, response) -> float:
    """The points a response earns, by the rules the instructor guide states, written out plainly."""
    pts = float(q["points"])
    if response is None:
        return 0.0
    kind = q["kind"]
    if kind in ("single", "evidence"):
        return pts if response == q["answer"] else 0.0
    if kind == "numeric":
        return pts if abs(float(response) - float(q["answer"])) <= float(q.get("tolerance", 0)) + 1e-9 else 0.0
    if kind == "multiple":
        right = len([o for o in response if o in q["answer"]])
        wrong = len(response) - right
        return max(0.0, (right - wrong) / len(q["answer"])) * pts
    if kind == "ordering":
        return sum(a == b for a, b in zip(response, q["answer"])) / len(q["answer"]) * pts
    good = sum(q["answer"].get(k) == v for k, v in response.items())
    return good / len(q["answer"]) * pts


def build_class(tmp_path, monkeypatch, cli):
    """Release, roster, codes, answers, submissions: returns what each student was given and answered."""
    monkeypatch.setenv("BRINK_PAPER_SECRET", str(tmp_path / "secret"))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.chdir(tmp_path)
    cli("assign", "release", "--mode", "assessed", "--papers")
    names = [f"Student {i:02d}" for i in range(N)]
    names[N - 2] = EVIL                    # the student who hands in a classmate's code: named on the page
    with open("roster.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Name", "Login"])
        w.writerows([name, f"user{i:02d}"] for i, name in enumerate(names))
    cli("papers", "--roster", "roster.csv", "-o", "codes.csv")
    codes = {r["Login"]: r["Paper code"] for r in csv.DictReader(open("codes.csv", encoding="utf-8"))}
    rng = random.Random(1515)
    students = []
    for i, name in enumerate(names):
        login = f"user{i:02d}"
        ability = 0.15 + 0.8 * i / (N - 1)
        folder = tmp_path / "homes" / login / "exercises" / "brink-answers"
        folder.mkdir(parents=True)
        # the last student but one hands in with a classmate's code: they are left out of the figures
        code = codes["user00"] if i == N - 2 else codes[login]
        keep_paper(folder, code)
        record = {"name": name, "login": login, "forfeit": i == N - 2, "answers": {}}
        for j, q in enumerate(AUTO):
            bq = variant_of(q, codes[login])           # the variant the paper code draws
            v = (q.get("pool") or [q]).index(bq)
            if rng.random() < 0.06:                    # given, not answered
                record["answers"][q["id"]] = (v, bq, None, [])
                continue
            knows = rng.random() < ability - 0.02 * (j % 7)
            final = right_answer(bq) if knows else wrong_answer(bq, rng)
            tries = [wrong_answer(bq, rng) for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3, 4]) if knows
                                                           else rng.choice([0, 1]))]
            store = AnswerStore(q["exercise"], folder)
            for response in [*tries, final]:
                store.save(q["id"], response, "saved", 0)
            record["answers"][q["id"]] = (v, bq, final, [*tries, final])
        out = tmp_path / "submissions" / login / "submission.json"
        out.parent.mkdir(parents=True)
        submit(name, answers_folder=folder, login=login, out=out)
        if i == 3:                             # a student who cut the attempt log out of their file
            data = json.loads(out.read_text(encoding="utf-8"))
            del data["attempts"]
            out.write_text(json.dumps(data), encoding="utf-8")
        record["nolog"] = i == 3
        students.append(record)
    (tmp_path / "submissions" / "user01" / '<img src=x onerror="y()">.json').write_text("not json", encoding="utf-8")
    return students


# --- the figures, computed plainly -------------------------------------------------------------
def expected(students):
    kept = [s for s in students if not s["forfeit"]]
    for s in kept:
        s["total"] = sum(plain_score(bq, r) for (v, bq, r, _) in s["answers"].values())
    ranked = sorted(kept, key=lambda s: (-s["total"], s["name"].casefold()))
    k = int(0.27 * len(ranked) + 0.5)
    upper, lower = ranked[:k], ranked[-k:]
    out = {"analysed": len(kept), "group": k, "q": {}}
    for q in AUTO:
        per = {}
        for s in kept:
            v, bq, r, log = s["answers"][q["id"]]
            right = r is not None and plain_score(bq, r) >= float(q["points"]) - 1e-9
            for key in (v, "all"):
                c = per.setdefault(key, {"given": 0, "answered": 0, "correct": 0, "up": [0, 0], "low": [0, 0],
                                         "first": Counter(), "wrong": Counter()})
                c["given"] += 1
                c["answered"] += r is not None
                c["correct"] += right
                if s in upper:
                    c["up"][0] += right
                    c["up"][1] += 1
                if s in lower:
                    c["low"][0] += right
                    c["low"][1] += 1
                if r is None:
                    continue
                at = next((n for n, x in enumerate(log, 1) if plain_score(bq, x) >= float(q["points"]) - 1e-9), None)
                c["first"]["no log" if s["nolog"] else "never" if at is None else str(at) if at < 4 else "4+"] += 1
                if not right:
                    c["wrong"].update(wrong_parts(bq, r))
        out["q"][q["id"]] = per
    return out


def wrong_parts(q, r):
    if q["kind"] in ("single", "evidence", "numeric"):
        return [r]
    if q["kind"] == "multiple":
        return [o for o in r if o not in q["answer"]]
    if q["kind"] == "matching":
        return [f"{k} → {v}" for k, v in r.items() if q["answer"][k] != v]
    return [" → ".join(r)]


# --- reading the page ------------------------------------------------------------------------
class Page(HTMLParser):
    """The page's tables as {(table, question): {row key: {column: text}}}, and the marks in the texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.cols, self.marks = {}, {}, Counter()
        self._table = self._row = self._col = None
        self._text = []
        self.mark_labels = []
        self._in_sup = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault((a.get("data-table"), a.get("data-q")), {})
        elif tag == "tr" and self._table is not None:
            key = a.get("data-variant") or a.get("data-option") or a.get("data-q") or a.get("data-span")
            self._row = self._table.setdefault(key, {}) if key is not None else None
        elif "data-col" in a:
            self._col, self._text = a["data-col"], []
        elif tag == "mark":
            self.marks[a.get("data-span")] += 1
        elif tag == "sup":
            self._in_sup, self._text = True, []

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if self._col is not None and tag in ("td", "p", "strong"):
            value = "".join(self._text).strip()
            if self._row is not None and tag == "td":
                self._row[self._col] = value
            else:
                self.cols[self._col] = value
            self._col = None
        elif tag == "sup" and self._in_sup:
            self.mark_labels.append("".join(self._text))
            self._in_sup = False
        elif tag == "table":
            self._table = self._row = None


def read_page(path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


class Out:
    def __init__(self, out, err):
        self.out, self.err = out, err


def cli(*args, code=0):
    """``brink ARGS`` in this process, as a user types it; its exit status checked, its output returned."""
    import contextlib
    import io

    from brink.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        got = main([str(a) for a in args])
    assert got == code, (args, err.getvalue())
    assert "Traceback" not in err.getvalue()
    return Out(out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    import os
    tmp_path = tmp_path_factory.mktemp("class")
    with pytest.MonkeyPatch.context() as mp:
        # what is saved matters here, not that it survives a power cut (tests/test_store.py tests that):
        # 2,000 saves without fsync take seconds instead of a minute on a busy disk
        mp.setattr(os, "fsync", lambda fd: None)
        students = build_class(tmp_path, mp, cli)
        out = cli("report", "submissions", "--from", "hub", "--release", "release", "--roster", "roster.csv",
                  "-o", "report.html")
    assert "Wrote report.html" in out.out
    return students, tmp_path / "report.html"


def test_every_figure_matches_a_plain_computation(graded_class):
    students, path = graded_class
    want = expected(students)
    page = read_page(path)
    assert page.cols["analysed"] == str(want["analysed"]) == str(N - 1)
    assert page.cols["group"] == str(want["group"]) == "8"
    variants_seen = 0
    for q in AUTO:
        fig = page.tables[("figures", q["id"])]
        wrong = page.tables.get(("wrong", q["id"]), {})
        for v, c in want["q"][q["id"]].items():
            if v != "all" and len(q.get("pool") or [q]) == 1:
                continue
            row = fig["all" if v == "all" else str(v + 1)]
            variants_seen += v != "all"
            where = (q["id"], v)
            assert row["given"] == str(c["given"]), where
            assert row["answered"] == str(c["answered"]), where
            assert row["correct"] == str(c["correct"]), where
            assert row["share"] == f"{100 * c['correct'] / c['given']:.1f} %", where
            assert row["upper"] == f"{c['up'][0]} of {c['up'][1]}", where
            assert row["lower"] == f"{c['low'][0]} of {c['low'][1]}", where
            if c["up"][1] and c["low"][1]:
                d = c["up"][0] / c["up"][1] - c["low"][0] / c["low"][1]
                assert row["discrimination"] == f"{d:+.2f}", where
            else:
                assert row["discrimination"] == "—", where
            for b in ("1", "2", "3", "4+"):
                assert row[f"first-{b}"] == str(c["first"][b]), (where, b)
            assert row["never"] == str(c["first"]["never"]), where
            assert row["nolog"] == str(c["first"]["no log"]), where
            col = f"wrong-{'all' if v == 'all' else v + 1}"
            for option, n in c["wrong"].items():
                assert wrong[option][col] == str(n), (where, option)
            offered = {o for o in wrong if wrong[o][col] not in ("0", "not offered")}
            assert offered == set(c["wrong"]), where            # nothing counted that was not chosen
        if q["kind"] in ("single", "evidence", "multiple"):    # every wrong option is listed, chosen or not
            every = {o for bq in (q.get("pool") or [q]) for o in bq["options"]
                     if o not in (bq["answer"] if isinstance(bq["answer"], list) else [bq["answer"]])}
            assert set(wrong) == every, q["id"]
    assert variants_seen > 0
    assert want["q"][AUTO[0]["id"]]["all"]["first"]["no log"] in (0, 1)
    assert sum(want["q"][q["id"]]["all"]["first"]["no log"] for q in AUTO) > 20     # the cut log is counted


def test_discrimination_uses_the_right_groups(graded_class):
    """Against the same figure with the groups swapped, or taken over all students: the page gives ours."""
    students, path = graded_class
    want = expected(students)
    summary = read_page(path).tables[("summary", None)]
    differs = 0
    for q in AUTO:
        c = want["q"][q["id"]]["all"]
        d = c["up"][0] / c["up"][1] - c["low"][0] / c["low"][1]
        assert summary[q["id"]]["discrimination"] == f"{d:+.2f}"
        differs += f"{-d:+.2f}" != f"{d:+.2f}"
    assert differs >= len(AUTO) // 2          # a swapped sign would fail most rows
    assert sum(float(summary[q["id"]]["discrimination"]) for q in AUTO) > 0   # able students do better


def test_spread_across_variants(graded_class):
    students, path = graded_class
    want = expected(students)
    page = read_page(path)
    pooled = [q for q in AUTO if len(q.get("pool") or [q]) > 1]
    assert pooled
    for q in pooled:
        shares = [c["correct"] / c["given"] for v, c in want["q"][q["id"]].items() if v != "all" and c["given"]]
        spread = f"{max(shares) - min(shares):.2f}" if len(shares) > 1 else "—"
        assert page.tables[("summary", None)][q["id"]]["spread"] == spread


def test_spans_chosen_wrongly_are_drawn_on_their_text(graded_class):
    from brink.dataset import loaders as tables
    students, path = graded_class
    kept = [s for s in students if not s["forfeit"]]
    texts = {sid: tables.source_text(sid) for sid in tables.sources()["source_id"]}
    want = Counter()
    for s in kept:
        for q in AUTO:
            v, bq, r, _ = s["answers"][q["id"]]
            if q["kind"] == "evidence" and r is not None and r != bq["answer"]:
                sid = next(sid for sid, body in texts.items() if r in body)
                start = texts[sid].index(r)
                want[f"{sid}:{start}-{start + len(r)}"] += 1
    page = read_page(path)
    spans = page.tables[("spans", None)]
    assert {k: int(row["total"]) for k, row in spans.items()} == dict(want)
    totals = [int(row["total"]) for row in spans.values()]
    assert totals == sorted(totals, reverse=True)                 # most often first
    assert sorted(page.mark_labels) == sorted(f"{n}×" for n in want.values())
    html_text = path.read_text(encoding="utf-8")
    for key in want:
        sid, rest = key.split(":")
        start, end = map(int, rest.split("-"))
        assert f'data-source="{sid}"' in html_text


def test_names_are_escaped_and_left_out_students_named(graded_class):
    students, path = graded_class
    text = path.read_text(encoding="utf-8")
    forfeit = next(s for s in students if s["forfeit"])
    assert forfeit["name"] == EVIL
    assert ("<li>&lt;b onmouseover=&quot;x()&quot;&gt;Eve &amp; Co&lt;/b&gt;: its paper code is not the one "
            "issued to this student</li>") in text
    assert "<b onmouseover" not in text
    assert "&lt;img src=x onerror=&quot;y()&quot;&gt;.json: not valid JSON" in text and "<img" not in text
    assert "<script" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text


def test_grade_report_flag_writes_the_same_page(graded_class, monkeypatch):
    students, path = graded_class
    monkeypatch.chdir(path.parent)
    monkeypatch.setenv("BRINK_PAPER_SECRET", str(path.parent / "secret"))
    cli("grade", "submissions", "--from", "hub", "--release", "release", "--roster", "roster.csv",
        "-o", "book.csv", "--report", "report2.html")
    assert (path.parent / "report2.html").read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, line", [
    (["nowhere", "-o", "r.html"], "nothing was graded"),
    (["subs/one.json", "-o", "subs/one.json"], "would overwrite a submission path given"),
    (["subs", "-o", "folder"], "is a folder"),
    (["subs", "-o", "r.html", "--bank", "nobank.toml"], "nobank.toml: the question bank is missing"),
    (["subs", "-o", "r.html", "--roster", "missing.csv"], "the roster cannot be read"),
])
def test_bad_input_is_one_line_and_exit_1(args, line, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "subs").mkdir()
    (tmp_path / "folder").mkdir()
    (tmp_path / "subs" / "one.json").write_text("{}", encoding="utf-8")
    out = cli("report", *args, code=1)
    assert out.err.startswith("brink report: ") and line in out.err, out.err
    assert not (tmp_path / "r.html").exists()


def test_grade_refuses_a_report_that_is_another_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "subs").mkdir()
    out = cli("grade", "subs", "-o", "same.html", "--report", "same.html", code=1)
    assert out.err.startswith("brink grade: same.html: named as both the gradebook and the class report"), out.err
    out = cli("grade", "subs", "-o", "book.csv", "--written-html", "w.html", "--report", "w.html", code=1)
    assert "named as both the written-answers file and the class report" in out.err, out.err
    assert not list(tmp_path.glob("*.html")) and not (tmp_path / "book.csv").exists()
