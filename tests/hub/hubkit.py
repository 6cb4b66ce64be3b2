"""A real JupyterHub on loopback for tests/hub, and a student who uses it as a browser would.

- ``hub_python()``: the hub's own environment, a venv in the cache folder holding JupyterHub,
  nbgitpuller and JupyterLab (tests/hub/requirements.txt); the kit is installed into it
  non-editably, from the folder under test, on every run, the way a hub image holds it.
- ``proxy_command()``: configurable-http-proxy from the npm registry, installed in the cache folder.
- ``Hub``: starts ``jupyterhub`` (DummyAuthenticator, SimpleLocalProcessSpawner with a home per
  student under a temporary folder) on free loopback ports, and stops it, its proxy, the students'
  servers and their kernels.
- ``Student``: logs in, follows an nbgitpuller link as the link's page does in a browser, runs
  code in a kernel of their own server over its websocket, and edits files through the server.

The cache folder is ``$BRINK_HUB_CACHE``, else ``~/.cache/brink/hub``: outside the checkout, so a
fresh clone on the same machine (as in CI) reuses it; uv's (or pip's) and npm's own caches serve a rebuild.
The venv is built by uv where it is installed, else by pip (tests/venvs.py).
"""
from __future__ import annotations

import asyncio
import hashlib
import html
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import venvs

REPO = Path(__file__).resolve().parents[2]
# Outside the checkout, so that a fresh clone on the same machine (CI) reuses the hub's environment.
CACHE = Path(os.environ.get("BRINK_HUB_CACHE")
             or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "brink" / "hub")
REQUIREMENTS = Path(__file__).with_name("requirements.txt")
PROXY_PACKAGE = "configurable-http-proxy@5.3.0"
LOCK_CANDIDATES = ["requirements/lock.txt", "requirements-lock.txt", "lock.txt"]
#: text blocks the tests leave for the closing summary (tests/hub/conftest.py prints them): figures, never asserted
FIGURES: list[str] = []
TERMINALS_CONFIG = {"ServerApp": {"terminado_settings": {"shell_command": ["/bin/bash"]}}}


class Timer:
    """Wall-clock figures for the run, printed at the end (never asserted)."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.marks: list[tuple[str, float]] = []
        self._last = self.t0

    def mark(self, what: str) -> None:
        now = time.monotonic()
        self.marks.append((what, now - self._last))
        self._last = now

    def report(self) -> str:
        lines = [f"  {what:<52} {secs:6.1f} s" for what, secs in self.marks]
        lines.append(f"  {'total':<52} {time.monotonic() - self.t0:6.1f} s")
        return "\n".join(lines)


def run(cmd, **kw) -> subprocess.CompletedProcess:
    """Run a command; on failure raise with its output (the test's report shows it)."""
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lock_file() -> Path | None:
    for name in LOCK_CANDIDATES:
        if (REPO / name).is_file():
            return REPO / name
    return None


# --- the hub's environment ------------------------------------------------------------
def hub_python(kit: Path) -> Path:
    """The hub environment's python, with the kit at ``kit`` installed into it (not editable).

    The venv (JupyterHub, nbgitpuller, JupyterLab and the kit's dependencies, at the lock's
    versions) is kept in the cache folder and brought up to date when the lock or
    tests/hub/requirements.txt changes; the kit itself is reinstalled from ``kit`` on every
    call, so the test always runs the code under test.
    """
    lock = lock_file()
    key = hashlib.sha256()
    for f in (REQUIREMENTS, lock):
        if f is not None:
            key.update(f.read_bytes())
    venv = CACHE / f"venv-py{sys.version_info[0]}.{sys.version_info[1]}"
    py = venv / "bin" / "python"
    if not py.exists():
        shutil.rmtree(venv, ignore_errors=True)
        venvs.create(venv)
    stamp = venv / ".brink-key"
    if not stamp.is_file() or stamp.read_text() != key.hexdigest():
        # first run, or the lock or the hub's requirements changed: the installer installs only what differs
        venvs.install(py, "setuptools>=77", constraints=lock)
        venvs.install(py, kit, constraints=lock, requirements=REQUIREMENTS)
        stamp.write_text(key.hexdigest())
    venvs.install(py, kit, no_deps=True, reinstall="brink", no_build_isolation=True)
    if venvs.check(py).returncode != 0:
        venvs.install(py, kit, constraints=lock, requirements=REQUIREMENTS)  # the kit now needs something new
        still = venvs.check(py)
        if still.returncode != 0:
            raise RuntimeError(f"the hub environment's packages do not fit together:\n{still.stdout}{still.stderr}")
    # Terminals of a server started by a hub run a login shell, and Debian's /etc/profile resets PATH:
    # `brink` (in this venv) would not be found. A hub image fixes that once (docs/hub.md); here,
    # as there, in the environment's own Jupyter configuration: terminals start a plain shell.
    conf = venv / "etc" / "jupyter"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "jupyter_server_config.json").write_text(json.dumps(TERMINALS_CONFIG, indent=1) + "\n")
    return py


