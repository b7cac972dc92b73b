#!/usr/bin/env bash
# The long reliability runs of docs/reliability.md: 100,000 messages at BER 1e-4, 20,000 through
# mixed faults (drops, duplicates, stalls, abrupt closes), 200 reboots and 200 replugs.
# Usage: tools/reliability-long.sh [ber-messages] [mixed-messages] [cycles]
set -euo pipefail
cd "$(dirname "$0")/.."
BER=${1:-100000}
MIXED=${2:-20000}
CYCLES=${3:-200}
mvn -B -q -pl actors -am test \
  -Dtest='LinkFaultSoakTest,RebootAndReplugCycleTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dnowmesh.reliability.ber.messages="$BER" \
  -Dnowmesh.reliability.mixed.messages="$MIXED" \
  -Dnowmesh.reliability.cycles="$CYCLES"
# The tests print what they measured (rates, outcome histograms, injected-fault counters).
grep -h -E "link soak|reboots in|resources before" \
  actors/target/surefire-reports/io.nowmesh.actors.reliability.*-output.txt
