#!/bin/sh
# Type-checks the kqueue selector on Linux against libc's FreeBSD and macOS
# kevent declarations. Checks types only: nothing here runs kqueue.
set -eu
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${TMPDIR:-/tmp}/explicit-async-kqueue-typecheck"
for os in freebsd macos; do
    echo "kqueue type-check against $os declarations"
    cargo check --quiet --offline --features "$os"
done
