/*
 * qlanes native anchor: exact int8 dot product and int8 GEMV in C, the yardstick for the JMH suite.
 *
 * Exact over the whole int8 range (-128..127): every product is formed from int8 values sign-extended to
 * int16 (at most 128*128 = 16384 in magnitude), pairs of products are summed into int32 by madd-class
 * instructions (vpmaddwd / vpdpwssd), and all int32 sums wrap modulo 2^32 exactly like Java int
 * arithmetic. No vpmaddubsw (it saturates for full-range int8) and no 16-bit accumulation.
 *
 * Compiled at benchmark time by NativeAnchor.java with "cc -O3 -march=native -shared -fPIC"; the code path
 * is picked by the compiler's target macros:
 *   AVX-512BW (+AVX512_VNNI)      512-bit vpmovsxbw + vpmaddwd (vpdpwssd with VNNI)
 *   AVX2 (+AVX-VNNI)              256-bit vpmovsxbw + vpmaddwd (vpdpwssd with AVX-VNNI)
 *   anything else                 plain C loops in the canonical int32 += int8 * int8 form, left to the
 *                                 auto-vectorizer (e.g. sdot on AArch64 with the dotprod extension)
 * -DQA_NO_WIDE drops AVX-512 and AVX-VNNI (plain AVX2); -DQA_PORTABLE forces the plain C loops. The Java
 * side uses them only as fallbacks when a build fails its exactness self-check.
 * The shape is the same on every path: the dot product runs 4 independent accumulators; the GEMV runs
 * tiles of 4 weight rows that share each widened activation chunk (at batch 1, rows a quarter of a 64-row
 * group apart, as qlanes' kernel takes them), and for batch > 1 tiles of 4 rows x 2
 * batch vectors (8 accumulators), so each widened weight chunk also serves two activation vectors. With
 * batch > 2 a row tile is taken in column blocks of QA_KC (2048) bytes, which stay in L1 while all batch
 * pairs pass over them.
 *
 * Entry points (C ABI):
 *   int32_t qa_dot_i8(const int8_t* a, const int8_t* b, int32_t n)
 *   void qa_gemv_i8(const int8_t* w, int32_t rows, int32_t cols, const int8_t* x, int32_t batch,
 *                   int32_t* out)      out[b*rows + r] = sum_c w[r*cols + c] * x[b*cols + c]
 *   const char* qa_isa(void)           the code path compiled, for reports
 *   int32_t qa_abi_version(void)       1
 *
 * (This file is copied through Maven resource filtering: it must not contain a dollar-brace or an at sign.)
 */
#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define QA_EXPORT __declspec(dllexport)
#else
#define QA_EXPORT __attribute__((visibility("default")))
#endif

#if defined(_MSC_VER)
#define QA_INLINE static __forceinline
#else
#define QA_INLINE static inline __attribute__((always_inline))
#endif

#if !defined(QA_PORTABLE) && !defined(QA_NO_WIDE) && defined(__AVX512BW__) && defined(__AVX512F__)
#define QA_PATH_AVX512 1
#elif !defined(QA_PORTABLE) && defined(__AVX2__)
#define QA_PATH_AVX2 1
#else
#define QA_PATH_PORTABLE 1
#endif

#ifndef QA_KC
#define QA_KC 2048
#endif

/* Rows whose batch-1 tiles interleave (see qa_gemv_i8). */
#define QA_ROW_GROUP 64

/* Exact wrapping scalar multiply-add for tails: uint32_t arithmetic wraps by definition. */
#define QA_SMAC(acc, p, q) ((acc) += (uint32_t)((int32_t)(p) * (int32_t)(q)))

/* o[k*os] = t[k], or o[k*os] += t[k] (wrapping) when acc: column blocks of one output add up. */
QA_INLINE void qa_put4(int32_t *o, ptrdiff_t os, const uint32_t *t, int acc) {
    for (int k = 0; k < 4; k++) {
        o[k * os] = (int32_t)(acc ? (uint32_t)o[k * os] + t[k] : t[k]);
    }
}

