"""Lessons that adapt: with a fourth source added through the annotators' guide, every lesson and exercise
notebook runs unedited against it (BRINK_DATA) and shows the new source where a reader would look."""
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from guide import follow
from kitpaths import KIT, PRACTICE_ID

pytestmark = pytest.mark.slow
NOTEBOOKS = sorted((KIT / "notebooks").glob("*.ipynb")) + sorted((KIT / "exercises").glob("*.ipynb"))


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    work = tmp_path_factory.mktemp("fourth")
    follow(work)
    answers = tmp_path_factory.mktemp("answers")
    old = dict(os.environ)
    os.environ.update(BRINK_DATA=str(work / "mydata"), BRINK_ANSWERS=str(answers))
    try:
        def run(path: Path):
            nb = nbformat.read(path, as_version=4)
            NotebookClient(nb, timeout=900, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            return path.name, nb
        with ThreadPoolExecutor(max_workers=2) as pool:
            return dict(pool.map(run, NOTEBOOKS))
    finally:
        os.environ.clear()
        os.environ.update(old)


def output_of(nb, fragment: str) -> str:
    """Everything the first code cell whose source holds ``fragment`` shows (text, HTML and chart data)."""
    cell = next(c for c in nb.cells if c.cell_type == "code" and fragment in c.source)
    parts = []
    for out in cell.get("outputs", []):
        assert out.get("output_type") != "error", out
        parts.append(out.get("text", ""))
        for data in out.get("data", {}).values():
            parts.append(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
    return "\n".join(parts)


def test_every_notebook_runs_unedited(executed):
    assert sorted(executed) == sorted(p.name for p in NOTEBOOKS)
    for name, nb in executed.items():
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, name


def test_sources_table_lists_it(executed):
    nb = executed["00-start-here.ipynb"]
    assert "003 practice text" in output_of(nb, "src = brink.sources()")
    # 20 January less 2 January, the airport strike's date in Washington's calendar
    assert ("003 practice text: published 20 January 2020, 18 days after the airport strike in Washington’s "
            "calendar, after Iran’s missile strike") in output_of(nb, "after_strike = brink.day_count(")


def test_reading_layer_shows_the_text_with_its_marks(executed):
    shown = output_of(executed["00-start-here.ipynb"], "reading.read_all()")
    assert "003 practice text" in shown
    assert "about 15 missiles" in shown and "[EV90 a practice crowd marched in a practice town]" in shown
    assert "[Q90 This is a practice quotation and nobody said it,]" in shown


def test_coverage_matrix_has_its_column(executed):
    nb = executed["04-source-comparison.ipynb"]
    chart = output_of(nb, "charts.coverage(")
    assert '"label": "003 practice text"' in chart
    assert "003 practice text: 3 of " in output_of(nb, "covered = reports.groupby")
    assert "003 practice text" in output_of(nb, "charts.coverage_table(")


def test_comparisons_show_its_figure(executed):
    nb = executed["04-source-comparison.ipynb"]
    assert "about 15 missiles" in output_of(nb, "disc = brink.discrepancies()")
    # 20 January less 7 January, the missile strike's date in Washington's calendar
    assert f"  003 ({PRACTICE_ID}), 13 days after the event: “about 15 missiles”" in \
        output_of(nb, 'disc[disc["value"].notna()]')
    assert f"003 practice text: {PRACTICE_ID}, published 2020-01-20 (stated)" in \
        output_of(nb, "basis = brink.source_fields()")


def test_quotes_claims_and_events_join_the_lessons(executed):
    assert "This is a practice quotation and nobody said it," in output_of(executed["02-rhetoric.ipynb"], "quotes = brink.quotes()")
    assert PRACTICE_ID in output_of(executed["03-policy-arguments.ipynb"], "pd.crosstab(claims")
    assert "A practice crowd marches" in output_of(executed["01-timeline.ipynb"], "week = brink.in_window(")
