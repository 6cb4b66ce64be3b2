"""The kit's tables (``brink.tables``): the loaders of :mod:`brink.dataset.loaders`, under their old name."""
from .dataset.loaders import (_build, _get, claim_links, claims, discrepancies, event_reports, events,  # noqa: F401
                              guiding_questions, icd203, map_places, organisations, people, places, quotes, readings,
                              source_fields, source_text, sources)
