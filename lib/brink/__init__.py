"""Brink: tables, charts and exercises on the January 2020 U.S.–Iran crisis.

Importing ``brink`` only defines names: it reads no file and changes no setting
(not pandas', not Altair's). Tables are read on first use.

>>> import brink
>>> sorted(brink.sources()["genre"].astype(str))
['narrative reconstruction', 'news analysis', 'policy statement']
"""
from ._python import require_supported_python

require_supported_python()   # one clear line on an old Python, before newer syntax is read

from ._paths import bank_path, data_dir, exercises_dir, kit_root, notebooks_dir  # noqa: E402
from .errors import DataError  # noqa: E402
from .dataset.loaders import (claim_links, claims, discrepancies, event_reports, events, icd203,  # noqa: E402
                              organisations, people, quotes, readings, source_fields, source_text, sources)
from .analysis.as_of import as_of  # noqa: E402
from .kernel_start import defer_iri_grammar  # noqa: E402
from . import tables  # noqa: E402,F401  (``brink.tables``, the loaders' old home, stays an attribute)
from .verbs import (canonical_name, corroboration, day_count, days_after, days_between, event_row, in_window, local_date,  # noqa: E402
                    local_times, with_evidence)

__version__ = "0.1.0"
__all__ = [
    "DataError", "as_of", "bank_path", "canonical_name", "claim_links", "claims", "corroboration", "data_dir",
    "day_count", "days_after", "days_between", "defer_iri_grammar", "discrepancies", "event_reports", "event_row", "events",
    "exercises_dir", "icd203", "in_window", "kit_root", "local_date", "local_times",
    "notebooks_dir", "organisations", "people", "quotes", "readings", "source_fields", "source_text", "sources", "with_evidence",
]
