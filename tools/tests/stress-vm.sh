#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the debug-kernel VM (busybox sh), started by scripts/stress:
# one part of `make stress` per VM.
#
#   sh stress-vm.sh fuzz|faults|soak|cycles
#
# Settings come from the environment (scripts/stress passes them): CALLS,
# PROCS, SEED (fuzz); LOADS (faults); SOAK, KILL, WORKERS, PROACTIVE (soak);
# CYCLES (cycles). Every check prints "PASS: name" or "FAIL: name (why)",
# every figure worth recording a "FIGURE: name value" line; the last line
# is "STRESS-DONE".

ko=$ZA_MODDIR/zonealloc.ko

# Free memory as step_vm in scripts/check measures it: MemFree plus the
# pages on the kernel's per-CPU lists (zoneinfo "count:"), in kB. Every
# slab cache is shrunk first: that also empties KASAN's quarantine of
# freed objects, which holds megabytes of memory freed long before.
memfree() {
	for f in /sys/kernel/slab/*/shrink; do
		echo 1 >"$f"
	done 2>/dev/null
	m=$(sed -n "s/^MemFree: *\([0-9]*\) kB/\1/p" /proc/meminfo)
	p=$(awk '$1 == "count:" { s += $2 } END { print s * 4 }' /proc/zoneinfo)
	echo $((m + p))
}

# settled_delta BASE: MemFree (+ per-CPU) minus BASE, in kB, once it is
# within 256 kB or after 10 s: RCU, vfree and exiting tasks free some
# memory late, by up to a megabyte in the debug kernel.
settled_delta() {
	i=0
	while :; do
		d=$(($(memfree) - $1))
		[ "${d#-}" -le 256 ] || [ $i -ge 20 ] && break
		sleep 0.5
		i=$((i + 1))
	done
	echo "$d"
}

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+ ($2)}"; }
check() { if [ "$2" -eq 0 ]; then pass "$1"; else fail "$1" "$3"; fi; }

loaded() { grep -q '^zonealloc ' /proc/modules; }

# A loaded module is whole: its device, its debugfs directory.
module_whole() {
	loaded && [ -c /dev/zonealloc ] && [ -d /sys/kernel/debug/zonealloc ]
}

# No module is a module without leftovers.
module_gone() {
	! loaded && [ ! -e /dev/zonealloc ] && [ ! -e /sys/kernel/debug/zonealloc ]
}

# kmemleak: 0 if a scan finds nothing. kmemleak reports objects at least
# 5 s old, hence the wait.
kmemleak_clean() {
	[ -w /sys/kernel/debug/kmemleak ] || { echo "no kmemleak"; return 1; }
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	[ "$n" -eq 0 ] || head -n 20 /sys/kernel/debug/kmemleak
	echo "FIGURE: kmemleak-objects $n"
	[ "$n" -eq 0 ]
}

# Unload, expecting success and no leftovers nor "still allocated".
unload() {
	rmmod zonealloc && module_gone &&
		! dmesg | grep -q 'zonealloc: .*still allocated'
}

# ------------------------------------------------------------------ fuzz
part_fuzz() {
	insmod "$ko" || { fail fuzz-insmod; return; }
	t0=$(date +%s)
	za_fuzz -q -j "${PROCS:-2}" -n "${CALLS:-100000}" -s "${SEED:-1}" |
		tee /tmp/fuzz.out
	t1=$(date +%s)
	# A fuzzer that crashed prints no verdict of its own.
	grep -Eq '^za_fuzz: [0-9]+ passed, [0-9]+ failed$' /tmp/fuzz.out
	check fuzz-complete $? "za_fuzz ended without its summary"
	sed -n 's/^za_fuzz: \([0-9]*\) calls .* (\([0-9]*\) calls\/s).*/FIGURE: fuzz-calls \1\nFIGURE: fuzz-calls-per-s \2/p' /tmp/fuzz.out
	echo "FIGURE: fuzz-processes ${PROCS:-2}"
	echo "FIGURE: fuzz-seconds $((t1 - t0))"
	unload
	check fuzz-rmmod $? "rmmod failed or left something behind"
}

