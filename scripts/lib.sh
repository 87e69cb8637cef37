# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared helpers for zonealloc's scripts. Source it; do not run it.

ZA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ZA_BUILD=$(realpath -m "${ZA_BUILD:-$ZA_ROOT/build}")
# shellcheck disable=SC2034 # used by the scripts that source this file
ZA_CACHE=${ZONEALLOC_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/zonealloc}

za_die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

# The kernel release of a Debian flavour: "6.1" or "6.12" -> e.g.
# 6.12.117+deb12-amd64, newest first, requiring both headers and image.
za_release() {
	local want=$1 h r
	for r in $(for h in /usr/src/linux-headers-"$want".*-amd64 \
			/usr/src/linux-headers-"$want"-*-amd64; do
			[ -e "$h" ] && echo "${h##*/linux-headers-}"
		done | sort -rV | uniq); do
		[ -e "/boot/vmlinuz-$r" ] || continue
		echo "$r"
		return 0
	done
	return 1
}

za_kdir() {
	local r
	r=$(za_release "$1") || za_die "no Debian $1 kernel headers+image installed (run scripts/setup)"
	echo "/usr/src/linux-headers-$r"
}

# Debian's linux-source-6.12 tarball (the first, should there be several).
za_source_tarball() {
	local t
	for t in /usr/src/linux-source-6.12.tar.*; do
		[ -e "$t" ] && { echo "$t"; return 0; }
	done
	za_die "linux-source-6.12 not installed (run scripts/setup)"
}

za_image() {
	local r
	r=$(za_release "$1") || za_die "no Debian $1 kernel headers+image installed (run scripts/setup)"
	echo "/boot/vmlinuz-$r"
}

# ZA_KBUILD_ARGS: extra Kbuild variables for every module build, split into
# words (for "${ZA_KBUILD_ARGV[@]}").
# shellcheck disable=SC2034 # used by the scripts that source this file
read -r -a ZA_KBUILD_ARGV <<<"${ZA_KBUILD_ARGS:-}"

# Build zonealloc (and, where the kernel has KUnit, its test module) in a
# private copy of the tree so that builds for different kernels never share
# objects. Prints the build directory. Extra arguments go to Kbuild.
za_build_module() {
	local tag=$1 kdir=$2 out
	shift 2
	out=$ZA_BUILD/$tag
	mkdir -p "$out"
	# Sources only: build products of an in-tree build (the .gitignore
	# list) must not leak in, Module.symvers least of all.
	rsync -a --delete --filter=':- .gitignore' \
		--exclude .git --exclude build --exclude tools \
		"$ZA_ROOT"/ "$out"/src-tree/ ||
		return 1
	make -C "$kdir" M="$out/src-tree" "$@" modules >"$out/build.log" 2>&1
	local rc=$?
	echo "$out/src-tree"
	return $rc
}
