"""Strict nbval, with the one output a kernel does not make: the static copy of a stored chart.

A chart output holds the Vega-Lite spec, which strict nbval compares in full (a changed data value
fails), and the SVG that ``make notebooks`` renders from that spec (``scripts/static_charts.py``)
for viewers that cannot draw Vega-Lite. A kernel emits only the spec, so nbval would report the
SVG as missing. This plugin leaves the SVG (and a PNG JupyterLab wrote on save, which nbval skips
anyway) out of the comparison for outputs that hold a Vega-Lite chart, and nowhere else;
``tests/test_static_charts.py`` checks that each stored SVG is exactly the render of its spec.

Loaded by the kit's root ``conftest.py``; elsewhere: ``PYTHONPATH=tests pytest -p nbval_charts --nbval …``.
"""
import copy

VEGALITE = "application/vnd.vegalite.v5+json"
DERIVED = ("image/svg+xml", "image/png")


def without_static(outputs: list) -> list:
    """The outputs with the SVG and PNG copies of each Vega-Lite chart left out (a new list)."""
    kept = []
    for out in outputs:
        data = out.get("data", {})
        if VEGALITE in data and any(k in data for k in DERIVED):
            out = copy.deepcopy(out)
            for k in DERIVED:
                out["data"].pop(k, None)
        kept.append(out)
    return kept


def pytest_collection_modifyitems(items):
    for item in items:
        compare = getattr(item, "compare_outputs", None)
        if compare is None or not type(item).__module__.startswith("nbval"):
            continue

        def compare_charts(test, ref, skip_compare=None, _compare=compare):
            return _compare(without_static(test), without_static(ref), skip_compare)

        item.compare_outputs = compare_charts
