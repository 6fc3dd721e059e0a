/*
 * LD_PRELOAD shim for measurements only: XNNPACK then sees an x86 CPU without AVX-512 and runs its AVX2 kernels.
 * With qlanes under -XX:UseAVX=2 this puts both on AVX2 code paths on an AVX-512 machine (scripts/avx2-peers/run.sh).
 * XNNPACK asks libcpuinfo which instructions exist, once, after cpuinfo_initialize(); this wraps that function
 * and clears every AVX-512 flag of the answer. ONNX Runtime and the native anchor test the CPU themselves and are
 * not affected.
 */
#define _GNU_SOURCE
#include <cpuinfo.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>

bool cpuinfo_initialize(void) {
    bool (*initialize)(void) = (bool (*)(void)) dlsym(RTLD_NEXT, "cpuinfo_initialize");
    bool ok = initialize();
    struct cpuinfo_x86_isa *isa = &cpuinfo_isa;
    isa->avx512f = isa->avx512pf = isa->avx512er = isa->avx512cd = isa->avx512dq = isa->avx512bw = false;
    isa->avx512vl = isa->avx512ifma = isa->avx512vbmi = isa->avx512vbmi2 = isa->avx512bitalg = false;
    isa->avx512vpopcntdq = isa->avx512vnni = isa->avx512bf16 = isa->avx512vp2intersect = false;
    isa->avx512_4vnniw = isa->avx512_4fmaps = false;
    fprintf(stderr, "noavx512: libcpuinfo reports no AVX-512 to XNNPACK\n");
    return ok;
}
