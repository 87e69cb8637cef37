#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console logs of scripts/bench into the results table.

    report.py [--plot DIR] MODE=LOG...

Each LOG is a VM console log holding za_bench's "R"/"C" lines and
zb_compact's "ZBC" lines; MODE names the clock mode it was run in. Prints,
for each mode, every case as zonealloc's and the kernel's time per operation
and the ratio zonealloc/kernel, each as median (min-max) over the
repetitions; the ratio is taken per repetition (zonealloc and kernel runs
alternate). With --plot, writes performance-ratios.png and
performance-latency.png (gnuplot) into DIR.
"""

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict

R_RE = re.compile(r"za_bench: R (\S+) (\S+) (\d+) (\d+)")
C_RE = re.compile(r"za_bench: C (\S+) (\S+) (\d+) (\d+)")
F_RE = re.compile(r"za_bench: F (\S+)")
ZBC_RE = re.compile(r"^ZBC (\S+) (\S+) (-?\d+)")
# scripts/bench's load line: pool MiB, uptime before and after insmod (s),
# VmallocUsed + SUnreclaim + Percpu before and after (kB).
ZBL_RE = re.compile(r"^ZBL (\d+) ([\d.]+) ([\d.]+) (\d+) (\d+)")

# Cases in table order, with their target ratio (None: report only).
CASES = [("pair0", "order-0 alloc+free (PCP)", 0.70)]
CASES += [("allocn%d" % n, "alloc %d, free %d (/page)" % (n, n), None)
          for n in (1, 8, 64, 512, 4096, 16384)]
CASES += [("order%d" % o, "order-%d alloc+free" % o,
           0.70 if o <= 3 else 0.80 if o == 9 else None)
          for o in range(1, 11)]
CASES += [("bulk%d" % n, "bulk %d alloc+free (/page)" % n, 1.0)
          for n in (1, 8, 32, 128)]
CASES += [("smp1", "1 CPU alloc/free 64 (/page)", None),
          ("smp2", "2 CPUs alloc/free 64 (/page)", None),
          ("prodcons", "alloc CPU0, free CPU1 (/page)", None)]
CASES += [("lat_%s_%s" % (k, p), "latency %s %s" % (k, p), None)
          for k in ("alloc", "free") for p in ("p50", "p99", "max")]

CAL = [("cal_copy_page", "copy_page (4 KiB)"),
       ("cal_spin_lock", "spin_lock+spin_unlock"),
       ("cal_irq_save", "local_irq_save+restore"),
       ("cal_clock", "local_clock()")]


def parse(path):
    runs = defaultdict(lambda: defaultdict(dict))
    cdf = defaultdict(list)
    comp = defaultdict(dict)
    failed = []
    loads = []
    with open(path, errors="replace") as f:
        for line in f:
            m = R_RE.search(line)
            if m:
                runs[m[1]][m[2]][int(m[3])] = int(m[4]) / 1000.0
                continue
            m = C_RE.search(line)
            if m:
                cdf[(m[1], m[2])].append((int(m[3]) / 10.0, int(m[4])))
                continue
            m = F_RE.search(line)
            if m:
                failed.append(m[1])
                continue
            m = ZBC_RE.search(line.strip())
            if m:
                comp[m[1]][m[2]] = int(m[3])
                continue
            m = ZBL_RE.search(line.strip())
            if m:
                loads.append((int(m[1]), float(m[3]) - float(m[2]),
                              int(m[5]) - int(m[4])))
    return runs, cdf, comp, failed, loads


def mmm(vals):
    return statistics.median(vals), min(vals), max(vals)


def fmt(t, digits=0):
    med, lo, hi = t
    f = "%%.%df" % digits
    return (f + " (" + f + "-" + f + ")") % (med, lo, hi)


def ratios(side_a, side_b):
    reps = sorted(set(side_a) & set(side_b))
    return [side_a[r] / side_b[r] for r in reps if side_b[r] > 0]


def report(mode, path, out, plotdata):
    runs, cdf, comp, failed, loads = parse(path)
    cp = runs.get("cal_copy_page", {}).get("cal")
    copy_ns = statistics.median(cp.values()) if cp else None
    w = out.write
    w("\n== %s ==\n" % mode)
    if not runs and not comp:
        w("no results in %s\n" % path)
        return
    if runs:
        w("%-32s %-24s %-24s %-20s %-7s %s\n" % (
            "case (ns per op)", "zonealloc", "kernel", "ratio za/k",
            "target", "za in copy_page"))
    for key, label, target in CASES:
        r = runs.get(key)
        if not r or "za" not in r or "k" not in r:
            continue
        za, k = list(r["za"].values()), list(r["k"].values())
        rat = ratios(r["za"], r["k"])
        tgt = "<=%.2f" % target if target else ""
        cpu = "%.3f" % (statistics.median(za) / copy_ns) if copy_ns else ""
        w("%-32s %-24s %-24s %-20s %-7s %s\n" % (
            label, fmt(mmm(za)), fmt(mmm(k)), fmt(mmm(rat), 2), tgt, cpu))
        if target is not None or key.startswith(("smp", "prod", "allocn")):
            plotdata.setdefault(mode, []).append(
                (key, statistics.median(rat), min(rat), max(rat)))
    s1, s2 = runs.get("smp1"), runs.get("smp2")
    if s1 and s2:
        for side, name in (("za", "zonealloc"), ("k", "kernel")):
            sc = ratios(s1[side], s2[side])
            if sc:
                w("%-32s %s\n" % ("2-CPU scaling, " + name,
                                  fmt(mmm(sc), 2)))
        sza, sk = ratios(s1["za"], s2["za"]), ratios(s1["k"], s2["k"])
        if sza and sk:
            w("%-32s %.2f (target >= 1.00)\n" % (
                "scaling za / scaling k",
                statistics.median(sza) / statistics.median(sk)))
    for key, label in CAL:
        c = runs.get(key, {}).get("cal")
        if c:
            w("%-32s %s ns\n" % ("calibration: " + label,
                                 fmt(mmm(list(c.values())), 1)))
    for mb, secs, kb in loads:
        # 4 KiB pages: a MiB holds 256 of them.
        w("%-32s %d MiB in %.2f s = %.2f s per GiB\n" % (
            "pool load (insmod)", mb, secs, secs * 1024 / mb))
        w("%-32s %d kB = %.1f bytes per pool page\n" % (
            "module memory at load", kb, kb * 1024.0 / (mb * 256)))
    if failed:
        w("cases with a failed allocation: %s\n" % " ".join(failed))
    for side, name in (("za", "zonealloc"), ("k", "kernel")):
        c = comp.get(side)
        if not c or "formed" not in c:
            continue
        before = c.get("formed_before", 0)
        made = c["formed"] - before
        w("compaction, %s: filled %d pages, kept %d; order-9 blocks after "
          "one sync compaction: %d of %d possible (%.1f%%)\n" % (
              name, c.get("filled", 0), c.get("kept", 0), c["formed"],
              c["possible"], 100.0 * c["formed"] / max(c["possible"], 1)))
        if made > 0:
            per = c["migrated"] / made
            w("  %d pages migrated for %d new blocks: %.1f per block, ideal "
              "128 (%.2fx ideal, target <=1.10)\n" % (
                  c["migrated"], made, per, per / 128.0))
        else:
            w("  %d pages migrated for no new block (per block: n/a)\n" %
              c["migrated"])
        if c["migrated"] > 0:
            ns = c["ns"] / c["migrated"]
            cpx = " = %.2f copy_page (target <=2)" % (ns / copy_ns) \
                if copy_ns else ""
            w("  compaction time %.1f ms, %.0f ns per page migrated%s\n" % (
                c["ns"] / 1e6, ns, cpx))
        w("  unusable index at order 9: %.3f before, %.3f after\n" % (
            c["unusable_before"] / 1000.0, c["unusable_after"] / 1000.0))
    for (what, side), pts in sorted(cdf.items()):
        plotdata.setdefault("cdf-" + mode, {})[(what, side)] = pts


def plot(plotdata, outdir):
    modes = [m for m in plotdata if not m.startswith("cdf-")]
    if not modes:
        return
    keys = [k for k, *_ in plotdata[modes[0]]]
    tmp = tempfile.mkdtemp(prefix="zb-plot-")
    dat = "%s/ratios.dat" % tmp
    with open(dat, "w") as f:
        for i, key in enumerate(keys):
            row = [str(i), key]
            for m in modes:
                d = {k: (a, b, c) for k, a, b, c in plotdata[m]}
                a, b, c = d.get(key, (float("nan"),) * 3)
                row += ["%.4f" % a, "%.4f" % b, "%.4f" % c]
            f.write(" ".join(row) + "\n")
    n = len(modes)
    width = 0.8 / n
    plots = []
    for j, m in enumerate(modes):
        off = -0.4 + width * (j + 0.5)
        plots.append("'%s' using ($1+%.3f):%d:%d:%d:(%.3f) with "
                     "boxerrorbars title '%s'" % (dat, off, 3 + 3 * j,
                                                  4 + 3 * j, 5 + 3 * j,
                                                  width, m))
    script = """
