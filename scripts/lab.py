"""Start JupyterLab the way the kit does: loopback only, with a random token.

`make lab` runs this; the browser tests build their server from the same `command()`.

    python scripts/lab.py                        # open notebooks/00-start-here.ipynb
    python scripts/lab.py --port 9000 --no-browser
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]


def command(port: int, token: str, root: Path = KIT, start: str = "notebooks/00-start-here.ipynb",
            open_browser: bool = True) -> list[str]:
    """The JupyterLab command line: bound to 127.0.0.1, token required, --allow-root only as root."""
    cmd = [sys.executable, "-m", "jupyterlab", start, "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--ServerApp.port_retries=0", f"--ServerApp.open_browser={open_browser}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    token = secrets.token_hex(24)
    print(f"JupyterLab: http://127.0.0.1:{args.port}/lab?token={token}", flush=True)
    cmd = command(args.port, token, open_browser=not args.no_browser)
    os.chdir(KIT)
    os.execv(cmd[0], cmd)


if __name__ == "__main__":
    sys.exit(main())
