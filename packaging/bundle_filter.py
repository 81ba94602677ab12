"""Which Qt plugins and files the bundle keeps (used by sunodesk.spec).

PyInstaller's PySide6 hooks collect every plugin of each plugin *type* an imported Qt module
uses (all platforms, all image formats...) and then every library those plugins link. We
filter plugins BEFORE the dependency analysis (``install_plugin_filter``), so that what a
dropped plugin alone needed (GTK, cairo and pango for the gtk3 theme; QtPdf for the PDF image
format; QtVirtualKeyboard) is never collected either. Figures: packaging/README.md.

Note: Qt 6.12's FFmpeg multimedia plugin links QtQuick, QtQml and QtOpenGL, so those three
libraries stay even though sunodesk does not use QML.
"""

from __future__ import annotations

import os

# plugin type -> the plugin file names kept (None: keep the whole type). Types not listed
# are dropped: eglfs device integrations, evdev input, network information, TLS backends.
KEEP_PLUGINS: dict[str, set[str] | None] = {
    "platforms": {"libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so"},
    "platformthemes": {"libqxdgdesktopportal.so"},  # gtk3 would pull in the host's GTK stack
    "platforminputcontexts": {
        "libcomposeplatforminputcontextplugin.so",
        "libibusplatforminputcontextplugin.so",
    },
    "imageformats": {"libqsvg.so", "libqjpeg.so", "libqico.so", "libqgif.so"},  # PNG: built in
    "iconengines": None,
    "multimedia": {"libffmpegmediaplugin.so"},
    "xcbglintegrations": None,
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": {
        "libqt-plugin-wayland-egl.so",
        "libshm-emulation-server.so",
    },
    "wayland-shell-integration": {"libxdg-shell.so", "libwl-shell-plugin.so"},
}
# Libraries that must never be in the bundle, whoever asks for them.
DROP_LIBRARY_PARTS = (
    "Qt6WebEngine",
    "Qt6Pdf",
    "Qt6Charts",
    "Qt63D",
    "Qt6Designer",
    "Qt6VirtualKeyboard",
    "Qt6Test",
    "Qt6Sql",
    "Qt6Positioning",
    "Qt6Location",
    "Qt6Quick3D",
    "Qt6QuickControls",
    "Qt6QuickDialogs",
)


def keep_plugin(plugin_type: str, file_name: str) -> bool:
    if plugin_type not in KEEP_PLUGINS:
        return False
    names = KEEP_PLUGINS[plugin_type]
    return names is None or file_name in names


def keep_file(dest: str) -> bool:
    """The backstop after analysis: no dropped library, no translations, no QML files."""
    path = dest.replace("\\", "/")
    name = path.rsplit("/", 1)[-1]
    if any(part in name for part in DROP_LIBRARY_PARTS):
        return False
    parts = path.split("/")
    if "plugins" in parts:
        rest = parts[parts.index("plugins") + 1 :]
        if len(rest) == 2 and not keep_plugin(rest[0], rest[1]):
            return False
    # sunodesk is English only and installs no QTranslator: Qt's 60 MB of .qm files go.
    return "/translations/" not in path and "/qml/" not in path


def install_plugin_filter() -> None:
    """Make PyInstaller's Qt hooks collect only the plugins above.

    This patches PyInstaller.utils.hooks.qt.QtLibraryInfo.collect_plugins (an internal API:
    the packaging extra pins PyInstaller to the 6.x series; keep_file still filters after
    analysis if the patch ever stops applying, and bundle_test.sh checks the result).
    """
    from PyInstaller.utils.hooks import qt

    original = qt.QtLibraryInfo.collect_plugins
    if getattr(original, "sunodesk_filtered", False):
        return

    def collect_plugins(self, plugin_type):
        return [
            (src, dst)
            for src, dst in original(self, plugin_type)
            if keep_plugin(plugin_type, os.path.basename(src))
        ]

    collect_plugins.sunodesk_filtered = True
    qt.QtLibraryInfo.collect_plugins = collect_plugins
