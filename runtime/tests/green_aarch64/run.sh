#!/bin/sh
# The green threads' aarch64 side, checked from an x86_64 Linux machine.
#
# 1. Always: compiles the runtime for aarch64-unknown-linux-gnu, which makes
#    LLVM assemble the aarch64 context switch, trampoline and valgrind client
#    request (a wrong mnemonic, register or operand fails here).
# 2. When qemu-user (qemu-aarch64-static) and an aarch64 linker
#    (aarch64-linux-gnu-gcc) are installed: runs the green unit and
#    integration tests under qemu, and the four faulting children of
#    tests/green_overflow.rs by hand (a test binary under qemu-user cannot
#    exec itself again without binfmt_misc, so the tests that spawn a child
#    process are skipped inside the harness).
#
# Needs the aarch64 standard library: `rustup target add aarch64-unknown-linux-gnu`.
set -eu
cd "$(dirname "$0")/../../.."
target=aarch64-unknown-linux-gnu
if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
    echo "green aarch64: the $target standard library is not installed" >&2
    echo "  (rustup target add $target)" >&2
    exit 1
fi
echo "== green aarch64: compile (assembles the aarch64 switch)"
cargo build --quiet --target "$target" -p explicit-async-runtime --lib

if ! command -v qemu-aarch64-static >/dev/null 2>&1 || ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
    echo "green aarch64: not run (install qemu-user-static and gcc-aarch64-linux-gnu to run the tests)"
    exit 0
fi
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
qemu="qemu-aarch64-static -L /usr/aarch64-linux-gnu"
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="$qemu"
echo "== green aarch64: tests under qemu-user"
cargo test --quiet --target "$target" -p explicit-async-runtime --lib green
cargo test --quiet --target "$target" -p explicit-async-runtime --test green
cargo test --quiet --target "$target" -p explicit-async-runtime --test green_net -- \
    --skip ten_thousand_green_threads_each_holding_a_connection
bin=$(cargo test --quiet --target "$target" -p explicit-async-runtime --test green_overflow \
    --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p')
[ -n "$bin" ] || { echo "green aarch64: no green_overflow binary" >&2; exit 1; }
# case, expected exit status (128 + signal), expected text
check() {
    status=0
    EXPLICIT_ASYNC_GREEN_FAULT=$1 $qemu "$bin" --exact child_process --nocapture \
        --test-threads=1 >/tmp/green-aarch64-$1.txt 2>&1 || status=$?
    if [ "$status" -ne "$2" ] || ! grep -q "$3" /tmp/green-aarch64-$1.txt; then
        echo "green aarch64: case $1 exited with $status (want $2) or lacks \"$3\":" >&2
        cat /tmp/green-aarch64-$1.txt >&2
        exit 1
    fi
    echo "case $1: status $status, \"$3\""
}
check deep 134 "a green thread has overflowed its stack of 65536 bytes"
check wide 134 "a green thread has overflowed its stack of 131072 bytes"
check protected 139 "Segmentation fault"
check os-thread 134 "has overflowed its stack"
echo "green aarch64: all green"
