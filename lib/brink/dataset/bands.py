"""The ICD 203 expressions of likelihood and their bands, read once per data folder.

``vocabularies/icd203.csv`` gives each term (and its synonym) with its band in percent;
``vocabularies/icd203_forms.csv`` maps other forms of a term ("probably" for "probable") to it.
The check, the loaders (``claims()``'s ``p_low``/``p_high``), ``brink.icd203()`` and
``brink.vocab.ICD203`` all read them through :func:`bands`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from .vocabularies import vocabulary_rows

#: the band basis of a hedge that is itself an ICD 203 term (or one of its forms)
TERM_BASIS = "ICD 203 term"
#: the band basis of a hedge mapped to its nearest term: ``nearest ICD 203 term: <term> (why)``
NEAREST = "nearest ICD 203 term: "


@dataclass(frozen=True)
class Bands:
    """The ICD 203 scale of one data folder.

    ``rows`` holds ``(term, synonym, p_low, p_high)`` in percent, in file order; ``names`` maps a
    term or synonym to its band as proportions; ``forms`` maps another form of a term to the term.
    """
    rows: tuple
    names: dict
    forms: dict

    def band(self, term, basis: str) -> tuple[float, float]:
        """The band (as proportions) of an estimative term, given how the kit mapped it.

        Args:
            term: the hedge as written.
            basis: ``ICD 203 term`` or ``nearest ICD 203 term: <term> (…)``.

        Returns:
            ``(p_low, p_high)``.

        Raises:
            DataError: with column ``band_basis`` or ``estimative_term`` (file and row left to the caller).

        >>> from brink import data_dir
        >>> bands(data_dir()).band("probably", "ICD 203 term")
        (0.55, 0.8)
        """
        if basis == TERM_BASIS:
            key = self.forms.get(str(term).lower(), str(term).lower())
            col = "estimative_term"
        elif basis.startswith(NEAREST):
            key = basis.removeprefix(NEAREST).split(" (")[0]
            col = "band_basis"
        else:
            raise DataError("", None, "band_basis", f"{basis!r} is neither 'ICD 203 term' nor 'nearest ICD 203 term: …'",
                            fix="write 'ICD 203 term' or 'nearest ICD 203 term: <term> (…)'")
        if key not in self.names:
            raise DataError("", None, col, f"{key!r} is not an ICD 203 expression of likelihood")
        return self.names[key]


def bands(folder: Path) -> Bands:
    """The ICD 203 scale of a data folder (read again when any of its files changes).

    >>> from brink import data_dir
    >>> bands(data_dir()).rows[0]
    ('almost no chance', 'remote', 1, 5)
    """
    rows = tuple((r["term"], r["synonym"], int(r["p_low"]), int(r["p_high"]))
                 for r in vocabulary_rows(folder, "icd203"))
    names = {}
    for term, synonym, low, high in rows:
        names[term] = names[synonym] = (low / 100, high / 100)
    forms = {r["form"]: r["term"] for r in vocabulary_rows(folder, "icd203_form")}
    return Bands(rows, names, forms)