#if defined(QA_PATH_AVX512) || defined(QA_PATH_AVX2)
#include <immintrin.h>

/* Sum of four int32x8 vectors' lanes, one int32 per vector, in a 128-bit vector (wrapping adds). */
QA_INLINE __m128i qa_hsum4_256(__m256i a, __m256i b, __m256i c, __m256i d) {
    __m256i h = _mm256_hadd_epi32(_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
    return _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
}

#if defined(QA_PATH_AVX512)
typedef __m512i qa_v;
#define QA_STEP 32 /* int8 elements per widened vector */
#define QA_ZERO() _mm512_setzero_si512()
#define QA_WIDEN(p) _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(const void *)(p)))
#define QA_ADD(a, b) _mm512_add_epi32((a), (b))
#if defined(__AVX512VNNI__)
#define QA_MAC(acc, a, b) _mm512_dpwssd_epi32((acc), (a), (b))
#define QA_ISA "avx512bw+avx512vnni: vpmovsxbw + vpdpwssd, 512-bit"
#else
#define QA_MAC(acc, a, b) _mm512_add_epi32((acc), _mm512_madd_epi16((a), (b)))
#define QA_ISA "avx512bw: vpmovsxbw + vpmaddwd, 512-bit"
#endif
QA_INLINE __m256i qa_to256(__m512i v) {
    return _mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
}
#else /* AVX2 */
typedef __m256i qa_v;
#define QA_STEP 16
#define QA_ZERO() _mm256_setzero_si256()
#define QA_WIDEN(p) _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(p)))
#define QA_ADD(a, b) _mm256_add_epi32((a), (b))
#if defined(__AVXVNNI__) && !defined(QA_NO_WIDE)
#define QA_MAC(acc, a, b) _mm256_dpwssd_avx_epi32((acc), (a), (b))
#define QA_ISA "avx2+avxvnni: vpmovsxbw + vpdpwssd, 256-bit"
#else
#define QA_MAC(acc, a, b) _mm256_add_epi32((acc), _mm256_madd_epi16((a), (b)))
#define QA_ISA "avx2: vpmovsxbw + vpmaddwd, 256-bit"
#endif
QA_INLINE __m256i qa_to256(__m256i v) { return v; }
#endif

QA_INLINE uint32_t qa_hsum1(qa_v v) {
    __m256i s = qa_to256(v);
    __m128i t = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x4e));
    t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0xb1));
    return (uint32_t)_mm_cvtsi128_si32(t);
}

QA_INLINE void qa_store4(uint32_t *dst, qa_v a, qa_v b, qa_v c, qa_v d) {
    _mm_storeu_si128((__m128i *)(void *)dst, qa_hsum4_256(qa_to256(a), qa_to256(b), qa_to256(c), qa_to256(d)));
}

/* Dot product: 4 independent accumulators over 4 widened chunks per iteration, then single chunks, then
 * a scalar tail. */
QA_INLINE uint32_t qa_dot(const int8_t *a, const int8_t *b, ptrdiff_t n) {
    qa_v s0 = QA_ZERO(), s1 = QA_ZERO(), s2 = QA_ZERO(), s3 = QA_ZERO();
    ptrdiff_t i = 0;
    for (; i + 4 * QA_STEP <= n; i += 4 * QA_STEP) {
        s0 = QA_MAC(s0, QA_WIDEN(a + i), QA_WIDEN(b + i));
        s1 = QA_MAC(s1, QA_WIDEN(a + i + QA_STEP), QA_WIDEN(b + i + QA_STEP));
        s2 = QA_MAC(s2, QA_WIDEN(a + i + 2 * QA_STEP), QA_WIDEN(b + i + 2 * QA_STEP));
        s3 = QA_MAC(s3, QA_WIDEN(a + i + 3 * QA_STEP), QA_WIDEN(b + i + 3 * QA_STEP));
    }
    for (; i + QA_STEP <= n; i += QA_STEP) {
        s0 = QA_MAC(s0, QA_WIDEN(a + i), QA_WIDEN(b + i));
    }
    uint32_t r = qa_hsum1(QA_ADD(QA_ADD(s0, s1), QA_ADD(s2, s3)));
    for (; i < n; i++) {
        QA_SMAC(r, a[i], b[i]);
    }
    return r;
}

