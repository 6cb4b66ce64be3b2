"""One class per question kind: everything about a kind lives in its class.

A kind says which fields its bank entry needs (declared in ``fields``, checked by
``validate``), what students are shown (``shown``), what a practice key holds to check
an answer (``compile``), whether a response has the right form (``problem``), how
a response scores (``score``), how its widget is built, read and restored (``build``,
``read``, ``restore``), and how its solution is written out (``describe``). A new kind
is one new class here, registered with ``@kind``; nothing else switches on kinds.

>>> sorted(KINDS)
['evidence', 'matching', 'multiple', 'numeric', 'ordering', 'single', 'written']
"""
from __future__ import annotations

import json

from .key import PUBLIC, canonical_number, digest, lock, norm, numeric_grid, on_grid, step_decimals, unlock
from .numbers import parse_number
from .result import Result, result, text_of

KINDS: dict[str, "Kind"] = {}
PLACEHOLDER = "— choose —"


def kind(cls):
    """Register a kind class under its ``name``."""
    KINDS[cls.name] = cls()
    return cls


# --- field types: each returns a problem, or "" --------------------------------------
def _text(v):
    return "" if isinstance(v, str) and v.strip() else "must be text"


def _texts(v):
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        return "must be a list of texts"
    return "" if len(set(v)) == len(v) and len(v) >= 2 else "at least two, all different"


def _number(v):
    try:
        float(v)
    except (TypeError, ValueError):
        return "must be a number"
    return "" if not isinstance(v, bool) else "must be a number"


def _positive(v):
    return _number(v) or ("" if float(v) > 0 else "must be more than 0")


def _pairs(v):
    ok = isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items())
    return "" if ok else "must map each item to one option"


def _rubric(v):
    ok = (isinstance(v, list) and v and all(isinstance(c, dict) and isinstance(c.get("criterion"), str)
                                            and not _positive(c.get("points")) for c in v))
    return "" if ok else "must list criteria, each with 'criterion' and 'points'"


FIELD_TYPES = {"text": _text, "texts": _texts, "number": _number, "positive": _positive,
               "pairs": _pairs, "rubric": _rubric, "feedback": lambda v: "" if isinstance(v, dict) else "must be a table"}


class Kind:
    """The base of every question kind."""
    name = ""
    fields: dict = {}        # required field -> type name
    optional: dict = {}      # optional field -> type name
    shown_fields: tuple = ()

    # --- the bank --------------------------------------------------------------------
    def validate(self, q: dict, fail) -> None:
        """Check the fields of one resolved bank entry; ``fail(field, problem)`` raises."""
        for field, typ in self.fields.items():
            if field not in q:
                fail(field, f"a {self.name} question needs it")
            if problem := FIELD_TYPES[typ](q[field]):
                fail(field, problem)
        for field, typ in self.optional.items():
            if field in q and (problem := FIELD_TYPES[typ](q[field])):
                fail(field, problem)
        self.check_answer(q, fail)

    def check_answer(self, q: dict, fail) -> None:
        """Cross-field checks: the answer fits the options."""

    def points(self, q: dict) -> float:
        return float(q.get("points", 1))

    def shown(self, q: dict) -> dict:
        """What a student is shown besides the prompt (in both modes)."""
        return {f: q[f] for f in self.shown_fields if f in q}

    def solution(self, q: dict):
        """The correct response, in the form a widget returns it."""
        return q["answer"]

    def wrong(self, q: dict):
        """A response that scores nothing (for tests and demonstrations)."""
        raise NotImplementedError

    def secret(self, q: dict) -> str:
        """The correct response in canonical form: it unlocks the "correct" feedback."""
        return json.dumps(self.canonical(self.solution(q)), ensure_ascii=False)

    def canonical(self, response):
        return norm(response)

    def compile(self, q: dict, salt: str) -> dict:
        """What a practice key holds to check a response (never the answer in plain text)."""
        return {}

    # --- checking ----------------------------------------------------------------------
    def problem(self, entry: dict, response) -> str:
        """Why a response cannot be read as an answer to this question, or ""."""
        return ""

    def score(self, entry: dict, response, words: bool = True) -> Result:
        """Score a well-formed response against a practice key entry (``words``: with its feedback text)."""
        raise NotImplementedError

    def correct_text(self, entry: dict, response) -> str:
        blob = entry.get("correct_feedback")
        return (unlock(entry["salt"], json.dumps(self.canonical(response), ensure_ascii=False), blob) or "") if blob else ""

    # --- the widget ----------------------------------------------------------------------
    def build(self, view, entry: dict) -> list:
        raise NotImplementedError

    def read(self, view):
        raise NotImplementedError

    def restore(self, view, entry: dict, response) -> None:
        raise NotImplementedError

    # --- the solution in words -----------------------------------------------------------
    def describe(self, q: dict) -> str:
        return f"Answer: {self.solution(q)}"

    def revealing(self, q: dict) -> list[str]:
        """Strings whose presence in a student release would reveal this question's answer."""
        ans = q.get("answer")
        if isinstance(ans, str):
            return [f'"answer": "{ans}"', f'answer = "{ans}"', f"Answer: {ans}"]
        return [json.dumps(ans, ensure_ascii=False)] if ans is not None else []


