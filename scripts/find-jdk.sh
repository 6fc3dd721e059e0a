#!/usr/bin/env bash
# Prints the home of an installed JDK 25+ (the JDK qlanes runs on), or explains what to install and fails.
# Looks where the Maven toolchains plugin looks: JAVA25_HOME.., JAVA_HOME, the system JVM directories.
set -euo pipefail
required=25
feature() { # $1 = JDK home; prints its feature version or nothing
  [ -f "$1/release" ] && sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
}
candidates=()
for v in $(env | sed -n 's/^\(JAVA[0-9]*_HOME\)=.*/\1/p'); do candidates+=("${!v}"); done
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
for root in /usr/lib/jvm /usr/java /opt/java /opt "$HOME/.sdkman/candidates/java" "$HOME/.jdks" /Library/Java/JavaVirtualMachines; do
  for d in "$root"/*/ "$root"/*/Contents/Home/; do [ -d "$d" ] && candidates+=("${d%/}"); done
done
best=""; bestv=0
for home in "${candidates[@]}"; do
  v=$(feature "$home" || true)
  if [ -n "$v" ] && [ "$v" -ge "$required" ] && [ -x "$home/bin/java" ] && { [ -z "$best" ] || [ "$v" -lt "$bestv" ]; }; then
    best="$home"; bestv="$v"   # prefer the lowest matching version: 25 is the one we test on
  fi
done
if [ -z "$best" ]; then
  echo "qlanes: no JDK $required+ found. Install one (e.g. Temurin $required, or any OpenJDK $required under /usr/lib/jvm)," >&2
  echo "qlanes: or set JAVA${required}_HOME to its home directory." >&2
  exit 1
fi
echo "$best"
