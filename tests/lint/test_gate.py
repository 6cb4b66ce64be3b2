"""The lint suite's gate can fail: ruff and mypy, with the kit's own configuration, reject bad code.

`make suite-lint` first runs ``ruff check lib/brink scripts tests conftest.py`` and ``mypy lib/brink`` on the kit itself
(the Makefile's run-lint rule); these tests show that the same commands exit non-zero, naming the file
and line, when a file breaks the rules, so a green lint suite means something.
"""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from kitpaths import KIT

PYPROJECT = KIT / "pyproject.toml"
BIN = Path(sys.executable).parent


def ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "--output-format", "concise", "--config", str(PYPROJECT), *args],
                          cwd=cwd, capture_output=True, text=True)


def mypy(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(PYPROJECT),
                           "--cache-dir", str(cwd / ".mypy_cache"), *args],
                          cwd=cwd, capture_output=True, text=True)


def test_ruff_fails_on_an_unused_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""A module."""\nimport os\n\n\ndef f() -> int:\n    return 1\n', encoding="utf-8")
    run = ruff(str(bad), cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r"bad\.py:2:8: F401 .*`os` imported but unused", run.stdout), run.stdout
    bad.write_text('"""A module."""\n\n\ndef f() -> int:\n    return 1\n', encoding="utf-8")
    assert ruff(str(bad), cwd=tmp_path).returncode == 0, "the same file without the import passes"


def test_ruff_fails_on_a_closure_over_a_loop_variable_and_on_unsorted_imports(tmp_path):
    """bugbear (B) and the import order (I) are on, not only pyflakes."""
    bad = tmp_path / "bad.py"
    bad.write_text("import sys\nimport os\n\nfs = []\nfor i in range(3):\n    fs.append(lambda: i)\n"
                   "print(os.sep, sys.argv, fs)\n", encoding="utf-8")
    out = ruff(str(bad), cwd=tmp_path).stdout
    assert "B023" in out and "I001" in out, out


def test_ruff_fails_on_a_noqa_comment_that_silences_nothing(tmp_path):
    """RUF100 is on: a ``# noqa`` for a rule that is off, or for a line that no longer breaks it, is an error."""
    bad = tmp_path / "bad.py"
    bad.write_text('"""A module."""\nimport os  # noqa: F401\n\nf = lambda: 1  # noqa: E731\nprint(os.sep, f)\n',
                   encoding="utf-8")
    run = ruff(str(bad), cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r"bad\.py:2:\d+: RUF100 .*unused: `F401`", run.stdout), run.stdout
    assert re.search(r"bad\.py:4:\d+: RUF100 .*non-enabled: `E731`", run.stdout), run.stdout
    bad.write_text('"""A module."""\nimport os\n\nf = lambda: 1\nprint(os.sep, f)\n', encoding="utf-8")
    assert ruff(str(bad), cwd=tmp_path).returncode == 0, "the same file without the comments passes"


def test_mypy_fails_on_an_optional_used_as_a_number(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def half(x: float | None) -> float:\n    return x / 2\n", encoding="utf-8")
    run = mypy(str(bad), cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r'bad\.py:2: error: Unsupported operand types for / \("None" and "int"\)', run.stdout), run.stdout
    bad.write_text("def half(x: float | None) -> float:\n    return (x or 0.0) / 2\n", encoding="utf-8")
    run = mypy(str(bad), cwd=tmp_path)
    assert run.returncode == 0, run.stdout


def lint_rule() -> list[str]:
    """The commands `make run-lint` runs, as `make -n` prints them."""
    return subprocess.run(["make", "-n", "--no-print-directory", "run-lint"], cwd=KIT, capture_output=True,
                          text=True, check=True).stdout.splitlines()


def test_the_lint_rule_runs_both_tools_on_the_library_the_scripts_and_the_tests():
    """`make -n run-lint` shows the commands the suite runs, and `make test` runs the suite."""
    dry = lint_rule()
    assert any(re.fullmatch(r"\S*/ruff check lib/brink scripts tests conftest\.py", line) for line in dry), dry
    assert any(re.fullmatch(r"\S*/mypy lib/brink", line) for line in dry), dry
    suites = subprocess.run(["make", "-s", "--no-print-directory", "--eval", "print-suites: ; @echo $(SUITES)",
                             "print-suites"], cwd=KIT, capture_output=True, text=True, check=True).stdout.split()
    assert "lint" in suites and "unit1" in suites, f"make test does not run the lint suite: {suites}"


def test_the_configuration_says_why_each_rule_is_off():
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]
    assert set(config["ruff"]["lint"]["select"]) >= {"F", "E", "W", "B", "I"}
    text = PYPROJECT.read_text(encoding="utf-8")
    for code in config["ruff"]["lint"]["ignore"]:
        assert re.search(rf"^#.*\b{code}\b: ", text, flags=re.M), f"{code} is ignored without a reason"
    assert config["mypy"]["files"] == ["lib/brink"] and config["mypy"]["check_untyped_defs"] is True


def test_the_gate_fails_on_a_bad_test_file(tmp_path):
    """The ruff command of the lint rule, run as it stands in the Makefile on a tree like the kit's, rejects a
    test file with an unused variable and an ambiguous name, naming file, line and code; the tree passes once
    the test file is mended, so what fails it is the test file and nothing else."""
    command = next(line.split() for line in lint_rule() if re.fullmatch(r"\S*/ruff check .*", line))
    command[0] = str(KIT / command[0])                # the Makefile's $(BIN) is relative to the kit
    for folder in command[2:]:
        if not folder.endswith(".py"):
            (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    (tmp_path / "conftest.py").write_text('"""Set-up."""\n', encoding="utf-8")
    bad = tmp_path / "tests" / "test_bad.py"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text("def test_sum():\n    l = [1, 2]\n    total = sum(l)\n    assert l\n", encoding="utf-8")
    run = subprocess.run([*command, "--no-cache", "--output-format", "concise", "--config", str(PYPROJECT)],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r"tests/test_bad\.py:2:5: E741 ", run.stdout), run.stdout
    assert re.search(r"tests/test_bad\.py:3:5: F841 .*`total`", run.stdout), run.stdout
    bad.write_text("def test_sum():\n    items = [1, 2]\n    assert sum(items) == 3\n", encoding="utf-8")
    run = subprocess.run([*command, "--no-cache", "--config", str(PYPROJECT)], cwd=tmp_path, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr
