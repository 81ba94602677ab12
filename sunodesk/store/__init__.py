"""Local persistence: SQLite (jobs, tracks, personas), settings, the API key, safe file names,
atomic writes, and MP3 tagging.

Modules, one job each: ``paths`` (where things live), ``db`` (connection and migrations),
``jobs`` / ``tracks`` / ``personas`` (repositories returning frozen core dataclasses),
``store`` (all of them opened together), ``files`` (names, temp files, atomic writes),
``tags`` (the only mutagen user), ``settings`` and ``secrets``.
Nothing here imports Qt.
"""
