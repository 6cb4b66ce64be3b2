"""`python -m brink lab` really starts JupyterLab: on a busy port it takes the next free one and says so."""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from browserkit import lab_env
from kitpaths import KIT


def test_brink_lab_on_a_busy_port_starts_on_the_next_free_one(tmp_path):
    env = lab_env(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.Popen([sys.executable, "-m", "brink", "lab", "--port", str(port), "--no-browser"],
                                cwd=KIT / "exercises", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            errors = []
            threading.Thread(target=lambda: errors.extend(proc.stderr), daemon=True).start()
            first = proc.stdout.readline()
            m = re.fullmatch(r"JupyterLab: http://127\.0\.0\.1:(\d+)/lab/tree/notebooks/00-start-here\.ipynb\?token=(\w{48})\n",
                             first)
            assert m, first
            new_port, token = int(m.group(1)), m.group(2)
            assert new_port > port
            deadline, status = time.time() + 120, None
            while time.time() < deadline and status is None:
                try:
                    req = urllib.request.Request(f"http://127.0.0.1:{new_port}/api/contents/notebooks",
                                                 headers={"Authorization": f"token {token}"})
                    with urllib.request.urlopen(req, timeout=5) as r:
                        status = json.loads(r.read())
                except OSError:
                    assert proc.poll() is None, "".join(errors)[-2000:]
                    time.sleep(0.5)
            assert status is not None, "JupyterLab did not answer in 120 s"
            # served from the kit folder (found upward from exercises/), so notebooks/ is at its root
            assert "00-start-here.ipynb" in {c["name"] for c in status["content"]}
            said = f"brink lab: port {port} is busy; using {new_port} instead\n"
            deadline = time.time() + 30          # stderr is read by the thread above: wait for it, not for time
            while said not in errors and time.time() < deadline:
                time.sleep(0.2)
            assert said in errors, errors
            # issue 15: another local user reads the server's command line, never its token
            if sys.platform.startswith("linux"):
                assert token not in Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode(errors="replace")
                if os.geteuid() == 0 and shutil.which("runuser"):
                    as_nobody = ["runuser", "-u", "nobody", "--", "cat"]
                    seen = subprocess.run(as_nobody + [f"/proc/{proc.pid}/cmdline"], capture_output=True)
                    assert seen.returncode == 0 and b"jupyterlab" in seen.stdout and token.encode() not in seen.stdout
                    environ = subprocess.run(as_nobody + [f"/proc/{proc.pid}/environ"], capture_output=True)
                    assert environ.returncode != 0 and token.encode() not in environ.stdout
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{new_port}/api/kernels", timeout=60)
                raise AssertionError("the server answered without the token")
            except urllib.error.HTTPError as e:
                assert e.code == 403
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