/* 4 weight rows (row stride ld) x 1 activation vector over n columns: each widened activation chunk
 * serves 4 rows. o[k*os] = results, or o[k*os] += results when acc (k < 4). */
QA_INLINE void qa_tile4x1(const int8_t *w, ptrdiff_t ld, ptrdiff_t cols, const int8_t *x, int32_t *o, ptrdiff_t os,
                          int acc) {
    const int8_t *w0 = w, *w1 = w + ld, *w2 = w + 2 * ld, *w3 = w + 3 * ld;
    qa_v a0 = QA_ZERO(), a1 = QA_ZERO(), a2 = QA_ZERO(), a3 = QA_ZERO();
    ptrdiff_t c = 0;
    for (; c + QA_STEP <= cols; c += QA_STEP) {
        qa_v xv = QA_WIDEN(x + c);
        a0 = QA_MAC(a0, QA_WIDEN(w0 + c), xv);
        a1 = QA_MAC(a1, QA_WIDEN(w1 + c), xv);
        a2 = QA_MAC(a2, QA_WIDEN(w2 + c), xv);
        a3 = QA_MAC(a3, QA_WIDEN(w3 + c), xv);
    }
    uint32_t t[4];
    qa_store4(t, a0, a1, a2, a3);
    for (; c < cols; c++) {
        int32_t xc = x[c];
        QA_SMAC(t[0], w0[c], xc);
        QA_SMAC(t[1], w1[c], xc);
        QA_SMAC(t[2], w2[c], xc);
        QA_SMAC(t[3], w3[c], xc);
    }
    qa_put4(o, os, t, acc);
}

/* 4 weight rows x 2 activation vectors (8 accumulators): each widened weight chunk serves both vectors,
 * each widened activation chunk serves 4 rows. o0[0..3] and o1[0..3] = (or +=) results. */
QA_INLINE void qa_tile4x2(const int8_t *w, ptrdiff_t ld, ptrdiff_t cols, const int8_t *x0, const int8_t *x1,
                          int32_t *o0, int32_t *o1, int acc) {
    const int8_t *w0 = w, *w1 = w + ld, *w2 = w + 2 * ld, *w3 = w + 3 * ld;
    qa_v a00 = QA_ZERO(), a10 = QA_ZERO(), a20 = QA_ZERO(), a30 = QA_ZERO();
    qa_v a01 = QA_ZERO(), a11 = QA_ZERO(), a21 = QA_ZERO(), a31 = QA_ZERO();
    ptrdiff_t c = 0;
    for (; c + QA_STEP <= cols; c += QA_STEP) {
        qa_v v0 = QA_WIDEN(x0 + c), v1 = QA_WIDEN(x1 + c), t;
        t = QA_WIDEN(w0 + c);
        a00 = QA_MAC(a00, t, v0);
        a01 = QA_MAC(a01, t, v1);
        t = QA_WIDEN(w1 + c);
        a10 = QA_MAC(a10, t, v0);
        a11 = QA_MAC(a11, t, v1);
        t = QA_WIDEN(w2 + c);
        a20 = QA_MAC(a20, t, v0);
        a21 = QA_MAC(a21, t, v1);
        t = QA_WIDEN(w3 + c);
        a30 = QA_MAC(a30, t, v0);
        a31 = QA_MAC(a31, t, v1);
    }
    uint32_t t0[4], t1[4];
    qa_store4(t0, a00, a10, a20, a30);
    qa_store4(t1, a01, a11, a21, a31);
    for (; c < cols; c++) {
        int32_t p = x0[c], q = x1[c];
        QA_SMAC(t0[0], w0[c], p);
        QA_SMAC(t0[1], w1[c], p);
        QA_SMAC(t0[2], w2[c], p);
        QA_SMAC(t0[3], w3[c], p);
        QA_SMAC(t1[0], w0[c], q);
        QA_SMAC(t1[1], w1[c], q);
        QA_SMAC(t1[2], w2[c], q);
        QA_SMAC(t1[3], w3[c], q);
    }
    qa_put4(o0, 1, t0, acc);
    qa_put4(o1, 1, t1, acc);
}

