"""Put the reading layer into lesson 00: "Read the texts" (replacing the openings), the map, and links
to the primer and the instructor notes. Idempotent: run it again after the lesson changes, then
`make notebooks`.

    python scripts/reading_cells.py notebooks/00-start-here.ipynb
"""
from __future__ import annotations

import sys

import nbformat

READ_MD = """## Read the texts

Before any table, read the three texts in full. `reading.read_all()` shows each source exactly as the kit keeps it, with every annotated span marked: **event reports** (solid underline), **quotes** (double underline), **claims** (dashed underline), **discrepancies** with another text (dotted underline: a figure, a wording or an account that differs; below each text they are counted as figures or differences of wording or account) and the words that state a **source field** (thin grey underline). The small label before a mark is its row id: follow it to the row below the text, and the row links back. Where marks overlap they are nested; where one crosses another it is split and goes on after it.

Beside each text stand guiding questions in the manner of *Reading Like a Historian*: **sourcing** (who wrote it, when, why), **contextualisation** (what was known then), **close reading** (which words judge, which report) and **corroboration** (what other sources say, and whether they are independent). The marks are the annotators' reading of the text, not the text itself: check them as you go."""

READ_CODE = "reading.read_all()"

MAP_MD = """## Where it happened

The texts name places from Damascus to Tehran. The map marks each one the texts name; the two bases Iran's missiles struck are drawn as diamonds because the texts call them only "two American bases in Iraq", and their names come from cited context (`data/map/places.csv` gives every coordinate with the address it was read from). The boundaries are Natural Earth's, at a small scale: they show where, not who governs what."""

MAP_CODE = "places.place_map()"

CONTEXT_MD = """Who is who, the Quds Force and the militias, the 2015 nuclear deal, “maximum pressure”, ICD 203 and the Brier score: the [primer for students](../docs/primer.md) explains each, with the sources it draws on. Instructors will find answers to the discussion questions, common misconceptions and what the texts leave out in the [instructor notes](../docs/instructor-notes/00-start-here.md)."""

OLD_HEADINGS = ("## How each text opens", "## Read the texts", "## Where it happened")


def apply(path: str) -> None:
    nb = nbformat.read(path, as_version=4)
    cells = nb.cells
    setup = next(c for c in cells if c.cell_type == "code")
    if "from brink import charts, places, reading" not in setup.source:
        setup.source = setup.source.replace("from brink import charts", "from brink import charts, places, reading")
    # drop earlier versions of these sections (a heading cell and the cells up to the next heading)
    out, skip = [], False
    for c in cells:
        text = c.source.lstrip()
        if c.cell_type == "markdown" and text.startswith("## "):
            skip = text.startswith(OLD_HEADINGS)
        if c.cell_type == "markdown" and text.startswith("Who is who, the Quds Force"):
            continue
        if not skip:
            out.append(c)
    at = next(i for i, c in enumerate(out) if c.cell_type == "markdown" and c.source.startswith("## The learning path"))
    new = [nbformat.v4.new_markdown_cell(READ_MD), nbformat.v4.new_code_cell(READ_CODE),
           nbformat.v4.new_markdown_cell(MAP_MD), nbformat.v4.new_code_cell(MAP_CODE),
           nbformat.v4.new_markdown_cell(CONTEXT_MD)]
    for c, cid in zip(new, ("read-texts", "read-texts-code", "place-map", "place-map-code", "context-links")):
        c.id = cid  # fixed ids: a re-run changes nothing
    nb.cells = out[:at] + new + out[at:]
    nbformat.write(nb, path)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        apply(p)
        print(f"{p}: reading cells in place")
