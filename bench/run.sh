#!/usr/bin/env bash
# ferrobgp benchmarks, one peer on loopback (see the performance issue):
#   p1  config-inject: N static /32 routes in the configuration -> bgp-sink holds all N
#   p2  API-inject: a helper prints N `announce route` lines -> bgp-sink holds all N
#   p3  receive -> JSON: bgp-sink --feed sends a realistic table of N prefixes; a helper with
#       `receive { parsed; update; }` and `encoder json` counts the "nlri" it is sent
# Prints wall seconds (daemon start -> last route at its destination), routes/s, peak RSS of
# the daemon (VmHWM) and its CPU seconds. With BENCH_EXABGP=1 and `exabgp` installed, runs
# ExaBGP on the same scenario too and prints the ratio.
#
#   ka  keepalives during a transfer: p1 and p3 with hold-time 9; the peer stays 12 s after
#       the last route and reports the longest gap between the daemon's KEEPALIVEs (must stay
#       under the hold time: the session never drops while the daemon is busy)
#
# Usage: bench/run.sh [p1|p2|p3|all|ka] [N ...]      (default: all 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scenario=${1:-all}
[ $# -gt 0 ] && shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
# FERROBGP_BENCH_BIN: a folder with prebuilt ferrobgp and bgp-sink binaries (skips the build).
if [ -n "${FERROBGP_BENCH_BIN:-}" ]; then
  bin=$FERROBGP_BENCH_BIN
else
  cargo build --release --quiet --bin ferrobgp --bin bgp-sink
  bin=$root/target/release
fi
clk=$(getconf CLK_TCK)
# The helpers run on the interpreter itself, without site packages: a version manager's shim
# or site start-up would otherwise add a tenth of a second to every figure. The system one
# first: ExaBGP runs its helpers as nobody, who may not reach a per-user installation.
python=/usr/bin/python3
[ -x "$python" ] || python=$(python3 -c 'import sys; print(sys.executable)')
limit=${BENCH_TIMEOUT:-600}

hold=
neighbor() { # $1 = extra lines inside the neighbor block
  printf 'neighbor 127.0.0.1 {\n router-id 10.255.0.1;\n local-address 127.0.0.1;\n local-as 65000;\n peer-as 65000;\n%s family { ipv4 unicast; }\n%s}\n' "$hold" "$1"
}

make_config() { # $1 scenario, $2 N, $3 folder
  case $1 in
    p1)
      python3 - "$2" "$hold" > "$3/bench.conf" <<'PY'
import sys
n = int(sys.argv[1])
w = sys.stdout.write
hold = sys.argv[2]
w("neighbor 127.0.0.1 {\n router-id 10.255.0.1;\n local-address 127.0.0.1;\n local-as 65000;\n"
  f" peer-as 65000;\n{hold} family {{ ipv4 unicast; }}\n static {{\n")
base = 0x0B000000
for i in range(n):
    a = base + i
    w(f"  route {a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/32 next-hop 192.0.2.1;\n")
w(" }\n}\n")
PY
      ;;
    p2)
      { printf 'process feeder {\n run %s -S %s/bench/announce.py;\n encoder text;\n}\n' "$python" "$root"
        neighbor " api { processes [ feeder ]; }
"; } > "$3/bench.conf" ;;
    p3)
      { printf 'process counter {\n run %s -S %s/bench/count.py;\n encoder json;\n}\n' "$python" "$root"
        neighbor " api { processes [ counter ]; receive { parsed; update; } }
"; } > "$3/bench.conf" ;;
  esac
}

