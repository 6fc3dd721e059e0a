#!/usr/bin/env bash
# Bounded coverage-guided fuzzing of the tflite module's @FuzzTest targets with Jazzer (docs/fuzzing.md):
#   scripts/fuzz.sh [SECONDS]        fuzz each target for SECONDS (default 60), one after the other
# Env: FUZZ_TARGETS (default "ModelReaderFuzzTest ModelRunFuzzTest ModelGraphFuzzTest"), FUZZ_TIMEOUT (seconds
# one input may take before libFuzzer reports a hang, default 10), FUZZ_ARGS (more Maven -D options, e.g.
# -Djazzer.valueprofile=true).
# Exits non-zero on a finding. A finding's input is saved under
# tflite/src/test/resources/dev/qlanes/tflite/fuzz/<Target>Inputs/<method>/crash-*, where every later build replays
# it, and printed here in base64 (a CI clone is thrown away). The growing corpus stays in tflite/.cifuzz-corpus/
# (ignored by git) and is reused by the next run on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
case "$seconds" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2;; esac
targets="${FUZZ_TARGETS:-ModelReaderFuzzTest ModelRunFuzzTest ModelGraphFuzzTest}"
inputs=tflite/src/test/resources/dev/qlanes/tflite/fuzz
log=tflite/target/fuzz.log
mkdir -p tflite/target
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT
start=$(date +%s)
echo "[fuzz] ${targets// /, }: ${seconds} s each"
rc=0
: > "$log"
for target in $targets; do
  # test-compile builds the module and what it depends on, without running any test execution; surefire's default
  # execution then fuzzes the one target (Jazzer fuzzes one test per JVM; -Dtest also bypasses the pom's excludes).
  # jazzer.internal.arg.N are libFuzzer's arguments (N=0 is argv[0]): -timeout bounds the time of one input.
  JAZZER_FUZZ=1 ./mvnw -B -pl tflite -am test-compile surefire:test@default-test \
    -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=true \
    -Djazzer.max_duration="${seconds}s" -Djazzer.instrumentation_includes='dev.qlanes.**' \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout="${FUZZ_TIMEOUT:-10}" \
    -Djazzer.internal.arg.2=-print_final_stats=1 ${FUZZ_ARGS:-} >> "$log" 2>&1 || rc=$?
done
grep -E '^(#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|Model[A-Za-z]+FuzzTest\.[a-z]+:|== Java Exception|INFO: (Seed|.*files found)|\[ERROR\] Tests run|Tests run:)' "$log" \
  | grep -v 'jazzer-java-seeds' || true
found=0
while IFS= read -r f; do
  found=1
  echo "[fuzz] finding saved as $f ($(wc -c < "$f") bytes), base64:"
  base64 -w 0 "$f"; echo
done < <(find "$inputs" -type f -name 'crash-*' -newer "$marker" 2>/dev/null)
echo "[fuzz] wall time $(( $(date +%s) - start )) s, log $log"
if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
  grep -E -A12 '== Java Exception|FuzzTestFindingException|<<< (ERROR|FAILURE)' "$log" | head -60 || true
  echo "[fuzz] FAILED (exit $rc)" >&2
  exit 1
fi
