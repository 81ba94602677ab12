"""Style and exclude chips: adding, refusing repeats, removing, completion and the budget."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QToolButton

from sunodesk.core.rules import NEGATIVE_TAGS_MAX, rules_for
from sunodesk.ui.studio.chips import ChipsInput
from sunodesk.ui.studio.vocabulary import CATEGORIES, categories, category_of, terms


@pytest.fixture
def chips(qtbot):
    widget = ChipsInput("styleChips", "styleInput", "Style tags", 1000)
    qtbot.addWidget(widget)
    widget.resize(500, 120)
    widget.show()
    qtbot.waitExposed(widget)
    widget.input.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.input)
    return widget


def type_tag(qtbot, chips: ChipsInput, text: str) -> None:
    qtbot.keyClicks(chips.input, text)
    popup = chips.completer.popup()
    if popup.isVisible():  # close the completion list so Enter reaches the input
        popup.hide()


def test_names(chips):
    assert chips.objectName() == "styleChips"
    assert chips.findChild(QLineEdit, "styleInput") is chips.input
    assert chips.input.accessibleName() == "Style tags"
    assert chips.findChild(QLabel, "styleChipsBudget").text() == "0 / 1,000"
    assert chips.findChild(QLabel, "styleChipsNote") is chips.note


def test_enter_adds_chip(qtbot, chips):
    type_tag(qtbot, chips, "dark wave")
    with qtbot.waitSignal(chips.changed, timeout=1000):
        qtbot.keyClick(chips.input, Qt.Key.Key_Return)
    assert chips.tags() == ["dark wave"]
    assert chips.input.text() == ""
    assert chips.text() == "dark wave"


def test_comma_adds_chip(qtbot, chips):
    with qtbot.waitSignal(chips.changed, timeout=1000):
        qtbot.keyClicks(chips.input, "shoegazey,")
    assert chips.tags() == ["shoegazey"]
    assert chips.input.text() == ""
    qtbot.keyClicks(chips.input, "fuzz, ")
    assert chips.tags() == ["shoegazey", "fuzz"]


def test_paste_adds_several(qtbot, chips):
    QApplication.clipboard().setText("alpha, beta, gamma")
    qtbot.keyClick(chips.input, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(chips.tags()) >= 2)
    # the last piece stays in the input until Enter or a comma
    assert chips.tags() == ["alpha", "beta"]
    assert chips.input.text() == "gamma"
    chips.commit_input()
    assert chips.tags() == ["alpha", "beta", "gamma"]


def test_paste_with_trailing_comma(chips):
    chips.input.insert("a, b, c,")
    chips.input.textEdited.emit(chips.input.text())
    assert chips.tags() == ["a", "b", "c"]


def test_duplicate_refused_with_note(qtbot, chips):
    chips.set_tags(["Rock"])
    qtbot.keyClicks(chips.input, "rOCK,")
    assert chips.tags() == ["Rock"]
    note = chips.findChild(QLabel, "styleChipsNote")
    assert note.isVisible()
    assert "rOCK" in note.text()
    qtbot.keyClicks(chips.input, "jazzy,")
    assert chips.tags() == ["Rock", "jazzy"]
    assert not note.isVisible()


def test_backspace_removes_last(qtbot, chips):
    chips.set_tags(["one", "two", "three"])
    qtbot.keyClicks(chips.input, "x")
    qtbot.keyClick(chips.input, Qt.Key.Key_Backspace)  # deletes the x only
    assert chips.tags() == ["one", "two", "three"]
    with qtbot.waitSignal(chips.changed, timeout=1000):
        qtbot.keyClick(chips.input, Qt.Key.Key_Backspace)
    assert chips.tags() == ["one", "two"]
    qtbot.keyClick(chips.input, Qt.Key.Key_Backspace)
    assert chips.tags() == ["one"]


def test_cross_removes_that_chip(qtbot, chips):
    chips.set_tags(["one", "two", "three"])
    buttons = [b for b in chips.findChildren(QToolButton) if b.accessibleName() == "Remove two"]
    assert len(buttons) == 1
    qtbot.waitUntil(buttons[0].isVisible)
    with qtbot.waitSignal(chips.changed, timeout=1000):
        qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert chips.tags() == ["one", "three"]
    names = {b.accessibleName() for b in chips.findChildren(QToolButton) if b.isVisible()}
    assert names == {"Remove one", "Remove three"}


def test_completer_offers_vocabulary(chips):
    completer = chips.input.completer()
    assert completer is chips.completer
    assert completer.caseSensitivity() == Qt.CaseSensitivity.CaseInsensitive
    assert completer.filterMode() == Qt.MatchFlag.MatchContains
    completer.setCompletionPrefix("SHOE")
    assert completer.completionCount() >= 1
    found = [
        completer.completionModel().index(row, 0).data()
        for row in range(completer.completionCount())
    ]
    assert "shoegaze" in found
    completer.setCompletionPrefix("male voc")  # contains, not only starts with
    assert "raspy male vocals" in [
        completer.completionModel().index(row, 0).data()
        for row in range(completer.completionCount())
    ]


def test_completion_activation_adds_chip(qtbot, chips):
    chips.input.setText("synthw")
    chips.completer.activated[str].emit("synthwave")
    qtbot.waitUntil(lambda: chips.tags() == ["synthwave"])
    assert chips.input.text() == ""


def test_budget_and_limit(chips):
    budget = chips.findChild(QLabel, "styleChipsBudget")
    chips.set_limit(rules_for("suno-v4").style_max)  # 200
    chips.set_tags(["x" * 150, "y" * 40])  # 150 + 2 + 40 = 192
    assert budget.text() == "192 / 200"
    assert not chips.over_limit
    assert budget.property("overLimit") is False
    chips.add("zzzzzzzzzz")  # + 2 + 10 = 204
    assert chips.over_limit
    assert budget.property("overLimit") is True
    assert "color" in budget.styleSheet()
    chips.set_limit(rules_for("suno-v5").style_max)
    assert not chips.over_limit
    assert budget.text() == "204 / 1,000"
    assert budget.styleSheet() == ""


def test_exclude_limit(qtbot):
    widget = ChipsInput("excludeChips", "excludeInput", "Exclude", NEGATIVE_TAGS_MAX)
    qtbot.addWidget(widget)
    assert widget.findChild(QLabel, "excludeChipsBudget").text() == "0 / 200"
    widget.set_tags(["a" * 201])
    assert widget.over_limit


def test_set_tags_drops_repeats_and_signals_once(qtbot, chips):
    with qtbot.waitSignal(chips.changed, timeout=1000):
        chips.set_tags(["Pop", "pop", " indie  pop ", "a, b"])
    assert chips.tags() == ["Pop", "indie pop", "a", "b"]
    assert chips.text() == "Pop, indie pop, a, b"
    with qtbot.assertNotEmitted(chips.changed):
        chips.set_tags(["Pop", "indie pop", "a", "b"])
    chips.remove("POP")
    assert chips.tags() == ["indie pop", "a", "b"]


def test_chips_wrap(qtbot, chips):
    chips.resize(260, 200)
    chips.set_tags([f"tag number {i}" for i in range(8)])
    qtbot.waitUntil(lambda: chips._chips[-1].y() > chips._chips[0].y())


def test_vocabulary():
    words = terms()
    assert len(words) > 150
    assert words == sorted(words, key=str.casefold)
    assert len({w.casefold() for w in words}) == len(words)
    grouped = categories()
    assert set(grouped) == set(CATEGORIES)
    assert all(grouped[name] for name in CATEGORIES)
    assert category_of("Female Vocals") == "vocals"
    assert category_of("120 bpm") == "tempos"
    assert category_of("not a term") is None
    assert terms() is not terms()  # a fresh list each call, the load is cached
