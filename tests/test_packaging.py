"""Packaging: ranges, the lock, environment files, Binder, version, paths, portability and the launcher's errors."""
import ast
import glob
import importlib.metadata
import os
import re
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import brink
from brink import _paths, lab
from brink._python import REQUIRED, version_problem
from kitpaths import KIT

PYPROJECT = tomllib.loads((KIT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
sys.path.insert(0, str(KIT / "scripts"))
import binder_env  # noqa: E402
import test_report  # noqa: E402


def requirements(extras=None) -> list[Requirement]:
    """The runtime requirements and those of the named extras (all extras by default)."""
    extras = PROJECT["optional-dependencies"] if extras is None else extras
    reqs = PROJECT["dependencies"] + [r for e in extras for r in PROJECT["optional-dependencies"][e]]
    return [Requirement(r) for r in reqs]


def lock() -> dict:
    return binder_env.read_lock(KIT / "requirements" / "lock.txt")


# --- ranges and the lock ---------------------------------------------------------------
def test_runtime_requirements_are_ranges_not_pins():
    for req in requirements():
        ops = {s.operator for s in req.specifier}
        assert ops and "==" not in ops and "===" not in ops, f"{req}: a range, not a pin"


def test_upper_bounds_only_with_a_reason_in_a_comment():
    text = (KIT / "pyproject.toml").read_text(encoding="utf-8")
    bounded = [r for r in requirements() if any(s.operator in ("<", "<=") for s in r.specifier)]
    assert {r.name for r in bounded} == {"altair", "jupyterlab"}
    lines = text.splitlines()
    for req in bounded:
        i = next(n for n, line in enumerate(lines) if re.search(rf'"{req.name}[<>=]', line))
        before = "\n".join(lines[max(0, i - 3):i])
        assert re.search(r"#.*(Below|below) \d", before), f"{req.name}: no comment saying why it is bounded"


def test_heavy_tools_are_not_runtime_requirements():
    runtime = {canonicalize_name(r.name) for r in requirements(extras=[])}
    for heavy in ["jupyterlab", "vl-convert-python", "playwright", "axe-playwright-python", "pytest", "psutil"]:
        assert heavy not in runtime, heavy


def test_every_third_party_import_of_the_library_is_declared():
    imported = set()
    for path in (KIT / "lib" / "brink").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "brink"}
    import_names = {"ipywidgets": "ipywidgets", "altair": "altair", "pandas": "pandas", "pandera": "pandera",
                    "nbformat": "nbformat", "filelock": "filelock"}
    assert third_party <= set(import_names), f"undeclared imports: {third_party - set(import_names)}"
    declared = {canonicalize_name(r.name) for r in requirements(extras=[])}
    assert {canonicalize_name(import_names[m]) for m in third_party} <= declared


def test_lock_satisfies_every_range():
    pinned = lock()
    for req in requirements():
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is not in requirements/lock.txt"
        assert req.specifier.contains(pinned[name], prereleases=True), f"lock {name}=={pinned[name]} breaks {req}"


def test_lock_fails_when_a_version_is_outside_its_range(tmp_path):
    text = (KIT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    bad = tmp_path / "lock.txt"
    bad.write_text(re.sub(r"^altair==.*$", "altair==6.3.0", text, flags=re.M), encoding="utf-8")
    pinned = binder_env.read_lock(bad)
    req = next(r for r in requirements() if r.name == "altair")
    assert not req.specifier.contains(pinned["altair"])


def test_the_venv_holds_the_locked_versions():
    """`make` installs from the lock: every locked package present here has the locked version."""
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    drift = {n: (v, installed[n]) for n, v in lock().items() if n in installed and installed[n] != v}
    assert not drift, f"installed versions differ from requirements/lock.txt: {drift}"


def test_lock_entries_are_exact_pins():
    for line in (KIT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==[A-Za-z0-9_.+-]+", line), line


def test_makefile_installs_from_the_lock():
    makefile = (KIT / "Makefile").read_text(encoding="utf-8")
    assert "LOCK := requirements/lock.txt" in makefile
    installs = [line for line in makefile.splitlines() if "pip install" in line and "-e" in line]
    assert installs and all("$(CONSTRAINTS)" in line for line in installs)


# --- environment.yml and Binder ----------------------------------------------------------
def conda_pins(path: Path) -> dict:
    """``name=version`` lines of a conda environment file (and ``name==version`` of its pip section)."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s+- ([A-Za-z0-9_.-]+)==?([^=\s#]+)\s*(#.*)?$", line.split("  #")[0] + " ")
        if m and m.group(1) != "python":
            pins[canonicalize_name(binder_env.CONDA_NAMES.get(m.group(1), m.group(1)))] = m.group(2)
    return pins


def test_environment_yml_agrees_with_the_lock():
    pins, pinned = conda_pins(KIT / "environment.yml"), lock()
    assert pins, "environment.yml pins nothing"
    for name, version in pins.items():
        assert pinned.get(name) == version, f"environment.yml {name}={version}, lock {pinned.get(name)}"
    declared = {canonicalize_name(r.name) for r in requirements()}
    assert declared <= set(pins), f"missing from environment.yml: {declared - set(pins)}"


@pytest.mark.skipif(sys.platform != "linux", reason="Binder runs Linux: its closure is read from a Linux install")
def test_binder_environment_is_the_runtime_closure_of_the_lock():
    expected = binder_env.render(binder_env.closure(lock()))
    assert (KIT / "binder" / "requirements.txt").read_text(encoding="utf-8") == expected, \
        "binder/requirements.txt is stale: run python scripts/binder_env.py"


def test_binder_holds_no_test_stack_and_the_lab():
    pins = binder_env.read_lock(KIT / "binder" / "requirements.txt")
    for tool in ["pytest", "nbval", "hypothesis", "playwright", "vl-convert-python", "build"]:
        assert tool not in pins, tool
    for need in ["jupyterlab", "pandas", "altair", "ipywidgets", "ipykernel", "pandera", "filelock"]:
        assert need in pins, need
    assert (KIT / "binder" / "runtime.txt").read_text().strip() == f"python-{REQUIRED[0]}.{REQUIRED[1]}"
    post = (KIT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert "--no-deps" in post and os.access(KIT / "binder" / "postBuild", os.X_OK)
    assert "-e ." not in (KIT / "binder" / "requirements.txt").read_text()


def test_readme_binder_badge_opens_the_first_lesson():
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\(https://mybinder\.org/v2/gh/([^)\s]+)\)", readme)
    assert m, "no Binder badge"
    assert m.group(1) == "OWNER/REPO/HEAD?urlpath=lab/tree/notebooks/00-start-here.ipynb"
    assert (KIT / "notebooks" / "00-start-here.ipynb").is_file()


# --- version and Python -------------------------------------------------------------------
def test_version_is_written_once():
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "brink.__version__"}
    assert importlib.metadata.version("brink") == brink.__version__


def test_requires_python_is_the_version_the_check_names():
    assert PROJECT["requires-python"] == f">={REQUIRED[0]}.{REQUIRED[1]}"


def test_unsupported_python_gets_one_line_naming_the_version():
    line = version_problem((3, 9, 18, "final", 0))
    assert line.startswith("Brink needs Python 3.11 or newer; this is Python 3.9.18.") and "\n" not in line
    assert version_problem((3, 11, 0)) is None and version_problem((4, 0, 0)) is None
    assert version_problem((3, 10, 13)).startswith("Brink needs Python 3.11")


def test_what_runs_before_the_check_parses_on_old_pythons():
    """An old Python must reach the check: the package's first lines and the check itself use old syntax."""
    for name in ["__init__.py", "_python.py", "__main__.py"]:
        ast.parse((KIT / "lib" / "brink" / name).read_text(encoding="utf-8"), feature_version=(3, 6))
    init = ast.parse((KIT / "lib" / "brink" / "__init__.py").read_text(encoding="utf-8"))
    first = [n for n in init.body if not isinstance(n, ast.Expr) or not isinstance(n.value, ast.Constant)][:2]
    assert isinstance(first[0], ast.ImportFrom) and first[0].module == "_python"
    assert ast.unparse(first[1]) == "require_supported_python()"


def old_pythons() -> list[str]:
    found = glob.glob(os.path.expanduser("~/.pyenv/versions/3.[6-9]*/bin/python")) + \
        glob.glob(os.path.expanduser("~/.pyenv/versions/3.10*/bin/python")) + \
        [p for p in ("/usr/bin/python3.9", "/usr/bin/python3.10") if os.path.exists(p)]
    return sorted(found)[:1]


@pytest.mark.parametrize("python", old_pythons() or [pytest.param(None, marks=pytest.mark.skip(
    reason="no Python older than 3.11 on this machine; the fake-version tests above cover the message"))])
def test_an_old_python_running_the_kit_gets_the_line(python, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(KIT / "lib"))
    run = subprocess.run([python, "-m", "brink", "lab"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 1 and run.stdout == ""
    assert re.fullmatch(r"Brink needs Python 3\.11 or newer; this is Python 3\.\d+\.\d+\. .*\n", run.stderr)
    imp = subprocess.run([python, "-c", "import brink"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "ImportError: Brink needs Python 3.11" in imp.stderr and "SyntaxError" not in imp.stderr


# --- where things are ----------------------------------------------------------------------
def test_data_dir_in_a_checkout_is_the_checkouts_data(monkeypatch):
    monkeypatch.delenv("BRINK_DATA", raising=False)
    assert brink.data_dir() == KIT / "data"
    assert brink.bank_path() == KIT / "exercises" / "questions.toml"


def test_brink_data_names_another_folder(tmp_path, monkeypatch, broken_data):
    monkeypatch.setenv("BRINK_DATA", str(broken_data.root))
    assert brink.data_dir() == broken_data.root
    assert len(brink.sources()) == 3


@pytest.mark.parametrize("make", ["missing", "no annotations", "no sources"])
def test_a_missing_or_broken_data_folder_is_named(tmp_path, monkeypatch, make):
    folder = tmp_path / "mydata"
    if make != "missing":
        keep = "sources" if make == "no annotations" else "annotations"
        (folder / keep).mkdir(parents=True)
    monkeypatch.setenv("BRINK_DATA", str(folder))
    with pytest.raises(_paths.DataFolderError) as e:
        brink.sources()
    msg = str(e.value)
    assert str(folder) in msg and "BRINK_DATA" in msg and "\n" not in msg
    if make != "missing":
        assert ("no annotations/" if make == "no annotations" else "no sources/") in msg


def test_kit_root_is_found_from_any_folder_inside(tmp_path):
    assert brink.kit_root(KIT / "exercises") == KIT
    assert brink.kit_root(KIT / "data" / "sources") == KIT
    assert brink.kit_root(tmp_path) is None
    (tmp_path / "release" / "notebooks").mkdir(parents=True)
    assert brink.kit_root(tmp_path / "release") is None, "notebooks/ alone is not a kit"
    (tmp_path / "release" / "exercises" / "brink-answers").mkdir(parents=True)
    assert brink.kit_root(tmp_path / "release" / "exercises" / "brink-answers") == (tmp_path / "release").resolve()


# --- portability -----------------------------------------------------------------------------
POSIX_MODULES = {"fcntl", "pwd", "grp", "termios", "resource", "posix"}
POSIX_CALLS = {"geteuid", "getuid", "getgid", "getegid", "killpg", "setsid", "fork", "getpgid", "chown",
               "getpwnam", "getpwuid", "O_DIRECTORY"}


def posix_only_calls(source: str) -> list[str]:
    """Lines using a POSIX-only module or ``os`` function without a guard on the same or the line above."""
    lines, found = source.splitlines(), []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.split(".")[0] in POSIX_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in POSIX_MODULES:
            names = [node.module]
        elif isinstance(node, ast.Attribute) and node.attr in POSIX_CALLS and getattr(node.value, "id", "") == "os":
            names = [f"os.{node.attr}"]
        if names:
            here = "\n".join(lines[max(0, node.lineno - 2):node.lineno])
            if not re.search(r'hasattr\(os, "\w+"\)|os\.name != "nt"', here):
                found.append(f"line {node.lineno}: {', '.join(names)}")
    return found


def test_the_scan_finds_posix_only_calls():
    assert posix_only_calls("import fcntl\n") == ["line 1: fcntl"]
    assert posix_only_calls("import os\nx = os.geteuid()\n") == ["line 2: os.geteuid"]
    assert posix_only_calls('import os\nx = hasattr(os, "geteuid") and os.geteuid() == 0\n') == []


def test_no_posix_only_call_on_a_students_or_instructors_path():
    for path in sorted((KIT / "lib" / "brink").rglob("*.py")):
        found = posix_only_calls(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(KIT)}: {found}"


def test_root_flag_only_as_root(monkeypatch):
    monkeypatch.setattr(lab, "running_as_root", lambda: False)
    assert "--allow-root" not in lab.command(9000, "t", KIT)
    monkeypatch.setattr(lab, "running_as_root", lambda: True)
    assert "--allow-root" in lab.command(9000, "t", KIT)
    monkeypatch.undo()
    monkeypatch.delattr(os, "geteuid", raising=False)      # as on Windows
    assert lab.running_as_root() is False


def test_lab_command_serves_the_kit_on_loopback_with_the_token():
    cmd = lab.command(9123, "secret", KIT, open_browser=False)
    assert cmd[:4] == [sys.executable, "-m", "jupyterlab", "notebooks/00-start-here.ipynb"]
    for arg in ["--ip=127.0.0.1", "--port=9123", f"--ServerApp.root_dir={KIT}",
                "--ServerApp.port_retries=0", "--ServerApp.open_browser=False"]:
        assert arg in cmd
    assert not any("secret" in a for a in cmd), "the token is on the command line"
    assert lab.environment("secret", {})["JUPYTER_TOKEN"] == "secret"


def test_a_busy_port_is_replaced_by_the_next_free_one():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not lab.port_is_free(port)
        chosen, note = lab.choose_port(port)
        assert chosen > port and lab.port_is_free(chosen)
        assert note == f"port {port} is busy; using {chosen} instead"
        with pytest.raises(lab.LabError, match=rf"ports {port}-{port} on 127.0.0.1 are all busy"):
            lab.choose_port(port, tries=1)
    assert lab.choose_port(chosen) == (chosen, None)


def brink_lab(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "brink", "lab", "--no-browser", *args], cwd=cwd,
                          env=dict(os.environ, **(env or {})), capture_output=True, text=True, timeout=300)   # a hang guard, not a timing claim


def test_brink_lab_outside_a_kit_says_where_to_run_it(tmp_path):
    run = brink_lab(cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"brink lab: {tmp_path} is not inside a Brink kit or release: run this in the "
                                 "folder that holds notebooks/ and exercises/")


def test_brink_lab_with_a_missing_data_folder_names_it(tmp_path):
    run = brink_lab(cwd=KIT, env={"BRINK_DATA": str(tmp_path / "gone")})
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"brink lab: the data folder {tmp_path / 'gone'} (from BRINK_DATA) does not exist\n"


def test_missing_jupyterlab_names_the_requirement_from_the_metadata():
    extra = PROJECT["optional-dependencies"]["lab"]
    named, declared = Requirement(lab.lab_requirement()), Requirement(extra[0])
    assert (named.name, named.specifier) == (declared.name, declared.specifier)


def test_brink_help_lists_lab():
    run = subprocess.run([sys.executable, "-m", "brink", "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "lab" in run.stdout and "submit" in run.stdout


# --- test layout and docs ------------------------------------------------------------------
def test_test_report_sums_closing_lines(tmp_path):
    for suite, log, rc in [("a", "..\n3 passed, 1 skipped in 2.50s\n", 0), ("b", "= 1 failed, 2 passed in 1s =\n", 1),
                           ("c", "no tests ran in 0.01s\n", 5)]:
        (tmp_path / f"{suite}.log").write_text(log)
        (tmp_path / f"{suite}.rc").write_text(str(rc))
    (tmp_path / "a.seconds").write_text("61\n")
    (tmp_path / "a.cpu").write_text("0m0.01s 0m0.00s\n1m30.50s 0m9.50s\n")      # the shell's `times`
    (tmp_path / "b.cpu").write_text("0m0.00s 0m0.00s\n0m20.00s 0m0.00s\n")
    out = subprocess.run([sys.executable, str(KIT / "scripts" / "test_report.py"), str(tmp_path), "a", "b", "c", "d"],
                         capture_output=True, text=True)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[-2:] == ["total: 5 passed, 1 failed, 1 skipped", "CPU: 120 s over all suites (user + system)"]
    assert any(re.match(r"\s+a\s+ok\s+61 s\s+100 s CPU\s+3 passed, 1 skipped", x) for x in lines)
    assert any(re.match(r"\s+b\s+FAILED \(exit 1\)", x) for x in lines)
    assert any(re.match(r"\s+c\s+RAN NO TEST", x) for x in lines)
    assert any(re.match(r"\s+d\s+DID NOT RUN", x) for x in lines)
    assert test_report.closing_line("7 passed in 1.0s")[1] == {"passed": 7}


def test_readme_quick_start_is_two_commands():
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme


def test_readme_documents_every_environment_variable_the_kit_reads():
    used = set()
    for folder in ["lib", "scripts", "tests", ".ci"]:
        for path in (KIT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", "") and "__pycache__" not in path.parts:
                text = path.read_text(encoding="utf-8", errors="replace")
                used |= set(re.findall(r"\b(BRINK_[A-Z_]+)\b", text))
    used |= set(re.findall(r"\b(BRINK_[A-Z_]+)\b", (KIT / "Makefile").read_text(encoding="utf-8")))
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Settings")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `(BRINK_[A-Z_]+)` \|", table, flags=re.M))
    assert {"BRINK_DATA", "BRINK_ANSWERS", "BRINK_KEY", "BRINK_REQUIRE_BROWSER", "BRINK_CHROMIUM"} <= used
    assert used == documented, f"undocumented: {used - documented}; documented but unused: {documented - used}"
