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

from .checking import Result, check, rubric
from .store import AnswerStore, StoreError

PLACEHOLDER = "— choose —"
WIDE = w.Layout(width="100%")
LABEL_STYLE = {"description_width": "initial"}


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
        self.button = w.Button(description="Check answer", tooltip=f"Check and save your answer to question {number}",
                               icon="check", button_style="")
        self.feedback = w.HTML(value="", layout=WIDE)
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

    # --- controls ----------------------------------------------------------------
    def _build_controls(self) -> list:
        e, k = self.entry, self.kind
        if k in ("single", "evidence"):
            self.radio = w.RadioButtons(options=e["options"], value=None, description="Answer:",
                                        layout=WIDE, style=LABEL_STYLE)
            return [self.radio]
        if k == "multiple":
            self.boxes = [w.Checkbox(value=False, description=o, indent=False, layout=WIDE) for o in e["options"]]
            return [w.Label("Tick every option that applies:"), *self.boxes]
        if k == "ordering":
            opts = [(PLACEHOLDER, None)] + [(i, i) for i in e["items"]]
            self.slots = [w.Dropdown(options=opts, value=None, description=f"Position {i + 1}:", layout=WIDE,
                                     style=LABEL_STYLE) for i in range(len(e["items"]))]
            return [w.Label("Choose the event for each position, earliest first:"), *self.slots]
        if k == "matching":
            opts = [(PLACEHOLDER, None)] + [(r, r) for r in e["right"]]
            self.pairs = []
            rows = []
            for i, left in enumerate(e["left"]):
                dd = w.Dropdown(options=opts, value=None, description=f"Match {i + 1}:", style=LABEL_STYLE)
                self.pairs.append((left, dd))
                rows.append(w.VBox([w.Label(f"{i + 1}. {left}"), dd]))
            return rows
        if k == "numeric":
            unit = e.get("unit") or "a number"
            # sync on leaving the field (Tab, or pressing the button), so the kernel always checks what was typed
            self.text = w.Text(value="", description="Answer:", placeholder=f"number ({unit})", style=LABEL_STYLE,
                               continuous_update=False)
            return [self.text]
        if k == "written":
            self.area = w.Textarea(value="", description="Answer:", placeholder="Write your answer here",
                                   rows=5, layout=WIDE, style=LABEL_STYLE, continuous_update=False)
            return [self.area]
        return [w.Label(f"Unknown question kind {k!r}")]

    def read_response(self):
        """The response the controls hold now, in the form the checker and the store use."""
        k = self.kind
        if k in ("single", "evidence"):
            return self.radio.value
        if k == "multiple":
            return [b.description for b in self.boxes if b.value]
        if k == "ordering":
            return [s.value or "" for s in self.slots]
        if k == "matching":
            return {left: dd.value for left, dd in self.pairs if dd.value}
        if k == "numeric":
            return self.text.value
        if k == "written":
            return self.area.value
        return None

    def set_response(self, response) -> None:
        """Put a stored response back into the controls; anything that does not fit is left out."""
        try:
            k = self.kind
            if k in ("single", "evidence") and response in self.entry["options"]:
                self.radio.value = response
            elif k == "multiple" and isinstance(response, list):
                for b in self.boxes:
                    b.value = b.description in response
            elif k == "ordering" and isinstance(response, list):
                for s, v in zip(self.slots, response):
                    s.value = v if v in self.entry["items"] else None
            elif k == "matching" and isinstance(response, dict):
                for left, dd in self.pairs:
                    v = response.get(left)
                    dd.value = v if v in self.entry["right"] else None
            elif k == "numeric" and isinstance(response, (str, int, float)):
                self.text.value = str(response)[:100]
            elif k == "written" and isinstance(response, str):
                self.area.value = response
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
        if result.status != "empty":
            try:
                self.store.save(self.entry["id"], _storable(response), result.status, result.score)
                note = "Saved."
            except (OSError, StoreError, TypeError, ValueError) as e:
                note = f"⚠ Your answer could not be saved ({e}). Copy it somewhere safe."
        self.show(result, note)
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
                crit = "".join(f"<li>{_esc(c['criterion'])} ({c['points']} pt)</li>" for c in rubric(self.entry))
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
        self.entries = {q["id"]: q for q in key["exercises"][exercise_id]["questions"]}
        self.store = AnswerStore(exercise_id, folder)
        self.results: dict[str, Result] = {}
        self.views: dict[str, QuestionView] = {}
        self.score_label = w.HTML(value="")
        self.load_problem = ""
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
        self._update_score()

    def _record(self, qid: str, result: Result) -> None:
        self.results[qid] = result
        self._update_score()

    def score(self) -> tuple[float, float, int]:
        """(points scored, points possible in auto-checked questions, questions attempted)."""
        auto = [q for q in self.entries.values() if q["kind"] != "written"]
        got = sum(self.results[q["id"]].score for q in auto if q["id"] in self.results)
        attempted = sum(1 for r in self.results.values() if r.status not in ("empty", "invalid"))
        return got, float(sum(q.get("points", 1) for q in auto)), attempted

    def _update_score(self) -> None:
        got, possible, attempted = self.score()
        problem = f" ⚠ {_esc(self.load_problem)}" if self.load_problem else ""
        self.score_label.value = (f'<p role="status" aria-live="polite"><b>Running score: {got:g} of {possible:g} points</b> '
                                  f"({attempted} of {len(self.entries)} questions attempted; written answers are graded "
                                  f"by your instructor).{problem}</p>")

    def show(self, qid: str) -> QuestionView:
        """One question, ready to display (its widget is ``.widget``)."""
        if qid not in self.views:
            raise KeyError(f"no question {qid!r} in {self.id}; known: {list(self.views)}")
        return self.views[qid]

    def scoreboard(self) -> "Scoreboard":
        """The running score, updated after every check."""
        return Scoreboard(self)

    def solution(self, qid: str) -> str:
        """The answer and explanation from the question bank (instructor copies only)."""
        from .bank import load_bank
        q = next((q for q in load_bank()["questions"] if q["id"] == qid), None)
        if q is None:
            raise KeyError(f"no question {qid!r} in the bank")
        if q["kind"] == "written":
            crit = "; ".join(f"{c['criterion']} ({c['points']})" for c in q["rubric"])
            return f"Model answer: {q['model_answer']}\nRubric: {crit}"
        answer = q["answer"]
        if q["kind"] == "ordering":
            answer = " → ".join(answer)
        elif q["kind"] == "matching":
            answer = "; ".join(f"{k} → {v}" for k, v in answer.items())
        elif q["kind"] == "multiple":
            answer = "; ".join(answer)
        elif q["kind"] == "numeric":
            answer = f"{float(answer):g} {q.get('unit', '')} (±{q.get('tolerance', 0)})".strip()
        return f"Answer: {answer}"


class Scoreboard:
    """Displays an exercise's running score (live), or its text when the notebook is not running."""

    def __init__(self, exercise: Exercise):
        self.exercise = exercise

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.exercise.score_label._repr_mimebundle_(**kwargs)
        got, possible, attempted = self.exercise.score()
        bundle["text/plain"] = (f"Running score: {got:g} of {possible:g} points "
                                f"({attempted} of {len(self.exercise.entries)} questions attempted)")
        return bundle