def proxy_command() -> Path:
    """configurable-http-proxy from the npm registry, installed once in the cache folder."""
    prefix = CACHE / "npm"
    exe = prefix / "node_modules" / ".bin" / "configurable-http-proxy"
    if not exe.exists():
        if shutil.which("npm") is None:
            raise RuntimeError("npm is not installed: the hub's proxy comes from the npm registry (apt-get install npm)")
        run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error",
             "--cache", CACHE / "npm-cache", PROXY_PACKAGE])
    return exe


# --- processes --------------------------------------------------------------------------
def processes_under(folder: Path) -> list[int]:
    """Process ids whose working folder is inside ``folder`` (the hub, proxy, servers, kernels we started)."""
    folder = str(folder.resolve())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if cwd == folder or cwd.startswith(folder + os.sep):
            found.append(int(entry.name))
    return found


def stop_pids(pids, grace: float = 5.0) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        if _alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


class Hub:
    """A JupyterHub on 127.0.0.1 with a home per student under ``root/homes``."""

    def __init__(self, root: Path, python: Path, proxy: Path, users: list[str], default_url: str | None = None):
        self.root, self.python, self.proxy, self.users = root, python, proxy, users
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = uuid.uuid4().hex
        self.homes = root / "homes"
        self.default_url = default_url
        self.proc: subprocess.Popen | None = None
        self.log = root / "jupyterhub.log"

    def config(self) -> str:
        bindir = self.python.parent
        args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
        lines = [
            "c.JupyterHub.ip = '127.0.0.1'",
            f"c.JupyterHub.port = {self.port}",
            "c.JupyterHub.hub_ip = '127.0.0.1'",
            f"c.JupyterHub.hub_port = {self.hub_port}",
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{self.api_port}'",
            f"c.ConfigurableHTTPProxy.command = [{str(self.proxy)!r}]",
            f"c.JupyterHub.db_url = 'sqlite:///{self.root / 'jupyterhub.sqlite'}'",
            f"c.JupyterHub.cookie_secret_file = {str(self.root / 'cookie_secret')!r}",
            "c.JupyterHub.authenticator_class = 'dummy'",
            f"c.Authenticator.allowed_users = {set(self.users)!r}",
            "c.JupyterHub.spawner_class = 'simple'",
            f"c.SimpleLocalProcessSpawner.home_dir_template = {str(self.homes) + '/{username}'!r}",
            "c.Spawner.ip = '127.0.0.1'",
            f"c.Spawner.cmd = [{str(bindir / 'jupyterhub-singleuser')!r}]",
            f"c.Spawner.args = {args!r}",
            # JupyterHub passes no PATH of its own to the servers: give them the environment's, as an
            # image's PATH does
            f"c.Spawner.environment = {{'PATH': {str(bindir) + ':/usr/local/bin:/usr/bin:/bin'!r}}}",
            "c.Spawner.start_timeout = 120",
            # a server asked to stop with SIGINT and no terminal waits for a confirmation that never comes:
            # SIGTERM (a clean shutdown, kernels included) after 1 s instead of 10
            "c.LocalProcessSpawner.interrupt_timeout = 1",
            "c.Spawner.http_timeout = 90",
            f"c.Spawner.default_url = {self.default_url!r}" if self.default_url else "",
            # a service for the test's own calls (creating each student's token, reading server state)
            f"c.JupyterHub.services = [{{'name': 'brink-test', 'api_token': {self.token!r}}}]",
            "c.JupyterHub.load_roles = [{'name': 'brink-test', 'services': ['brink-test'], "
            "'scopes': ['admin:users', 'admin:servers', 'tokens', 'list:users', 'read:users']}]",
            "c.JupyterHub.cleanup_servers = True",
        ]
        return "\n".join(lines) + "\n"

    def start(self) -> None:
        self.homes.mkdir(parents=True, exist_ok=True)
        cfg = self.root / "jupyterhub_config.py"
        cfg.write_text(self.config())
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("BRINK_", "JUPYTER", "PYTHON", "VIRTUAL_ENV", "PYTEST"))}
        env["PATH"] = f"{self.python.parent}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.python.parent.parent)
        self.logf = open(self.log, "w")
        self.proc = subprocess.Popen([self.python.parent / "jupyterhub", "-f", cfg], cwd=self.root, env=env,
                                     stdout=self.logf, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 180       # a wait for the hub's answer: a starved machine starts it slowly
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"jupyterhub did not answer within 180 s:\n{self.log_tail()}")

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def api(self, method: str, path: str, body=None):
        req = urllib.request.Request(f"{self.url}/hub/api{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            data = r.read()
        return json.loads(data) if data else None

    def stop(self) -> list[int]:
        """Stop the hub (which stops the proxy and the students' servers); then stop anything it left.

        Returns:
            The ids of processes still running under the test's folder after the hub's own
            shutdown (stopped here by id). Empty when the hub cleaned up after itself.
        """
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        time.sleep(0.5)
        left = processes_under(self.root)
        stop_pids(left)
        if getattr(self, "logf", None):
            self.logf.close()
        return left


# --- a student ---------------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    pass


class Student:
    """One student with a browser's cookie jar, and a token for their own server's API."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.jar = http.cookiejar.CookieJar()
        self.browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token: str | None = None
        self.server = f"{hub.url}/user/{name}/"

    # browser-like requests
    def get(self, url: str, **headers):
        req = urllib.request.Request(url, headers={"Accept": "text/html", **headers})
        r = self.browser.open(req, timeout=120)
        return r.geturl(), r.read().decode("utf-8", "replace")

    def login(self) -> None:
        _, page = self.get(f"{self.hub.url}/hub/login")
        m = re.search(r'name="_xsrf" value="([^"]+)"', page)
        form = {"username": self.name, "password": "any password will do"}
        if m:
            form["_xsrf"] = html.unescape(m.group(1))
        req = urllib.request.Request(f"{self.hub.url}/hub/login?next=", data=urllib.parse.urlencode(form).encode())
        r = self.browser.open(req, timeout=120)
        r.read()
        if not any(c.name.startswith("jupyterhub-session") for c in self.jar):
            raise RuntimeError(f"{self.name}: login failed (landed on {r.geturl()})")

    def wait_for_server(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            user = self.hub.api("GET", f"/users/{self.name}")
            server = (user.get("servers") or {}).get("", {})
            if server.get("ready"):
                return
            if not user.get("pending") and not server:
                self.hub.api("POST", f"/users/{self.name}/server")
            time.sleep(0.3)
        raise RuntimeError(f"{self.name}: server not ready after {timeout:.0f} s:\n{self.hub.log_tail()}")

    def open(self, link: str) -> tuple[str, str]:
        """Follow a link as a browser does; a hub that shows 'your server is starting' is waited for."""
        url, page = self.get(link)
        if "/hub/spawn-pending/" in url or "/hub/spawn/" in url:
            self.wait_for_server()
            url, page = self.get(link)
        return url, page

    def follow_pull_link(self, link: str) -> dict:
        """Follow an nbgitpuller link; do what its page's script does; open the page it leads to.

        Returns:
            ``{"phases": [...], "landed": url, "page": html, "target": folder}``.
        """
        url, page = self.open(link)
        if 'id="status"' not in page and "data-repo=" not in page:
            raise RuntimeError(f"{self.name}: the link did not lead to nbgitpuller's page but to {url}")
        attrs = {k: urllib.parse.unquote(html.unescape(v)) for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', page)}
        base = urllib.parse.urljoin(self.hub.url, attrs["base-url"])
        params = {"_xsrf": attrs.get("xsrf", ""), "repo": attrs["repo"], "targetpath": attrs["targetpath"]}
        for k in ("depth", "branch", "backup"):
            if k in attrs:
                params[k] = attrs[k]
        req = urllib.request.Request(base + "git-pull/api?" + urllib.parse.urlencode(params),
                                     headers={"Accept": "text/event-stream"})
        phases = []
        with self.browser.open(req, timeout=180) as r:
            for raw in r:
                line = raw.decode("utf-8", "replace").strip()
                if line.startswith("data: "):
                    event = json.loads(line[6:])
                    phases.append(event)
                    if event.get("phase") in ("finished", "error"):
                        break
        if not phases or phases[-1].get("phase") != "finished":
            raise RuntimeError(f"{self.name}: nbgitpuller did not finish: {phases[-3:]}\n{self.hub.log_tail()}")
        landed, landing_page = self.get(base + attrs["path"])
        return {"phases": phases, "landed": landed, "page": landing_page, "target": attrs["targetpath"]}

    # the server's REST API, with a token of the student's own
    def make_token(self) -> None:
        reply = self.hub.api("POST", f"/users/{self.name}/tokens",
                             {"note": "tests/hub", "expires_in": 900, "scopes": [f"access:servers!user={self.name}"]})
        self.token = reply["token"]

    def server_api(self, method: str, path: str, body=None):
        req = urllib.request.Request(f"{self.server}api/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            data = r.read()
        return json.loads(data) if data else None

    def read_notebook(self, path: str) -> dict:
        return self.server_api("GET", f"contents/{urllib.parse.quote(path)}?content=1&type=notebook")["content"]

    def save_notebook(self, path: str, nb: dict) -> None:
        self.server_api("PUT", f"contents/{urllib.parse.quote(path)}", {"type": "notebook", "format": "json", "content": nb})

    def start_kernel(self, notebook: str) -> "Kernel":
        session = self.server_api("POST", "sessions", {"path": notebook, "type": "notebook", "name": Path(notebook).name,
                                                       "kernel": {"name": "python3"}})
        return Kernel(self, session["id"], session["kernel"]["id"])


class Kernel:
    """A kernel of a student's server, driven over the server's websocket as JupyterLab drives it."""

    def __init__(self, student: Student, session_id: str, kernel_id: str):
        self.student, self.session_id, self.kernel_id = student, session_id, kernel_id
        self.loop = asyncio.new_event_loop()
        self.ws = self.loop.run_until_complete(self._connect())

    async def _connect(self):
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        url = self.student.server.replace("http://", "ws://") + f"api/kernels/{self.kernel_id}/channels"
        req = HTTPRequest(url, headers={"Authorization": f"token {self.student.token}"}, request_timeout=60)
        return await websocket_connect(req)

    def execute(self, code: str, timeout: float = 120) -> dict:
        """Run ``code``; returns ``{"status", "stdout", "stderr", "results", "error"}``."""
        return self.loop.run_until_complete(asyncio.wait_for(self._execute(code), timeout))

    async def _execute(self, code: str) -> dict:
        msg_id = uuid.uuid4().hex
        msg = {"header": {"msg_id": msg_id, "username": self.student.name, "session": uuid.uuid4().hex,
                          "msg_type": "execute_request", "version": "5.3", "date": ""},
               "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
               "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                           "allow_stdin": False, "stop_on_error": True}}
        await self.ws.write_message(json.dumps(msg))
        out = {"status": None, "stdout": "", "stderr": "", "results": [], "error": None}
        idle = replied = False
        while not (idle and replied):
            raw = await self.ws.read_message()
            if raw is None:
                raise RuntimeError("the kernel's websocket closed")
            if isinstance(raw, bytes):  # a binary message (buffers): not used by the code we run
                continue
            m = json.loads(raw)
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            t, c = m["msg_type"], m["content"]
            if t == "stream":
                out[c["name"]] += c["text"]
            elif t in ("execute_result", "display_data"):
                out["results"].append(c["data"].get("text/plain", ""))
            elif t == "error":
                out["error"] = f"{c['ename']}: {c['evalue']}"
            elif t == "status" and c["execution_state"] == "idle":
                idle = True
            elif t == "execute_reply":
                out["status"] = c["status"]
                replied = True
        return out

    def close(self) -> None:
        """Close the websocket and shut the kernel down (deleting its session, as closing a notebook tab can)."""
        try:
            self.loop.run_until_complete(_close_ws(self.ws))
            self.student.server_api("DELETE", f"sessions/{self.session_id}")
        finally:
            self.loop.close()


class Terminal:
    """A terminal of a student's server (File ▸ New ▸ Terminal), driven over its websocket."""

    def __init__(self, student: Student):
        self.student = student
        self.name = student.server_api("POST", "terminals")["name"]
        self.loop = asyncio.new_event_loop()
        self.ws = self.loop.run_until_complete(self._connect())

    async def _connect(self):
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        url = self.student.server.replace("http://", "ws://") + f"terminals/websocket/{self.name}"
        req = HTTPRequest(url, headers={"Authorization": f"token {self.student.token}"}, request_timeout=60)
        return await websocket_connect(req)

    def run(self, command: str, timeout: float = 60) -> tuple[int, str]:
        """Type ``command`` and Enter; returns (its exit status, what the terminal showed)."""
        return self.loop.run_until_complete(asyncio.wait_for(self._run(command), timeout))

    async def _run(self, command: str) -> tuple[int, str]:
        marker = f"__done_{uuid.uuid4().hex[:8]}"
        # The quotes keep the typed line (echoed back) from matching what the echo prints.
        await self.ws.write_message(json.dumps(["stdin", f'{command}; echo "{marker}" "status=$?"\r']))
        seen = ""
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                raise RuntimeError(f"the terminal closed; it showed:\n{seen}")
            kind, *rest = json.loads(raw)
            if kind == "stdout":
                seen += rest[0]
                m = re.search(re.escape(marker) + r" status=(\d+)", seen)
                if m:
                    return int(m.group(1)), seen[: m.start()]

    def close(self) -> None:
        try:
            self.loop.run_until_complete(_close_ws(self.ws))
            self.student.server_api("DELETE", f"terminals/{self.name}")
        finally:
            self.loop.close()


async def _close_ws(ws) -> None:
    ws.close()
    await asyncio.sleep(0)
