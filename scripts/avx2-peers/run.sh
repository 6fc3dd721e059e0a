#!/usr/bin/env bash
# Runs JMH with qlanes and XNNPACK both on AVX2 code paths, on an x86 machine with AVX-512: qlanes under
# -XX:UseAVX=2, XNNPACK with AVX-512 hidden by noavx512.c. ONNX Runtime and the native anchor keep the CPU's full
# instruction set, so leave them out of such a run. Arguments go to JMH, e.g.
#   scripts/avx2-peers/run.sh 'XnnpackGemmBenchmark.(qlanesFullInteger|xnnpackQs8)$' -p fcShape=16x1024x1024
# Needs gcc and Debian's libxnnpack0 and libcpuinfo-dev (the header is fetched with apt-get download if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/target/avx2-peers"
mkdir -p "$out"
include=/usr/include
if [ ! -f "$include/cpuinfo.h" ]; then
  (cd "$out" && apt-get download -q libcpuinfo-dev >/dev/null && dpkg -x libcpuinfo-dev_*.deb headers)
  include="$out/headers/usr/include"
fi
gcc -O2 -shared -fPIC -I"$include" -o "$out/noavx512.so" "$here/noavx512.c" -ldl -l:libcpuinfo.so.0
"$root/mvnw" -q -B -f "$root/pom.xml" package -DskipTests -pl jmh -am
java_home=$("$root/scripts/find-jdk.sh")
LD_PRELOAD="$out/noavx512.so" exec "$java_home/bin/java" --add-modules jdk.incubator.vector \
  --enable-native-access=ALL-UNNAMED -jar "$root/jmh/target/benchmarks.jar" "$@" -jvmArgsAppend -XX:UseAVX=2
