"""GUI tests run offscreen with pytest-qt."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
