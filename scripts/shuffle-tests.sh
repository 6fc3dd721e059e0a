#!/usr/bin/env bash
# Runs one surefire fork of the kernels module with its test classes in random orders, one seed after the other
# (docs/performance.md, "Test order"). The build always runs them in one fixed order; which classes warm a JVM first
# decides what C2 compiles, and so whether a kernel's steady state allocates, so other orders find what one order
# hides:
#   scripts/shuffle-tests.sh [FORK] [SEEDS...]    FORK a surefire execution id of kernels/pom.xml (default
#                                                 vector-128); SEEDS default 1..8
# Env: SHUFFLE_TESTS (a -Dtest pattern, default every class of the fork).
# Prints each seed's result and the failing tests' summary lines; exits non-zero if any seed failed. A seed gives the
# same order again (surefire's runOrder.random.seed), though compilation timing still varies between runs. Logs go to
# kernels/target/shuffle/<fork>-<seed>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
fork="${1:-vector-128}"
shift || true
seeds=("$@")
if [ ${#seeds[@]} -eq 0 ]; then seeds=(1 2 3 4 5 6 7 8); fi
for s in "${seeds[@]}"; do
  case "$s" in ''|*[!0-9]*) echo "usage: scripts/shuffle-tests.sh [FORK] [SEEDS...]" >&2; exit 2;; esac
done
mkdir -p kernels/target/shuffle
# The module and what it depends on built and installed once (the fork resolves them from the local repository).
./mvnw -q -B -pl kernels -am install -DskipTests
failed=0
for seed in "${seeds[@]}"; do
  log="kernels/target/shuffle/$fork-$seed.log"
  t0=$(date +%s)
  if ./mvnw -B -pl kernels surefire:test@"$fork" -Dqlanes.test.order=random -Dsurefire.runOrder.random.seed="$seed" \
      ${SHUFFLE_TESTS:+-Dtest="$SHUFFLE_TESTS"} > "$log" 2>&1; then
    echo "[shuffle] $fork seed $seed: pass ($(( $(date +%s) - t0 )) s)"
  else
    failed=$((failed + 1))
    echo "[shuffle] $fork seed $seed: FAIL ($(( $(date +%s) - t0 )) s), $log"
    grep -E '^\[ERROR\]   [A-Za-z].*:[0-9]+' "$log" | cut -c1-600 || true
  fi
done
echo "[shuffle] $fork: $failed of ${#seeds[@]} seeds failed"
[ "$failed" -eq 0 ]
