#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside a two-node test VM (scripts/vm --numa 2), started by
# scripts/itest after the single-node run: loads the module at its
# defaults (pool_mb spread over both nodes), runs za_numa_test, unloads;
# then again with 256 MiB for the NUMA-aware shrinker (za_numa_test
# --shrink).
# Prints "PASS: name" / "FAIL: name (why)" lines and "ITEST-DONE".

if ! insmod "$ZA_MODDIR/zonealloc.ko"; then
	echo "FAIL: numa/insmod"
	echo "ITEST-DONE"
	exit 1
fi
echo "PASS: numa/insmod"
{ za_numa_test; echo $? >/tmp/numa.rc; } 2>&1 | sed -E 's#^(PASS|FAIL): #\1: numa/#'
[ "$(cat /tmp/numa.rc)" -le 1 ] || echo "FAIL: numa/za_numa_test-exit (status $(cat /tmp/numa.rc))"
if rmmod zonealloc; then
	echo "PASS: numa/rmmod"
else
	echo "FAIL: numa/rmmod"
fi
# The NUMA-aware shrinker: 256 MiB over both nodes, then pressure on one.
if insmod "$ZA_MODDIR/zonealloc.ko" pool_mb=256; then
	echo "PASS: numa/shrink/insmod"
	{ za_numa_test --shrink; echo $? >/tmp/numa.rc; } 2>&1 |
		sed -E 's#^(PASS|FAIL): #\1: numa/shrink/#'
	[ "$(cat /tmp/numa.rc)" -le 1 ] ||
		echo "FAIL: numa/shrink/za_numa_test-exit (status $(cat /tmp/numa.rc))"
	if rmmod zonealloc; then
		echo "PASS: numa/shrink/rmmod"
	else
		echo "FAIL: numa/shrink/rmmod"
	fi
else
	echo "FAIL: numa/shrink/insmod"
fi
echo "ITEST-DONE"