def _widgets():
    import ipywidgets as w
    return w


WIDE = {"width": "100%"}
LABEL_STYLE = {"description_width": "initial"}


def _option_feedback(entry: dict, option: str) -> str:
    blob = entry.get("feedback", {}).get(digest(entry["salt"], "fb:" + norm(option)))
    return (unlock(entry["salt"], norm(option), blob) or "") if blob else ""


@kind
class Single(Kind):
    """Choose one option."""
    name = "single"
    fields = {"options": "texts", "answer": "text"}
    optional = {"feedback": "feedback", "correct_feedback": "text", "wrong_feedback": "text"}
    shown_fields = ("options",)

    def wrong(self, q):
        return next(o for o in q["options"] if o != q["answer"])

    def check_answer(self, q, fail):
        if q["answer"] not in q["options"]:
            fail("answer", "is not one of the options")
        for o in q.get("feedback", {}):
            if o not in q["options"]:
                fail("feedback", f"feedback for {o!r}, which is not an option")

    def compile(self, q, salt):
        fb = q.get("feedback", {})
        return {"correct": [digest(salt, "opt:" + norm(q["answer"]))],
                "feedback": {digest(salt, "fb:" + norm(o)): lock(salt, norm(o), fb[o]) for o in q["options"] if o in fb}}

    def problem(self, entry, response):
        choice = text_of(response)
        return "" if choice is not None and choice in entry["options"] else "Pick one of the options shown."

    def score(self, entry, response, words=True):
        fb = _option_feedback(entry, response) if words else ""
        if digest(entry["salt"], "opt:" + norm(response)) in entry["correct"]:
            return result("correct", entry.get("points", 1), entry, fb or (self.correct_text(entry, response) if words else ""))
        return result("incorrect", 0, entry, fb or entry.get("wrong_feedback", "That is not the answer."))

    def build(self, view, entry):
        w = _widgets()
        view.radio = w.RadioButtons(options=entry["options"], value=None, description="Answer:",
                                    layout=w.Layout(**WIDE), style=LABEL_STYLE)
        return [view.radio]

    def read(self, view):
        return view.radio.value

    def restore(self, view, entry, response):
        if response in entry["options"]:
            view.radio.value = response


@kind
class Evidence(Single):
    """Choose the sentence from the sources that supports a claim."""
    name = "evidence"


