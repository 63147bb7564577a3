#!/bin/sh
# Re-record the API fixtures from ExaBGP 5.0.15 (must be on PATH as `exabgp`, or give the
# command in FERROBGP_API_DAEMON). The fixtures are the normalised helper log and the bytes
# the loopback peer received, as tests/api.rs compares them.
set -eu
cd "$(dirname "$0")/../.."
: "${FERROBGP_API_DAEMON:=exabgp}"
export FERROBGP_API_DAEMON
FERROBGP_API_RECORD=1 cargo test --test api -- --test-threads=1 match_exabgp
