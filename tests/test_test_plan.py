"""`make test`'s plan (scripts/test_plan.py): the unit suites split by measured seconds lose no file and run
none twice, the suites start longest first, and `make test-seconds` records what a run measured."""
import doctest
import json
import os
import re
import subprocess
import sys

from kitpaths import KIT

sys.path.insert(0, str(KIT / "scripts"))
import test_plan


def make_variables(*names):
    """The values `make` gives ``names`` in the kit's Makefile.

    Only a rule added with ``--eval`` that echoes them runs: never ``make -n`` on a real target, which would
    still run the recipe lines that call $(MAKE) (the suites' lines, which write the logs of a running
    `make test`). The parent make's flags are not passed on.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    echo = " ".join(f'"{n}=$({n})"' for n in names)
    out = subprocess.run(["make", "-s", "--no-print-directory", "-f", str(KIT / "Makefile"),
                          f"--eval=brink-print-plan: ; @printf '%s\\n' {echo}", "brink-print-plan"],
                         capture_output=True, text=True, cwd=KIT, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    found = {}
    for name in names:
        m = re.search(rf"^{name}=(.*)$", out.stdout, re.M)
        found[name] = m.group(1).split() if m else None
    return found


def test_the_doctests_of_the_plan_pass():
    failed, tried = doctest.testmod(test_plan)
    assert tried >= 5 and failed == 0


def test_the_two_unit_suites_hold_every_unit_test_file_once():
    v = make_variables("UNIT_1", "UNIT_2", "SUITES")
    every = sorted(p.relative_to(KIT).as_posix() for p in (KIT / "tests").glob("test_*.py"))
    assert v["UNIT_1"] and v["UNIT_2"], v
    assert sorted(v["UNIT_1"] + v["UNIT_2"]) == every
    assert not set(v["UNIT_1"]) & set(v["UNIT_2"])
    folders = sorted(p.name for p in (KIT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__")
    # the browser folder runs as two lanes (below), every other folder as one suite
    assert sorted(v["SUITES"]) == sorted([f for f in folders if f != "browser"]
                                         + ["browser1", "browser2", "unit1", "unit2", "notebooks", "doctest"])


def test_the_two_browser_lanes_hold_every_browser_test_file_once():
    v = make_variables("BROWSER_1", "BROWSER_2")
    every = sorted(p.relative_to(KIT).as_posix() for p in (KIT / "tests" / "browser").glob("test_*.py"))
    assert v["BROWSER_1"] and v["BROWSER_2"], v
    assert sorted(v["BROWSER_1"] + v["BROWSER_2"]) == every
    assert not set(v["BROWSER_1"]) & set(v["BROWSER_2"])


def test_the_split_follows_the_measured_seconds():
    files = [f"tests/test_{c}.py" for c in "abcdef"]
    known = {files[0]: 100, files[1]: 60, files[2]: 40, files[3]: 5}        # e and f not measured: the median
    one, two = test_plan.split(files, 2, known)
    seconds = test_plan.estimate(files, known)
    assert sorted(one + two) == files
    assert files[0] in one and {files[1], files[2]} <= set(two)                # the two heavy halves apart
    assert abs(sum(seconds[f] for f in one) - sum(seconds[f] for f in two)) <= 40
    assert test_plan.order(["x", "y", "z"], {"x": 1, "y": 50}) == ["y", "z", "x"]   # z: the median, 25.5


def test_recording_a_run_sums_each_file_and_keeps_what_the_run_did_not_measure(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "unit1.seconds").write_text("42\n")
    (logs / "unit1.xml").write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.test_store" name="test_a" time="1.25"/>'
        '<testcase classname="tests.test_store" name="test_b" time="2.5"/>'
        '<testcase classname="tests.browser.test_jupyterlab" name="test_c" time="7"/>'
        '<testcase classname="" name="notebooks/00-start-here.ipynb::Cell 0" time="3"/>'
        '</testsuite></testsuites>')
    (logs / "broken.xml").write_text("<testsuites>")
    table = tmp_path / "seconds.json"
    table.write_text(json.dumps({"suites": {"hub": 60, "unit1": 1}, "files": {"tests/test_old.py": 9}}))
    data = test_plan.record(logs, table)
    assert data == json.loads(table.read_text())
    assert data["suites"] == {"hub": 60, "unit1": 42}
    assert data["files"] == {"tests/browser/test_jupyterlab.py": 7.0, "tests/test_old.py": 9, "tests/test_store.py": 3.8}
