#!/usr/bin/env bash
# Runs qlanes' bit-exact kernel suite (module kernels, JUnit 5 through Maven Surefire) on an EMULATED aarch64
# JVM, once per vector shape: NEON (128-bit), SVE-512 and SVE-256. Correctness only: timings under
# emulation say nothing about performance (docs/cross-architecture.md).
#
#   scripts/verify-aarch64.sh            all three shapes, every kernels test class (release checks)
#   scripts/verify-aarch64.sh --quick    NEON + SVE-512 on a subset of the classes (CI, < 10 min)
#   scripts/verify-aarch64.sh -h         options
#
# How: qemu-user-static (Debian package, installed when missing and running as root) runs an arm64 JDK 25
# that is unpacked with `dpkg -x` from Debian's own packages into a cache folder, together with the arm64
# libraries it needs; that folder is qemu's -L sysroot. The host's dpkg architectures and default JDK are
# never touched: the packages are fetched by apt-get with a private state folder and sources list. Maven
# still builds on the host (JDK 25 through the toolchains plugin); surefire's `jvm` parameter points the
# test fork at a small wrapper that execs the emulated java. After each run the HotSpot log is checked for
# proof that C2 compiled the kernels (ArrayDotLoops, VectorFixedPoint) and expanded the Vector API
# intrinsics there, so the aarch64 code generator, not the interpreter or C1, produced the checked bits.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# ---- settings (flags below override these) -----------------------------------------------------------
CACHE=${QLANES_AARCH64_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/qlanes/aarch64}
OUT=${QLANES_AARCH64_OUT:-$ROOT/target/verify-aarch64}
# The Debian suite that has an arm64 openjdk-25 (bookworm has none; trixie has it, with security updates).
SUITE=${QLANES_AARCH64_SUITE:-trixie}
MIRROR=${QLANES_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${QLANES_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
KEYRING=${QLANES_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
SCALE=${QLANES_AARCH64_SCALE:-small}
# Per shape; a run past it is killed with its whole process group and counts as a failure.
TIMEOUT=${QLANES_AARCH64_TIMEOUT:-1500}
# The JRE is enough: the classes are compiled on the host. The libraries are what its binaries link to.
PACKAGES=(openjdk-25-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g)
JDK_DIR=usr/lib/jvm/java-25-openjdk-arm64

# name | qemu -cpu | DispatchGuardTest expectation
ALL_SHAPES=(
  "neon|max,sve=off|vector:128"
  "sve512|max|vector:512"
  "sve256|max,sve256=on|vector:256"
)
QUICK_SHAPES=neon,sve512
# --quick: the dispatch guard, the dot kernels (ArrayDotLoops) and the lane-by-lane fixed-point tests
# (IntegerRequantizer, VectorFixedPoint). The other classes add 40-90 s each per shape under emulation; the full form runs them.
QUICK_TESTS=dev.qlanes.DispatchGuardTest,dev.qlanes.internal.vector.DotKernelTest,dev.qlanes.internal.vector.RequantizerLaneTest
# The classes whose C2 compilation is required (simple names, package dev.qlanes.internal.vector).
C2_REQUIRED=(ArrayDotLoops VectorFixedPoint)
# Compile thresholds of the kernels' package, scaled so that C2 compiles them after a few dozen calls.
C2_THRESHOLD_SCALING=0.01

usage() {
  cat <<EOF
usage: scripts/verify-aarch64.sh [--quick] [--shapes LIST] [--tests LIST] [--scale small|full]
                                 [--cache DIR] [--out DIR] [--refresh] [--setup-only]
  --quick        shapes $QUICK_SHAPES, test classes: ${QUICK_TESTS//dev.qlanes./}
  --shapes LIST  comma-separated subset of: neon (-cpu max,sve=off, 128-bit), sve512 (-cpu max),
                 sve256 (-cpu max,sve256=on); default all three
  --tests LIST   comma-separated fully qualified test classes; default every test class of kernels
  --scale S      qlanes.test.scale (default $SCALE; full is far too slow under emulation)
  --cache DIR    where the arm64 JDK and libraries are unpacked (default $CACHE)
  --out DIR      logs and HotSpot compilation logs per shape (default $OUT)
  --refresh      fetch the newest packages even when the cache is complete
  --setup-only   prepare qemu and the arm64 JDK, run nothing
Environment: QLANES_AARCH64_SUITE ($SUITE), QLANES_DEBIAN_MIRROR, QLANES_DEBIAN_SECURITY_MIRROR,
  QLANES_AARCH64_TIMEOUT (seconds per shape, $TIMEOUT), QLANES_AARCH64_CACHE, QLANES_AARCH64_OUT.
EOF
}

SHAPES=""; TESTS=""; REFRESH=0; SETUP_ONLY=0; QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --shapes) SHAPES=$2; shift ;;
    --tests) TESTS=$2; shift ;;
    --scale) SCALE=$2; shift ;;
    --cache) CACHE=$2; shift ;;
    --out) OUT=$2; shift ;;
    --refresh) REFRESH=1 ;;
    --setup-only) SETUP_ONLY=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "verify-aarch64: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then
  SHAPES=${SHAPES:-$QUICK_SHAPES}
  TESTS=${TESTS:-$QUICK_TESTS}
