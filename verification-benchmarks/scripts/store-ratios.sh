#!/usr/bin/env bash
# Paired store ratios (issue 19): the service's verifyCode on a shared store beside the engine's
# bare round trip, measured in alternation so that each call and its floor see the same load.
#
# One round runs, each as its own short JMH trial (one fork): the floor, a wrong verifyCode, a
# right verifyCode, all at 8 threads. The rounds repeat; each round gives a wrong/floor and a
# right/floor ratio, and the script prints every round and the median ratio with its range. A
# loaded machine moves the absolute figures from round to round, but within one round the floor
# and the calls run seconds apart, so the ratios stay readable where the sequential JMH order
# (all forks of one benchmark, then the next) is not.
#
# Usage (after ./mvnw -q -pl verification-benchmarks -am package -DskipTests):
#   verification-benchmarks/scripts/store-ratios.sh [redis|postgresql|both] [rounds]
# Env: BENCH_JAR (default verification-benchmarks/target/benchmarks.jar), JMH_ARGS (default
# "-f 1 -wi 1 -w 2s -i 2 -r 2s"), OUT (a directory for the JSON results; default a temp dir).
set -euo pipefail
cd "$(dirname "$0")/../.."
which=${1:-both}
rounds=${2:-5}
jar=${BENCH_JAR:-verification-benchmarks/target/benchmarks.jar}
jmh_args=${JMH_ARGS:--f 1 -wi 1 -w 2s -i 2 -r 2s}
out=${OUT:-$(mktemp -d)}
[ -f "$jar" ] || { echo "no $jar: run ./mvnw -q -pl verification-benchmarks -am package -DskipTests" >&2; exit 1; }
mkdir -p "$out"

engines=()
case "$which" in
  redis) engines=(redis) ;;
  postgresql) engines=(postgresql) ;;
  both) engines=(redis postgresql) ;;
  *) echo "usage: $0 [redis|postgresql|both] [rounds]" >&2; exit 2 ;;
esac

run() { # <engine> <round> <benchmark regex> <name>
  local file="$out/$1-$2-$4.json"
  # shellcheck disable=SC2086
  java -jar "$jar" "$3" $jmh_args -rf json -rff "$file" >"$out/$1-$2-$4.log" 2>&1 \
    || { echo "JMH failed, see $out/$1-$2-$4.log" >&2; exit 1; }
}

for engine in "${engines[@]}"; do
  if [ "$engine" = redis ]; then class=RedisStoreBenchmark; floor=bareEvalshaEightThreads
  else class=JdbcStoreBenchmark; floor=bareUpdateEightThreads; fi
  for r in $(seq 1 "$rounds"); do
    echo "$engine round $r/$rounds (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    run "$engine" "$r" "$class\.$floor\$" floor
    run "$engine" "$r" "$class\.wrongCodeEightThreads\$" wrong
    run "$engine" "$r" "$class\.rightCodeEightThreads\$" right
  done
done

/usr/bin/python3 - "$out" "$rounds" "${engines[@]}" <<'PY'
import json, statistics, sys
out, rounds, engines = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def score(path):
    with open(path) as f:
        return json.load(f)[0]["primaryMetric"]["score"]
for engine in engines:
    print(f"\n{engine}: ops/s at 8 threads per round (floor, wrong, right) and ratios to the floor")
    wr, rr, fl, wa, ra = [], [], [], [], []
    for r in range(1, rounds + 1):
        f, w, g = (score(f"{out}/{engine}-{r}-{n}.json") for n in ("floor", "wrong", "right"))
        fl.append(f); wa.append(w); ra.append(g); wr.append(w / f); rr.append(g / f)
        print(f"  round {r}: floor {f:,.0f}  wrong {w:,.0f} ({w / f:.2f})  right {g:,.0f} ({g / f:.2f})")
    m = statistics.median
    print(f"  median: floor {m(fl):,.0f} ({min(fl):,.0f}-{max(fl):,.0f}), wrong {m(wa):,.0f} ({min(wa):,.0f}-{max(wa):,.0f}), right {m(ra):,.0f} ({min(ra):,.0f}-{max(ra):,.0f})")
    print(f"  ratio wrong/floor: median {m(wr):.2f} (range {min(wr):.2f}-{max(wr):.2f}); right/floor: median {m(rr):.2f} (range {min(rr):.2f}-{max(rr):.2f})")
PY
echo "JSON results: $out"
