"""``brink.text``: the old name of :mod:`brink.wording` (surface features, attributions, framing words)."""
from .wording import ATTRIBUTION, FRAMING, HEDGES, attributions, framing, surface_features  # noqa: F401
