"""Pages for people: the written answers to read and score, and one feedback report per student."""
from __future__ import annotations

import csv
import html
import io

from .gradebooks import Graded, _csv_cell, _num, exercise_score
from .kinds import KINDS


def _esc(x) -> str:
    return html.escape(str(x), quote=True)


def _show(response) -> str:
    if isinstance(response, list):
        return " → ".join(map(str, response)) if response else "(nothing)"
    if isinstance(response, dict):
        return "; ".join(f"{k} → {v}" for k, v in response.items()) or "(nothing)"
    return str(response)


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}}
article{{border-top:1px solid #999;padding:.5em 0}} .answer{{white-space:pre-wrap}}</style></head>
<body><h1>{title}</h1>
{body}
</body></html>
"""


def written_report(rows: list, questions: list, plain: dict, anonymise: bool) -> tuple[str, str]:
    """The written answers per question for reading (HTML), and the scores CSV to fill in."""
    parts = []
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["answer", "question", "score", "points", "comment", "student"])
    for q in questions:
        if q["kind"] != "written":
            continue
        bq = plain[q["id"]]
        crit = "".join(f"<li>{_esc(c['criterion'])} ({_esc(c['points'])} pt)</li>" for c in bq["rubric"])
        parts.append(f"<h2>{_esc(q['id'])}: {_esc(q['prompt'])}</h2><p>Rubric ({_num(float(q['points']))} points):</p>"
                     f"<ul>{crit}</ul><details><summary>Model answer</summary><p>{_esc(bq['model_answer'])}</p></details>")
        answered = [g for g in rows if q["id"] in g.answers]
        if anonymise:
            answered.sort(key=lambda g: g.code(q["id"]))
        for g in answered:
            code = g.code(q["id"])
            who = code if anonymise else f"{g.student.name} ({code})"
            parts.append(f'<article id="{code}"><h3>{_esc(who)}</h3>'
                         f'<p class="answer">{_esc(_show(g.answers[q["id"]]))}</p></article>')
            w.writerow([code, q["id"], "", _num(float(q["points"])), "", "" if anonymise else _csv_cell(g.student.name)])
    title = "Written answers" + (" (anonymised)" if anonymise else "")
    return PAGE.format(title=title, body="\n".join(parts)), buf.getvalue()


def feedback_report(g: Graded, questions: list, plain: dict, titles: dict) -> str:
    """One student's feedback: each question, their answer, the score, the solution and the feedback."""
    parts = []
    for ex, title in titles.items():
        qs = [q for q in questions if q["exercise"] == ex]
        got = exercise_score(g, questions, ex)
        possible = sum(float(q["points"]) for q in qs)
        parts.append(f"<h2>{_esc(title)}: {_esc(got or 'not answered')}"
                     f"{' of ' + _num(possible) + ' points' if got else ''}</h2>")
        for q in qs:
            bq = plain[q["id"]]
            kind = KINDS[q["kind"]]
            answer = g.answers.get(q["id"])
            score = g.scores.get(q["id"])
            line = "not answered" if answer is None else _esc(_show(answer))
            pts = ("not scored yet" if score is None and answer is not None else
                   "" if score is None else f"{_num(score)} of {_num(float(q['points']))} points")
            extra = ""
            fb = bq.get("feedback", {})
            if isinstance(answer, str) and answer in fb:
                extra += f"<p>Feedback: {_esc(fb[answer])}</p>"
            if q["id"] in g.comments and g.comments[q["id"]]:
                extra += f"<p>Your instructor: {_esc(g.comments[q['id']])}</p>"
            parts.append(f"<article><h3>{_esc(q['prompt'])}</h3><p>Your answer: <span class=\"answer\">{line}</span></p>"
                         f"<p>{_esc(pts)}</p>{extra}<p class=\"answer\">{_esc(kind.describe(bq))}</p></article>")
    return PAGE.format(title=f"Feedback for {_esc(g.student.name)}", body="\n".join(parts))


__all__ = ["feedback_report", "written_report"]
