"""The Evolink HTTP client: the only place that builds HTTP requests."""

from sunodesk.api.client import EvolinkClient
from sunodesk.api.errors import ApiError

__all__ = ["ApiError", "EvolinkClient"]
