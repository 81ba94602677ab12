"""The main window: the studio form at the centre; jobs and arrived takes at the side; a status
bar with credits and a Sandbox badge. Geometry and splitters are remembered."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.models import Credits, Job
from sunodesk.engine.events import JobEvent
from sunodesk.ui.common import icons, theme
from sunodesk.ui.jobs.panel import JobsPanel
from sunodesk.ui.studio.form import StudioForm

# below this the player bar and the form overlap themselves; a screen smaller than this (in
# logical px) gets the screen's size instead (see keep_on_screen)
MINIMUM_SIZE = QSize(960, 640)


class MainWindow(QMainWindow):
    generateRequested = Signal(int)  # how many times
    generateMoreRequested = Signal()
    playPauseRequested = Signal()
    settingsRequested = Signal()
    modeRequested = Signal(bool)  # True: the Sandbox, False: live
    saveRequested = Signal()

    def __init__(self, settings_path: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("sunodesk")
        self.setWindowIcon(icons.icon("sunodesk"))
        self._settings = (
            QSettings(str(settings_path), QSettings.Format.IniFormat)
            if settings_path
            else QSettings("sunodesk", "sunodesk")
        )
        self._sending = False
        self._placed = False
        self.unfinished_jobs = lambda: 0  # set by the controller while a session is open

        self.form = StudioForm(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the form to Generate

        self.banner = QLabel(self)
        self.banner.setObjectName("sandboxBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.linkActivated.connect(lambda _link: self.settingsRequested.emit())
        self.banner.hide()

        self.generateButton = QPushButton(
            icons.icon("generate", "on-accent"), self.tr("Generate"), self
        )
        self.generateButton.setObjectName("generateButton")
        self.generateButton.setAccessibleName(self.tr("Generate"))
        self.generateButton.setDefault(True)
        self.generateButton.setMinimumHeight(40)
        self.generateButton.setIconSize(QSize(18, 18))
        self.generateButton.setFont(theme.font("header"))
        self.generateButton.clicked.connect(self._generate_clicked)
        self.generateButton.setMinimumWidth(
            self.generateButton.sizeHint().width()
        )  # and for "Sent"
        self._sentTimer = QTimer(self, singleShot=True, interval=2000)
        self._sentTimer.timeout.connect(self.update_generate_state)
        self.moreButton = QPushButton(self.tr("Generate more…"), self)
        self.moreButton.setObjectName("generateMoreButton")
        self.moreButton.clicked.connect(self.generateMoreRequested)
        self.costLabel = QLabel(self)
        self.costLabel.setObjectName("costLabel")
        self.reasonLabel = QLabel(self)
        self.reasonLabel.setObjectName("generateReason")
        self.reasonLabel.setWordWrap(True)
        self.costLabel.setFont(theme.font("meta"))
        actions = QHBoxLayout()
        actions.setContentsMargins(theme.SPACE, 0, theme.GROUP, theme.GROUP)
        actions.setSpacing(theme.SPACE)
        actions.addWidget(self.reasonLabel, 1)
        actions.addWidget(self.costLabel)
        actions.addWidget(self.moreButton)
        actions.addWidget(self.generateButton)

        studio = QWidget(self)
        studio_layout = QVBoxLayout(studio)
        studio_layout.setContentsMargins(theme.GROUP, theme.SPACE, 0, 0)
        studio_layout.setSpacing(theme.SPACE)
        studio_layout.addWidget(self.banner)
        studio_layout.addWidget(scroll, 1)
        studio_layout.addLayout(actions)

        self.jobsPanel = JobsPanel(self)
        self.jobsPanel.cleared.connect(self.show_message)
        # Features add their own tabs: the songs list goes first (the default pane, beside
        # the form), then Library, Personas, Drafts; the jobs table moves to the end as the
        # Details view (restore_side_tab) once they are all in.
        self.sideTabs = QTabWidget(self)
        self.sideTabs.setObjectName("sideTabs")
        self.sideTabs.setDocumentMode(True)
        self._jobsTab = self._titled("", self.jobsPanel)
        self._jobsTab.setObjectName("jobsTab")
        self.sideTabs.addTab(self._jobsTab, self.tr("Jobs"))
        screen = QApplication.primaryScreen()
        self.setMinimumSize(
            MINIMUM_SIZE.boundedTo(screen.availableSize()) if screen else MINIMUM_SIZE
        )
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(studio)
        self.splitter.addWidget(self.sideTabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 560])
        central = QWidget(self)
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(0)
        self._central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.creditsLabel = QLabel(self.tr("Credits: …"), self)
        self.creditsLabel.setObjectName("creditsLabel")
        self.creditsLabel.setAccessibleName(self.tr("Credits"))
        self.sandboxBadge = QLabel(self.tr("SANDBOX"), self)
        self.sandboxBadge.setObjectName("sandboxBadge")
        self.sandboxBadge.setToolTip(
            self.tr("Talking to the built-in simulator: songs are simulated and cost nothing.")
        )
        self.sandboxBadge.setStyleSheet(
            "QLabel { background: #c2410c; color: white; font-weight: bold;"
            " border-radius: 4px; padding: 1px 8px; }"
        )
        self.sandboxBadge.hide()
        self._notice()
        self.statusBar().addPermanentWidget(self.sandboxBadge)
        self.statusBar().addPermanentWidget(self._mode_switch())
        self.statusBar().addPermanentWidget(self.creditsLabel)

        self._menus()
        self.form.changed.connect(self.update_generate_state)
        self.restore_layout()
        self.update_generate_state()

    def _mode_switch(self) -> QWidget:
        """Sandbox | Live, a segmented switch beside the credits: always visible, reversible."""
        box = QWidget(self)
        box.setObjectName("modeSwitch")
        box.setAccessibleName(self.tr("Sandbox or live"))
        box.setToolTip(
            self.tr(
                "Sandbox: simulated songs that cost nothing. Live: real songs with your key. "
                "Sandbox songs are kept apart and come back when you switch back."
            )
        )
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self._modeGroup = QButtonGroup(box)
        for name, text, sandbox in (
            ("sandboxModeButton", self.tr("Sandbox"), True),
            ("liveModeButton", self.tr("Live"), False),
        ):
            button = QPushButton(text, box)
            button.setObjectName(name)
            button.setAccessibleName(text)
            button.setCheckable(True)
            button.setFlat(True)
            button.setProperty("sandbox", sandbox)
            row.addWidget(button)
            self._modeGroup.addButton(button)
        self.sandboxModeButton, self.liveModeButton = self._modeGroup.buttons()
        self._modeGroup.setExclusive(True)
        box.setStyleSheet(
            "QPushButton { border: 1px solid palette(mid); padding: 1px 10px;"
            " color: palette(window-text); }"
            "QPushButton#sandboxModeButton { border-radius: 0; border-top-left-radius: 4px;"
            " border-bottom-left-radius: 4px; border-right: none; }"
            "QPushButton#liveModeButton { border-radius: 0; border-top-right-radius: 4px;"
            " border-bottom-right-radius: 4px; }"
            "QPushButton#sandboxModeButton:checked { background: #c2410c; color: white; }"
            "QPushButton#liveModeButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self._modeGroup.buttonClicked.connect(
            lambda button: self.modeRequested.emit(bool(button.property("sandbox")))
        )
        return box

    def _notice(self) -> None:
        """A status-bar notice with one button ("2 takes ready — Play"), hidden until used."""
        self.noticeBar = QWidget(self)
        self.noticeBar.setObjectName("noticeBar")
        layout = QHBoxLayout(self.noticeBar)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.noticeLabel = QLabel(self.noticeBar)
        self.noticeLabel.setObjectName("noticeLabel")
        self.noticeButton = QPushButton(self.noticeBar)
        self.noticeButton.setObjectName("noticeButton")
        self.noticeButton.clicked.connect(self._notice_pressed)
        layout.addWidget(self.noticeLabel)
        layout.addWidget(self.noticeButton)
        self.statusBar().addWidget(self.noticeBar)
        self.noticeBar.hide()
        self._notice_action: Callable[[], None] | None = None
        self._notice_timer = QTimer(self, singleShot=True, interval=12000)
        self._notice_timer.timeout.connect(self.noticeBar.hide)
        # a sentence shown later takes the place (the bar paints it under the notice otherwise)
        self.statusBar().messageChanged.connect(lambda text: text and self.noticeBar.hide())

    def show_notice(self, text: str, button: str, pressed: Callable[[], None]) -> None:
        self.noticeLabel.setText(text)
        self.noticeButton.setText(button)
        self.noticeButton.setAccessibleName(f"{button}: {text}")
        self._notice_action = pressed
        self.statusBar().clearMessage()
        self.noticeBar.show()
        self._notice_timer.start()

    def _notice_pressed(self) -> None:
        self.noticeBar.hide()
        if self._notice_action is not None:
            self._notice_action()

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        if title:
            layout.addWidget(QLabel(f"<b>{title}</b>", box))
        layout.addWidget(widget, 1)
        return box

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        save = QAction(self.tr("&Save draft"), self, shortcut=QKeySequence.StandardKey.Save)
        save.triggered.connect(self.saveRequested)
        settings = QAction(icons.icon("settings"), self.tr("Se&ttings…"), self)
        # Most Linux desktops define no Preferences key: Ctrl+, is what people expect there
        settings.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
            or [QKeySequence("Ctrl+,")]
        )
        settings.triggered.connect(self.settingsRequested)
        quit_ = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        file_menu.addActions([save, settings])
        file_menu.addSeparator()
        file_menu.addAction(quit_)
        song_menu = self.menuBar().addMenu(self.tr("&Song"))
        generate = QAction(icons.icon("generate"), self.tr("&Generate"), self)
        generate.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        generate.triggered.connect(self._generate_clicked)
        more = QAction(self.tr("Generate &more…"), self)
        more.setObjectName("generateMoreAction")
        more.setShortcuts([QKeySequence("Ctrl+Shift+Return"), QKeySequence("Ctrl+Shift+Enter")])
        more.triggered.connect(self.generateMoreRequested)
        find = QAction(self.tr("&Find"), self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(self._find)
        # one Ctrl+F for the whole window, routed by focus (two were ambiguous: Qt ran neither)
        self.form.lyrics.findShortcut.setEnabled(False)
        song_menu.addActions([generate, more, find])
        # Parts add their own entries (Library: Import, Rescan) through add_menu_actions.
        self.libraryMenu = self.menuBar().addMenu(self.tr("&Library"))
        self.libraryMenu.setObjectName("libraryMenu")
        self.playbackMenu = self.menuBar().addMenu(self.tr("&Playback"))
        self.playbackMenu.setObjectName("playbackMenu")
        play = QAction(self.tr("&Play / Pause"), self, shortcut=QKeySequence("Ctrl+Space"))
        play.setObjectName("playPauseAction")
        play.triggered.connect(self.playPauseRequested)
        self.playbackMenu.addAction(play)
        for action in (save, settings, quit_, generate, more, find, play):
            # keys work wherever focus is in the window, also with the menu bar hidden
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    def _find(self) -> None:
        """Ctrl+F: the search of the side tab holding the focus (the library's), else find in
        the lyrics."""
        focus = QApplication.focusWidget()
        page = self.sideTabs.currentWidget()
        if focus is not None and page is not None and page.isAncestorOf(focus):
            search = page.findChild(QLineEdit, "librarySearch")
            if search is not None:
                search.setFocus(Qt.FocusReason.ShortcutFocusReason)
                search.selectAll()
                return
        self.form.lyrics.show_find()

    # -- generate ----------------------------------------------------------------------------

    def _generate_clicked(self) -> None:
        # A double click must never submit twice: the first click disables the button until
        # the job is committed (set_sending(False)).
        if self._sending:
            return
        self.form.reveal_all()
        if self.form.problems:
            self.update_generate_state()
            return
        self.set_sending(True)
        self.generateRequested.emit(1)

    def set_sending(self, sending: bool) -> None:
        self._sending = sending
        self.update_generate_state()

    def show_sent(self) -> None:
        """Say on the button that the song went out (for two seconds; pressing again asks)."""
        self._sentTimer.start()
        self.update_generate_state()

    def update_generate_state(self) -> None:
        # Only messages on screen disable the button: pressing it on a form with untouched
        # required fields is how a person asks to see what is missing.
        blocked = bool(self.form.shown_problems)
        self.generateButton.setEnabled(not blocked and not self._sending)
        self.moreButton.setEnabled(not blocked)
        shown = self.form.shown_problems
        if self._sending:
            reason = self.tr("Sending…")
        elif shown:
            first = shown[0]
            more = len(shown) - 1
            reason = first.message + (self.tr(" (and {n} more)").format(n=more) if more else "")
        else:
            reason = ""
        self.reasonLabel.setText(reason)
        sent = self._sentTimer.isActive() and not self._sending
        self.generateButton.setText(self.tr("Sent") if sent else self.tr("Generate"))
        self.generateButton.setIcon(icons.icon("check" if sent else "generate", "on-accent"))
        self.generateButton.setToolTip(reason or self.tr("Generate this song (Ctrl+Enter)"))

    def set_cost(self, credits: float | None, typical: float | None = None) -> None:
        """The cost a song with this model reserved last time, or else the typical one."""
        shown = credits if credits is not None else typical
        self.costLabel.setProperty("credits", shown)
        self.costLabel.setText(
            self.tr("≈ {n} credits").format(n=f"{shown:g}") if shown is not None else ""
        )
        self.costLabel.setToolTip(
            self.tr("What the last song with this model reserved.")
            if credits is not None
            else self.tr("What a song typically reserves; the first one here will tell.")
        )

    # -- session state -----------------------------------------------------------------------

    def set_sandbox(self, on: bool, first_run: bool, reason: str | None = None) -> None:
        self.sandboxBadge.setVisible(on)
        (self.sandboxModeButton if on else self.liveModeButton).setChecked(True)
        if on and reason:
            self.banner.setText(
                self.tr(
                    "<b>You are in the Sandbox:</b> the saved settings could not be used "
                    "({reason}). <a href='settings'>Fix them in Settings</a>."
                ).format(reason=html.escape(reason))
            )
        elif on and first_run:
            self.banner.setText(
                self.tr(
                    "<b>You are in the Sandbox.</b> Songs are simulated and free, so you can try "
                    "everything. To make real songs, <a href='settings'>add your Evolink API key "
                    "in Settings</a>."
                )
            )
            self.banner.setStyleSheet(
                "QLabel { background: palette(alternate-base);"
                " border: 1px solid #c2410c; border-radius: 6px;"
                " padding: 8px; }"
            )
        self.banner.setVisible(on and first_run)

    def set_credits(self, credits: Credits | None) -> None:
        if credits is None:
            self.creditsLabel.setText(self.tr("Credits: —"))
        elif credits.unlimited:
            self.creditsLabel.setText(self.tr("Credits: unlimited"))
        else:
            self.creditsLabel.setText(self.tr("Credits: {n}").format(n=f"{credits.remaining:,.0f}"))

    def add_menu_actions(self, menu: QMenu, actions: list[QAction]) -> None:
        """A part's entries in one of the window's menus; their keys work window-wide."""
        menu.addActions(actions)
        for action in actions:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    @property
    def layout_settings(self) -> QSettings:
        """What the window remembers between runs (geometry, splitters, the player's volume)."""
        return self._settings

    def show_message(self, text: str, ms: int = 8000) -> None:
        self.statusBar().showMessage(text, ms)

    def on_job_event(self, event: JobEvent) -> None:
        self.jobsPanel.model.apply_event(event)
        if event.kind == "error":
            self.show_message(event.message)

    def on_job(self, job: Job) -> None:
        self.jobsPanel.model.upsert(job)

    # -- places features fill ----------------------------------------------------------------

    def add_side_tab(self, widget: QWidget, title: str) -> int:
        """A tab beside Jobs (Library, Personas, Drafts …); returns its index."""
        return self.sideTabs.addTab(widget, title)

    def add_main_tab(self, widget: QWidget, title: str) -> int:
        """The first side tab, beside the form (the songs list): what the window opens on."""
        index = self.sideTabs.insertTab(0, widget, title)
        self.sideTabs.setCurrentIndex(index)
        return index

    def set_bottom_bar(self, widget: QWidget) -> None:
        """A bar under everything (the player)."""
        self._central_layout.addWidget(widget)

    # -- layout memory -----------------------------------------------------------------------

    def restore_layout(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            self.keep_on_screen()
        else:
            screen = QApplication.primaryScreen()
            size = screen.availableSize() if screen else None
            self.resize(
                min(1280, size.width() if size else 1280), min(820, size.height() if size else 820)
            )
        state = self._settings.value("window/mainSplitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)

    def keep_on_screen(self) -> None:
        """Fit the window into the screen it is on: a geometry saved at another scale or on a
        larger monitor must not open with the status bar off-screen."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        frame = self.frameGeometry()
        extra = frame.size() - self.geometry().size()  # the title bar and borders
        self.setMinimumSize(MINIMUM_SIZE.boundedTo(available.size() - extra))
        width = min(self.width(), available.width() - extra.width())
        height = min(self.height(), available.height() - extra.height())
        if self.isMaximized() or self.isFullScreen():
            return
        self.resize(max(width, 1), max(height, 1))
        frame = self.frameGeometry()
        x = min(max(frame.x(), available.left()), available.right() + 1 - frame.width())
        y = min(max(frame.y(), available.top()), available.bottom() + 1 - frame.height())
        self.move(max(x, available.left()), max(y, available.top()))

    def restore_side_tab(self) -> None:
        """Reopen the side tab last used (called once the features have added theirs). With a
        songs list in front, the jobs table becomes the last tab, "Details"."""
        jobs = self.sideTabs.indexOf(self._jobsTab)
        if jobs > 0:
            self.sideTabs.tabBar().moveTab(jobs, self.sideTabs.count() - 1)
            last = self.sideTabs.count() - 1
            self.sideTabs.setTabText(last, self.tr("Details"))
            self.sideTabs.setTabToolTip(last, self.tr("Every job, with its state and timing"))
            self.sideTabs.setCurrentIndex(0)
        index = self._settings.value("window/sideTab")
        if index is not None and 0 <= int(index) < self.sideTabs.count():
            self.sideTabs.setCurrentIndex(int(index))

    def save_layout(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/mainSplitter", self.splitter.saveState())
        self._settings.setValue("window/sideTab", self.sideTabs.currentIndex())
        self._settings.sync()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._placed:  # only now are the frame's margins known
            self._placed = True
            self.keep_on_screen()

    def closeEvent(self, event) -> None:
        from sunodesk.ui.close_notice import holds_close

        if holds_close(self, event, self.unfinished_jobs()):
            return  # the notice closes the window when the person has read it
        self._sentTimer.stop()
        self.save_layout()
        super().closeEvent(event)
