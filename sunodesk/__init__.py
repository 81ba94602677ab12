"""sunodesk: a desktop studio for making songs with Suno models through the Evolink API."""

__version__ = "0.1.0"
