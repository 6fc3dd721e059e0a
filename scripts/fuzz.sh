#!/usr/bin/env bash
# Bounded coverage-guided fuzzing of the @FuzzTest targets of the kernels and tflite modules with Jazzer
# (docs/fuzzing.md):
#   scripts/fuzz.sh [SECONDS]        fuzz each target for SECONDS (default 60), one after the other
# Env: FUZZ_TARGETS (default: the kernels targets, then the tflite ones; class names, each found in whichever module
# holds it), FUZZ_TIMEOUT (seconds one input may take before libFuzzer reports a hang, default 10), FUZZ_ARGS (more
# Maven -D options, e.g. -Djazzer.valueprofile=true).
# Exits non-zero on a finding. A finding's input is saved under
# <module>/src/test/resources/dev/qlanes/[tflite/]fuzz/<Target>Inputs/<method>/crash-*, where every later build replays
# it, and printed here in base64 (a CI clone is thrown away). The growing corpus stays in <module>/.cifuzz-corpus/
# (ignored by git) and is reused by the next run on this machine. The full log is target/fuzz.log.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
case "$seconds" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2;; esac
targets="${FUZZ_TARGETS:-TensorUtilsFuzzTest PreparedWeightsFuzzTest HybridLayerFuzzTest QuantizedLayerFuzzTest FloatLayerFuzzTest \
FixedPointFuzzTest ModelReaderFuzzTest ModelRunFuzzTest ModelGraphFuzzTest}"
modules="kernels tflite"
log=target/fuzz.log
mkdir -p target
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT
start=$(date +%s)
echo "[fuzz] ${targets// /, }: ${seconds} s each"
rc=0
: > "$log"
for target in $targets; do
  module=
  for m in $modules; do
    if [ -n "$(find "$m/src/test/java" -name "$target.java" -print -quit)" ]; then module=$m; break; fi
  done
  if [ -z "$module" ]; then echo "[fuzz] no fuzz target $target in: $modules" >&2; exit 2; fi
  # test-compile builds the module and what it depends on, without running any test execution; surefire's default
  # execution then fuzzes the one target (Jazzer fuzzes one test per JVM; -Dtest also bypasses the pom's excludes).
  # jazzer.internal.arg.N are libFuzzer's arguments (N=0 is argv[0]): -timeout bounds the time of one input.
  t0=$(date +%s)
  JAZZER_FUZZ=1 ./mvnw -B -pl "$module" -am test-compile surefire:test@default-test \
    -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=true \
    -Djazzer.max_duration="${seconds}s" -Djazzer.instrumentation_includes='dev.qlanes.**' \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout="${FUZZ_TIMEOUT:-10}" \
    -Djazzer.internal.arg.2=-print_final_stats=1 ${FUZZ_ARGS:-} >> "$log" 2>&1 || rc=$?
  echo "[fuzz] $module $target: $(( $(date +%s) - t0 )) s wall" >> "$log"
done
grep -E '^(#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|[A-Za-z]+FuzzTest\.[A-Za-z]+: [0-9]+ inputs|== Java Exception|INFO: (Seed|.*files found)|\[fuzz\]|\[ERROR\] Tests run|Tests run:)' "$log" \
  | grep -v 'jazzer-java-seeds' || true
found=0
while IFS= read -r f; do
  found=1
  echo "[fuzz] finding saved as $f ($(wc -c < "$f") bytes), base64:"
  base64 -w 0 "$f"; echo
done < <(for m in $modules; do find "$m/src/test/resources" -path '*fuzz*' -type f -name 'crash-*' -newer "$marker"; done \
  2>/dev/null)
echo "[fuzz] wall time $(( $(date +%s) - start )) s, log $log"
if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
  grep -E -A12 '== Java Exception|FuzzTestFindingException|<<< (ERROR|FAILURE)' "$log" | head -60 || true
  echo "[fuzz] FAILED (exit $rc)" >&2
  exit 1
fi
