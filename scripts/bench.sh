#!/usr/bin/env bash
# Benchmark skillsite against Hugo and mdBook on the same synthetic corpus.
#
#   scripts/bench.sh [PAGES]          # PAGES defaults to 2000
#
# Environment:
#   RUNS=3                      timed builds per tool (the median is reported)
#   SEED=1                      corpus seed (scripts/gen-corpus.py --seed)
#   BENCH_TOOLS="skillsite hugo mdbook"   which tools to run
#   BENCH_DIR=/tmp/skillsite-bench        where corpora and outputs go
#   SKILLSITE_BIN=path          use this skillsite binary instead of building
#                               target/release/skillsite
#   SETTLE=65                   seconds to wait after generating the corpora, before the
#                               first timed run (see "Runs" in docs/benchmarks.md)
#
# Installs what it needs if missing (GNU time and hugo from Debian, mdBook 0.5.x
# with cargo install), generates the corpus once per tool, runs each build RUNS
# times under /usr/bin/time -v with an empty output directory, and writes the
# median wall time and peak RSS into docs/benchmarks.md (the block for this
# page count is replaced; other page counts are kept).
set -euo pipefail

PAGES="${1:-2000}"
RUNS="${RUNS:-3}"
SEED="${SEED:-1}"
SETTLE="${SETTLE:-65}"
TOOLS="${BENCH_TOOLS:-skillsite hugo mdbook}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_DIR:-/tmp/skillsite-bench}/$PAGES"
REPORT="$ROOT/docs/benchmarks.md"
export PATH="$HOME/.cargo/bin:$PATH"

case "$PAGES" in ''|*[!0-9]*) echo "usage: $0 [PAGES]" >&2; exit 2 ;; esac
want() { [[ " $TOOLS " == *" $1 "* ]]; }
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
APT_UPDATED=""
apt_install() {
    if [ -z "$APT_UPDATED" ]; then
        $SUDO apt-get update -q >&2
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$@" >&2
}

# --- tools -------------------------------------------------------------------
[ -x /usr/bin/time ] || { log "installing GNU time"; apt_install time; }
command -v python3 >/dev/null || { log "installing python3"; apt_install python3; }
if want hugo && ! command -v hugo >/dev/null; then
    log "installing hugo (Debian package)"
    apt_install hugo
fi
if want mdbook && ! mdbook --version 2>/dev/null | grep -q ' v0\.5\.'; then
    log "installing mdBook 0.5.x (cargo install, takes a few minutes)"
    cargo install mdbook --locked --version '~0.5'
fi
SKILLSITE="${SKILLSITE_BIN:-$ROOT/target/release/skillsite}"
if want skillsite && [ -z "${SKILLSITE_BIN:-}" ]; then
    log "building skillsite (cargo build --release)"
    (cd "$ROOT" && cargo build --release --locked)
fi

# --- corpora -----------------------------------------------------------------
mkdir -p "$WORK"
# Outputs of an earlier invocation go now, before the pause below.
rm -rf "$WORK"/*-out "$WORK"/*-out-[0-9]*
GEN_TIMES=""
for tool in $TOOLS; do
    case "$tool" in skillsite|hugo|mdbook) ;; *) echo "unknown tool: $tool" >&2; exit 2 ;; esac
    log "generating $PAGES-page corpus for $tool"
    start=$(date +%s.%N)
    python3 "$ROOT/scripts/gen-corpus.py" "$WORK/$tool-corpus" --pages "$PAGES" --seed "$SEED" \
        --format "$tool" --force
    end=$(date +%s.%N)
    GEN_TIMES+="$tool=$(python3 -c "print(f'{$end - $start:.2f}')") "
done

command_for() {
    case "$1" in
        skillsite) echo "$SKILLSITE build $WORK/skillsite-corpus -d $WORK/skillsite-out" ;;
        hugo) echo "hugo --quiet -s $WORK/hugo-corpus -d $WORK/hugo-out" ;;
        mdbook) echo "mdbook build $WORK/mdbook-corpus -d $WORK/mdbook-out" ;;
    esac
}

# --- timed runs --------------------------------------------------------------
# On ext4 without a journal (this machine's), creating a file scans past every inode of its
# block group freed in the last 60 s (5 min while the inode table is dirty) and skips it, so
# a build that follows the deletion of thousands of files pays for each of them on every file
# it creates. Each run therefore writes into a new, empty folder, nothing is deleted between
# runs, and the deletions of the corpus generation are left to age before the first run.
log "letting the file system settle for ${SETTLE}s"
sync
sleep "$SETTLE"
BENCH_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
if python3 -c "import sys; sys.exit(0 if float('${BENCH_LOAD%% *}') > 0.5 else 1)"; then
    log "warning: load average is $BENCH_LOAD; other work on the machine will skew the timings"
fi
for tool in $TOOLS; do
    cmd=$(command_for "$tool")
    for i in $(seq 1 "$RUNS"); do
        run_cmd=${cmd/$WORK\/$tool-out/$WORK\/$tool-out-$i}
        log "$tool run $i/$RUNS: $run_cmd"
        # shellcheck disable=SC2086 # the command is a plain word list
        if ! /usr/bin/time -v -o "$WORK/$tool-run$i.time" $run_cmd >"$WORK/$tool-run$i.log" 2>&1; then
            echo "$tool failed; see $WORK/$tool-run$i.log" >&2
            tail -n 20 "$WORK/$tool-run$i.log" >&2
            exit 1
        fi
    done
    echo "$cmd" >"$WORK/$tool.cmd"
done
# Keep the last output of each tool (counted below) as $tool-out; the others go now that the
# timing is over.
for tool in $TOOLS; do
    mv "$WORK/$tool-out-$RUNS" "$WORK/$tool-out"
    rm -rf "$WORK/$tool"-out-[0-9]*
done

# --- versions and machine ----------------------------------------------------
versions=""
for tool in $TOOLS; do
    case "$tool" in
        skillsite) v=$("$SKILLSITE" --version 2>/dev/null || echo "skillsite (no --version)")
                   v="$v, git $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)" ;;
        hugo) v=$(hugo version | sed 's/ BuildDate.*//') ;;
        mdbook) v=$(mdbook --version) ;;
    esac
    versions+="$tool	$v"$'\n'
