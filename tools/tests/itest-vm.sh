#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (busybox sh), started by scripts/itest: loads the
# module, runs every integration test binary and the zactl checks, unloads
# the module. Every check prints "PASS: name" or "FAIL: name (why)"; the
# last line is "ITEST-DONE".

# check NAME EXPECTED-STATUS COMMAND...: run COMMAND, compare its status.
check() {
	name=$1
	want=$2
	shift 2
	"$@" >/tmp/check.out 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		echo "PASS: $name"
	else
		echo "FAIL: $name (exit status $rc, expected $want: $(tail -n 1 /tmp/check.out))"
	fi
}

# check_out NAME PATTERN COMMAND...: status 0 and output matching PATTERN.
check_out() {
	name=$1
	pat=$2
	shift 2
	"$@" >/tmp/check.out 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && grep -Eq "$pat" /tmp/check.out; then
		echo "PASS: $name"
	else
		echo "FAIL: $name (exit status $rc, output: $(head -c 300 /tmp/check.out | tr '\n' ' '))"
	fi
}

# A test binary: its own PASS/FAIL lines, names prefixed with $prefix; a
# crash is one more failure.
prefix=
binary() {
	{ "$@"; echo $? >/tmp/binary.rc; } 2>&1 |
		sed -E "s#^(PASS|FAIL): #\1: $prefix#"
	rc=$(cat /tmp/binary.rc)
	[ "$rc" -le 1 ] || echo "FAIL: $prefix$1-exit (status $rc: crashed or could not start)"
}

t0=$(date +%s)
if ! insmod "$ZA_MODDIR/zonealloc.ko"; then
	echo "FAIL: insmod"
	echo "ITEST-DONE"
	exit 1
fi
echo "PASS: insmod"

# Movable allocations move under a live writer, and the order-9 target
# after fragmentation: first, on the fresh pool with the default layout
# its figures assume (pageblock types left by other tests lower them).
if [ -x /bin/za_migrate_test ]; then
	binary za_migrate_test
fi
binary za_ioctl_test
binary za_debugfs_test
binary za_trace_test
# dma-buf export and sharing: vgem imports, loop gives O_DIRECT a block
# device (modules of the Debian image, copied by scripts/itest).
if [ -x /bin/za_dmabuf_test ]; then
	for m in ${ZA_EXTRA_MODULES:-}; do
		insmod "$ZA_MODDIR/$m" || echo "itest-vm: insmod $m failed"
	done
	binary za_dmabuf_test
fi
if [ -x /bin/za_compat_test ]; then
	binary za_compat_test
else
	echo "FAIL: compat32 (no 32-bit test binary: gcc-multilib missing on the host)"
fi
t1=$(date +%s)
binary za_fuzz -q -n "${ZA_FUZZ_CALLS:-100000}"
t2=$(date +%s)
echo "itest-vm: fuzzer took $((t2 - t1)) s"

check zactl-help 0 zactl --help
check zactl-usage-error-exit-2 2 zactl alloc --order nine
check zactl-unknown-command-exit-2 2 zactl frobnicate
check zactl-missing-device-exit-3 3 zactl -d /dev/zonealloc-none info
check_out zactl-info 'pool: [0-9]+ pages' zactl info
check_out zactl-info-json '^\{"command":"info","ok":true,.*"zones":\[' zactl --json info
check_out zactl-alloc-map-free 'freed 4 allocations' \
	zactl alloc --order 3 --count 4 --map --free
check_out zactl-sequence '"command":"info","ok":true,.*"file_pages":0,' \
	zactl --json alloc -o 2 -c 8 -f movable,dma32 + map + free --bulk + info
check_out zactl-bulk 'freed 100 allocations' \
	zactl alloc --bulk --count 100 --map --free
check_out zactl-contig 'freed 2 allocations' \
	zactl alloc --contig 300 --count 2 --map --free
check zactl-invalid-flags-exit-1 1 zactl alloc --flags dma,dma32
check zactl-free-unknown-exit-1 1 zactl free --handle 12345
check zactl-hold 0 zactl alloc -o 1 --hold 1 --free
# COMPACT may answer EAGAIN (no block formed) or, without compaction,
# EOPNOTSUPP: status 1.
zactl --json compact --zone all --mode sync >/tmp/check.out 2>&1
rc=$?
if [ "$rc" -eq 0 ] || { [ "$rc" -eq 1 ] && grep -Eq '"error":"(EOPNOTSUPP|EAGAIN)"' /tmp/check.out; }; then
	echo "PASS: zactl-compact"
else
	echo "FAIL: zactl-compact (exit status $rc: $(head -c 300 /tmp/check.out))"
fi
check_out zactl-drain 'drained' zactl drain
check_out zactl-export-sync 'exported 2 allocations, each dma-buf checked' \
	zactl alloc -o 2 -c 2 -f wc --map + sync --end + sync --read + export --check + free
check zactl-wc-movable-exit-1 1 zactl alloc -f movable,wc
check_out zactl-stress 'pool figures back' zactl stress --ops 3000 --max-order 4

if rmmod zonealloc; then
	echo "PASS: rmmod"
else
	echo "FAIL: rmmod"
fi

# reload PARAMS...: load the module again with PARAMS ("PASS/FAIL:
# ${prefix}insmod"); status 0 if it loaded. unload: "${prefix}rmmod".
reload() {
	if insmod "$ZA_MODDIR/zonealloc.ko" "$@"; then
		echo "PASS: ${prefix}insmod"
		return 0
	fi
	echo "FAIL: ${prefix}insmod"
	return 1
}
unload() {
	if rmmod zonealloc; then
		echo "PASS: ${prefix}rmmod"
	else
		echo "FAIL: ${prefix}rmmod"
	fi
}

# Again with all five zones populated (emulated layout).
prefix=layout-all/
if reload layout=all; then
	binary za_ioctl_test
	binary za_debugfs_test
	binary za_trace_test
	binary za_fuzz -q -n "${ZA_FUZZ_CALLS_ALL:-20000}"
	check_out "${prefix}zactl-info-zones" 'Movable +[1-9]' zactl info
	unload
fi
# A mapping never outlives its allocation: with a small id space, handles
# come round again quickly for the reuse tests.
prefix=small-ids/
if reload max_handle_id=8192; then
	binary za_lifetime_test
	unload
fi
# Elastic pool: 600 MiB of the 1 GiB VM, every other parameter at its
# default. Memory goes back to a process that needs it, and comes back.
prefix=elastic/
if [ -x /bin/za_elastic_test ] && reload pool_mb=600; then
	binary za_elastic_test
	unload
fi
prefix=
check zactl-no-module-exit-3 3 zactl info
t3=$(date +%s)
echo "itest-vm: $((t3 - t0)) s in the VM"
echo "ITEST-DONE"