# ---------------------------------------------------------------- faults
fi_dir() { echo "/sys/kernel/debug/$1"; }

# fi_set ATTR PROBABILITY TIMES SPACE: arm ATTR for tasks with make-it-fail
# only, for every allocation whatever its flags or order.
fi_set() {
	d=$(fi_dir "$1")
	echo 0 >"$d/probability"
	echo Y >"$d/task-filter"
	echo 0 >"$d/verbose"
	echo 1 >"$d/interval"
	echo N >"$d/ignore-gfp-wait"
	if [ "$1" = fail_page_alloc ]; then
		echo N >"$d/ignore-gfp-highmem"
		echo 0 >"$d/min-order"
	fi
	echo "$3" >"$d/times"
	echo "$4" >"$d/space"
	echo "$2" >"$d/probability"
}

fi_off() {
	echo 0 >"$(fi_dir "$1")/probability"
	echo -1 >"$(fi_dir "$1")/times"
	echo 0 >"$(fi_dir "$1")/space"
}

# meminfo_changes FILE: the /proc/meminfo lines that moved by 64 kB or
# more since FILE was copied from it, to tell a leak from a kernel cache.
meminfo_changes() {
	awk -v f="$1" '
		BEGIN { while ((getline l < f) > 0) { split(l, a); old[a[1]] = a[2] } }
		{ d = $2 - old[$1]; if (d >= 64 || d <= -64) c = c " " $1 d }
		END { print "faults:   meminfo changes (kB):" c }' /proc/meminfo
}

# The memory checks: each load or cycle must come back within ONE_KB and
# all of them together within ALL_KB. A page the module fails to give back
# is part of a chunk it claimed, and chunks are 4 MiB, so ONE_KB (half a
# chunk) catches any of them; its own kmalloc, vmalloc and per-CPU memory
# is kmemleak's to check. A single reading in this debug kernel can stay
# more than 1 MiB short for longer than settled_delta waits and come back
# at a later load (up to 1,336 kB in a run of 40 loads whose drift over
# all was 192 kB; lazily freed vmalloc areas, with their KASAN shadow, are
# one such late free). What is lost for good shows in the drift over all
# of them, held to 1 MiB.
ONE_KB=2048
ALL_KB=1024

# memory_check NAME WHAT BAD MAXD BASE: the checks above, for BAD of the
# WHATs over ONE_KB (largest delta MAXD) and the drift from BASE.
memory_check() {
	drift=$(settled_delta "$5")
	echo "FIGURE: $1-memory-drift-kB $drift (after all $2s)"
	[ "$3" -eq 0 ] && [ "${drift#-}" -le $ALL_KB ]
	check "$1-memory" $? "$3 $2s did not give memory back within $ONE_KB kB (largest delta $4 kB), or the drift over all was $drift kB"
}

# A pseudo-random number below $1 (> 0), from SEED: runs repeat.
rng=${SEED:-1}
random_below() {
	rng=$(((rng * 1103515245 + 12345) % 2147483648))
	r=$((rng % $1))
}

