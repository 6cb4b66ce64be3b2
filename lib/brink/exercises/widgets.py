"""ipywidgets for the exercises: they only wire controls to the pure functions.

Every control has a visible label and is reachable with the keyboard (Tab to move,
arrows in a list, Space or Enter to press the button). Feedback is given in words,
with a symbol (✓ ✗ ◐), never by colour alone, and lives in a polite live region so
screen readers announce it. Whatever a student types is shown back as text.
"""
from __future__ import annotations

import html
import json

import ipywidgets as w

from .. import settings
from .checking import Result, check, is_assessed
from .kinds import KINDS, LABEL_STYLE
from .result import MAX_TEXT
from .store import AnswerStore, StoreError
from .variants import PaperError, arrange, clean_code, keep_paper, read_paper


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _storable(response):
    try:
        json.dumps(response)
        return response
    except (TypeError, ValueError):
        return repr(response)[:1000]


class QuestionView:
    """One question: its prompt, its controls, a Check button and the feedback.

    Args:
        entry: the question's key entry.
        store: the exercise's answer store.
        number: the question's number in the notebook.
        on_result: called with (question id, Result) after each check.
    """

    def __init__(self, entry: dict, store: AnswerStore, number: int, on_result=None):
        self.entry, self.store, self.number, self.on_result = entry, store, number, on_result
        self.kind = entry["kind"]
        self.prompt = w.HTML(f"<p><b>Question {number}</b> ({_esc(self.kind)}, {entry.get('points', 1)} "
                             f"point{'s' if entry.get('points', 1) != 1 else ''}): {_esc(entry['prompt'])}</p>")
        self.controls = self._build_controls()
        verb = "Save answer" if is_assessed(entry) else "Check answer"
        self.button = w.Button(description=verb, tooltip=f"{verb.split()[0]} your answer to question {number}",
                               icon="check", button_style="")
        self.feedback = w.HTML(value="", layout=w.Layout(width="100%"))
        self.feedback.add_class("brink-feedback")
        self.button.on_click(self._on_click)
        self.widget = w.VBox([self.prompt, *self.controls, self.button, self.feedback],
                             layout=w.Layout(border="1px solid #999", padding="6px", margin="6px 0"))
        self.widget.add_class("brink-question")
        self.widget.add_class(f"brink-q-{entry['id']}")  # stable hooks for the browser tests and for styling

    def _repr_mimebundle_(self, **kwargs):
        """Display the live widget; in a notebook opened without running, a readable line of text."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = (f"Question {self.number} ({self.kind}): {self.entry['prompt']}\n"
                                "[Run the notebook to answer this question.]")
        return bundle

    # --- controls: built, read and restored by the question's kind ------------------
    def _build_controls(self) -> list:
        return KINDS[self.kind].build(self, self.entry)

    def read_response(self):
        """The response the controls hold now, in the form the checker and the store use."""
        return KINDS[self.kind].read(self)

    def set_response(self, response) -> None:
        """Put a stored response back into the controls; anything that does not fit is left out."""
        try:
            KINDS[self.kind].restore(self, self.entry, response)
        except Exception:  # a value the control refuses: leave the control empty
            pass

    # --- checking ----------------------------------------------------------------
    def _on_click(self, _button=None) -> None:
        try:
            self.submit(self.read_response())
        except Exception as e:  # last line of defence: a callback never raises into the front end
            self.feedback.value = self._html(None, f"⚠ Something went wrong: {type(e).__name__}.")

    def submit(self, response) -> Result:
        """Check a response, save it, show the feedback; never raises."""
        result = check(self.entry, response)
        note = ""
        shown: Result | None = result
        if result.status != "empty":
            try:
                self.store.save(self.entry["id"], _storable(response), result.status, result.score)
                # assessed: the result itself says "✎ Saved."; practice: say that the attempt was kept
                note = "" if is_assessed(self.entry) else "Saved."
            except (OSError, StoreError, TypeError, ValueError) as e:
                note = f"⚠ Your answer could not be saved ({e}). Copy it somewhere safe."
                if is_assessed(self.entry):
                    shown = None              # never "✎ Saved." for an answer that was not
        if isinstance(response, str) and len(response) > MAX_TEXT:
            # said where the student can act: it is kept whole here, but grading reads MAX_TEXT characters
            note = (f"{note} ⚠ This answer is {len(response):,} characters long; your instructor's kit reads "
                    f"the first {MAX_TEXT:,}. Shorten it and save again.").strip()
        self.feedback.value = self._html(shown, note)
        if self.on_result:
            try:
                self.on_result(self.entry["id"], result)
            except Exception:
                pass
        return result

    def show(self, result: Result, note: str = "") -> None:
        self.feedback.value = self._html(result, note)

    def _html(self, result: Result | None, note: str) -> str:
        parts = []
        if result is not None:
            parts.append(f"<p><b>{_esc(result.message)}</b></p>")
            if result.hint:
                parts.append(f"<p>Hint: {_esc(result.hint)}</p>")
            if result.reveal:
                parts.append(f"<p>Model answer: {_esc(result.reveal)}</p>")
                crit = "".join(f"<li>{_esc(c)} ({_esc(p)} pt)</li>" for c, p in result.rubric)
                parts.append(f"<p>Rubric:</p><ul>{crit}</ul>")
        if note:
            parts.append(f"<p><i>{_esc(note)}</i></p>")
        return f'<div role="status" aria-live="polite">{"".join(parts)}</div>'


class Exercise:
    """The questions of one exercise notebook, with saved answers and a running score.

    Args:
        exercise_id: e.g. ``"01-timeline"``.
        folder: the answer folder (default ``brink-answers/`` beside the notebook, or ``$BRINK_ANSWERS``).

    In a notebook: ``ex = Exercise("01-timeline")``, then ``ex.show("t01")`` in a cell of its own
    displays question t01, and ``ex.scoreboard()`` the running score.
    """

    def __init__(self, exercise_id: str, folder=None):
        from .bank import load_key
        key = load_key()
        if exercise_id not in key["exercises"]:
            raise KeyError(f"no exercise {exercise_id!r}; known: {sorted(key['exercises'])}")
        self.id = exercise_id
        self.title = key["exercises"][exercise_id]["title"]
        self.mode = key["exercises"][exercise_id].get("mode", "practice")
        self.store = AnswerStore(exercise_id, folder)
        self._questions = key["exercises"][exercise_id]["questions"]
        self._salt = key.get("order_salt", "")
        # a release made with paper codes asks for the student's code before it shows a question
        self.needs_paper = bool(key.get("papers"))
        env = (settings.paper() or "").strip()
        self.paper = (clean_code(env) if env else "") or read_paper(self.store.folder)
        self.results: dict[str, Result] = {}
        self.views: dict[str, QuestionView] = {}
        self.slots: dict[str, w.VBox] = {q["id"]: w.VBox([]) for q in self._questions}
        self.score_label = w.HTML(value="")
        self.paper_box = w.Text(value="", description="Paper code:", placeholder="ABCD-EFGH-JKLM-NPQR",
                                style=LABEL_STYLE, continuous_update=False)
        self.paper_button = w.Button(description="Use this code", tooltip="Use the paper code your instructor gave you")
        self.paper_note = w.HTML(value="")
        self.paper_button.on_click(lambda _b: self._on_paper())
        self.load_problem = ""
        self.entries = {}
        if self.paper or not self.needs_paper:
            self._build()
        else:
            self.entries = {q["id"]: q for q in self._questions}
            for slot in self.slots.values():
                slot.children = (w.HTML("<p>Enter the paper code your instructor gave you in the box at the top of "
                                        "this notebook; the question appears here.</p>"),)
        self._update_score()

    def _build(self) -> None:
        """Draw this paper (each question's variant and its options' order) and build the questions."""
        self.entries = {q["id"]: arrange(q, self.paper, self._salt) for q in self._questions}
        self.results, self.views = {}, {}
        try:
            latest = self.store.latest()
        except StoreError as e:
            latest, self.load_problem = {}, str(e)
        for n, (qid, entry) in enumerate(self.entries.items(), start=1):
            view = QuestionView(entry, self.store, n, on_result=self._record)
            if qid in latest:
                view.set_response(latest[qid])
                result = check(entry, latest[qid])
                self.results[qid] = result
                view.show(result, "Restored from your saved answers.")
            self.views[qid] = view
            self.slots[qid].children = (view.widget,)

    def use_paper(self, code: str) -> str:
        """Take the student's paper code: keep it in the answer folder and show this paper's questions.

        Raises:
            PaperError: the text is not the shape of a paper code (one line that says so).
        """
        self.paper = keep_paper(self.store.folder, code)
        self._build()
        self._update_score()
        return self.paper

    def _on_paper(self) -> None:
        try:
            code = self.use_paper(self.paper_box.value)
            self.paper_note.value = (f'<p role="status" aria-live="polite">Paper {_esc(code)}: your questions are '
                                     "below. The code is kept with your answers and handed in with them.</p>")
        except (PaperError, OSError) as e:
            self.paper_note.value = f'<p role="status" aria-live="polite">⚠ {_esc(e)}</p>'

    def _record(self, qid: str, result: Result) -> None:
        self.results[qid] = result
        self._update_score()

    @property
    def assessed(self) -> bool:
        """True for an assessed exercise: answers are saved, and scored only by the instructor."""
        return self.mode == "assessed"

    def score(self) -> tuple[float, float, int]:
        """(points scored, points possible in auto-checked questions, questions attempted)."""
        auto = [q for q in self.entries.values() if q["kind"] != "written"]
        got = sum(self.results[q["id"]].score for q in auto if q["id"] in self.results)
        attempted = sum(1 for r in self.results.values() if r.status not in ("empty", "invalid"))
        return got, float(sum(q.get("points", 1) for q in auto)), attempted

    def score_text(self) -> str:
        got, possible, attempted = self.score()
        if self.assessed:
            return (f"Answers saved: {attempted} of {len(self.entries)} questions "
                    "(assessed: your instructor scores them after the deadline)")
        return f"Running score: {got:g} of {possible:g} points ({attempted} of {len(self.entries)} questions attempted)"

    def _update_score(self) -> None:
        problem = f" ⚠ {_esc(self.load_problem)}" if self.load_problem else ""
        note = "" if self.assessed else "; written answers are graded by your instructor"
        text = self.score_text()
        head, _, rest = text.partition(" (")
        self.score_label.value = (f'<p role="status" aria-live="polite"><b>{_esc(head)}</b> '
                                  f"({_esc(rest.rstrip(')'))}{note}).{problem}</p>")

    def show(self, qid: str):
        """One question, ready to display (a ``QuestionView``; its widget is ``.widget``).

        Before a paper code is given (in a release that asks for one), a place that the question
        fills once the code is entered.
        """
        if qid not in self.slots:
            raise KeyError(f"no question {qid!r} in {self.id}; known: {list(self.slots)}")
        return self.views.get(qid) or Pending(self, qid)

    def scoreboard(self) -> "Scoreboard":
        """The running score, updated after every check."""
        return Scoreboard(self)

    def solution(self, qid: str) -> str:
        """The answer and explanation from the question bank (instructor copies only)."""
        from .bank import load_bank
        q = next((q for q in load_bank()["questions"] if q["id"] == qid), None)
        if q is None:
            raise KeyError(f"no question {qid!r} in the bank")
        return KINDS[q["kind"]].describe(q)


class Scoreboard:
    """Displays an exercise's running score (live), or its text when the notebook is not running.

    In a release that asks for paper codes, it also holds the box the code is typed into.
    """

    def __init__(self, exercise: Exercise):
        self.exercise = exercise

    def _repr_mimebundle_(self, **kwargs):
        ex = self.exercise
        if ex.needs_paper:
            shown = w.VBox([w.HBox([ex.paper_box, ex.paper_button]), ex.paper_note, ex.score_label])
            if ex.paper:
                ex.paper_box.value = ex.paper
            bundle = shown._repr_mimebundle_(**kwargs)
        else:
            bundle = ex.score_label._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = ex.score_text()
        return bundle


class Pending:
    """The place of a question not drawn yet (no paper code given): filled once the code is entered."""

    def __init__(self, exercise: Exercise, qid: str):
        self.exercise, self.qid = exercise, qid

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.exercise.slots[self.qid]._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = "[Enter your paper code at the top of the notebook to see this question.]"
        return bundle
