"""Write binder/requirements.txt: the runtime and JupyterLab, at the versions of requirements/lock.txt.

    python scripts/binder_env.py          # run on Linux, in the venv `make setup-test` made

Binder (repo2docker) installs binder/requirements.txt before it copies the kit, so that layer is
reused from one commit to the next; binder/postBuild then installs the kit itself without
dependencies. The file holds the whole dependency closure of the kit's runtime requirements and
its ``lab`` extra (no test tools), each at its locked version, evaluated for Linux and the
Python of binder/runtime.txt. A test checks the file is what this script writes.
"""
from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

KIT = Path(__file__).resolve().parents[1]
#: conda-forge spells a few packages differently from the package index
CONDA_NAMES = {"python-build": "build"}
HEADER = ("# Binder's environment: the kit's runtime and JupyterLab, no test tools, at the versions of\n"
          "# requirements/lock.txt. Written by `python scripts/binder_env.py`; do not edit by hand.\n")


def read_lock(path: Path) -> dict:
    """``{normalised name: version}`` from a file of ``name==version`` lines (comments ignored)."""
    pins = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def linux_environment() -> dict:
    """Marker values for Binder: Linux on x86-64, the Python of binder/runtime.txt."""
    version = (KIT / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    env = default_environment()
    env.update(sys_platform="linux", platform_system="Linux", os_name="posix", platform_machine="x86_64",
               implementation_name="cpython", platform_python_implementation="CPython",
               python_version=version, python_full_version=f"{version}.0")
    return env


def closure(pins: dict, extras: tuple = ("lab",)) -> dict:
    """The locked versions of everything the runtime requirements and ``extras`` pull in, on Linux.

    Dependencies are read from the installed packages' metadata, which must be the locked versions.
    """
    project = tomllib.loads((KIT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env, out, seen = linux_environment(), {}, set()
    todo = [Requirement(r) for r in project["dependencies"]]
    todo += [Requirement(r) for e in extras for r in project["optional-dependencies"][e]]
    todo = [r for r in todo if r.marker is None or r.marker.evaluate(env)]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if (name, frozenset(req.extras)) in seen:
            continue
        seen.add((name, frozenset(req.extras)))
        if name not in pins:
            raise SystemExit(f"{name} (needed by the runtime) is not in requirements/lock.txt: run make lock")
        out[name] = pins[name]
        dist = importlib.metadata.distribution(name)
        if dist.version != pins[name]:
            raise SystemExit(f"installed {name} {dist.version} is not the locked {pins[name]}: run make setup-test")
        for dep in dist.requires or []:
            dreq = Requirement(dep)
            if dreq.marker is None or any(dreq.marker.evaluate(dict(env, extra=e)) for e in ("", *req.extras)):
                todo.append(dreq)
    return dict(sorted(out.items()))


def render(pins: dict) -> str:
    return HEADER + "".join(f"{name}=={version}\n" for name, version in pins.items())


def main() -> int:
    text = render(closure(read_lock(KIT / "requirements" / "lock.txt")))
    (KIT / "binder" / "requirements.txt").write_text(text, encoding="utf-8")
    print(f"binder/requirements.txt: {text.count(chr(10)) - 2} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
