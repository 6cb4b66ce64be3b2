"""``brink lab``: start JupyterLab on the kit or release you are in, the way ``make lab`` does.

    python -m brink lab                  # opens notebooks/00-start-here.ipynb
    python -m brink lab --port 9000 --no-browser

JupyterLab listens on 127.0.0.1 only, with a fresh random token, its root the kit folder
(found from the current folder upward). ``--allow-root`` is passed only when running as root.
A busy port is replaced by the next free one, and the command says so. Every problem the user
can fix (no kit here, no JupyterLab installed, a broken data folder, no free port) is one line
on standard error and exit status 2.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from ._paths import DataFolderError, data_dir, kit_root

START = "notebooks/00-start-here.ipynb"
#: the kit's JupyterLab defaults (no "Jupyter news?" prompt over a student's first lesson), shipped in the
#: package; JupyterLab reads every file of ``<app dir>/settings/overrides.d/`` as default settings
OVERRIDES = "jupyterlab-overrides/brink.json"
DEFAULT_PORT = 8888
#: how many ports after the requested one are tried when it is busy
PORT_TRIES = 50


class LabError(RuntimeError):
    """JupyterLab cannot be started; the message says what to do."""


def running_as_root() -> bool:
    """True when the process runs as root on a POSIX system (never on Windows).

    >>> isinstance(running_as_root(), bool)
    True
    """
    return hasattr(os, "geteuid") and os.geteuid() == 0


def command(port: int, token: str, root: Path, start: str | None = START,
            open_browser: bool = True) -> list[str]:
    """The JupyterLab command line: bound to 127.0.0.1, token required, ``--allow-root`` only as root.

    Args:
        port: the TCP port on 127.0.0.1.
        token: the token a browser must present.
        root: the folder JupyterLab serves (the kit or release).
        start: the notebook to open, relative to ``root`` (None: the file browser).
        open_browser: whether JupyterLab opens a browser tab.

    Returns:
        The argument list to run.

    >>> cmd = command(9000, "t0k", Path("kit"), open_browser=False)
    >>> cmd[1:4], "--ip=127.0.0.1" in cmd, "--port=9000" in cmd
    (['-m', 'jupyterlab', 'notebooks/00-start-here.ipynb'], True, True)
    """
    cmd = [sys.executable, "-m", "jupyterlab"] + ([start] if start else [])
    # The token is not on the command line (any local user reads /proc/PID/cmdline): see ``environment``.
    cmd += ["--ip=127.0.0.1", f"--port={port}",
            f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
            f"--ServerApp.open_browser={open_browser}"]
    if running_as_root():
        cmd.append("--allow-root")
    return cmd


def environment(token: str, base: dict | None = None) -> dict:
    """The environment JupyterLab starts with: ``base`` (default: this process's) plus ``JUPYTER_TOKEN``.

    JupyterLab reads its token from ``JUPYTER_TOKEN``; a process's environment is readable by its
    owner only (``/proc/PID/environ``), unlike its command line.

    >>> environment("t0k", {"HOME": "/h"})
    {'HOME': '/h', 'JUPYTER_TOKEN': 't0k'}
    """
    env = dict(os.environ if base is None else base)
    env["JUPYTER_TOKEN"] = token
    return env


def port_is_free(port: int) -> bool:
    """True when nothing listens on ``127.0.0.1:port`` (tested by binding it, as JupyterLab will)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        if os.name != "nt":       # as the server does; on Windows this flag would allow sharing a port
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(wanted: int, tries: int = PORT_TRIES) -> tuple[int, str | None]:
    """The requested port if free, else the next free one, with a note saying so.

    Args:
        wanted: the port asked for.
        tries: how many ports from ``wanted`` on to try.

    Returns:
        ``(port, note)``: ``note`` is None when ``wanted`` was free.

    Raises:
        LabError: none of the ports tried is free; the message names them.
    """
    for port in range(wanted, min(wanted + tries, 65536)):
        if port_is_free(port):
            note = None if port == wanted else f"port {wanted} is busy; using {port} instead"
            return port, note
    raise LabError(f"ports {wanted}-{wanted + tries - 1} on 127.0.0.1 are all busy; choose another with --port")


def lab_requirement() -> str:
    """How to install JupyterLab, from the ``lab`` extra of the kit's own metadata (one source of truth)."""
    try:
        reqs = importlib.metadata.requires("brink") or []
    except importlib.metadata.PackageNotFoundError:
        reqs = []
    for req in reqs:
        name, _, marker = req.partition(";")
        if "extra" in marker and "lab" in marker and name.strip().lower().startswith("jupyterlab"):
            return name.strip().replace(" ", "")
    return "jupyterlab"


def app_settings_dir(env: Mapping[str, str] | None = None) -> Path:
    """JupyterLab's application settings folder for this Python: ``$JUPYTERLAB_DIR/settings`` or the environment's own.

    >>> app_settings_dir({"JUPYTERLAB_DIR": "/opt/lab"}).as_posix()
    '/opt/lab/settings'
    """
    app_dir = (os.environ if env is None else env).get("JUPYTERLAB_DIR") or os.path.join(sys.prefix, "share", "jupyter", "lab")
    return Path(app_dir) / "settings"


def install_settings(settings_dir: Path | None = None) -> str | None:
    """Put the kit's JupyterLab defaults into ``settings_dir/overrides.d/brink.json`` (unless already there).

    A wheel install puts the file there itself; an editable install (``make setup``) does not, so
    ``brink lab`` does. They are defaults: a user's own settings still win.

    Args:
        settings_dir: JupyterLab's application settings folder (default: ``app_settings_dir()``).

    Returns:
        None, or a one-line note when the folder cannot be written (JupyterLab then asks about news).

    >>> import json, tempfile; d = Path(tempfile.mkdtemp())
    >>> install_settings(d) is None and json.loads((d / "overrides.d" / "brink.json").read_text())[
    ...     "@jupyterlab/apputils-extension:notification"]["fetchNews"]
    'false'
    """
    import importlib.resources
    target = (settings_dir or app_settings_dir()) / "overrides.d" / "brink.json"
    wanted = (importlib.resources.files("brink") / OVERRIDES).read_text(encoding="utf-8")
    try:
        if target.is_file() and target.read_text(encoding="utf-8") == wanted:
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(wanted, encoding="utf-8")
    except OSError as e:
        return f"cannot write JupyterLab's defaults to {target} ({e.strerror or e}); it will ask about Jupyter news"
    return None


def prepare(root: Path | None, start: str | None = START) -> tuple[Path, str | None]:
    """Check everything JupyterLab needs before it starts; returns the root and the notebook to open.

    Raises:
        LabError: not inside a kit, JupyterLab missing, or the data folder missing or broken.
    """
    if root is None:
        root = kit_root()
        if root is None:
            raise LabError(f"{Path.cwd()} is not inside a Brink kit or release: run this in the folder that "
                           "holds notebooks/ and exercises/ (or pass --root FOLDER)")
    elif not root.is_dir():
        raise LabError(f"--root {root}: no such folder")
    try:
        data_dir()
    except DataFolderError as e:
        raise LabError(str(e).removeprefix("brink: ")) from None
    if importlib.util.find_spec("jupyterlab") is None:
        raise LabError(f"JupyterLab is not installed for {sys.executable}: "
                       f'run  {Path(sys.executable).name} -m pip install "{lab_requirement()}"')
    if start and not (root / start).is_file():
        start = None
    return root, start


def run(args) -> int:
    """Start JupyterLab and wait for it; returns its exit status (2 for a problem the user can fix)."""
    try:
        root, start = prepare(args.root)
        port, note = choose_port(args.port)
    except LabError as e:
        print(f"brink lab: {e}", file=sys.stderr)
        return 2
    for line in (note, install_settings()):
        if line:
            print(f"brink lab: {line}", file=sys.stderr)
    token = secrets.token_hex(24)
    path = f"lab/tree/{start}" if start else "lab"
    print(f"JupyterLab: http://127.0.0.1:{port}/{path}?token={token}", flush=True)
    cmd = command(port, token, root=root, start=start, open_browser=not args.no_browser)
    if os.name == "posix":          # become JupyterLab: signals (Ctrl+C, a closed terminal) reach it directly
        os.chdir(root)
        os.execve(cmd[0], cmd, environment(token))
    proc = subprocess.Popen(cmd, cwd=root, env=environment(token))      # Windows has no exec: run it and wait
    try:
        return proc.wait()
    except KeyboardInterrupt:       # JupyterLab got the same interrupt and shuts down: wait for it
        return proc.wait()


def register(sub) -> None:
    p = sub.add_parser("lab", help="start JupyterLab on the kit or release you are in")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"the port on 127.0.0.1 (default {DEFAULT_PORT}; the next free one if busy)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    p.add_argument("--root", type=Path, default=None,
                   help="the kit or release folder (default: found from the current folder upward)")
    p.set_defaults(func=run)