@kind
class Multiple(Kind):
    """Tick every option that applies; partial credit for right ticks less wrong ones."""
    name = "multiple"
    fields = {"options": "texts"}
    optional = {"feedback": "feedback", "correct_feedback": "text", "wrong_feedback": "text"}
    shown_fields = ("options",)

    def wrong(self, q):
        return [o for o in q["options"] if o not in q["answer"]][:1]

    def validate(self, q, fail):
        super().validate(q, fail)
        if not isinstance(q.get("answer"), list) or not q["answer"]:
            fail("answer", "a multiple question needs a list of the right options")

    def check_answer(self, q, fail):
        if not isinstance(q.get("answer"), list) or not set(q["answer"]) <= set(q["options"]):
            fail("answer", "names an option not offered")
        for o in q.get("feedback", {}):
            if o not in q["options"]:
                fail("feedback", f"feedback for {o!r}, which is not an option")

    def canonical(self, response):
        return sorted(norm(x) for x in response)

    def compile(self, q, salt):
        fb = q.get("feedback", {})
        return {"correct": sorted(digest(salt, "opt:" + norm(o)) for o in q["answer"]), "n_correct": len(q["answer"]),
                "feedback": {digest(salt, "fb:" + norm(o)): lock(salt, norm(o), fb[o]) for o in q["options"] if o in fb}}

    def problem(self, entry, response):
        if not isinstance(response, (list, tuple)) or not all(isinstance(x, str) for x in response):
            return "Tick the options you choose."
        if any(c not in entry["options"] for c in response):
            return "Only the options shown can be chosen."
        return ""

    def score(self, entry, response, words=True):
        chosen = list(dict.fromkeys(response))
        right = [c for c in chosen if digest(entry["salt"], "opt:" + norm(c)) in entry["correct"]]
        wrong = len(chosen) - len(right)
        notes = " ".join(f for f in (_option_feedback(entry, c) for c in chosen) if f) if words else ""
        if len(right) == entry["n_correct"] and wrong == 0:
            return result("correct", entry.get("points", 1), entry, notes or (self.correct_text(entry, chosen) if words else ""))
        score = max(0.0, (len(right) - wrong) / entry["n_correct"]) * float(entry.get("points", 1))
        return result("partial" if score > 0 else "incorrect", score, entry,
                      f"{len(right)} of your choices are right and {wrong} are not; "
                      f"there are {entry['n_correct']} right options. {notes}".strip())

    def build(self, view, entry):
        w = _widgets()
        view.boxes = [w.Checkbox(value=False, description=o, indent=False, layout=w.Layout(**WIDE))
                      for o in entry["options"]]
        return [w.Label("Tick every option that applies:"), *view.boxes]

    def read(self, view):
        return [b.description for b in view.boxes if b.value]

    def restore(self, view, entry, response):
        if isinstance(response, list):
            for b in view.boxes:
                b.value = b.description in response

    def describe(self, q):
        return "Answer: " + "; ".join(q["answer"])


@kind
class Ordering(Kind):
    """Put items in order; partial credit per item in its place."""
    name = "ordering"
    fields = {"items": "texts", "answer": "texts"}
    optional = {"correct_feedback": "text", "wrong_feedback": "text"}
    shown_fields = ("items",)

    def wrong(self, q):
        return q["answer"][1:] + q["answer"][:1]          # every item one place off

    def check_answer(self, q, fail):
        if sorted(q["items"]) != sorted(q["answer"]):
            fail("answer", "must hold the same items as 'items'")

    def canonical(self, response):
        return [norm(x) for x in response]

    def compile(self, q, salt):
        return {"positions": [digest(salt, f"pos:{i}:{norm(item)}") for i, item in enumerate(q["answer"])]}

    def problem(self, entry, response):
        if (not isinstance(response, (list, tuple)) or not all(isinstance(x, str) for x in response)
                or len(response) != len(entry["items"]) or sorted(response) != sorted(entry["items"])):
            return "Place every item exactly once."
        return ""

    def score(self, entry, response, words=True):
        placed = sum(digest(entry["salt"], f"pos:{i}:{norm(x)}") == h
                     for i, (x, h) in enumerate(zip(response, entry["positions"])))
        n = len(entry["positions"])
        if placed == n:
            return result("correct", entry.get("points", 1), entry, (self.correct_text(entry, response) if words else "") or "All in order.")
        return result("partial" if placed else "incorrect", placed / n * float(entry.get("points", 1)), entry,
                      f"{placed} of {n} are in the right place.")

    def build(self, view, entry):
        w = _widgets()
        opts = [(PLACEHOLDER, None)] + [(i, i) for i in entry["items"]]
        view.slots = [w.Dropdown(options=opts, value=None, description=f"Position {i + 1}:", layout=w.Layout(**WIDE),
                                 style=LABEL_STYLE) for i in range(len(entry["items"]))]
        return [w.Label("Choose the item for each position, first to last:"), *view.slots]

    def read(self, view):
        return [s.value or "" for s in view.slots]

    def restore(self, view, entry, response):
        if isinstance(response, list):
            for s, v in zip(view.slots, response):
                s.value = v if v in entry["items"] else None

    def describe(self, q):
        return "Answer: " + " → ".join(q["answer"])

    def revealing(self, q):
        return super().revealing(q) + [" → ".join(q["answer"])]