set terminal pngcairo size 1200,520 noenhanced
set output '%s/performance-ratios.png'
set title "zonealloc / kernel time per operation (median, min-max clipped at 2; below 1 is faster)"
set style fill solid 0.6 border -1
set boxwidth %.3f
set yrange [0:2]
set grid ytics
set xtics rotate by -45 left
set xtics (%s)
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 2
plot %s
""" % (outdir, width, ", ".join("'%s' %d" % (k, i) for i, k in
                                 enumerate(keys)), ", ".join(plots))
    cdfs = [(m[4:], d) for m, d in plotdata.items() if m.startswith("cdf-")]
    if cdfs:
        mode, d = cdfs[-1] if len(cdfs) == 1 else next(
            (c for c in cdfs if "icount" in c[0]), cdfs[0])
        lines = []
        for (what, side), pts in sorted(d.items()):
            fn = "%s/cdf-%s-%s.dat" % (tmp, what, side)
            with open(fn, "w") as f:
                for pct, ns in pts:
                    f.write("%d %.1f\n" % (ns, pct))
            lines.append("'%s' using 1:2 with steps lw 2 title '%s %s'" % (
                fn, "zonealloc" if side == "za" else "kernel",
                what.replace("lat_", "")))
        script += """
set terminal pngcairo size 900,520 noenhanced
set output '%s/performance-latency.png'
set title 'Single order-0 allocations and frees (4096 in a row, %s): distribution'
unset arrow
set xtics norotate
set xtics auto
set logscale x
set xrange [100:200000]
set xlabel 'ns (icount: instructions)'
set ylabel 'percentile'
set yrange [0:100]
set key bottom right
plot %s
""" % (outdir, mode, ", ".join(lines))
    subprocess.run(["gnuplot"], input=script, text=True, check=False)
    shutil.rmtree(tmp, ignore_errors=True)


def main(argv):
    outdir = None
    if len(argv) > 1 and argv[0] == "--plot":
        outdir = argv[1]
        argv = argv[2:]
    plotdata = {}
    for arg in argv:
        mode, _, path = arg.partition("=")
        report(mode, path, sys.stdout, plotdata)
    if outdir:
        plot(plotdata, outdir)


if __name__ == "__main__":
    main(sys.argv[1:])
