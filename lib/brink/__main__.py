"""``python -m brink``: the ``brink`` command, for a Python whose scripts folder is not on the PATH.

    python -m brink lab                  # JupyterLab on the kit or release you are in
    python -m brink submit --name "Ada Lovelace"

On an unsupported Python, importing the package has already printed one line naming the
version needed and stopped.
"""
import sys

from brink.cli import main

if __name__ == "__main__":
    sys.exit(main())
