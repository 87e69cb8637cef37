# SPDX-License-Identifier: GPL-2.0
# Shared helpers for zonealloc's scripts. Source it; do not run it.

ZA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ZA_BUILD=$(realpath -m "${ZA_BUILD:-$ZA_ROOT/build}")
ZA_CACHE=${ZONEALLOC_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/zonealloc}

za_die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

# The kernel release of a Debian flavour: "6.1" or "6.12" -> e.g.
# 6.12.117+deb12-amd64, newest first, requiring both headers and image.
za_release() {
	local want=$1 r
	for r in $(ls -d /usr/src/linux-headers-"$want".*-amd64 \
			/usr/src/linux-headers-"$want"-*-amd64 2>/dev/null |
			sed 's|.*/linux-headers-||' | sort -rV | uniq); do
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

za_image() {
	local r
	r=$(za_release "$1") || za_die "no Debian $1 kernel headers+image installed (run scripts/setup)"
	echo "/boot/vmlinuz-$r"
}

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
