"""The controlled vocabularies (``brink.vocab``): :mod:`brink.dataset.vocabularies` under its old name.

``brink.vocab.ACTORS``, ``brink.vocab.CONFLICT_WEIGHT`` … are read on use from the current data folder.
"""
from .dataset.vocabularies import __getattr__, conflict_weights, rows, terms, time_zones, vocabulary_rows  # noqa: F401
