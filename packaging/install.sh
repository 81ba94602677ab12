#!/bin/sh
# sunodesk offline installer: copies the bundled app, a launcher, the menu entry and the icons.
# Nothing here touches the network. Your songs and settings (in ~/.local/share/sunodesk) are
# never touched, not even by --uninstall.
#
#   ./install.sh                  per user: ~/.local/{lib/sunodesk,bin,share}
#   sudo ./install.sh --system    for everyone: /usr/local/{lib/sunodesk,bin,share}
#   ./install.sh --prefix DIR     anywhere: DIR/{lib/sunodesk,bin,share}
#   ./install.sh --uninstall      (with the same --system/--prefix) removes it again;
#                                 the installed `sunodesk-uninstall` does the same.
set -eu

usage() { sed -n '2,11s/^# \{0,1\}//p' "$0"; }
die() { echo "install.sh: $*" >&2; exit 1; }

ME=$(basename "$0")
HERE=$(cd "$(dirname "$0")" && pwd)
ACTION=install
PREFIX=
# The copy installed as $PREFIX/bin/sunodesk-uninstall uninstalls from its own prefix.
if [ "$ME" = sunodesk-uninstall ]; then
    ACTION=uninstall
    PREFIX=$(dirname "$HERE")
fi
while [ $# -gt 0 ]; do
    case $1 in
        --system) PREFIX=/usr/local ;;
        --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; PREFIX=$2; shift ;;
        --prefix=*) PREFIX=${1#--prefix=} ;;
        --uninstall) ACTION=uninstall ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$PREFIX" ]; then
    [ -n "${HOME:-}" ] || die "HOME is not set; use --prefix DIR"
    PREFIX=$HOME/.local
fi
case $PREFIX in /*) ;; *) PREFIX=$(pwd)/$PREFIX ;; esac
case $PREFIX in *[\"\`\$\\%]*) die "unsupported character in the folder name: $PREFIX" ;; esac

LIBDIR=$PREFIX/lib/sunodesk
BINDIR=$PREFIX/bin
APPS=$PREFIX/share/applications
ICONS=$PREFIX/share/icons/hicolor
MARK="# sunodesk launcher (written by install.sh)"

refresh_menus() {
    # Tell menus and icon themes about the change, where the tools exist (never required).
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$APPS" 2>/dev/null || true
    fi
    if [ -d "$ICONS" ]; then
        touch "$ICONS"
        if [ -f "$ICONS/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
            gtk-update-icon-cache -q -f -t "$ICONS" 2>/dev/null || true
        fi
    fi
}

uninstall() {
    [ -e "$LIBDIR" ] || [ -e "$BINDIR/sunodesk" ] || die "sunodesk is not installed in $PREFIX"
    if [ -f "$BINDIR/sunodesk" ] && grep -qF "$MARK" "$BINDIR/sunodesk"; then
        rm -f "$BINDIR/sunodesk"
    fi
    rm -rf "$LIBDIR"
    rm -f "$APPS/sunodesk.desktop" "$ICONS"/*/apps/sunodesk.png "$ICONS"/*/apps/sunodesk.svg
    refresh_menus
    rm -f "$BINDIR/sunodesk-uninstall"
    echo "sunodesk was removed from $PREFIX."
    echo "Your songs and settings are kept in ${XDG_DATA_HOME:-~/.local/share}/sunodesk."
}

install_app() {
    [ -x "$HERE/app/sunodesk" ] && [ -f "$HERE/VERSION" ] \
        || die "run install.sh from the unpacked sunodesk archive (app/ and VERSION are missing)"
    [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || die "this bundle is for Linux x86-64"
    VERSION=$(cat "$HERE/VERSION")
    mkdir -p "$LIBDIR" "$BINDIR" "$APPS" 2>/dev/null && [ -w "$LIBDIR" ] \
        || die "cannot write to $PREFIX (for --system, run it with sudo)"
    umask 022

    # Copy next to the target, then swap it in, so a failed copy never leaves half an app.
    target=$LIBDIR/$VERSION
    rm -rf "$target.new"
    cp -R "$HERE/app" "$target.new"
    rm -rf "$target"
    mv "$target.new" "$target"
    for old in "$LIBDIR"/*; do  # one version at a time: drop the others
        [ "$old" = "$target" ] || rm -rf "$old"
    done

    printf '#!/bin/sh\n%s\nexec "%s/sunodesk" "$@"\n' "$MARK" "$target" >"$BINDIR/sunodesk"
    chmod 755 "$BINDIR/sunodesk"
    cp "$HERE/install.sh" "$BINDIR/sunodesk-uninstall"
    chmod 755 "$BINDIR/sunodesk-uninstall"

    # The menu entry runs the launcher by its full path: ~/.local/bin is often not on the PATH
    # of a desktop session.
    sed -e "s|^Exec=.*|Exec=\"$BINDIR/sunodesk\"|" -e "s|^TryExec=.*||" \
        "$HERE/share/applications/sunodesk.desktop" >"$APPS/sunodesk.desktop"
    chmod 644 "$APPS/sunodesk.desktop"
    mkdir -p "$ICONS"
    cp -R "$HERE/share/icons/hicolor/." "$ICONS/"
    refresh_menus

    echo "sunodesk $VERSION is installed in $target."
    echo "Start it from your application menu (Sound & Video / Audio), or run: $BINDIR/sunodesk"
    case ":${PATH:-}:" in
        *":$BINDIR:"*) ;;
        *) echo "Note: $BINDIR is not on your PATH; add it to run \`sunodesk\` by name." ;;
    esac
    echo "Check it offline: sunodesk --self-test   Remove it: $BINDIR/sunodesk-uninstall"
}

if [ "$ACTION" = uninstall ]; then uninstall; else install_app; fi