done
export BENCH_VERSIONS="$versions"
export BENCH_NPROC="$(nproc)"
export BENCH_FREE="$(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
export BENCH_CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
export BENCH_KERNEL="$(uname -sr)"
export BENCH_DATE="$(date -u +%Y-%m-%d)"
export BENCH_GEN_TIMES="$GEN_TIMES"
export BENCH_LOAD
export BENCH_ROOT="$ROOT"

log "writing $REPORT"
python3 - "$REPORT" "$WORK" "$PAGES" "$RUNS" "$SEED" $TOOLS <<'PY'
import os, re, statistics, sys
from pathlib import Path

report, work, pages, runs, seed, *tools = sys.argv[1:]
work = Path(work)
runs = int(runs)
NAMES = {"skillsite": "skillsite", "hugo": "Hugo", "mdbook": "mdBook"}

def parse(path):
    text = path.read_text()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", text)
    return secs, rss, int(cpu.group(1)) if cpu else 0

res = {}
for t in tools:
    samples = [parse(work / f"{t}-run{i}.time") for i in range(1, runs + 1)]
    out = work / f"{t}-out"
    html = sum(1 for _ in out.rglob("*.html")) if out.exists() else 0
    res[t] = {
        "wall": statistics.median(s[0] for s in samples),
        "walls": [s[0] for s in samples],
        "rss": statistics.median(s[1] for s in samples),
        "cpu": statistics.median(s[2] for s in samples),
        "html": html,
        "cmd": (work / f"{t}.cmd").read_text().strip().replace(os.environ["BENCH_ROOT"] + "/", "./"),
    }

def mib(kb):
    return f"{kb / 1024:.0f} MiB"

lines = [
    f"<!-- bench:{pages}:begin (generated by scripts/bench.sh; edits inside this block are overwritten) -->",
    f"### {int(pages):,} pages",
    "",
    f"Run on {os.environ['BENCH_DATE']}; median of {runs} runs, each into a new output directory, "
    "after the file system settled (see Method).",
    "",
    "| Tool | Median wall time | Runs (s) | Peak RSS (median) | CPU | HTML files written |",
    "|------|-----------------:|----------|------------------:|----:|-------------------:|",
]
for t in tools:
    r = res[t]
    runs_s = ", ".join(f"{w:.2f}" for w in r["walls"])
    lines.append(f"| {NAMES[t]} | {r['wall']:.2f} s | {runs_s} | {mib(r['rss'])} | {r['cpu']}% | {r['html']:,} |")
lines.append("")
if "skillsite" in res:
    for other in ("hugo", "mdbook"):
        if other in res:
            tr = res["skillsite"]["wall"] / res[other]["wall"]
            mr = res["skillsite"]["rss"] / res[other]["rss"]
            lines.append(f"- skillsite/{NAMES[other]}: **{tr:.2f}x** the wall time, {mr:.2f}x the peak memory "
                         f"({'faster' if tr < 1 else 'slower'} than {NAMES[other]}).")
else:
    lines.append("- skillsite was not run (BENCH_TOOLS did not include it), so there are no ratios yet.")
lines.append("")
lines += ["Machine:", "",
          f"- CPU: {os.environ['BENCH_CPU']}, `nproc` = {os.environ['BENCH_NPROC']}",
          f"- Memory (`free -h`): {os.environ['BENCH_FREE']}",
          f"- Kernel: {os.environ['BENCH_KERNEL']}",
          f"- Load average when the runs started (1, 5, 15 min): {os.environ['BENCH_LOAD']}"
          + (" (the machine was busy: treat these numbers as rough)"
             if float(os.environ['BENCH_LOAD'].split()[0]) > 0.5 else ""),
          "", "Versions:", ""]
for line in os.environ["BENCH_VERSIONS"].strip().splitlines():
    t, v = line.split("\t", 1)
    lines.append(f"- {NAMES[t]}: `{v}`")
gen = dict(kv.split("=") for kv in os.environ["BENCH_GEN_TIMES"].split())
lines += ["", "Commands:", "", "```bash",
          f"# corpus ({', '.join(f'{NAMES[t]}: {s} s' for t, s in gen.items())} to generate)"]
for t in tools:
    lines.append(f"python3 scripts/gen-corpus.py {work}/{t}-corpus --pages {pages} --seed {seed} --format {t}")
for t in tools:
    lines.append(f"/usr/bin/time -v {res[t]['cmd']}")
lines += ["```", f"<!-- bench:{pages}:end -->"]
block = "\n".join(lines)

path = Path(report)
if path.exists():
    text = path.read_text()
else:
    text = "# Benchmarks\n\nResults are written by `scripts/bench.sh`.\n\n## Results\n"
pat = re.compile(rf"<!-- bench:{pages}:begin.*?<!-- bench:{pages}:end -->", re.S)
if pat.search(text):
    text = pat.sub(lambda _: block, text)
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(text)
print(block)
PY
