"""GUI tests run offscreen with pytest-qt; ``studio_factory`` (a real window on a qasync loop
against the test sandbox) is available to all of them."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401