part_faults() {
	loads=${LOADS:-10}
	big=2000000000
	for a in fail_page_alloc failslab; do
		[ -d "$(fi_dir $a)" ] || { fail "faults-$a" "no $(fi_dir $a)"; return; }
	done
	sync
	echo 3 >/proc/sys/vm/drop_caches
	# Warm-up and calibration: how many allocations one clean load makes
	# (fail-nth counts them) and how much of each knob's "space" it uses
	# (pages for fail_page_alloc, bytes for failslab), so that faults can
	# start at a random point of the load. The second load counts: the
	# first one ever also fills caches that the next ones reuse (the debug
	# kernel's stack depot, KASAN shadow, slab caches).
	for k in count space count space; do
		fi_set fail_page_alloc 100 -1 $big
		fi_set failslab 100 -1 $big
		if [ $k = count ]; then
			za_faultload -n 1000000 "$ko" >/tmp/fl.out
		else
			za_faultload "$ko" >/tmp/fl.out
		fi
		rc=$?
		if [ $k = count ]; then
			nallocs=$((1000000 - $(sed -n 's/^za_faultload: fail-nth left //p' /tmp/fl.out)))
		else
			use_fail_page_alloc=$((big - $(cat "$(fi_dir fail_page_alloc)/space")))
			use_failslab=$((big - $(cat "$(fi_dir failslab)/space")))
		fi
		fi_off fail_page_alloc
		fi_off failslab
		if [ $rc -ne 0 ] || ! module_whole ||
			! zactl alloc --order 3 --count 4 --map --free >/dev/null ||
			! unload; then
			fail faults-calibrate "$(cat /tmp/fl.out)"
			return
		fi
	done
	echo "faults: a load makes $nallocs allocations, uses $use_fail_page_alloc pages and $use_failslab slab bytes"
	echo "FIGURE: faults-allocations-per-load $nallocs"
	base=$(memfree)
	echo "faults: MemFree (+ per-CPU lists) before the loads: $base kB"

	# Each load: the Nth allocation fails (N at random, fail-nth), or one
	# knob fails allocations with a probability from a random point on.
	set -- "nth" "fail_page_alloc 1" "failslab 1" "fail_page_alloc 10" \
		"failslab 10" "fail_page_alloc 50" "failslab 50" "nth"
	i=0 ok=0 failed=0 injected=0 bad_state=0 bad_mem=0 maxd=0
	nth_loads=0 nth_faults=0 fp_loads=0 fs_loads=0 fp_faults=0 fs_faults=0
	while [ $i -lt "$loads" ]; do
		# The next mode, rotated to the back of the list.
		mode=$1
		shift
		set -- "$@" "$mode"
		before=$(memfree)
		cp /proc/meminfo /tmp/meminfo.before
		if [ "$mode" = nth ]; then
			random_below "$nallocs"
			at=$((r + 1))
			fi_set fail_page_alloc 0 -1 0
			fi_set failslab 0 -1 0
			za_faultload -n "$at" "$ko" >/tmp/fl.out
			rc=$?
			fi_off fail_page_alloc
			fi_off failslab
			faults=0
			grep -q '^za_faultload: fail-nth left 0$' /tmp/fl.out && faults=1
			nth_loads=$((nth_loads + 1)) nth_faults=$((nth_faults + faults))
			what="allocation $at of $nallocs fails"
		else
			a=${mode% *}
			p=${mode#* }
			case $a in
			failslab) use=$use_failslab ;;
			*) use=$use_fail_page_alloc ;;
			esac
			random_below "$use"
			fi_set "$a" "$p" 1000000 "$r"
			za_faultload "$ko" >/tmp/fl.out
			rc=$?
			faults=$((1000000 - $(cat "$(fi_dir "$a")/times")))
			fi_off "$a"
			if [ "$a" = failslab ]; then
				fs_loads=$((fs_loads + 1)) fs_faults=$((fs_faults + faults))
			else
				fp_loads=$((fp_loads + 1)) fp_faults=$((fp_faults + faults))
			fi
			what="$a $p% after $r of $use"
		fi
		injected=$((injected + faults))
		state=ok
		if [ $rc -eq 0 ]; then
			ok=$((ok + 1))
			result=loaded
			# A loaded module works and unloads.
			module_whole &&
				zactl alloc --order 3 --count 4 --map --free >/tmp/w.out 2>&1 &&
				unload || state="loaded but broken: $(tail -n 1 /tmp/w.out)"
		elif [ $rc -eq 1 ]; then
			failed=$((failed + 1))
			result=$(sed -n 's/^za_faultload: load failed: //p' /tmp/fl.out)
			module_gone || state="failed load left the module, device or debugfs behind"
		else
			result="za_faultload status $rc: $(cat /tmp/fl.out)"
			state=broken
		fi
		d=$(settled_delta "$before")
		[ "${d#-}" -gt "${maxd#-}" ] && maxd=$d
		echo "faults: load $((i + 1)): $what: $result, $faults faults injected, memory delta $d kB"
		[ "${d#-}" -le 256 ] || meminfo_changes /tmp/meminfo.before
		if [ "$state" != ok ]; then
			bad_state=$((bad_state + 1))
			echo "faults: load $((i + 1)): $state"
			loaded && rmmod zonealloc
		fi
		[ "${d#-}" -le $ONE_KB ] || bad_mem=$((bad_mem + 1))
		i=$((i + 1))
	done
	echo "FIGURE: faults-loads $loads"
	echo "FIGURE: faults-loads-succeeded $ok"
	echo "FIGURE: faults-loads-failed $failed"
	echo "FIGURE: faults-injected $injected (fail-nth $nth_faults in $nth_loads loads, fail_page_alloc $fp_faults in $fp_loads, failslab $fs_faults in $fs_loads)"
	echo "FIGURE: faults-max-memory-delta-kB $maxd (per load)"
	check faults-clean-errors "$bad_state" "$bad_state loads left a broken state"
	memory_check faults load "$bad_mem" "$maxd" "$base"
	[ "$failed" -gt 0 ] && [ "$injected" -gt 0 ]
	check faults-injected $? "no fault injected or no load failed"
	# After it all, a clean load works.
	insmod "$ko" && module_whole && zactl alloc --order 5 --map --free >/dev/null && unload
	check faults-final-load $? "a clean load after the faults failed"
	kmemleak_clean
	check faults-kmemleak $? "kmemleak found leaks"
}