fi
SHAPES=${SHAPES:-neon,sve512,sve256}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

log() { printf '[verify-aarch64] %s\n' "$*"; }
die() { printf '[verify-aarch64] ERROR: %s\n' "$*" >&2; exit 1; }
fmt_time() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
START=$SECONDS

# ---- 1. qemu-user-static ------------------------------------------------------------------------------
QEMU=$(command -v qemu-aarch64-static || true)
if [ -z "$QEMU" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing qemu-user-static (Debian package)"
    apt-get install -y -q -o DPkg::Lock::Timeout=600 qemu-user-static >"$CACHE/qemu-install.log" 2>&1 \
      || { apt-get update -q -o DPkg::Lock::Timeout=600 >>"$CACHE/qemu-install.log" 2>&1 \
           && apt-get install -y -q -o DPkg::Lock::Timeout=600 qemu-user-static >>"$CACHE/qemu-install.log" 2>&1; } \
      || die "could not install qemu-user-static, see $CACHE/qemu-install.log"
    QEMU=$(command -v qemu-aarch64-static) || die "qemu-aarch64-static still missing after installing qemu-user-static"
  else
    die "qemu-aarch64-static not found: install the qemu-user-static package (as root: apt-get install qemu-user-static)"
  fi
fi

# ---- 2. arm64 JDK 25 + libraries, unpacked into the cache (a private apt state; never the host's dpkg) ---
SYSROOT=$CACHE/sysroot
STAMP=$CACHE/sysroot.packages
provision() {
  local apt=$CACHE/apt
  mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/sources.list.d" "$apt/preferences.d"
  [ -r "$KEYRING" ] || die "Debian archive keyring $KEYRING not found (package debian-archive-keyring); set QLANES_DEBIAN_KEYRING"
  {
    echo "deb [arch=arm64 signed-by=$KEYRING] $MIRROR $SUITE main"
    echo "deb [arch=arm64 signed-by=$KEYRING] $MIRROR $SUITE-updates main"
    echo "deb [arch=arm64 signed-by=$KEYRING] $SECURITY_MIRROR $SUITE-security main"
  } >"$apt/sources.list"
  : >"$apt/status"
  local o=(-o "Dir::State=$apt" -o "Dir::State::Lists=$apt/lists" -o "Dir::State::status=$apt/status"
           -o "Dir::Cache=$apt" -o "Dir::Cache::archives=$apt/archives"
           -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
           -o "Dir::Etc::Preferences=$apt/preferences" -o "Dir::Etc::PreferencesParts=$apt/preferences.d"
           -o "APT::Architecture=arm64" -o "APT::Architectures::=arm64" -o "Debug::NoLocking=1"
           -o "APT::Sandbox::User=$(id -un)" -q)
  log "fetching the $SUITE arm64 package lists (private apt state in $apt)"
  apt-get "${o[@]}" update >"$CACHE/apt-update.log" 2>&1 || die "apt-get update failed, see $CACHE/apt-update.log"
  local debs=$CACHE/debs
  rm -rf "$debs" && mkdir -p "$debs"
  log "downloading ${PACKAGES[*]} (arm64)"
  (cd "$debs" && apt-get "${o[@]}" download "${PACKAGES[@]}") >"$CACHE/apt-download.log" 2>&1 \
    || die "apt-get download failed, see $CACHE/apt-download.log"
  local tmp=$CACHE/sysroot.tmp
  rm -rf "$tmp" && mkdir -p "$tmp"
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$tmp"; done
  # qemu looks for the dynamic loader at <sysroot>/lib/ld-linux-aarch64.so.1 (merged /usr in trixie).
  [ -e "$tmp/lib" ] || ln -s usr/lib "$tmp/lib"
  # Absolute links (jvm.cfg, conf/ -> /etc/java-25-openjdk/...) would resolve on the host: make them
  # relative links inside the sysroot.
  while IFS= read -r -d '' link; do
    ln -sfn --relative "$tmp$(readlink "$link")" "$link"
  done < <(find "$tmp" -type l -lname '/*' -print0)
  [ -x "$tmp/$JDK_DIR/bin/java" ] || die "no $JDK_DIR/bin/java in the unpacked packages"
  rm -rf "$SYSROOT" && mv "$tmp" "$SYSROOT"
  for deb in "$debs"/*.deb; do dpkg-deb -W --showformat='${Package}=${Version}\n' "$deb"; done >"$STAMP"
}
(
  flock 9
  if [ "$REFRESH" = 1 ] || [ ! -s "$STAMP" ] || [ ! -x "$SYSROOT/$JDK_DIR/bin/java" ]; then
    t=$SECONDS; provision; log "arm64 JDK ready in $(fmt_time $((SECONDS - t)))"
  fi
) 9>"$CACHE/.lock"
log "arm64 packages ($SUITE): $(paste -sd' ' "$STAMP")"

# The `java` surefire forks: qemu running the arm64 launcher. Surefire wants a path ending in bin/java and a
# `release` file beside bin/ to tell the JDK version; the qemu -cpu and extra JVM flags come from the
# environment of each run.
WRAP=$CACHE/jvm
mkdir -p "$WRAP/bin"
cp "$SYSROOT/$JDK_DIR/release" "$WRAP/release"
cat >"$WRAP/bin/java.tmp" <<EOF
#!/bin/sh
# Generated by scripts/verify-aarch64.sh: the arm64 JDK 25 under qemu-user.
exec "$QEMU" -L "$SYSROOT" -cpu "\${QLANES_QEMU_CPU:-max}" "$SYSROOT/$JDK_DIR/bin/java" \${QLANES_EMU_JAVA_OPTS:-} "\$@"
EOF
chmod +x "$WRAP/bin/java.tmp" && mv "$WRAP/bin/java.tmp" "$WRAP/bin/java"
QLANES_QEMU_CPU=max "$WRAP/bin/java" -version >"$CACHE/java-version.txt" 2>&1 \
  || { cat "$CACHE/java-version.txt" >&2; die "the emulated arm64 java does not start"; }
log "emulated JVM: $(sed -n 3p "$CACHE/java-version.txt")"
[ "$SETUP_ONLY" = 1 ] && { log "setup done in $(fmt_time $((SECONDS - START)))"; exit 0; }

# ---- 3. build on the host -----------------------------------------------------------------------------
if [ -z "$TESTS" ]; then
  # Every test class of kernels, by surefire's default name patterns (explicit names, so that the
  # scalar-reference module, also in the reactor, runs none of its own tests under emulation).
  TESTS=$(cd kernels/src/test/java && find . -name '*.java' | grep -E '/(Test[^/]*|[^/]*(Test|Tests|TestCase))\.java$' \
          | sed 's#^\./##; s#\.java$##; s#/#.#g' | sort | paste -sd, || true)
fi
[ -n "$TESTS" ] || die "no test classes found under kernels/src/test/java"
mkdir -p "$OUT" && rm -rf "$OUT/build.log" "$OUT/c2-directives.json" "$OUT/neon" "$OUT/sve512" "$OUT/sve256"
log "building on the host (./mvnw -pl kernels -am test-compile)"
t=$SECONDS
./mvnw -B -q -pl kernels -am test-compile >"$OUT/build.log" 2>&1 || { tail -n 40 "$OUT/build.log" >&2; die "host build failed, see $OUT/build.log"; }
BUILD_TIME=$((SECONDS - t))
log "built in $(fmt_time $BUILD_TIME)"

# ---- 4. one emulated run per shape --------------------------------------------------------------------
# C2 only for the vector kernels (and the tests beside them), so that its queue holds what we verify: every
# other method stops at C1, which under emulation also saves minutes. The kernels' compile thresholds are
# scaled down and compilation is synchronous (-Xbatch), so that the C2 code is installed early and the
# remaining cases run on it. PrintInlining (C2 only, kernels only) shows each Vector API intrinsic.
# All VM output goes to a log file, not to stdout, which is surefire's channel.
DIRECTIVES=$OUT/c2-directives.json
cat >"$DIRECTIVES" <<'EOF'
[
  { match: ["dev/qlanes/internal/vector/*.*"], c2: { PrintInlining: true } },
  { match: ["*.*"], c2: { Exclude: true } }
]
EOF

# Prints the C2 evidence of one HotSpot log and returns 1 when it is missing.
check_c2() {
  local vmlog=$1 ok=0 cls methods inlined first end
  grep -q 'for linux-aarch64' "$vmlog" || { echo "    C2: FAIL - the test JVM was not the aarch64 one"; return 1; }
  end=$(sed -n "s/.*<hotspot_log_done stamp='\([0-9]*\).*/\1/p" "$vmlog")
  echo "    JVM: linux-aarch64, $(grep -oE ' (UseSVE|MaxVectorSize) += [0-9]+' "$vmlog" | tr -s ' ' | sed 's/^ //; s/ = /=/' | paste -sd' ')${end:+, ran ${end}s}"
  for cls in "${C2_REQUIRED[@]}"; do
    # PrintCompilation lines: stamp(ms) id flags tier method; tier 4 is C2 ("made not entrant" lines repeat one).
    methods=$(grep -E "^[0-9]+ +[0-9]+ +[%sbn! ]*4 +dev\.qlanes\.internal\.vector\.$cls::" "$vmlog" \
              | grep -v 'made not entrant' | sed -E "s/.*$cls::([^ ]+).*/\1/" | sort -u | paste -sd, || true)
    # PrintInlining lines (printed for C2 compiles of the kernels only): the class inlined into C2 code.
    inlined=$(grep -E "^ +@ [0-9]+ +dev\.qlanes\.internal\.vector\.$cls::" "$vmlog" | grep 'inline' | grep -vc 'fail' || true)
    # When C2 code holding the class was first installed: the stamp of the last PrintCompilation line before
    # its own tier-4 compile or the inlining report of a C2 compile that took it in.
    first=$(awk -v c="dev.qlanes.internal.vector.$cls::" '
      /^[0-9]+ +[0-9]+ / { t = $1 }
      index($0, c) && (($0 ~ /^[0-9]+ +[0-9]+ +[%sbn! ]*4 +/ && $0 !~ /made not entrant/) ||
                       ($0 ~ /^ +@ [0-9]+ / && $0 ~ /inline/ && $0 !~ /fail/)) { printf "%d", t / 1000; exit }' "$vmlog")
    if [ -n "$methods" ] || [ "$inlined" -gt 0 ]; then
      echo "    C2: $cls at tier 4: ${methods:-no method on its own}; inlined $inlined times into C2 code; in C2 code from ${first:-?}s"
    else
      echo "    C2: FAIL - no method of $cls was compiled by C2"; ok=1
    fi
  done
  local intr fail_ops vs='^ +@ [0-9]+ +jdk\.internal\.vm\.vector\.VectorSupport::'
  # an intrinsic that failed first and succeeded as a late inline counts as expanded
  intr=$(grep -E "$vs" "$vmlog" | grep '(intrinsic)' | grep -Evc 'fail' || true)
  intr=$((intr + $(grep -E "$vs" "$vmlog" | grep 'fail' | grep -c 'late inline succeeded' || true)))
  # "trying again" is retried as a late inline, whose outcome is printed on a line of its own
  fail_ops=$(grep -E "$vs" "$vmlog" | grep 'fail' | grep -v 'succeeded' | grep -v 'trying again' \
             | sed -E 's/.*VectorSupport::([A-Za-z0-9_]+).*/\1/' | sort | uniq -c | awk '{printf "%s%s x%s", (NR>1?", ":""), $2, $1}' || true)
  if [ "$intr" -gt 0 ]; then
    echo "    C2: Vector API intrinsics expanded in the kernels' C2 code: $intr${fail_ops:+; left as calls (not intrinsified at this width): $fail_ops}"
  else
    echo "    C2: FAIL - no Vector API intrinsic was expanded by C2"; ok=1
  fi
  return $ok
}

declare -a SUMMARY
FAILED=0
for shape in "${ALL_SHAPES[@]}"; do
  IFS='|' read -r name cpu expect <<<"$shape"
  case ",$SHAPES," in *",$name,"*) ;; *) continue ;; esac
  dir=$OUT/$name
  mkdir -p "$dir"
  vmlog=$dir/hotspot.log
  log "== $name: qemu -cpu $cpu, expecting $expect, scale $SCALE"
  t=$SECONDS
  rc=0
  QLANES_QEMU_CPU=$cpu \
  QLANES_EMU_JAVA_OPTS="-Xbatch -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev/qlanes/internal/vector/*.*,$C2_THRESHOLD_SCALING -XX:CompilerDirectivesFile=$DIRECTIVES -XX:+PrintFlagsFinal -XX:+PrintCompilation -XX:+LogVMOutput -XX:-DisplayVMOutput -XX:LogFile=$vmlog" \
  timeout -k 30 "$TIMEOUT" ./mvnw -B -pl kernels -am test-compile surefire:test@default-test \
    -Djvm="$WRAP/bin/java" -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dqlanes.test.expect="$expect" -Dqlanes.test.scale="$SCALE" >"$dir/maven.log" 2>&1 &
  # timeout runs in a process group of its own (so that it can kill Maven, surefire's fork and qemu
  # together), out of reach of a terminal's Ctrl-C: pass INT/TERM on to it.
  run=$!
  trap 'kill -TERM "$run" 2>/dev/null; wait "$run" 2>/dev/null || true; echo "[verify-aarch64] interrupted" >&2; exit 130' INT TERM
  wait "$run" || rc=$?
  trap - INT TERM
  elapsed=$((SECONDS - t))
  # surefire's totals line (the one without "-- in <class>")
  totals=$(grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$dir/maven.log" | tail -n 1 | sed -E 's/^\[[A-Z]+\] //' || true)
  status=PASS
  echo "  $name (-cpu $cpu, expect $expect)"
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "    tests: FAIL - timed out after ${TIMEOUT}s"; status=FAIL
  elif [ "$rc" != 0 ]; then
    echo "    tests: FAIL - ${totals:-no test totals} (maven exit $rc)"; status=FAIL
    # surefire's "Failures:" / "Errors:" digest: one line per failing test with its message
    sed -n '/^\[ERROR\] \(Failures\|Errors\): *$/,/^\[ERROR\] Tests run:/p' "$dir/maven.log" | grep -v 'Tests run:' \
      | head -n 20 | cut -c1-240 | sed 's/^/      /' || true
  elif [ -z "$totals" ]; then
    echo "    tests: FAIL - no tests ran"; status=FAIL
  else
    echo "    tests: $totals"
  fi
  if [ -s "$vmlog" ]; then
    check_c2 "$vmlog" || status=FAIL
  else
    echo "    C2: FAIL - no HotSpot log ($vmlog)"; status=FAIL
  fi
  echo "    elapsed: $(fmt_time $elapsed)   status: $status   (logs: $dir)"
  SUMMARY+=("$(printf '%-7s %-18s %-11s %-52s %s %s' "$name" "$cpu" "$expect" "${totals:-no totals}" "$(fmt_time $elapsed)" "$status")")
  [ "$status" = PASS ] || FAILED=1
done
[ ${#SUMMARY[@]} -gt 0 ] || die "no shape selected (--shapes $SHAPES)"

echo
echo "aarch64 emulation summary (qemu $("$QEMU" --version | head -n 1 | awk '{print $3}'), $(grep '^openjdk' "$STAMP"), scale $SCALE)"
for line in "${SUMMARY[@]}"; do echo "  $line"; done
echo "  total $(fmt_time $((SECONDS - START))) (host build $(fmt_time $BUILD_TIME))"
if [ "$FAILED" != 0 ]; then
  echo "verify-aarch64: FAILED"; exit 1
fi
echo "verify-aarch64: OK"
