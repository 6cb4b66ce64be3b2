"""``brink.fast``: the old name of :mod:`brink.kernel_start`."""
from .kernel_start import MODULE, defer_iri_grammar  # noqa: F401
