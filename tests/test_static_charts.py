"""Charts that show everywhere: each stored chart carries an exact SVG copy and its small PNG preview (so that
JupyterLab writes none in when it draws the chart), and nothing else extra."""
import base64
import importlib.util
import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from kitpaths import KIT

NOTEBOOKS = sorted((KIT / "notebooks").glob("*.ipynb")) + sorted((KIT / "exercises").glob("*.ipynb"))
FALLBACK_TEXT = "If you see this message, it means the renderer has not been properly enabled"


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, KIT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


static = load_script("static_charts")


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_stored_chart_has_its_exact_svg_and_its_png_preview():
    n, lines = 0, []
    for path in NOTEBOOKS:
        nb = read(path)
        n += len(list(static.chart_outputs(nb)))
        lines += static.problems(nb, str(path.relative_to(KIT)))
    assert n >= 9, "the lessons store their charts"
    assert not lines, "\n".join(lines)


def test_svg_is_byte_identical_across_renders_and_processes():
    spec = next(static.chart_outputs(read(KIT / "notebooks" / "01-timeline.ipynb")))["data"][static.VEGALITE]
    first = static.render_svg(spec)
    assert first == static.render_svg(spec)
    code = ("import json, sys; sys.path.insert(0, 'scripts'); import static_charts as s; "
            "s.render_svg({'mark': 'point'}); "          # a chart before it moves Vega's id counters
            "print(s.render_svg(json.load(sys.stdin)), end='')")
    other = subprocess.run([sys.executable, "-c", code], input=json.dumps(spec), capture_output=True,
                           text=True, cwd=KIT, check=True).stdout
    assert other == first


def test_ids_are_renumbered_per_svg():
    raw = '<clipPath id="clip12"/><g clip-path="url(#clip12)"/><linearGradient id="gradient_4"/>' \
          '<clipPath id="clip15"/><rect fill="url(#gradient_4)"/>'
    assert static.normalise_ids(raw) == ('<clipPath id="clip1"/><g clip-path="url(#clip1)"/>'
                                         '<linearGradient id="gradient_1"/><clipPath id="clip2"/>'
                                         '<rect fill="url(#gradient_1)"/>')


def test_nbconvert_html_draws_every_stored_chart():
    from nbconvert import HTMLExporter
    path = KIT / "notebooks" / "01-timeline.ipynb"
    nb = nbformat.read(path, as_version=4)
    charts = list(static.chart_outputs(nb))
    html, _ = HTMLExporter(template_name="basic").from_notebook_node(nb)
    assert FALLBACK_TEXT not in html
    # nbconvert shows an SVG output as an image with the SVG inline (base64)
    images = [base64.b64decode(b).decode() for b in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]
    assert len(images) == len(charts) >= 3
    for out, svg in zip(charts, images):
        title = out["data"][static.VEGALITE]["title"]
        assert svg.startswith("<svg") and (title if isinstance(title, str) else title["text"]) in svg


def test_a_lesson_saved_from_jupyterlab_is_named_and_fixed(tmp_path):
    """A lesson saved from JupyterLab where a chart had no preview holds JupyterLab's own full-size PNG; one
    edited by hand may lose its SVG: the check names the file and the fix, and the fix gives back the
    committed file byte for byte."""
    path = tmp_path / "01-timeline.ipynb"
    shutil.copy(KIT / "notebooks" / path.name, path)
    nb = nbformat.read(path, as_version=4)
    n = len(list(static.chart_outputs(nb)))
    import vl_convert
    outs = list(static.chart_outputs(nb))
    full = base64.b64encode(vl_convert.vegalite_to_png(outs[1]["data"][static.VEGALITE])).decode()
    outs[1]["data"][static.PNG] = full                          # what JupyterLab writes in
    outs[2]["data"][static.PNG] = "iVBORw0KGgo" * 50            # not a PNG
    del outs[3]["data"][static.PNG]
    del outs[0]["data"][static.SVG]
    nbformat.write(nb, path)
    lines = static.problems(read(path), path.name)
    assert n == 4 and len(lines) == 4 and all("--charts-only 01-timeline.ipynb" in line for line in lines)
    assert "chart 1 has no static SVG copy" in lines[0]
    size = re.search(r"chart 2's PNG is \((\d+), (\d+)\), not the \((\d+), (\d+)\) preview", lines[1])
    assert size and int(size[1]) > 6 * int(size[3]), lines[1]
    assert "chart 3's PNG is not a PNG" in lines[2] and "chart 4 has no PNG preview" in lines[3]
    done = subprocess.run([sys.executable, str(KIT / "scripts" / "run_notebooks.py"), "--charts-only", str(path)],
                          capture_output=True, text=True, cwd=KIT)
    assert done.returncode == 0, done.stderr
    assert f"{n} chart(s)" in done.stdout
    assert path.read_bytes() == (KIT / "notebooks" / path.name).read_bytes()


def test_a_stale_svg_is_reported(tmp_path):
    nb = read(KIT / "notebooks" / "04-source-comparison.ipynb")
    out = next(static.chart_outputs(nb))
    out["data"][static.VEGALITE]["title"] = "Another title"
    lines = static.problems(nb, "04-source-comparison.ipynb")
    assert lines == ["04-source-comparison.ipynb: chart 1's SVG does not match its Vega-Lite spec; "
                     "run: python scripts/run_notebooks.py --charts-only 04-source-comparison.ipynb"]


@pytest.mark.parametrize("keys, kept", [
    ({static.VEGALITE: {}, static.SVG: "<svg/>", static.PNG: "x", "text/plain": "c"}, {static.VEGALITE, "text/plain"}),
    ({static.SVG: "<svg/>", "text/plain": "a drawing"}, {static.SVG, "text/plain"}),
])
def test_nbval_plugin_leaves_out_only_the_copies_of_a_chart(keys, kept):
    sys.path.insert(0, str(KIT / "tests"))
    from nbval_charts import without_static
    outs = [{"output_type": "display_data", "data": dict(keys), "metadata": {}}]
    assert set(without_static(outs)[0]["data"]) == kept
    assert set(outs[0]["data"]) == set(keys), "the stored output is not changed"
