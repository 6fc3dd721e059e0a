#!/usr/bin/env bash
# Builds the public API's Javadoc (modules dev.qlanes.reference, dev.qlanes.kernels and dev.qlanes.tflite) with
# JDK 25's javadoc tool and fails on any doclint warning. Doclint runs with every group except 'missing' (the
# per-parameter @param/@return completeness check); the maven-javadoc-plugin is not used because, with Maven on
# an older JDK, it cannot read JDK 25 module descriptors.
set -euo pipefail
cd "$(dirname "$0")/.."
java_home=$(scripts/find-jdk.sh)
out=${1:-target/javadoc}
log=$(mktemp)
"$java_home/bin/javadoc" -quiet -d "$out" \
  --module-source-path "dev.qlanes.reference=scalar-reference/src/main/java" \
  --module-source-path "dev.qlanes.kernels=kernels/src/main/java" \
  --module-source-path "dev.qlanes.tflite=tflite/src/main/java" \
  --add-modules jdk.incubator.vector --module dev.qlanes.reference,dev.qlanes.kernels,dev.qlanes.tflite \
  -Xdoclint:all,-missing 2>&1 | tee "$log"
if grep -E "warning|error" "$log" | grep -vE "incubating|^[0-9]+ warnings?$" | grep -q .; then
  echo "javadoc: warnings above" >&2
  exit 1
fi
echo "javadoc: $out/index.html, no warnings"