@kind
class Matching(Kind):
    """Match each item on the left to an option on the right."""
    name = "matching"
    fields = {"left": "texts", "right": "texts", "answer": "pairs"}
    optional = {"correct_feedback": "text", "wrong_feedback": "text"}
    shown_fields = ("left", "right")

    def wrong(self, q):
        return {lft: next(r for r in q["right"] if r != q["answer"][lft]) for lft in q["left"]}

    def check_answer(self, q, fail):
        if set(q["answer"]) != set(q["left"]) or not set(q["answer"].values()) <= set(q["right"]):
            fail("answer", "must match every left item to a right option")

    def canonical(self, response):
        return sorted(f"{norm(k)}\x1f{norm(v)}" for k, v in response.items())

    def compile(self, q, salt):
        return {"pairs": [digest(salt, f"pair:{norm(left)}:{norm(q['answer'][left])}") for left in q["left"]]}

    def problem(self, entry, response):
        if not isinstance(response, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in response.items()):
            return "Match each item to one option."
        if any(k not in entry["left"] for k in response) or any(v not in entry["right"] for v in response.values()):
            return "Only the items and options shown can be matched."
        return ""

    def score(self, entry, response, words=True):
        good = sum(digest(entry["salt"], f"pair:{norm(k)}:{norm(v)}") in entry["pairs"] for k, v in response.items())
        n = len(entry["pairs"])
        if good == n:
            return result("correct", entry.get("points", 1), entry,
                          (self.correct_text(entry, response) if words else "") or "Every match is right.")
        missing = n - len(response)
        more = f" {missing} not matched yet." if missing else ""
        return result("partial" if good else "incorrect", good / n * float(entry.get("points", 1)), entry,
                      f"{good} of {n} matches are right.{more}")

    def build(self, view, entry):
        w = _widgets()
        opts = [(PLACEHOLDER, None)] + [(r, r) for r in entry["right"]]
        view.pairs, rows = [], []
        for i, left in enumerate(entry["left"]):
            dd = w.Dropdown(options=opts, value=None, description=f"Match {i + 1}:", style=LABEL_STYLE)
            view.pairs.append((left, dd))
            rows.append(w.VBox([w.Label(f"{i + 1}. {left}"), dd]))
        return rows

    def read(self, view):
        return {left: dd.value for left, dd in view.pairs if dd.value}

    def restore(self, view, entry, response):
        if isinstance(response, dict):
            for left, dd in view.pairs:
                v = response.get(left)
                dd.value = v if v in entry["right"] else None

    def describe(self, q):
        return "Answer: " + "; ".join(f"{k} → {v}" for k, v in q["answer"].items())

    def revealing(self, q):
        return super().revealing(q) + [f"{a} → {b}" for a, b in q["answer"].items()]