# ------------------------------------------------------------------ soak
part_soak() {
	insmod "$ko" || { fail soak-insmod; return; }
	p=/sys/module/zonealloc/parameters/compaction_proactiveness
	echo "${PROACTIVE:-50}" >$p
	echo "soak: proactive compaction: compaction_proactiveness $(cat $p)"
	grep -E '^(compact_success|pgmigrate_success) ' /sys/kernel/debug/zonealloc/vmstat >/tmp/vm0
	za_soak -q -t "${SOAK:-60}" -k "${KILL:-30}" -w "${WORKERS:-3}" -s "${SEED:-1}" |
		tee /tmp/soak.out
	grep -Eq '^za_soak: [0-9]+ passed, [0-9]+ failed$' /tmp/soak.out
	check soak-complete $? "za_soak ended without its summary"
	grep -E '^(compact_success|pgmigrate_success) ' /sys/kernel/debug/zonealloc/vmstat >/tmp/vm1
	sed -n 's/^za_soak: \([0-9]*\) s, \([0-9]*\) workers started, \([0-9]*\) killed; \([0-9]*\) operations.*/FIGURE: soak-seconds \1\nFIGURE: soak-workers-started \2\nFIGURE: soak-kills \3\nFIGURE: soak-operations \4/p' /tmp/soak.out
	sed -n 's/^za_soak: \([0-9]*\) words (\([0-9]*\) MiB) verified, \([0-9]*\) mismatches/FIGURE: soak-verified-MiB \2\nFIGURE: soak-mismatches \3/p' /tmp/soak.out
	sed -n 's/^za_soak: free pages \([0-9]*\) at start, \([0-9]*\) at the end/FIGURE: soak-free-pages \1 -> \2/p' /tmp/soak.out
	sed -n 's/^za_soak: per operation (tried\/succeeded): /FIGURE: soak-ops /p; s/^za_soak: allocations by order: /FIGURE: soak-orders /p' /tmp/soak.out
	while read -r name v1; do
		v0=$(awk -v n="$name" '$1 == n { print $2 }' /tmp/vm0)
		echo "FIGURE: soak-$name $((v1 - v0))"
	done </tmp/vm1
	unload
	check soak-rmmod $? "rmmod failed or left something behind"
}

# ---------------------------------------------------------------- cycles
# hold_and_rmmod NAME ZA_HOLD-OPTIONS: hold a file or mapping, try rmmod.
hold_and_rmmod() {
	rm -f /tmp/hold.out
	# shellcheck disable=SC2086 # $2: options, split on purpose
	za_hold $2 >/tmp/hold.out 2>&1 &
	hp=$!
	i=0
	while ! grep -q holding /tmp/hold.out 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if rmmod zonealloc 2>/tmp/rmmod.out; then
		# Unloaded under a live file or mapping: safe only if the
		# mapping lost its pages (SIGBUS), never shows others' memory.
		kill -USR1 $hp
		wait $hp
		hrc=$?
		if grep -q 'revoked' /tmp/hold.out && [ $hrc -eq 0 ]; then
			echo "cycles: $1: rmmod succeeded, the mapping was revoked"
			return 0
		fi
		echo "cycles: $1: rmmod succeeded while held: $(tail -n 1 /tmp/hold.out)"
		return 1
	fi
	refused=$((refused + 1))
	[ $refused -eq 1 ] && echo "cycles: $1: refused: $(cat /tmp/rmmod.out)"
	module_whole || { echo "cycles: $1: a refused rmmod broke the module"; kill $hp; return 1; }
	kill -USR1 $hp
	wait $hp
	hrc=$?
	if ! grep -Eq 'intact|freed' /tmp/hold.out || [ $hrc -ne 0 ]; then
		echo "cycles: $1: $(tail -n 1 /tmp/hold.out)"
		return 1
	fi
	return 0
}

