"""A student release set up in a new virtual environment exactly as its README says (its literal commands),
started with `brink lab` there, opens an assessed exercise in Chromium and saves an answer without feedback.

(It was in test_jupyterlab.py; a file of its own, so `make test` can run it in the other browser lane.)
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from brink.exercises.bank import load_bank
from browserkit import NotebookPage, lab_env, wait_for_server

BANK = load_bank()["questions"]


def first(kind, exercise):
    return next(q for q in BANK if q["exercise"] == exercise and q["kind"] == kind)


#: the README's steps for Linux and macOS, the block under "Linux and macOS:"
README_COMMANDS = re.compile(r"Linux and macOS:\n\n  ```\n(.*?)\n  ```", re.S)


class ReadmeInstall:
    """An assessed release set up in a new virtual environment exactly as its README says, in the background.

    The README's pip install takes most of this file's time (downloading and unpacking JupyterLab), so
    ``start`` begins it when the session's tests are collected (tests/browser/conftest.py) and the tests of
    the lane's other files run meanwhile; the fixture waits for it and asserts what it did.
    """

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="release-as-readme-"))
        self.done = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "ReadmeInstall":
        self.thread.start()
        return self

    def _run(self):
        try:
            self.done = self._install()
        except BaseException as e:   # handed to the fixture, which raises it in the test
            self.done = e

    def _install(self):
        from brink.exercises.coursework import assign
        root = self.root
        assign(root, force=True, mode="assessed")
        block = README_COMMANDS.search((root / "README.md").read_text(encoding="utf-8"))
        steps = [line.strip() for line in block.group(1).splitlines()] if block else []
        # Step 1 with this test's Python as `python3`, in the release folder, as the README says.
        subprocess.run([sys.executable, "-m", "venv", ".venv"], cwd=root, check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BRINK_ANSWERS", "BRINK_KEY", "BRINK_MODE")}
        install = [x.strip('"') for x in steps[1].split()] if len(steps) > 1 else ["false"]
        out = subprocess.run(install + ["--quiet", "--no-compile"], cwd=root, env=env,
                             capture_output=True, text=True, timeout=900)
        return steps, out, env

    def result(self):
        self.thread.join(timeout=960)
        if isinstance(self.done, BaseException):
            raise self.done
        assert self.done is not None, "the README's install did not finish in 16 minutes"
        return self.done

    def close(self):
        self.thread.join(timeout=960)
        shutil.rmtree(self.root, ignore_errors=True)


#: started by tests/browser/conftest.py when this file's test is collected; else by the fixture
STARTED: list[ReadmeInstall] = []


@pytest.fixture(scope="module")
def installed_release():
    """An assessed release, set up in a new virtual environment exactly as its README says."""
    install = STARTED[0] if STARTED else ReadmeInstall().start()
    try:
        steps, out, env = install.result()
        assert steps == ["python3 -m venv .venv", '.venv/bin/python -m pip install ".[lab]"',
                         ".venv/bin/python -m brink lab"], steps
        assert out.returncode == 0, out.stderr[-3000:]
        yield install.root, str(install.root / ".venv" / "bin" / "python"), env
    finally:
        install.close()


def test_release_started_as_its_readme_says_opens_an_assessed_exercise(installed_release, browser, tmp_path):
    root, python, env = installed_release
    env = lab_env(tmp_path, base=env)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([python, "-m", "brink", "lab", "--port", str(port), "--no-browser"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        url = None
        deadline = time.time() + 120
        while url is None and time.time() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                raise AssertionError("brink lab exited")
            m = re.search(r"(http://127\.0\.0\.1:\d+/\S+\?token=(\w+))", line)
            url = m and m.groups()
        assert url, "brink lab printed the address to open"
        address, token = url
        assert "notebooks/00-start-here.ipynb" in address
        lab = type("ReleaseLab", (), {"url": f"http://127.0.0.1:{port}", "token": token, "root": root,
                                      "stop_kernels": lambda self: None})()
        wait_for_server(lab.url, token)
        nb = NotebookPage(browser, lab, "exercises/02-rhetoric-exercises.ipynb")
        try:
            nb.run_all()
            assert nb.error_outputs() == []
            q = first("single", "02-rhetoric")
            box = nb.question(q["id"])
            box.locator(".widget-radio-box label", has_text=q["answer"]).first.click()
            box.locator("button", has_text="Save answer").click()
            text = nb.wait_feedback(q["id"], "✎ Saved.")
            assert "Correct" not in text and "Not yet" not in text and "Hint" not in text
            # the board is redrawn after the feedback line, so wait for it as a student would look at it
            board = nb.panel.locator(".widget-html", has_text="Answers saved").first
            deadline = time.time() + 30
            while "Answers saved: 1 of 9 questions" not in board.text_content() and time.time() < deadline:
                time.sleep(0.1)
            assert "Answers saved: 1 of 9 questions" in board.text_content()
            saved = json.loads((root / "exercises" / "brink-answers" / "02-rhetoric.json").read_text(encoding="utf-8"))
            assert saved["latest"][q["id"]] == q["answer"] and saved["attempts"][0]["status"] == "saved"
            assert not nb.errors, nb.errors
        finally:
            nb.context.close()
    finally:
        import signal
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
