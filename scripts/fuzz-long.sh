#!/usr/bin/env bash
# Long fuzzing runs of the Jazzer targets in mesh/src/test/java/io/nowmesh/mesh/fuzz (the default
# `mvn verify` only replays their seed inputs). Runs each target for DURATION seconds, one Maven
# run per target (libFuzzer allows one fuzz test per process).
#
# Usage: scripts/fuzz-long.sh [DURATION_SECONDS] [TARGET...]
#   DURATION_SECONDS  per target, default 600
#   TARGET            Class or Class#method in io.nowmesh.mesh.fuzz (default: all targets)
#
# Findings: Jazzer writes each crashing input as crash-<sha1> into
#   mesh/src/test/resources/io/nowmesh/mesh/fuzz/<Class>Inputs/<method>/
# where the default build replays it from then on. Fix the bug, rename the file to say what it
# shows, note the fix in docs/security.md, commit both. The growing corpus stays in
# mesh/.cifuzz-corpus (git-ignored) and makes later runs start where this one stopped.
#
# Memory is bounded on purpose: the fork gets -Xmx512m, so a decoder that buffers without limit
# fails with OutOfMemoryError, which Jazzer reports as a finding.
set -euo pipefail

cd "$(dirname "$0")/.."
duration=${1:-600}
[[ $duration =~ ^[0-9]+$ && $duration -gt 0 ]] || { echo "fuzz-long: DURATION_SECONDS must be a positive number" >&2; exit 2; }
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(FrameDecoderFuzzTest EnvelopeFuzzTest TlsSettingsFuzzTest DeviceSettingsFuzzTest)
fi

failed=()
for t in "${targets[@]}"; do
  [[ $t =~ ^[A-Za-z0-9_]+(#[A-Za-z0-9_]+)?$ ]] || { echo "fuzz-long: bad target '$t'" >&2; exit 2; }
  echo "=== fuzzing $t for ${duration}s"
  # jazzer.internal.arg.N is how Jazzer's own launcher hands libFuzzer flags to a JUnit fuzz test;
  # they are applied after the @FuzzTest(maxDuration) value, so this -max_total_time wins.
  if ! JAZZER_FUZZ=1 mvn -B -q -pl mesh -am test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -DargLine=-Xmx512m \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$duration"; then
    failed+=("$t")
  fi
  report=$(ls mesh/target/surefire-reports/io.nowmesh.mesh.fuzz."${t%%#*}"-output.txt 2>/dev/null || true)
  [[ -n $report ]] && grep -E "^(#[0-9]+ +DONE|Done [0-9]+ runs)|DEDUP_TOKEN|== Java Exception" "$report" || true
done

echo "=== new or changed inputs (findings are crash-*):"
git status --short -- mesh/src/test/resources/io/nowmesh/mesh/fuzz || true
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz-long: findings in: ${failed[*]} (see mesh/target/surefire-reports)" >&2
  exit 1
fi
echo "fuzz-long: no findings"
