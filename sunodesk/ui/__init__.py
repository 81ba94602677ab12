"""The PySide6 window. Only this package imports Qt; it reaches the engine and the store through
thin Qt adapters (one QObject per concern) and never calls requests, sqlite3 or mutagen."""
