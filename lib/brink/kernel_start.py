"""A faster kernel start: put off building jsonschema's IRI grammars until an IRI is checked.

Where JupyterLab is installed, jupyter-events asks for ``jsonschema[format-nongpl]``, which
installs ``rfc3987_syntax`` (MIT licensed). jsonschema imports it with its format checkers
whenever jsonschema itself is imported, and Altair imports jsonschema; at import
``rfc3987_syntax`` builds some thirty Earley parsers, 1–2 CPU-seconds on every kernel start,
although nothing a lesson does checks the ``iri`` format. (The other way to avoid it, installing
the regex-based ``rfc3987``, which jsonschema prefers, brings a GPL licence into an MIT kit.)

``defer_iri_grammar()`` is called explicitly in each lesson's setup cell, in the kernel only,
before Altair is imported. It registers a stand-in module under the name ``rfc3987_syntax``
whose ``is_valid_syntax`` imports the real module the first time it is called, so every
``iri`` and ``iri-reference`` check gives the answer it gave before, only later. Importing
``brink`` does not call it, and the JupyterLab server never runs it: its own event-schema
validation is untouched.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types

MODULE = "rfc3987_syntax"


class _Deferred(types.ModuleType):
    """Stands in for ``rfc3987_syntax`` until one of its names is used."""

    is_valid_syntax: object   # set on the stand-in itself: jsonschema looks it up on import

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real(), name)


def _real():
    module = sys.modules.get(MODULE)
    if isinstance(module, _Deferred):
        del sys.modules[MODULE]
        module = importlib.import_module(MODULE)
    return module


def _is_valid_syntax(term: str, value: str) -> bool:
    return _real().is_valid_syntax(term, value)


def defer_iri_grammar() -> bool:
    """Put off importing ``rfc3987_syntax`` until jsonschema first checks an IRI (see the module text).

    Call it in a kernel before ``import altair``; it changes ``sys.modules`` of that process only.

    Returns:
        True if the stand-in was registered; False if there was nothing to do (the package is not
        installed, or it or jsonschema is already imported).

    >>> import subprocess, sys
    >>> code = "import brink.kernel_start as f; f.defer_iri_grammar(); import jsonschema, sys; print('lark' in sys.modules)"
    >>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    'False'
    """
    if MODULE in sys.modules or "jsonschema" in sys.modules:
        return False
    spec = importlib.util.find_spec(MODULE)
    if spec is None:
        return False
    stand_in = _Deferred(MODULE, "Stands in for rfc3987_syntax until it is first used (brink.kernel_start).")
    stand_in.__spec__ = spec
    stand_in.is_valid_syntax = _is_valid_syntax
    sys.modules[MODULE] = stand_in
    return True
