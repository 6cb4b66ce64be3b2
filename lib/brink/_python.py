"""The Python versions the kit runs on, checked before anything else is imported.

This module is kept readable by old Pythons (no newer syntax), so that an unsupported
Python gets one clear line instead of a syntax error deep in the library.
"""
import sys

#: the oldest Python the kit runs on (``requires-python`` in pyproject.toml says the same; a test checks)
REQUIRED = (3, 11)


def version_problem(version=None):
    """One line saying why this Python cannot run the kit, or None when it can.

    Args:
        version: a ``sys.version_info``-like tuple (default: the running Python's).

    Returns:
        The message, or None.

    >>> version_problem((3, 9, 18))
    'Brink needs Python 3.11 or newer; this is Python 3.9.18. Install a newer Python (python.org) and run it with that one.'
    >>> version_problem((3, 12, 1)) is None
    True
    """
    version = tuple(version if version is not None else sys.version_info)
    if version[:2] >= REQUIRED:
        return None
    have = ".".join(str(part) for part in version[:3])
    need = ".".join(str(part) for part in REQUIRED)
    return ("Brink needs Python %s or newer; this is Python %s. Install a newer Python (python.org) "
            "and run it with that one." % (need, have))


def require_supported_python():
    """Stop with the one-line message on an unsupported Python.

    Run as ``python -m brink`` the message is printed alone and Python exits with status 1;
    imported (``import brink``), an ImportError carries the same line.

    Raises:
        ImportError: on an unsupported Python, when imported.
        SystemExit: on an unsupported Python, when started with ``python -m brink``.
    """
    problem = version_problem()
    if problem is None:
        return
    if sys.argv[:1] == ["-m"]:        # python -m brink: the package is imported before __main__ runs
        sys.stderr.write(problem + "\n")
        raise SystemExit(1)
    raise ImportError(problem)
