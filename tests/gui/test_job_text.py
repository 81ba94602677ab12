"""Every action core can offer has a button label, the same in the songs list and the Details
table (the songs list once showed "try_again" and "check_balance" as raw names)."""

from sunodesk.core.errors import Action
from sunodesk.ui.common.job_text import action_label


def test_every_action_has_a_label(qapp):
    for action in Action:
        label = action_label(action)
        assert label and label != action.value and "_" not in label, action
