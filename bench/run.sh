#!/usr/bin/env bash
# Config-inject benchmark (P1): N static IPv4 /32 routes in the configuration; ferrobgp is
# started against bgp-sink on loopback, which counts prefixes until it has all N.
# Prints wall seconds from daemon start to the last prefix at the sink, routes/s, peak RSS
# (VmHWM) and CPU seconds of the daemon.
#
# Usage: bench/run.sh [N ...]          (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
# FERROBGP_BENCH_BIN: a folder with prebuilt ferrobgp and bgp-sink binaries (skips the build).
if [ -n "${FERROBGP_BENCH_BIN:-}" ]; then
  bin=$FERROBGP_BENCH_BIN
else
  cargo build --release --quiet --bin ferrobgp --bin bgp-sink
  bin=target/release
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
clk=$(getconf CLK_TCK)

printf '%-10s %10s %12s %12s %10s\n' routes wall_s routes_per_s peak_rss_mb cpu_s
for n in "${sizes[@]}"; do
  tmp=$(mktemp -d)
  python3 - "$n" > "$tmp/bench.conf" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
out.write("neighbor 127.0.0.1 {\n router-id 10.255.0.1;\n local-address 127.0.0.1;\n"
          " local-as 65000;\n peer-as 65000;\n family { ipv4 unicast; }\n static {\n")
base = 0x0B000000
for i in range(n):
    a = base + i
    out.write(f"  route {a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/32 next-hop 192.0.2.1;\n")
out.write(" }\n}\n")
PY
  "$bin/bgp-sink" --port 0 --ready "$tmp/port" --expect "$n" > "$tmp/sink.out" 2>&1 &
  sink=$!
  for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
  port=$(cat "$tmp/port")
  start=$(date +%s.%N)
  env exabgp_tcp_port="$port" exabgp_tcp_bind= exabgp_log_enable=false exabgp_api_cli=false \
    "$bin/ferrobgp" server "$tmp/bench.conf" > "$tmp/daemon.out" 2>&1 &
  daemon=$!
  # Bounded wait: 600 s at most.
  for _ in $(seq 6000); do kill -0 "$sink" 2>/dev/null || break; sleep 0.1; done
  end=$(date +%s.%N)
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$daemon/status" 2>/dev/null || echo 0)
  cpu=$(awk -v t="$clk" '{printf "%.2f", ($14 + $15) / t}' "/proc/$daemon/stat" 2>/dev/null || echo 0)
  kill "$daemon" 2>/dev/null || true
  kill "$sink" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  wait "$sink" 2>/dev/null || true
  if ! grep -q "prefixes=$n " "$tmp/sink.out"; then
    echo "bench failed for N=$n:"; cat "$tmp/sink.out"; tail -5 "$tmp/daemon.out"; exit 1
  fi
  awk -v n="$n" -v s="$start" -v e="$end" -v h="$hwm" -v c="$cpu" \
    'BEGIN { w = e - s; printf "%-10s %10.2f %12.0f %12.1f %10s\n", n, w, n / w, h / 1024, c }'
  rm -rf "$tmp"
done
