#!/usr/bin/env bash
# `make wheelhouse-test`: install sunodesk from wheelhouse/ into a fresh virtualenv with the
# network unavailable (`unshare -n`; loopback only), then run --version and --self-test.
set -euo pipefail
cd "$(dirname "$0")/.."
WHEELHOUSE=$(realpath "${1:-wheelhouse}")
PYTHON=${PYTHON:-python3}
T=$(mktemp -d /tmp/sunodesk-wheelhouse-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
if unshare -n true 2>/dev/null; then OFFLINE=(unshare -n); else
    OFFLINE=(); echo "wheelhouse-test: NOTE: unshare -n is not permitted; the network was on"; fi
start=$(date +%s)
"${OFFLINE[@]}" env -i HOME="$T" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
    QT_QPA_PLATFORM=offscreen bash -euo pipefail -c '
    ip link set lo up 2>/dev/null || true
    "$1" -m venv "$2/venv"
    "$2/venv/bin/pip" install -q --no-index --find-links "$3" sunodesk
    "$2/venv/bin/sunodesk" --version
    "$2/venv/bin/sunodesk" --self-test
' _ "$(command -v "$PYTHON")" "$T" "$WHEELHOUSE"
echo "wheelhouse-test: offline pip install and self-test OK in $(( $(date +%s) - start )) s"