# Runs one scenario with one daemon command; prints "wall hwm_kb cpu_s".
measure() { # $1 scenario, $2 N, $3 folder, $4... daemon command
  local sc=$1 n=$2 dir=$3; shift 3
  local sink_args=(--port 0 --ready "$dir/port")
  if [ "$sc" = p3 ]; then sink_args+=(--feed "$n"); else sink_args+=(--expect "$n"); fi
  [ -n "${BENCH_WATCH:-}" ] && sink_args+=(--watch "$BENCH_WATCH")
  "$bin/bgp-sink" "${sink_args[@]}" > "$dir/sink.out" 2>&1 &
  local sink=$!
  for _ in $(seq 200); do [ -s "$dir/port" ] && break; sleep 0.05; done
  local port; port=$(cat "$dir/port")
  local start; start=$(date +%s.%N)
  env exabgp_tcp_port="$port" exabgp_tcp_bind= exabgp_log_enable=false exabgp_api_cli=false \
    BENCH_ROUTES="$n" BENCH_DONE="$dir/done" "$@" "$dir/bench.conf" \
    > "$dir/daemon.out" 2>&1 &
  local daemon=$!
  local hwm=0 cpu=0 i
  for i in $(seq $((limit * 100))); do
    if [ "$sc" = p3 ]; then [ -e "$dir/done" ] && break; else kill -0 "$sink" 2>/dev/null || break; fi
    kill -0 "$daemon" 2>/dev/null || break
    sleep 0.01
  done
  local end; end=$(date +%s.%N)
  # The peer (or the counting helper) records when the last route arrived: the bench's own
  # polling would add up to its interval to every figure.
  local at=""
  if [ "$sc" = p3 ]; then at=$(awk '{print $2}' "$dir/done" 2>/dev/null || true)
  else at=$(grep -o 'last_at=[0-9.]*' "$dir/sink.out" 2>/dev/null | cut -d= -f2 || true); fi
  [ -n "$at" ] && end=$at
  if [ -n "${BENCH_WATCH:-}" ]; then
    # The peer stays for the watch, then reports the daemon's keepalives.
    for i in $(seq $(( (${BENCH_WATCH%.*} + 10) * 20 ))); do kill -0 "$sink" 2>/dev/null || break; sleep 0.05; done
  fi
  # The daemon's helpers and Python children count too for ExaBGP; for both we read the
  # daemon process itself (ferrobgp's helpers are the bench's own scripts).
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$daemon/status" 2>/dev/null || echo 0)
  cpu=$(awk -v t="$clk" '{printf "%.2f", ($14 + $15) / t}' "/proc/$daemon/stat" 2>/dev/null || echo 0)
  kill "$daemon" 2>/dev/null || true
  kill "$sink" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  wait "$sink" 2>/dev/null || true
  local ok=0
  if [ "$sc" = p3 ]; then [ -e "$dir/done" ] && ok=1; else grep -q "prefixes=$n " "$dir/sink.out" && ok=1; fi
  if [ $ok = 0 ]; then
    echo "FAILED" ; tail -3 "$dir/sink.out" >&2; tail -5 "$dir/daemon.out" >&2; return
  fi
  awk -v s="$start" -v e="$end" -v h="$hwm" -v c="$cpu" 'BEGIN { printf "%.2f %d %s\n", e - s, h, c }'
}

report() { # $1 label, $2 scenario, $3 N, $4 "wall hwm cpu"
  if [ "$4" = FAILED ]; then printf '%-9s %-3s %9s  FAILED\n' "$1" "$2" "$3"; return; fi
  read -r wall hwm cpu <<< "$4"
  awk -v l="$1" -v sc="$2" -v n="$3" -v w="$wall" -v h="$hwm" -v c="$cpu" \
    'BEGIN { printf "%-9s %-3s %9d %9.2f %12.0f %11.1f %7s\n", l, sc, n, w, n / w, h / 1024, c }'
}

# Median of several runs (by wall time): BENCH_RUNS, 3 by default as in the issue's figures.
runs=${BENCH_RUNS:-3}
median() { # $1 scenario, $2 N, $3 folder, $4... daemon command; prints "wall hwm cpu" or FAILED
  local sc=$1 n=$2 dir=$3; shift 3
  local all=() one i
  for i in $(seq "$runs"); do
    rm -f "$dir/port" "$dir/done"
    one=$(measure "$sc" "$n" "$dir" "$@")
    if [ "$one" = FAILED ]; then echo FAILED; return; fi
    all+=("$one")
  done
  printf '%s\n' "${all[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

scenarios=(p1 p2 p3)
[ "$scenario" = all ] || scenarios=("$scenario")
if [ "$scenario" = ka ]; then
  scenarios=(p1 p3)
  BENCH_WATCH=12
  runs=1
  hold=$' hold-time 9;\n'
  [ $# -gt 0 ] || sizes=(1000000)
fi
echo "median of $runs run(s) each"
printf '%-9s %-3s %9s %9s %12s %11s %7s\n' daemon sc routes wall_s routes_per_s peak_rss_mb cpu_s
for sc in "${scenarios[@]}"; do
  for n in "${sizes[@]}"; do
    # ExaBGP runs its helpers as nobody: they must be able to write the done file.
    tmp=$(mktemp -d); chmod 777 "$tmp"
    make_config "$sc" "$n" "$tmp"
    ours=$(median "$sc" "$n" "$tmp" "$bin/ferrobgp" server)
    report ferrobgp "$sc" "$n" "$ours"
    if [ -n "${BENCH_WATCH:-}" ]; then
      ka=$(grep -o 'keepalives=.*' "$tmp/sink.out" || echo "keepalives=none: session lost")
      printf 'keepalive %-3s %9d  hold-time 9: %s\n' "$sc" "$n" "$ka"
    fi
    if [ "${BENCH_EXABGP:-0}" = 1 ] && command -v exabgp >/dev/null; then
      theirs=$(median "$sc" "$n" "$tmp" exabgp)
      report exabgp "$sc" "$n" "$theirs"
      if [ "$ours" != FAILED ] && [ "$theirs" != FAILED ]; then
        awk -v a="${ours%% *}" -v b="${theirs%% *}" 'BEGIN { printf "ratio     %-3s %9s %8.1fx faster\n", "", "", b / a }'
      fi
    fi
    rm -rf "$tmp"
  done
done
