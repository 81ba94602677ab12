"""Local persistence: SQLite (jobs, tracks, personas, drafts, presets), settings, the API key,
safe file names, atomic writes, the library's files, MP3 checks and MP3 tagging.

Modules, one job each:

- ``paths``: where things live (the data folder and the files inside it)
- ``db``: the connection, WAL mode and ordered migrations
- ``jobs``, ``tracks``, ``personas``, ``drafts``, ``presets``: the repositories, one per
  table, returning frozen core dataclasses
- ``store``: all of them opened together, as the engine and the CLI use them
- ``files``: safe names, temp files beside their target, atomic writes, path containment
- ``library_files``: the library on disk (rescan, import, export, delete to the trash)
- ``mp3_probe``: the MPEG frame walker (is a download a whole MP3, and how long is it)
- ``tags``: the ID3 mapping and the decode check (the only mutagen user)
- ``processes``: whether a pid is alive (a crashed owner's jobs and temp files)
- ``settings``: the person's settings (JSON, written atomically)
- ``secrets``: the API key (environment, OS keyring, or a private file)

Nothing here imports Qt.
"""
