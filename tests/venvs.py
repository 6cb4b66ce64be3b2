"""Installing into the virtual environments the tests build (the install suite's clean venv, the hub's venv).

uv (installed into .venv by `make setup-test`, as the kit's own install uses it) does in seconds what pip takes
minutes for; where uv is not installed, or fails (say, an index only pip is configured for), pip installs the
same thing. A test that follows a document's literal ``pip install`` (the student release's README, in
tests/browser) does not come here: it runs the document's command as written.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

#: which installer did each install: "uv" or "pip" (the suites print it; nothing asserts on it)
USED: list[str] = []


def has_uv() -> bool:
    return importlib.util.find_spec("uv") is not None


def create(venv: Path, env: dict | None = None) -> Path:
    """A new venv at ``venv`` from this Python; without pip when uv will install into it (pip comes if needed).

    Returns the venv's python.
    """
    cmd = [sys.executable, "-m", "venv", *(["--without-pip"] if has_uv() else []), str(venv)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return venv / "bin" / "python"


def check(python: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """``pip check`` of the venv (uv's when uv is here): every installed package has what it requires."""
    if has_uv():
        return subprocess.run([sys.executable, "-m", "uv", "pip", "check", "--python", str(python)],
                              capture_output=True, text=True, env=env)
    return subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True, env=env)


def install(python: Path, *packages, constraints: Path | None = None, requirements: Path | None = None,
            no_deps: bool = False, reinstall: str | None = None, no_build_isolation: bool = False,
            env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    """Install ``packages`` (and ``requirements``, within ``constraints``) into the venv of ``python``.

    ``reinstall`` names a package to install again even when the same version is there (the kit under test).

    Returns the finished process of whichever installer succeeded; raises RuntimeError with both
    installers' output when neither did.
    """
    common = [*(["-c", str(constraints)] if constraints else []), *(["-r", str(requirements)] if requirements else []),
              *(["--no-deps"] if no_deps else []), *(["--no-build-isolation"] if no_build_isolation else []),
              *map(str, packages)]
    tried = []
    if has_uv():
        cmd = [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", str(python),
               *(["--reinstall-package", reinstall] if reinstall else []), *common]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
        if done.returncode == 0:
            USED.append("uv")
            return done
        tried.append(done)
    if subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, env=env).returncode != 0:
        subprocess.run([str(python), "-m", "ensurepip", "--default-pip"], capture_output=True, env=env)
    cmd = [str(python), "-m", "pip", "install", "--quiet", "--no-compile",
           *(["--force-reinstall"] if reinstall else []), *common]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if done.returncode == 0:
        USED.append("pip")
        return done
    tried.append(done)
    raise RuntimeError("\n".join(f"{' '.join(p.args)} exited {p.returncode}:\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}"
                                 for p in tried))
