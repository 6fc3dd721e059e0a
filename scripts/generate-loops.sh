#!/usr/bin/env bash
# Regenerates the written-out loop families (dot products, float transposes) from kernels/src/template/*.template
# (LoopTemplate's Javadoc has the language). Needs only a JDK 25 (single-file source launch); GeneratedLoopsTest
# fails the build while a generated file differs from its template.
#   scripts/generate-loops.sh           rewrite the generated files
#   scripts/generate-loops.sh --check   list stale files and exit 1, change nothing
set -euo pipefail
cd "$(dirname "$0")/.."
jdk="$(scripts/find-jdk.sh)"
exec "$jdk/bin/java" kernels/src/test/java/dev/qlanes/generate/LoopTemplate.java "$@"