#else /* QA_PATH_PORTABLE: plain C, written for the auto-vectorizer. */

#define QA_ISA "portable C (compiler auto-vectorization)"

/* The inner loops are the canonical int32 += int8 * int8 reduction that vectorizers map to dot-product
 * instructions (AArch64 sdot, x86 pmaddwd-class or widening multiplies). They run over at most QA_PBLOCK
 * columns, so their int32 sums cannot overflow (65536 * 128 * 128 = 2^30); blocks add up modulo 2^32. */
#define QA_PBLOCK 65536

QA_INLINE uint32_t qa_dot(const int8_t *a, const int8_t *b, ptrdiff_t n) {
    uint32_t total = 0;
    for (ptrdiff_t i0 = 0; i0 < n; i0 += QA_PBLOCK) {
        const ptrdiff_t e = n - i0 < QA_PBLOCK ? n : i0 + QA_PBLOCK;
        int32_t s = 0;
        for (ptrdiff_t i = i0; i < e; i++) {
            s += a[i] * b[i];
        }
        total += (uint32_t)s;
    }
    return total;
}

QA_INLINE void qa_tile4x1(const int8_t *w, ptrdiff_t ld, ptrdiff_t cols, const int8_t *x, int32_t *o, ptrdiff_t os,
                          int acc) {
    const int8_t *w0 = w, *w1 = w + ld, *w2 = w + 2 * ld, *w3 = w + 3 * ld;
    uint32_t t[4] = {0, 0, 0, 0};
    for (ptrdiff_t c0 = 0; c0 < cols; c0 += QA_PBLOCK) {
        const ptrdiff_t e = cols - c0 < QA_PBLOCK ? cols : c0 + QA_PBLOCK;
        int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (ptrdiff_t c = c0; c < e; c++) {
            const int32_t xc = x[c];
            s0 += w0[c] * xc;
            s1 += w1[c] * xc;
            s2 += w2[c] * xc;
            s3 += w3[c] * xc;
        }
        t[0] += (uint32_t)s0;
        t[1] += (uint32_t)s1;
        t[2] += (uint32_t)s2;
        t[3] += (uint32_t)s3;
    }
    qa_put4(o, os, t, acc);
}

QA_INLINE void qa_tile4x2(const int8_t *w, ptrdiff_t ld, ptrdiff_t cols, const int8_t *x0, const int8_t *x1,
                          int32_t *o0, int32_t *o1, int acc) {
    const int8_t *w0 = w, *w1 = w + ld, *w2 = w + 2 * ld, *w3 = w + 3 * ld;
    uint32_t t0[4] = {0, 0, 0, 0}, t1[4] = {0, 0, 0, 0};
    for (ptrdiff_t c0 = 0; c0 < cols; c0 += QA_PBLOCK) {
        const ptrdiff_t e = cols - c0 < QA_PBLOCK ? cols : c0 + QA_PBLOCK;
        int32_t s00 = 0, s10 = 0, s20 = 0, s30 = 0, s01 = 0, s11 = 0, s21 = 0, s31 = 0;
        for (ptrdiff_t c = c0; c < e; c++) {
            const int32_t p = x0[c], q = x1[c];
            const int32_t v0 = w0[c], v1 = w1[c], v2 = w2[c], v3 = w3[c];
            s00 += v0 * p;
            s10 += v1 * p;
            s20 += v2 * p;
            s30 += v3 * p;
            s01 += v0 * q;
            s11 += v1 * q;
            s21 += v2 * q;
            s31 += v3 * q;
        }
        t0[0] += (uint32_t)s00;
        t0[1] += (uint32_t)s10;
        t0[2] += (uint32_t)s20;
        t0[3] += (uint32_t)s30;
        t1[0] += (uint32_t)s01;
        t1[1] += (uint32_t)s11;
        t1[2] += (uint32_t)s21;
        t1[3] += (uint32_t)s31;
    }
    qa_put4(o0, 1, t0, acc);
    qa_put4(o1, 1, t1, acc);
}

