"""Brink: tables, charts and exercises on the January 2020 U.S.–Iran crisis.

Importing ``brink`` only defines names: it reads no file and changes no setting
(not pandas', not Altair's). Tables are read on first use.

>>> import brink
>>> sorted(brink.sources()["genre"].astype(str))
['narrative reconstruction', 'news analysis', 'policy statement']
"""
from ._python import require_supported_python

require_supported_python()   # one clear line on an old Python, before newer syntax is read

from typing import TYPE_CHECKING  # noqa: E402

from ._paths import bank_path, data_dir, exercises_dir, kit_root, notebooks_dir  # noqa: E402
from .errors import DataError  # noqa: E402
from .kernel_start import defer_iri_grammar  # noqa: E402

#: the names that need pandas, and the module each comes from: imported on first use (PEP 562), so a
#: kernel that only needs the exercises, or ``defer_iri_grammar``, does not pay for pandas at ``import brink``
_LAZY = {
    **{name: "dataset.loaders" for name in ("claim_links", "claims", "discrepancies", "event_reports", "events",
                                            "icd203", "organisations", "people", "quotes", "readings",
                                            "source_fields", "source_text", "sources")},
    "as_of": "analysis.as_of",
    **{name: "verbs" for name in ("canonical_name", "corroboration", "day_count", "days_after", "days_between",
                                  "event_row", "in_window", "local_date", "local_times", "with_evidence")},
}

if TYPE_CHECKING:
    from . import tables  # noqa: F401
    from .analysis.as_of import as_of
    from .dataset.loaders import (claim_links, claims, discrepancies, event_reports, events, icd203,
                                  organisations, people, quotes, readings, source_fields, source_text, sources)
    from .verbs import (canonical_name, corroboration, day_count, days_after, days_between, event_row,
                        in_window, local_date, local_times, with_evidence)


def __getattr__(name: str):
    """``brink.events`` and the other names of ``_LAZY`` (and ``brink.tables``), imported when first used."""
    import importlib
    if name == "tables":            # the loaders' old home stays an attribute
        return importlib.import_module(".tables", __name__)
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value     # found directly from now on
        return value
    raise AttributeError(f"module 'brink' has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | set(_LAZY) | {"tables"})


__version__ = "0.1.0"
__all__ = [
    "DataError", "as_of", "bank_path", "canonical_name", "claim_links", "claims", "corroboration", "data_dir",
    "day_count", "days_after", "days_between", "defer_iri_grammar", "discrepancies", "event_reports", "event_row", "events",
    "exercises_dir", "icd203", "in_window", "kit_root", "local_date", "local_times",
    "notebooks_dir", "organisations", "people", "quotes", "readings", "source_fields", "source_text", "sources", "with_evidence",
]
