"""Stable widget names: the objectName contract of design.md, plus an accessible name."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, accessible: str = "") -> W:
    """Give ``widget`` its objectName (and, when given, an accessible name); returns it."""
    widget.setObjectName(name)
    if accessible:
        widget.setAccessibleName(accessible)
    return widget
