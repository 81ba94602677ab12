#!/usr/bin/env bash
# The offline half of bundle_test.sh, run inside `unshare -n` with a bare environment:
# HOME, USB (where the archive was copied), ARCHIVE_NAME and SYSPREFIX come from it.
set -euo pipefail
fail() { echo "bundle-test: FAIL: $*" >&2; exit 1; }
say() { echo "bundle-test: $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# In a fresh namespace only a downed loopback exists; the sandbox needs 127.0.0.1.
ip link set lo up 2>/dev/null || true
say "network: interfaces $(ip -o link show | awk -F': ' '{printf "%s ", $2}'); $(ip route show | wc -l) IPv4 routes"

cd "$USB"
t=$(now); tar xf "$ARCHIVE_NAME"; say "unpacked in $(since "$t") s"
cd "${ARCHIVE_NAME%.tar.gz}"
VERSION=$(cat VERSION)

t=$(now); ./install.sh >install.log || { cat install.log; fail "install.sh"; }
say "installed in $(since "$t") s"
./install.sh >/dev/null || fail "installing over an existing install"
LOCAL=$HOME/.local
APPDIR=$LOCAL/lib/sunodesk/$VERSION
for f in "$LOCAL/bin/sunodesk" "$LOCAL/bin/sunodesk-uninstall" "$APPDIR/sunodesk" \
         "$LOCAL/share/applications/sunodesk.desktop" \
         "$LOCAL/share/icons/hicolor/scalable/apps/sunodesk.svg" \
         "$LOCAL/share/icons/hicolor/256x256/apps/sunodesk.png" \
         "$LOCAL/share/icons/hicolor/48x48/apps/sunodesk.png"; do
    [ -e "$f" ] || fail "missing after install: $f"
done
desktop-file-validate "$LOCAL/share/applications/sunodesk.desktop" || fail ".desktop entry"
grep -qx "Exec=\"$LOCAL/bin/sunodesk\"" "$LOCAL/share/applications/sunodesk.desktop" \
    || fail "the .desktop Exec line does not run the launcher"
say ".desktop entry valid; launcher, uninstaller and $(ls -d "$LOCAL"/share/icons/hicolor/*/apps | wc -l) icon sizes in place"

# Every library the kept Qt plugins link must resolve (bundled, or a base desktop library).
plugins=$APPDIR/_internal/PySide6/Qt/plugins
for p in platforms/libqxcb.so platforms/libqwayland.so platforms/libqoffscreen.so \
         multimedia/libffmpegmediaplugin.so imageformats/libqsvg.so iconengines/libqsvgicon.so; do
    [ -f "$plugins/$p" ] || fail "Qt plugin not bundled: $p"
    missing=$(ldd "$plugins/$p" | grep 'not found' || true)
    [ -z "$missing" ] || fail "$p cannot load: $missing"
done
[ -z "$(find "$APPDIR" -xtype l)" ] || fail "dangling symlinks: $(find "$APPDIR" -xtype l | head -3)"
say "Qt plugins (xcb, wayland, offscreen, ffmpeg, svg) resolve"

out=$("$LOCAL/bin/sunodesk" --version) || fail "--version exited $?"
[ "$out" = "sunodesk $VERSION" ] || fail "--version said: $out"
say "installed copy: $out"

t=$(now)
out=$(QT_QPA_PLATFORM=offscreen "$LOCAL/bin/sunodesk" --self-test) || fail "--self-test: $out"
say "$out [wall $(since "$t") s]"
[ ! -e "$LOCAL/share/sunodesk" ] || fail "the self-test wrote into the user's data folder"

# The window itself, frozen, on a real X server: it must start and keep running.
if command -v Xvfb >/dev/null; then
    Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x800x24 3>"$TMPDIR/display" \
        2>"$TMPDIR/xvfb.log" &
    xvfb=$!
    for _ in $(seq 100); do [ -s "$TMPDIR/display" ] && break; sleep 0.1; done
    display=$(cat "$TMPDIR/display")
    [ -n "$display" ] || fail "Xvfb did not start: $(cat "$TMPDIR/xvfb.log")"
    set +e
    DISPLAY=:$display QT_QPA_PLATFORM=xcb timeout 12 "$LOCAL/bin/sunodesk" --sandbox \
        --data-dir "$TMPDIR/gui-data" >"$TMPDIR/gui.log" 2>&1
    rc=$?
    set -e
    kill "$xvfb" 2>/dev/null || true
    wait "$xvfb" 2>/dev/null || true
    [ $rc = 124 ] || { tail -20 "$TMPDIR/gui.log" >&2; fail "the window exited with $rc"; }
    ! grep -q 'Could not load the Qt platform plugin' "$TMPDIR/gui.log" || fail "xcb plugin"
    say "window: started on Xvfb (xcb) and ran 12 s with the sandbox"
else
    say "window: not tried (no Xvfb)"
fi

# The --system layout, into a scratch prefix (a real --system run would write /usr/local).
./install.sh --prefix "$SYSPREFIX" >/dev/null || fail "install.sh --prefix"
[ "$("$SYSPREFIX/bin/sunodesk" --version)" = "sunodesk $VERSION" ] || fail "--prefix copy"
"$SYSPREFIX/bin/sunodesk-uninstall" >/dev/null || fail "sunodesk-uninstall (prefix)"
[ -z "$(find "$SYSPREFIX" -name '*sunodesk*')" ] || fail "left behind: $(find "$SYSPREFIX" -name '*sunodesk*')"

"$LOCAL/bin/sunodesk-uninstall" >/dev/null || fail "sunodesk-uninstall"
left=$(find "$LOCAL" -name '*sunodesk*')
[ -z "$left" ] || fail "left behind after uninstall: $left"
say "prefix install and both uninstalls leave nothing behind"
