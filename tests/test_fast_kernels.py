"""Fast kernels: jsonschema's and jupyter-events' checks give the same answers with the deferral
as without it, importing brink changes nothing, pandera waits for the first table, ``import brink`` leaves
the chart stack and the analysis packages to their first use, exercise notebooks run without the chart
stack, and the kit's venv holds compiled bytecode (without it every kernel compiles its imports again).

How much a lesson's setup costs against the same imports in a lean environment is a speed figure
on a shared machine: `make bench` (scripts/bench.py) prints it and nothing asserts it.
"""
import importlib.util
import json
import os
import subprocess
import sys

from kitpaths import KIT

spec = importlib.util.spec_from_file_location("kit_bench", KIT / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

#: jsonschema's IRI checkers and a jupyter-events schema, each asked about good and bad values
CHECKS = r"""
import json, sys
if sys.argv[1] == "deferred":
    import brink
    assert brink.defer_iri_grammar()
import jsonschema
from jupyter_events.schema import EventSchema
deferred_until_used = "lark" not in sys.modules
fc = jsonschema.Draft7Validator.FORMAT_CHECKER
values = ["http://example.com/ü", "http://exa mple.com", "//example.org/a?b#c", "urn:isbn:0451450523", "ü b"]
answers = {f: [fc.conforms(v, f) for v in values] for f in ("iri", "iri-reference", "uri", "date-time")}
schema = EventSchema({"$id": "https://brink.example/events/chart-opened", "version": "1", "type": "object",
                      "title": "chart opened", "description": "x",
                      "properties": {"page": {"type": "string", "format": "iri"}, "n": {"type": "integer"}},
                      "required": ["n"]})
events = []
for event in ({"n": 1, "page": "http://example.com/ü"}, {"n": 1, "page": "http://exa mple.com"}, {"page": "x"}):
    try:
        schema.validate(event)
        events.append("valid")
    except Exception as e:
        events.append(type(e).__name__)
print(json.dumps({"answers": answers, "events": events, "checkers": sorted(fc.checkers),
                  "deferred_until_used": deferred_until_used, "real_module_now": type(sys.modules["rfc3987_syntax"]).__name__}))
"""


def run_checks(mode):
    out = subprocess.run([sys.executable, "-c", CHECKS, mode], capture_output=True, text=True, cwd=KIT)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def test_schema_checks_answer_the_same_with_and_without_the_deferral():
    plain, deferred = run_checks("plain"), run_checks("deferred")
    assert deferred["deferred_until_used"] and not plain["deferred_until_used"]
    assert deferred["real_module_now"] == "module", "the first IRI check loaded the real grammar"
    for key in ("answers", "events", "checkers"):
        assert deferred[key] == plain[key], key
    assert plain["answers"]["iri"] == [True, False, False, True, False]
    assert plain["events"] == ["valid", "ValidationError", "ValidationError"]
    assert {"iri", "iri-reference"} <= set(plain["checkers"])


def test_importing_brink_changes_nothing():
    code = ("import sys, brink, brink.charts, jsonschema; m = sys.modules['rfc3987_syntax'];"
            "print(type(m).__name__, 'lark' in sys.modules)")
    # No cache of checked tables: a cached table is served without pandera, which is the cache's point.
    env = {**os.environ, "BRINK_CACHE": "off"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=KIT, env=env)
    assert out.stdout.split() == ["module", "True"], out.stderr[-1000:]


def test_deferral_does_nothing_once_jsonschema_is_loaded():
    code = "import jsonschema, brink; print(brink.defer_iri_grammar())"
    # No cache of checked tables: a cached table is served without pandera, which is the cache's point.
    env = {**os.environ, "BRINK_CACHE": "off"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=KIT, env=env)
    assert out.stdout.strip() == "False", out.stderr[-1000:]


def test_every_lesson_defers_before_altair():
    for path in sorted((KIT / "notebooks").glob("*.ipynb")):
        setup = bench.setup_cell(path.stem)
        assert setup.index("brink.defer_iri_grammar()") < setup.index("import altair"), path.name


def test_pandera_waits_for_the_first_table():
    code = ("import sys, brink; before = 'pandera' in sys.modules; brink.events();"
            "print(before, 'pandera' in sys.modules)")
    # No cache of checked tables: a cached table is served without pandera, which is the cache's point.
    env = {**os.environ, "BRINK_CACHE": "off"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=KIT, env=env)
    assert out.stdout.split() == ["False", "True"], out.stderr[-1000:]


#: what a lesson's setup cell does not need: ``import brink`` leaves these to the call that uses them
NOT_ON_IMPORT = ["pandas", "numpy", "altair", "vl_convert", "pandera", "jsonschema", "scipy", "krippendorff", "ipywidgets", "IPython",
                 "brink.charts", "brink.exercises", "brink.analysis.agreement", "brink.analysis.forecasts"]


def test_import_brink_leaves_the_heavy_packages_to_their_first_use():
    code = f"import sys, brink; print([m for m in {NOT_ON_IMPORT!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=KIT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]", out.stdout


def test_exercise_notebooks_run_without_the_chart_stack(tmp_path):
    # Every code cell of every exercise notebook, in one plain Python process, as a kernel would run them, with
    # no cache of checked tables (pandera checks them, as in a first kernel; the chart stack stays out).
    code = r"""
import json, sys
from pathlib import Path
for path in sorted(Path("exercises").glob("*.ipynb")):
    scope = {}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), scope)
print(json.dumps({"ran": len(sorted(Path("exercises").glob("*.ipynb"))),
                  "loaded": [m for m in ("altair", "vl_convert", "jsonschema") if m in sys.modules]}))
"""
    env = {**os.environ, "BRINK_ANSWERS": str(tmp_path / "answers"), "BRINK_CACHE": "off"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=KIT, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["ran"] >= 5 and found["loaded"] == [], found


def test_the_kits_venv_holds_compiled_bytecode():
    # uv installs no .pyc unless asked (the Makefile asks): without them every kernel start compiles pandas,
    # Altair and Jupyter from source again where PYTHONDONTWRITEBYTECODE is set. `make setup` compiles them.
    import importlib.util as iu
    missing = []
    for name in ("pandas", "numpy", "altair", "ipywidgets", "ipykernel", "jsonschema", "pandera"):
        source = iu.find_spec(name).origin
        if not os.path.exists(iu.cache_from_source(source)):
            missing.append(name)
    assert not missing, f"no bytecode for {missing}: run `make setup-test` (it compiles the venv once)"


def test_a_student_release_starts_its_exercise_without_pandas(tmp_path):
    # A release ships a compiled key: its exercise notebook's first cells (the exercise, a question, a check)
    # need neither the tables nor the chart stack.
    from brink.exercises.coursework import assign
    release = tmp_path / "release"
    assign(release, force=True)
    code = ("import sys; from brink.exercises import Exercise; ex = Exercise('02-rhetoric'); ex.scoreboard();"
            "view = ex.show('r02'); view._on_click(); print(view.feedback.value.count('role=\"status\"'),"
            "[m for m in ('pandas', 'numpy', 'altair', 'pandera') if m in sys.modules])")
    env = {k: v for k, v in os.environ.items() if k not in ("BRINK_ANSWERS", "BRINK_KEY", "BRINK_MODE")}
    env["PYTHONPATH"] = str(release / "lib")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=release / "exercises",
                         env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().split(maxsplit=1) == ["1", "[]"], out.stdout


def test_every_public_name_comes_on_first_use():
    # the lazy names are the documented ones: each in __all__ resolves, the loaders are loaders.AT_TOP
    code = ("import sys, brink; names = {n: getattr(brink, n) for n in brink.__all__};"
            "from brink import *; from brink.dataset.loaders import AT_TOP;"
            "lazy = {n for n, m in brink._LAZY.items() if m == 'dataset.loaders'};"
            "print(all(callable(v) or isinstance(v, type) for v in names.values()), lazy == set(AT_TOP),"
            "set(brink._LAZY) <= set(brink.__all__), brink.tables.events is brink.events)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=KIT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True"] * 4, out.stdout
