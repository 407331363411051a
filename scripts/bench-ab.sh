#!/usr/bin/env bash
# A/B timing of two skillsite binaries on the same project, alternating runs (A B A B ...) so
# that drift of the machine's speed hits both alike; prints the median wall and CPU time of
# each and the median of the per-pair ratios A/B.
#
#   scripts/bench-ab.sh OLD_BIN NEW_BIN PROJECT [RUNS]
#
# Used for the cost of a change (docs/benchmarks.md, "Cost of the security layer"): build the
# old binary from the commit before the change (git worktree add /tmp/old REV && cargo build
# --release there), the new one from HEAD. Needs GNU time (/usr/bin/time) and python3.
set -euo pipefail
OLD="$1"; NEW="$2"; PROJECT="$3"; RUNS="${4:-11}"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
run() { /usr/bin/time -f "%e %U %S" -o "$OUT/t" "$1" build "$PROJECT" -d "$OUT/site-$2" >/dev/null 2>&1; cat "$OUT/t"; }
run "$OLD" a >/dev/null; run "$NEW" b >/dev/null   # warm-up
for _ in $(seq "$RUNS"); do
  echo "A $(run "$NEW" b)" >> "$OUT/runs"
  echo "B $(run "$OLD" a)" >> "$OUT/runs"
done
python3 - "$OUT/runs" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
a = [(float(w), float(u) + float(s)) for k, w, u, s in rows if k == "A"]
b = [(float(w), float(u) + float(s)) for k, w, u, s in rows if k == "B"]
med = statistics.median
print(f"new: wall {med(x[0] for x in a):.3f} s, cpu {med(x[1] for x in a):.3f} s")
print(f"old: wall {med(x[0] for x in b):.3f} s, cpu {med(x[1] for x in b):.3f} s")
print(f"new/old: wall {med(x[0] / y[0] for x, y in zip(a, b)):.3f}, cpu {med(x[1] / y[1] for x, y in zip(a, b)):.3f} (median of {len(a)} pairs)")
PY
