#!/usr/bin/env bash
# `make bundle-test`: build the Linux bundle, then install and run it as a user would on a
# machine with no network: a temporary HOME, a bare environment (no venv, no PATH to the
# build's Python), and a network namespace with only loopback (`unshare -n`).
#
#   packaging/bundle_test.sh            build, then test
#   packaging/bundle_test.sh ARCHIVE    test an archive that is already built
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
if [ $# -ge 1 ]; then
    ARCHIVE=$1
else
    packaging/build_bundle.sh
    VERSION=$("${PY:-.venv/bin/python}" -c 'import sunodesk; print(sunodesk.__version__)')
    ARCHIVE=dist/sunodesk-$VERSION-linux-x86_64.tar.gz
fi
t_built=$(date +%s)
ARCHIVE=$(realpath "$ARCHIVE")
T=$(mktemp -d /tmp/sunodesk-bundle-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

# The offline part runs in its own network namespace, where only loopback exists (brought up
# there: the sandbox listens on 127.0.0.1). Where namespaces are not permitted (no root, a
# locked-down container), it runs in the normal network and says so.
if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
    OFFLINE=(unshare -n)
    NETWORK="no network: unshare -n, loopback only"
else
    OFFLINE=()
    NETWORK="NOTE: unshare -n is not permitted here; this run had the normal network"
fi
echo "bundle-test: $NETWORK"

# Copy the archive as a user would, and run the rest with a bare environment.
mkdir -p "$T/home" "$T/usb"
cp "$ARCHIVE" "$T/usb/"
env -i HOME="$T/home" PATH=/usr/bin:/bin LANG=C.UTF-8 TMPDIR="$T" \
    ARCHIVE_NAME="$(basename "$ARCHIVE")" USB="$T/usb" SYSPREFIX="$T/system" \
    "${OFFLINE[@]}" bash packaging/bundle_test_offline.sh
t_end=$(date +%s)
echo "bundle-test: $(basename "$ARCHIVE") $(( $(stat -c %s "$ARCHIVE") / 1000000 )) MB;" \
     "build $((t_built - t0)) s, unpack + install + checks $((t_end - t_built)) s: OK"
