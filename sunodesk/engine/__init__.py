"""The asyncio job engine: submit -> poll -> download -> tag, and resume after a restart.

- ``engine``: the Engine, which drives each job (submit, poll) and owns a TakeCollector
- ``collecting``: the TakeCollector, which fetches, tags and files a job's takes exactly once
- ``filing``: the blocking steps of filing one take (download, check, tag, place)
- ``events``: the JobEvents a front end follows
- ``session``: everything a front end opens from the global options
"""
