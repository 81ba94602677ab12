#!/usr/bin/env bash
# Build dist/sunodesk-<version>-linux-x86_64.tar.gz: the PyInstaller one-folder app, the
# installer, the .desktop entry and the hicolor icons. Run from the repo root (`make bundle`).
#
#   PY=.venv/bin/python packaging/build_bundle.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
VERSION=$("$PY" -c 'import sunodesk; print(sunodesk.__version__)')
NAME="sunodesk-$VERSION-linux-x86_64"
WORK=build/bundle
STAGE="$WORK/stage/$NAME"
ARCHIVE="dist/$NAME.tar.gz"

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { echo "build_bundle: Linux x86-64 only" >&2; exit 1; }
rm -rf "$WORK" "$ARCHIVE"
mkdir -p "$WORK" dist

start=$(date +%s)
echo "bundle: PyInstaller (log: $WORK/pyinstaller.log)"
if ! "$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$WORK/dist" \
        --workpath "$WORK/pyi" packaging/sunodesk.spec >"$WORK/pyinstaller.log" 2>&1; then
    tail -40 "$WORK/pyinstaller.log" >&2
    exit 1
fi
frozen=$(date +%s)

# Strip debug info only from files that carry it (libpython, extension modules). Files that
# are already stripped are left alone: re-stripping the patchelf-edited FFmpeg libraries of
# the PySide6 wheels corrupts them ("ELF load command address/offset not page-aligned"),
# which is why the spec has strip=False.
before=$(du -sm "$WORK/dist/sunodesk" | cut -f1)
# (No `readelf | grep -q` here: under pipefail, grep quitting early fails the pipeline.)
while IFS= read -r -d '' file; do
    sections=$(readelf -S "$file" 2>/dev/null || true)  # empty for anything not ELF
    case $sections in *.debug_info*) strip --strip-debug "$file" ;; esac
done < <(find "$WORK/dist/sunodesk" -type f -name '*.so*' -print0)
echo "bundle: stripped debug info: ${before} MB -> $(du -sm "$WORK/dist/sunodesk" | cut -f1) MB"

mkdir -p "$STAGE/share/applications"
cp -a "$WORK/dist/sunodesk" "$STAGE/app"
"$PY" packaging/render_icons.py "$STAGE/share/icons"
cp sunodesk/resources/sunodesk.desktop "$STAGE/share/applications/sunodesk.desktop"
install -m 755 packaging/install.sh "$STAGE/install.sh"
cp packaging/INSTALL.txt "$STAGE/INSTALL.txt"
echo "$VERSION" >"$STAGE/VERSION"

# Owner-neutral, name-sorted archive, so two builds of the same tree differ only in times.
tar -C "$WORK/stage" --sort=name --owner=0 --group=0 --numeric-owner -czf "$ARCHIVE" "$NAME"
end=$(date +%s)
size=$(stat -c %s "$ARCHIVE")
echo "bundle: $ARCHIVE"
echo "bundle: archive $((size / 1000000)) MB ($size bytes), unpacked $(du -sm "$STAGE" | cut -f1) MB;" \
     "PyInstaller $((frozen - start)) s, total $((end - start)) s"
if [ "$size" -ge 120000000 ]; then
    echo "bundle: the archive is over the 120 MB budget" >&2
    exit 1
fi
