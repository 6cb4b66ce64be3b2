"""No stored output and no prose states a day count the kit did not compute (codebook: "Counting days").

A count of days between two moments depends on the calendar it is read in; the kit computes every
such count with `brink.days_between` or `brink.days_after` in a named calendar. This test scans
the lessons' stored outputs, their Markdown, the primer, the instructor notes, the codebook, the
tables' notes and the question bank for phrases that state a number of days ("8 days after", "on the
day of the strike", "a day after", "the next day"), and accepts one only where it is computed:
- in a stored output, the cell that printed it calls one of the kit's day-count functions;
- in prose, it is a source's own words in quotation marks ("Four days after", 000), or a statement
  registered below with the computation that proves it.
"""
import json
import re
import tomllib

import pytest

import brink
from kitpaths import KIT

NUMBER = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
          r"fifteen|twenty|thirty|forty)")
COUNT = re.compile(rf"\b{NUMBER}(?: to {NUMBER})?(?: whole)?[ -]days\b|\bon the (?:same )?day of\b"
                   rf"|\b{NUMBER} in (?:Iraq|Washington|Baghdad|Tehran)\b"
                   r"|\b(?:a|one) day (?:after|before|later|earlier)\b|\bthe (?:next|following|previous) day\b"
                   r"|\bthe day (?:after|before)\b", re.I)
#: not counts: addresses, and a headline that names its subject ("Seven Days in January")
IGNORE = re.compile(r"https?://\S+|Seven Days in January", re.I)
#: the kit's functions that compute a day count (the escalation table spreads a span over its days)
FUNCTIONS = ("days_between(", "days_after(", "escalation_table(", "escalation(")
QUOTES = "“‘\"'"
TEXTS = {s: brink.source_text(s) for s in brink.sources()["source_id"]}


def _five_apart():
    e = brink.events()
    return all(brink.days_between(e, "airport strike", "missile strike", z) == 5
               for z in ("America/New_York", "Asia/Baghdad", "Asia/Tehran"))


def _the_missile_strike_has_one_day():
    """A window "to the day after Iran's missile strike" is computed from that event's date (codebook: "A
    window"), which names one day."""
    return brink.event_row(brink.events(), "missile strike")["date_precision"] == "day"


def _the_airport_strike_is_a_day_earlier_in_washington():
    t = brink.event_row(brink.events(), "airport strike")["time_utc"]
    return (t.tz_convert("Asia/Baghdad").date() - t.tz_convert("America/New_York").date()).days == 1


#: a prose statement of a day count -> the computation that proves it
REGISTERED = {"five days apart": _five_apart, "five in Iraq": _five_apart,
              "the day after Iran’s missile strike": _the_missile_strike_has_one_day,
              "the day after Iran's missile strike": _the_missile_strike_has_one_day,
              "the previous day in Washington": _the_airport_strike_is_a_day_earlier_in_washington}


def _quoted_from_a_text(text, m):
    """The match is a source's own words inside quotation marks."""
    before = text[max(0, m.start() - 60):m.start()]
    opened = max((before.rfind(q) for q in QUOTES), default=-1)
    if opened < 0:
        return False
    words = (before[opened + 1:] + m.group(0)).strip().lower()
    return any(words in t.lower() for t in TEXTS.values())


def prose_problems(name, text):
    text = IGNORE.sub(lambda m: " " * len(m.group(0)), text)
    found = []
    for m in COUNT.finditer(text):
        if _quoted_from_a_text(text, m):
            continue
        tail = " ".join(text[m.start():m.start() + 60].split()).lower()
        key = next((k for k in REGISTERED if tail.startswith(k.lower())), None)
        if key and REGISTERED[key]():
            continue
        found.append(f"{name}: a day count typed, not computed: {text[max(0, m.start() - 40):m.end() + 20]!r}")
    return found


def notebook_problems(name, nb):
    found = []
    for i, cell in enumerate(nb["cells"]):
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            found += prose_problems(f"{name} cell {i}", src)
            continue
        for out in cell.get("outputs", []):
            texts = [out.get("text", "")] if "text" in out else [
                v if isinstance(v, str) else "".join(v) for k, v in out.get("data", {}).items() if k.startswith("text/")]
            for t in texts:
                t = IGNORE.sub(" ", "".join(t))
                hits = [m for m in COUNT.finditer(t) if not any(m.group(0) in b for b in TEXTS.values())
                        and t[max(0, m.start() - 2):m.start()] != "÷ "]  # a span spread over its days
                if hits and not any(f in src for f in FUNCTIONS):
                    m = hits[0]
                    found.append(f"{name} cell {i}: output states a day count its cell did not compute: "
                                 f"{t[max(0, m.start() - 40):m.end() + 20]!r}")
    return found


NOTEBOOKS = sorted((KIT / "notebooks").glob("*.ipynb"))
PROSE = [KIT / "docs" / "primer.md", KIT / "data" / "README.md",
         *sorted((KIT / "docs" / "instructor-notes").glob("*.md"))]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_lesson_states_only_the_day_counts_it_computes(path):
    assert notebook_problems(path.name, json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", PROSE, ids=lambda p: p.name)
def test_prose_states_no_day_count_it_did_not_compute(path):
    assert prose_problems(path.name, path.read_text(encoding="utf-8")) == []


def test_the_tables_notes_state_no_day_count_they_did_not_compute():
    notes = [("events.date_note", brink.events()["date_note"]), ("discrepancies.note", brink.discrepancies()["note"]),
             ("claims.outcome", brink.claims()["outcome"]), ("readings.why", brink.readings()["why"])]
    found = [p for name, col in notes for t in col.dropna() for p in prose_problems(name, t)]
    assert found == []


def test_the_bank_states_no_day_count_it_did_not_compute():
    bank = tomllib.loads((KIT / "exercises" / "questions.toml").read_text(encoding="utf-8"))
    found = []
    for q in bank["question"]:
        for key in ("prompt", "hint", "model_answer", "correct_feedback", "wrong_feedback"):
            found += prose_problems(f"{q['id']}.{key}", q.get(key, ""))
        for option, fb in q.get("feedback", {}).items():
            found += prose_problems(f"{q['id']} feedback", option + " " + fb)
    assert found == []


def test_the_scan_catches_a_hand_written_count():
    nb = json.loads((KIT / "notebooks" / "00-start-here.ipynb").read_text(encoding="utf-8"))
    cell = {"cell_type": "code", "source": ["print('001: published 8 days after the airport strike')"],
            "outputs": [{"output_type": "stream", "name": "stdout",
                         "text": ["001: published 8 days after the airport strike\n"]}], "metadata": {}}
    nb["cells"].append(cell)
    assert any("did not compute" in p for p in notebook_problems("copy of 00", nb))
    assert prose_problems("copy", "The policy statement was published on the day of the strike.")
    assert prose_problems("copy", "The two strikes are four days apart.")
    assert prose_problems("copy", "Esper's came a day after 001; 002 is dated the next day.")  # one day, in words
    assert not prose_problems("copy", "000’s “Four days after” is its own count.")
    assert not prose_problems("copy", "In one calendar the strikes are five days apart.")
