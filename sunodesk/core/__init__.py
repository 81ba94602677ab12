"""Pure domain logic: dataclasses, model rules, validation, lyrics, styles, job states, schedules.

Nothing in this package performs I/O or imports Qt.
"""