# One cycle: load with $1, work, rmmod refused while held, unload; sets
# why to the reason if anything failed.
cycle() {
	why=
	# shellcheck disable=SC2086 # $1: module parameters, split on purpose
	if ! insmod "$ko" $1 || ! module_whole; then
		why="insmod $1 failed"
	elif ! zactl alloc --order 4 --count 8 --map --free >/tmp/w.out 2>&1 ||
		! zactl stress --ops 500 --max-order 6 >>/tmp/w.out 2>&1; then
		why="zactl: $(tail -n 1 /tmp/w.out)"
	elif za_soak -q -t 4 -k 2 -w 2 -s "$c" >/tmp/w.out 2>&1
		# A 4 s soak need not reach every order: its coverage and
		# kill count are not checked here.
		! grep -q '^za_soak: [0-9]* passed' /tmp/w.out ||
		grep -Eq '^FAIL: soak-(patterns|workers|free-counts)' /tmp/w.out; then
		why="za_soak: $(grep -E '^FAIL' /tmp/w.out | head -n 3 | tr '\n' ' ')"
	elif ! hold_and_rmmod "file open" "-o 3"; then
		why="rmmod with a file open"
	elif loaded && ! hold_and_rmmod "mapping open" "-o 3 -m -c"; then
		why="rmmod with a mapping open"
	elif loaded && ! unload; then
		why="rmmod failed or left something behind"
	fi
	loaded && rmmod zonealloc 2>/dev/null
}

part_cycles() {
	cycles=${CYCLES:-5}
	bad=0 bad_mem=0 refused=0 maxd=0
	# A warm-up cycle first: the first load ever fills caches the next
	# ones reuse (the debug kernel's stack depot, KASAN shadow, slabs).
	sync
	echo 3 >/proc/sys/vm/drop_caches
	c=0
	cycle ""
	[ -z "$why" ] || { bad=$((bad + 1)); echo "cycles: warm-up cycle: $why"; }
	refused=0
	base=$(memfree)
	while [ $c -lt "$cycles" ]; do
		c=$((c + 1))
		case $((c % 3)) in
		0) params="layout=all" ;;
		1) params="pool_mb=32" ;;
		*) params="" ;;
		esac
		before=$(memfree)
		cycle "$params"
		d=$(settled_delta "$before")
		[ "${d#-}" -gt "${maxd#-}" ] && maxd=$d
		[ "${d#-}" -le $ONE_KB ] || bad_mem=$((bad_mem + 1))
		[ -z "$why" ] || bad=$((bad + 1))
		echo "cycles: cycle $c ${params:-(defaults)}: ${why:-ok}, memory delta $d kB"
	done
	echo "FIGURE: cycles $cycles"
	echo "FIGURE: cycles-rmmod-refused-while-held $refused"
	echo "FIGURE: cycles-max-memory-delta-kB $maxd (per cycle)"
	check cycles-load-work-unload "$bad" "$bad of $cycles cycles failed"
	memory_check cycles cycle "$bad_mem" "$maxd" "$base"
	kmemleak_clean
	check cycles-kmemleak $? "kmemleak found leaks"
}

case ${1:-} in
fuzz|faults|soak|cycles) t0=$(date +%s); "part_$1"; echo "FIGURE: $1-vm-seconds $(($(date +%s) - t0))" ;;
*) echo "FAIL: stress-vm (unknown part ${1:-})" ;;
esac
echo "STRESS-DONE"
