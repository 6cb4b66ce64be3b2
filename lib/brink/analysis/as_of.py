"""The crisis as it stood at a moment: every table limited to what had been published, and had happened, by then.

``brink.as_of("2020-01-03 00:00 UTC")`` returns an :class:`AsOf`. It is both things a lesson needs:

* **an object with the table functions** (``v.events()``, ``v.claims()``, ``v.read(source_id)`` …), so a
  notebook cell can use one moment without a ``with`` block spanning cells, and two moments can stand
  side by side (``as_of("2020-01-03").events()`` beside ``as_of("2020-01-09").events()``);
* **a context manager** (``with brink.as_of(...):``): inside the block every loader, and so every chart
  table and reading view built from the loaders (``brink.charts``, ``brink.reading``, ``brink.places``),
  sees only that moment. The moment is held in a :class:`contextvars.ContextVar`, set on entering and
  reset on leaving (also on an error), so nothing outside the block changes and nothing changes on import.

The rules of a moment are written once, in ``brink.dataset.moment`` (the codebook, ``data/README.md``
§ "As of a moment", states them): a date without a clock time ends at 24:00 UTC of its last day; text
rows appear once their source is published, events once they have happened, outcomes once their
resolving event has (a 0 also waits for the horizon), and an outcome's note with the horizon.

>>> import brink
>>> v = brink.as_of("2020-01-03 00:00 UTC")
>>> v.cutoff
Timestamp('2020-01-03 00:00:00+0000', tz='UTC')
>>> happened = set(v.events()["event_id"])
>>> "EV15" in happened, "EV21" in happened   # the strike (21:47 UTC, 2 January) has; Iran's missiles have not
(True, False)
>>> len(v.sources())                         # no text of the kit's had been published
0
>>> with brink.as_of("2020-01-09"):
...     list(brink.sources()["source_id"].str[:3])
['002']
>>> len(brink.sources())                     # outside the block: every text again
3
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..dataset.moment import _CUTOFF, NOT_YET, SETTLED, current, cutoff_moment, day_end, known_at, limit, published_at

#: the rules' names stay importable from here (``from brink.analysis.as_of import cutoff_moment``)
__all__ = ["AsOf", "as_of", "NOT_YET", "SETTLED", "cutoff_moment", "current", "day_end", "known_at", "limit",
           "published_at"]


@dataclass(frozen=True)
class AsOf:
    """The kit's tables, charts' tables and reading views as of one moment (see the module's rules).

    Use it as an object (``v.events()``) or as a context manager (``with v: brink.events()``).
    """
    cutoff: pd.Timestamp

    def __enter__(self) -> AsOf:
        object.__setattr__(self, "_tokens", [*getattr(self, "_tokens", []), _CUTOFF.set(self.cutoff)])
        return self

    def __exit__(self, *exc) -> None:
        tokens = getattr(self, "_tokens")  # noqa: B009 (set by __enter__ with object.__setattr__: not a field)
        _CUTOFF.reset(tokens.pop())

    def __repr__(self) -> str:
        return f"as_of({self.cutoff:%Y-%m-%d %H:%M} UTC)"

    def _call(self, fn, *args, **kwargs):
        with AsOf(self.cutoff):
            return fn(*args, **kwargs)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        from ..dataset import loaders
        if name in _READING:
            from .. import reading
            fn = getattr(reading, name)
        elif name in _LOADERS:
            fn = getattr(loaders, name)
        else:
            raise AttributeError(f"as_of has no {name!r}; it has {', '.join(sorted(_LOADERS | _READING))}")
        return lambda *a, **k: self._call(fn, *a, **k)

    def __dir__(self):
        return sorted(set(super().__dir__()) | _LOADERS | _READING)


_LOADERS = {"sources", "source_fields", "source_text", "events", "event_reports", "quotes", "claims",
            "claim_links", "discrepancies", "readings", "people", "organisations", "map_places", "places",
            "guiding_questions", "icd203"}
_READING = {"read", "spans"}


def as_of(when) -> AsOf:
    """The crisis as it stood at a moment: the tables, chart tables and reading views limited to it.

    Args:
        when: the moment (see ``cutoff_moment``: ``"2020-01-03 00:00 UTC"``; a date alone means the end
            of that day).
    Returns:
        An :class:`AsOf`: call its table functions, or enter it with ``with``.
    Raises:
        ValueError: when ``when`` is not a date or moment.

    >>> import brink
    >>> c = brink.as_of("2020-01-04").claims().set_index("claim_id")
    >>> c.loc["C06", "outcome"]                   # the Crisis Group's statement is out; Iran's missiles are not
    'unresolved: not yet known as of 2020-01-05 00:00 UTC'
    >>> c = brink.as_of("2020-01-08").claims().set_index("claim_id")
    >>> int(c.loc["C06", "outcome_value"]), c.loc["C06", "outcome"][:42]   # settled; 000 and 001 not yet out
    (1, 'occurred: EV21 had happened by 2020-01-09 ')
    """
    return AsOf(cutoff_moment(when))
