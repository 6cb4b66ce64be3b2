"""Zero install: can micropip install the brink wheel and everything it requires, inside Pyodide?

What Pyodide provides is read from ``pyodide-lock.json`` in the npm package ``pyodide`` at the exact
version the installed jupyterlite-pyodide-kernel runs (its ``PYODIDE_VERSION``); the kernel's own
wheels (its ``ipykernel`` stand-in, ``piplite``) are read from its lab extension. Anything else must
be a pure-Python wheel (``py3-none-any``) on the package index, checked with
``pip download --only-binary=:all: --platform any`` and followed through its own requirements.
"""
import email.parser
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from kitpaths import KIT

CACHE = KIT / ".cache"
kernel_constants = pytest.importorskip("jupyterlite_pyodide_kernel.constants",
                                       reason="the lite extra is not installed (pip install -e '.[lite]')")
PYODIDE = kernel_constants.PYODIDE_VERSION
PY = kernel_constants.PYODIDE_PYTHON_VERSION
#: the marker environment of Pyodide's Python (PEP 508 names)
PYODIDE_ENV = dict(default_environment(), sys_platform="emscripten", platform_system="Emscripten",
                   platform_machine="wasm32", os_name="posix", python_version=PY,
                   python_full_version=PY + ".0", implementation_name="cpython")


def npm_pack(name, version, dest: Path) -> Path:
    tgz = dest / f"{name}-{version}.tgz"
    if not tgz.exists():
        dest.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(dest)],
                       check=True, capture_output=True, text=True)
    return tgz


@pytest.fixture(scope="module")
def pyodide_packages():
    with tarfile.open(npm_pack("pyodide", PYODIDE, CACHE / "pyodide")) as t:
        lock = json.load(t.extractfile("package/pyodide-lock.json"))
    return {canonicalize_name(k): v["version"] for k, v in lock["packages"].items()}


@pytest.fixture(scope="module")
def kernel_wheels():
    folder = Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
    found = {}
    for whl in folder.glob("*.whl"):
        name, version, _, _ = parse_wheel_filename(whl.name)
        found.setdefault(name, []).append(str(version))
    assert "ipykernel" in found and "piplite" in found, f"pyodide-kernel's wheels not found in {folder}"
    return found


@pytest.fixture(scope="module")
def wheel(lite):
    """The wheel `make lite` put in the site (the suite's one lite build, tests/site/conftest.py)."""
    (whl,) = (lite["root"] / "pypi").glob("brink-*-py3-none-any.whl")
    return whl


def metadata(whl: Path):
    with zipfile.ZipFile(whl) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(z.read(name).decode())


def runtime_requirements(meta) -> list[Requirement]:
    reqs = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    return [r for r in reqs if r.marker is None or r.marker.evaluate(dict(PYODIDE_ENV, extra=""))]


def test_the_wheel_is_pure_python(wheel):
    name, _, _, tags = parse_wheel_filename(wheel.name)
    assert name == "brink" and {str(t) for t in tags} == {"py3-none-any"}
    with zipfile.ZipFile(wheel) as z:
        compiled = [n for n in z.namelist() if re.search(r"\.(so|pyd|dylib)$", n)]
    assert not compiled


def cached(dest, name, req):
    """The wheels of project ``name`` in ``dest`` whose version meets requirement ``req``."""
    return [w for w in dest.glob("*.whl") if parse_wheel_filename(w.name)[0] == name
            and req.specifier.contains(str(parse_wheel_filename(w.name)[1]), prereleases=True)]


def blockers(wheel, pyodide_packages, kernel_wheels, tmp_path) -> tuple[list[str], list[str]]:
    """Walk the wheel's runtime requirements the way micropip would meet them; name each one it cannot."""
    todo, seen, problems, how = runtime_requirements(metadata(wheel)), set(), [], []
    while todo:
        req = todo.pop(0)
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        if name in pyodide_packages and req.specifier.contains(pyodide_packages[name], prereleases=True):
            how.append(f"{req}: Pyodide {PYODIDE} provides {pyodide_packages[name]}")
            continue
        if any(req.specifier.contains(v, prereleases=True) for v in kernel_wheels.get(name, [])):
            how.append(f"{req}: the Pyodide kernel ships {kernel_wheels[name]}")
            continue
        # micropip looks on the index when Pyodide's own version does not meet the requirement
        elsewhere = (f" (Pyodide {PYODIDE} has {pyodide_packages[name]})" if name in pyodide_packages else
                     f" (the Pyodide kernel ships {kernel_wheels[name]})" if name in kernel_wheels else "")
        dest = CACHE / "pure-wheels"
        got = subprocess.CompletedProcess([], 0) if cached(dest, name, req) else subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                              "--platform", "any", "--python-version", PY, "--implementation", "py", "--abi", "none",
                              "--dest", str(dest), str(req).split(";")[0]], capture_output=True, text=True)
        if got.returncode != 0:
            problems.append(f"{req}: no pure-Python wheel on the index{elsewhere}")
            continue
        whl = max(cached(dest, name, req), key=lambda w: parse_wheel_filename(w.name)[1])
        how.append(f"{req}: pure-Python wheel {whl.name}")
        todo += runtime_requirements(metadata(whl))
    return problems, how


def test_every_requirement_is_in_pyodide_or_a_pure_wheel(wheel, pyodide_packages, kernel_wheels, tmp_path):
    if not shutil.which("npm"):
        pytest.fail("npm is needed to read Pyodide's package list (apt-get install npm)")
    problems, how = blockers(wheel, pyodide_packages, kernel_wheels, tmp_path)
    print("\n".join(how))
    assert how, "the walk met the requirements"
    assert not problems, "micropip cannot install brink in Pyodide:\n" + "\n".join(problems)


def test_brink_and_the_exercises_import_without_fcntl(tmp_path):
    """Pyodide has no ``fcntl``: importing the kit and opening an exercise must not need it."""
    code = ("import sys; sys.modules['fcntl'] = None\n"
            "import brink, brink.charts, brink.exercises\n"
            "from brink.exercises import Exercise\n"
            "Exercise('01-timeline')\n"
            "import filelock\n"
            "assert filelock.FileLock is filelock.SoftFileLock, filelock.FileLock\n"
            "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "BRINK_ANSWERS": str(tmp_path)})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-1500:]


def test_the_readme_names_what_no_registry_provides_at_the_kernels_versions(pyodide_packages):
    """README's zero-install paragraph names the Pyodide the installed kernel runs, and each package it says
    comes from the Pyodide CDN only at the version of that Pyodide's lock (so it follows a kernel update)."""
    from importlib.metadata import version
    text = " ".join((KIT / "README.md").read_text(encoding="utf-8").split())
    para = text[text.index("**Zero install (JupyterLite).**"):]
    para = para[:para.index("## ")]
    assert f"Pyodide {PYODIDE}, which jupyterlite-pyodide-kernel {version('jupyterlite-pyodide-kernel')} runs" in para
    named = dict(re.findall(r"\b(numpy|pandas|markupsafe|rpds-py|pydantic-core) (\d[\w.]*\d)", para))
    assert sorted(named) == ["markupsafe", "numpy", "pandas", "pydantic-core", "rpds-py"], named
    for name, v in named.items():
        assert pyodide_packages[canonicalize_name(name)] == v, f"README: {name} {v}; Pyodide {PYODIDE}'s lock: " \
            f"{pyodide_packages[canonicalize_name(name)]}"
