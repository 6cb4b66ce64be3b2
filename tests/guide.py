"""Follow docs/annotators-guide.md step by step: run its `sh` commands and make its `csv` edits.

Imported by name by the tests (tests/test_annotators_guide.py, tests/test_fourth_source.py).
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from kitpaths import KIT

GUIDE = KIT / "docs" / "annotators-guide.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.S | re.M)


def steps(text: str) -> list:
    """The guide's steps in order: ("sh", command, expected exit) and ("csv", path, lines)."""
    out = []
    for lang, info, body in BLOCK.findall(text):
        if lang == "sh":
            for line in body.splitlines():
                if not line.strip():
                    continue
                cmd, _, comment = line.partition("  # ")
                code = int(comment.split()[-1]) if comment.startswith("exit") else 0
                out.append(("sh", cmd.strip(), code))
        elif lang == "csv" and info.strip():
            out.append(("csv", info.strip(), body))
    return out


def follow(work: Path) -> list:
    """Run every step of the guide in ``work`` (a fresh folder); return (command, exit, stdout) per command.

    ``brink`` commands run in this process (the installed entry point is the same function);
    other commands run in bash. ``export NAME=VALUE`` sets the variable for later steps.
    """
    from brink.cli import main
    shutil.copytree(KIT / "data", work / "data")
    shutil.copytree(KIT / "docs" / "examples", work / "docs" / "examples")
    env = dict(os.environ)
    env.pop("BRINK_DATA", None)
    ran = []
    old_env, old_cwd = dict(os.environ), os.getcwd()
    try:
        os.chdir(work)
        for step in steps(GUIDE.read_text(encoding="utf-8")):
            if step[0] == "csv":
                path = work / step[1]
                data = path.read_bytes()
                newline = b"\r\n" if b"\r\n" in data else b"\n"
                if data and not data.endswith(b"\n"):
                    data += newline
                path.write_bytes(data + step[2].replace("\n", newline.decode()).encode("utf-8"))
                continue
            _, cmd, expected = step
            if cmd.startswith("export "):
                name, _, value = cmd.removeprefix("export ").partition("=")
                env[name] = value.strip('"').replace("$PWD", str(work))
                continue
            if cmd.startswith("brink "):
                os.environ.clear()
                os.environ.update(env)
                buf = io.StringIO()
                with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
                    code = main(shlex.split(cmd)[1:])
                out = buf.getvalue()
            else:
                done = subprocess.run(["bash", "-c", cmd], cwd=work, env=env, capture_output=True, text=True)
                code, out = done.returncode, done.stdout + done.stderr
            assert code == expected, f"{cmd!r} exited {code}, the guide says {expected}:\n{out}"
            ran.append((cmd, code, out))
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)
    return ran
