"""The lesson sequence: names, structure, stored outputs and charts; and strict nbval's power to fail."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

from kitpaths import KIT

NOTEBOOKS = sorted((KIT / "notebooks").glob("*.ipynb"))
EXPECTED = ["00-start-here", "01-timeline", "02-rhetoric", "03-policy-arguments", "04-source-comparison",
            "05-coding-together", "06-forecasting-as-of"]


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell):
    return "".join(cell["source"])


def test_sequence_is_numbered_without_gaps():
    names = [p.stem for p in NOTEBOOKS]
    assert names == EXPECTED
    assert [int(n[:2]) for n in names] == list(range(len(names)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_header_and_closing_cells(path):
    cells = load(path)["cells"]
    head = text(cells[0])
    assert cells[0]["cell_type"] == "markdown" and head.startswith("# ")
    for part in ("**Time:**", "**Questions**", "**Objectives**"):
        assert part in head, f"{path.name} header lacks {part}"
    assert 1 <= len(re.findall(r"^- ", head.split("**Questions**")[1].split("**Objectives**")[0], re.M)) <= 3
    assert 3 <= len(re.findall(r"^- ", head.split("**Objectives**")[1].split("**Exercise")[0], re.M)) <= 5
    md = [text(c) for c in cells if c["cell_type"] == "markdown"]
    assert any(m.startswith("## Key points") for m in md[-3:])
    discussion = [m for m in md if m.startswith("## Discussion questions")]
    assert discussion and 2 <= len(re.findall(r"^\d+\. ", discussion[0], re.M)) <= 4
    if path.stem == "06-forecasting-as-of":   # its activity is its exercise: the forecasts the student saves
        assert "**Exercise" not in head and "the forecasts you save are your work" in head
    elif path.stem != "00-start-here":
        assert f"../exercises/{path.stem}-exercises.ipynb" in head


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_setup_cell_holds_every_import(path):
    code = [text(c) for c in load(path)["cells"] if c["cell_type"] == "code"]
    assert "import brink" in code[0] and 'alt.renderers.enable("mimetype")' in code[0]
    for later in code[1:]:
        for line in later.splitlines():
            if re.match(r"\s*(import|from) ", line):
                assert line.strip().startswith("from brink"), f"{path.name}: import outside setup: {line}"
    assert not any("../data" in c or "/data/" in c for c in code), "paths come from the library"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_executed_and_clean(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert path.stat().st_size <= 300 * 1024
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] for c in code[1:]), "every code cell after the setup cell has stored output"
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    raw = path.read_text(encoding="utf-8")
    for bad in (str(KIT), os.path.expanduser("~") + "/", tempfile.gettempdir() + "/", "\"execution\":",
                "Traceback", "\"ename\""):
        assert bad not in raw, f"{path.name} contains {bad!r}"


def charts_in(path):
    for cell in load(path)["cells"]:
        for out in cell.get("outputs", []):
            spec = out.get("data", {}).get("application/vnd.vegalite.v5+json")
            if spec:
                yield spec


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_stored_charts_are_vega_lite_v5_with_title_and_description(path):
    specs = list(charts_in(path))
    assert specs, f"{path.name} stores no chart"
    for spec in specs:
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5")
        assert spec.get("title") and spec.get("description"), spec.get("title")
        assert "text/html" not in json.dumps(spec)


def run_nbval(notebook, data_dir):
    # nbval_charts: strict nbval leaving out each chart's static copy, as `make test` runs it
    env = dict(os.environ, BRINK_DATA=str(data_dir), PYTHONPATH=str(KIT / "tests"))
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider",
                           "-p", "nbval_charts", str(notebook)],
                          env=env, capture_output=True, text=True, cwd=notebook.parent)


def test_strict_nbval_fails_when_a_data_value_changes(tmp_path):
    nb = tmp_path / "notebooks" / "04-source-comparison.ipynb"
    nb.parent.mkdir()
    shutil.copy(KIT / "notebooks" / nb.name, nb)
    data = tmp_path / "data"
    shutil.copytree(KIT / "data", data)
    same = run_nbval(nb, data)
    assert same.returncode == 0, same.stdout[-2000:]
    path = data / "annotations" / "discrepancies.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",16 missiles,16,", ",16 missiles,17,"), encoding="utf-8")
    changed = run_nbval(nb, data)
    assert changed.returncode != 0
    assert "17" in changed.stdout and "failed" in changed.stdout


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_is_introduced_by_prose(path):
    cells = load(path)["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code" and i > 2:
            before = cells[i - 1]
            assert before["cell_type"] == "markdown" and text(before).strip(), \
                f"{path.name}: code cell {i} follows another code cell"