@kind
class Numeric(Kind):
    """Type a number; right within ``tolerance`` (0: exactly), on a grid of ``step``."""
    name = "numeric"
    fields = {"answer": "number"}
    optional = {"tolerance": "number", "step": "positive", "unit": "text", "correct_feedback": "text",
                "wrong_feedback": "text"}
    shown_fields = ("unit", "step")

    def wrong(self, q):
        return f"{float(q['answer']) + 1000:g}"

    def check_answer(self, q, fail):
        if float(q.get("tolerance", 0)) < 0:
            fail("tolerance", "must be 0 or more")
        try:
            numeric_grid(float(q["answer"]), float(q.get("tolerance", 0)), float(q.get("step", 1)))
        except ValueError as e:
            fail("step", str(e))

    def shown(self, q):
        return {"unit": q.get("unit", ""), "step": float(q.get("step", 1))}

    def compile(self, q, salt):
        grid = numeric_grid(float(q["answer"]), float(q.get("tolerance", 0)), float(q.get("step", 1)))
        out: dict[str, list[str] | dict[str, str]] = {"accepted": sorted(digest(salt, "num:" + v) for v in grid)}
        if q.get("correct_feedback") and len(grid) <= 1000:   # locked with each accepted value
            out["correct_feedback"] = {digest(salt, "fbnum:" + v): lock(salt, "num:" + v, q["correct_feedback"])
                                       for v in grid}
        return out

    def correct_text(self, entry, value):
        blobs = entry.get("correct_feedback")
        if not isinstance(blobs, dict):
            return ""
        blob = blobs.get(digest(entry["salt"], "fbnum:" + value))
        return (unlock(entry["salt"], "num:" + value, blob) or "") if blob else ""

    def problem(self, entry, response):
        value, why = parse_number(response if not isinstance(response, str) else response[:100], entry.get("unit", ""))
        return why if value is None else ""

    def score(self, entry, response, words=True):
        value, _ = parse_number(response, entry.get("unit", ""))
        assert value is not None, "check() scores only what problem() read as a number"
        step = float(entry.get("step", 1))
        decimals = step_decimals(step)

        def accepted(x):
            return digest(entry["salt"], "num:" + canonical_number(x, decimals)) in entry["accepted"]
        if on_grid(value, step):
            nearest = canonical_number(round(value / step) * step, decimals)
            ok = accepted(round(value / step) * step)
        else:   # between two grid values: right only if both are (so tolerance 0 means exactly)
            k = int(value // step)
            nearest = canonical_number(k * step, decimals)
            ok = accepted(k * step) and accepted((k + 1) * step)
        if ok:
            return result("correct", entry.get("points", 1), entry, (self.correct_text(entry, nearest) if words else ""))
        return result("incorrect", 0, entry, entry.get("wrong_feedback", "That number is not right."))

    def build(self, view, entry):
        w = _widgets()
        unit = entry.get("unit") or "a number"
        # sync on leaving the field (Tab, or pressing the button), so the kernel always checks what was typed
        view.text = w.Text(value="", description="Answer:", placeholder=f"number ({unit})", style=LABEL_STYLE,
                           continuous_update=False)
        return [view.text]

    def read(self, view):
        return view.text.value

    def restore(self, view, entry, response):
        if isinstance(response, (str, int, float)) and not isinstance(response, bool):
            view.text.value = str(response)[:100]

    def solution(self, q):
        return f"{float(q['answer']):g}"

    def describe(self, q):
        tol = float(q.get("tolerance", 0))
        within = f" (±{tol:g})" if tol else " (exactly)"
        return f"Answer: {float(q['answer']):g} {q.get('unit', '')}".rstrip() + within

    def revealing(self, q):
        # a data-derived number also stands in the lessons' tables, by design: only the key's forms count
        return [f'"answer": {q["answer"]}', f"answer = {q['answer']}"]


@kind
class Written(Kind):
    """A few sentences, scored by the instructor against a rubric."""
    name = "written"
    fields = {"model_answer": "text", "rubric": "rubric"}
    optional = {}

    def wrong(self, q):
        return "A written answer."                         # scored by the instructor, never by the key

    def points(self, q):
        return float(sum(float(c["points"]) for c in q["rubric"]))

    def solution(self, q):
        return "A considered answer."

    def secret(self, q):
        return json.dumps("written")

    def compile(self, q, salt):
        # shown after the first attempt, so only encoded: readable by anyone who reads the code
        return {"model_answer": lock(salt, PUBLIC, q["model_answer"]),
                "rubric": lock(salt, PUBLIC, json.dumps(q["rubric"], ensure_ascii=False))}

    def problem(self, entry, response):
        text = text_of(response)
        return "" if text is not None and text.strip() else "Write your answer in the box."

    def score(self, entry, response, words=True):
        if not words:
            return result("recorded", 0, entry, "", hint=False)
        model = unlock(entry["salt"], PUBLIC, entry.get("model_answer", "")) or ""
        crit = json.loads(unlock(entry["salt"], PUBLIC, entry.get("rubric", "")) or "[]")
        return result("recorded", 0, entry, "Your instructor grades written answers. Compare yours with the model answer.",
                      hint=False, reveal=model, rubric=tuple((c["criterion"], c["points"]) for c in crit))

    def build(self, view, entry):
        w = _widgets()
        view.area = w.Textarea(value="", description="Answer:", placeholder="Write your answer here",
                               rows=5, layout=w.Layout(**WIDE), style=LABEL_STYLE, continuous_update=False)
        return [view.area]

    def read(self, view):
        return view.area.value

    def restore(self, view, entry, response):
        if isinstance(response, str):
            view.area.value = response

    def describe(self, q):
        crit = "; ".join(f"{c['criterion']} ({c['points']})" for c in q["rubric"])
        return f"Model answer: {q['model_answer']}\nRubric: {crit}"

    def revealing(self, q):
        return [q["model_answer"], *(c["criterion"] for c in q["rubric"])]
