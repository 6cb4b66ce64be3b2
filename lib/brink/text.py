"""``brink.text``: the old name of :mod:`brink.wording` (surface features, attributions, framing words)."""
from .wording import (FRAMING, HEDGES, attribution_profile, attributions, claim_coverage, framing,  # noqa: F401
                      sentences, surface_features, uncoded_marked_sentences)