#endif

QA_EXPORT int32_t qa_dot_i8(const int8_t *a, const int8_t *b, int32_t n) {
    if (n <= 0) {
        return 0;
    }
    return (int32_t)qa_dot(a, b, (ptrdiff_t)n);
}

QA_EXPORT void qa_gemv_i8(const int8_t *w, int32_t rows, int32_t cols, const int8_t *x, int32_t batch,
                          int32_t *out) {
    if (rows <= 0 || batch <= 0) {
        return;
    }
    const ptrdiff_t R = rows, C = cols > 0 ? cols : 0, B = batch;
    if (B == 1) {
        /* A tile's 4 rows are a quarter group apart, as in qlanes' batch-1 kernel: each row is its own load
         * stream, and with 4 adjacent rows every stream ends after one row, so the hardware prefetcher starts
         * 4 new streams per tile; a quarter group apart each stream runs on for q rows. */
        for (ptrdiff_t g = 0; g < R; g += QA_ROW_GROUP) {
            const ptrdiff_t n = R - g < QA_ROW_GROUP ? R - g : QA_ROW_GROUP;
            const ptrdiff_t q = n / 4;
            for (ptrdiff_t i = 0; i < q; i++) {
                qa_tile4x1(w + (g + i) * C, q * C, C, x, out + g + i, q, 0);
            }
            for (ptrdiff_t r = g + 4 * q; r < g + n; r++) {
                out[r] = (int32_t)qa_dot(w + r * C, x, C);
            }
        }
        return;
    }
    /* With more than one 4x2 pass over a row tile, the tile's columns are taken in blocks of QA_KC, so
     * that the block's 4 weight rows stay in L1 while every batch pair passes over them, and the weight
     * rows still stream from memory in order. QA_KC is a multiple of every vector step. */
    const ptrdiff_t KC = B > 2 ? QA_KC : (C > 0 ? C : 1);
    ptrdiff_t r = 0;
    for (; r + 4 <= R; r += 4) {
        const int8_t *wt = w + r * C;
        for (ptrdiff_t k0 = 0; k0 < C || k0 == 0; k0 += KC) {
            const ptrdiff_t kc = C - k0 < KC ? C - k0 : KC;
            const int acc = k0 > 0;
            ptrdiff_t b = 0;
            for (; b + 2 <= B; b += 2) {
                qa_tile4x2(wt + k0, C, kc, x + b * C + k0, x + (b + 1) * C + k0, out + b * R + r,
                           out + (b + 1) * R + r, acc);
            }
            if (b < B) {
                qa_tile4x1(wt + k0, C, kc, x + b * C + k0, out + b * R + r, 1, acc);
            }
        }
    }
    for (; r < R; r++) {
        for (ptrdiff_t b = 0; b < B; b++) {
            out[b * R + r] = (int32_t)qa_dot(w + r * C, x + b * C, C);
        }
    }
}

QA_EXPORT const char *qa_isa(void) { return QA_ISA; }

QA_EXPORT int32_t qa_abi_version(void) { return 1; }
