using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VerifyLandscape.Numerics;

/// <summary>
/// Dense row-major matrix products, the numeric engine's one hot loop. C (m×n) (+)= A (m×k) · B (k×n).
/// The kernel keeps a 6×8 tile of C in twelve 256-bit registers (FMA where the CPU has it), blocked so that
/// B's panels stay in cache; row blocks run in parallel when asked. Other layouts are reduced to this one by
/// transposing the smaller operand (<see cref="Transpose"/>), which costs O(size) against O(m·n·k).
/// </summary>
public static class Gemm
{
    /// <summary>C = A·B, or C += A·B when accumulate. Spans are row-major with the given shapes.</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n, bool accumulate = false)
    {
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n) throw new ArgumentException("matrix shapes do not match the buffers");
        if (!accumulate) c[..(m * n)].Clear();
        if (m == 0 || n == 0 || k == 0) return;
        unsafe
        {
            fixed (double* pa = a, pb = b, pc = c) Kernel(pa, k, pb, n, pc, n, 0, m, k, n);
        }
    }

    /// <summary>
    /// C += A·B on sub-matrices of larger row-major arrays: leading dimensions lda, ldb, ldc (the length of a full
    /// row) and offsets of the first entries. Single-threaded; callers parallelise over blocks of C.
    /// </summary>
    public static unsafe void MultiplyAdd(double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                                          double[] c, int cOffset, int ldc, int m, int k, int n)
    {
        if (m <= 0 || n <= 0 || k <= 0) return;
        fixed (double* pa = a, pb = b, pc = c) Kernel(pa + aOffset, lda, pb + bOffset, ldb, pc + cOffset, ldc, 0, m, k, n);
    }

    /// <summary>B packed once in the layout the kernel reads, for a product that reuses it down many row blocks.</summary>
    public sealed class Packed
    {
        internal Packed(double[] source, int offset, int ld, int rows, int columns, double[] data) =>
            (Source, Offset, Ld, Rows, Columns, Data) = (source, offset, ld, rows, columns, data);
        internal double[] Source { get; }
        internal int Offset { get; }
        internal int Ld { get; }
        public int Rows { get; }
        public int Columns { get; }
        internal double[] Data { get; }
    }

    /// <summary>
    /// Packs the rows×columns sub-matrix of b at offset (leading dimension ldb) as <see cref="Kernel"/> would pack it slab
    /// by slab, so that threads multiplying different row blocks by it share one packed copy instead of each packing
    /// its own (for a thin inner dimension the packing costs as much memory traffic as the product). The packed copy
    /// goes to <paramref name="buffer"/> when it is large enough (a caller packing once per step reuses one buffer
    /// rather than allocating megabytes each time), else to a new array.
    /// </summary>
    public static unsafe Packed Pack(double[] b, int offset, int ldb, int rows, int columns, double[]? buffer = null)
    {
        int n8 = Vector256.IsHardwareAccelerated ? columns - columns % 8 : 0;
        var data = buffer is not null && buffer.Length >= rows * n8 ? buffer : GC.AllocateUninitializedArray<double>(Math.Max(1, rows * n8));
        fixed (double* pb = b, pd = data)
            for (int p0 = 0; p0 < rows; p0 += Slab)
            {
                int kk = Math.Min(rows, p0 + Slab) - p0;
                PackSlab(pb + offset + (long)p0 * ldb, ldb, kk, n8, pd + (long)p0 * n8);
            }
        return new Packed(b, offset, ldb, rows, columns, data);
    }

    /// <summary>C += A·B with B packed (<see cref="Pack"/>); uses B's first k rows and first n columns.</summary>
    public static unsafe void MultiplyAdd(double[] a, int aOffset, int lda, Packed b, double[] c, int cOffset, int ldc, int m, int k, int n)
    {
        if (m <= 0 || n <= 0 || k <= 0) return;
        if (k > b.Rows || n > b.Columns) throw new ArgumentException("the product uses more of B than was packed");
        int n8Full = Vector256.IsHardwareAccelerated ? b.Columns - b.Columns % 8 : 0;
        fixed (double* pa = a, pb = b.Source, pc = c, packed = b.Data)
            Kernel(pa + aOffset, lda, pb + b.Offset, b.Ld, pc + cOffset, ldc, 0, m, k, n, packed, b.Rows, n8Full);
    }

    /// <summary>
    /// C += Aᵀ·B with A k×m (leading dimension lda), B k×n (ldb), C m×n (ldc), for a short k (the rows of a block):
    /// a tile of 6 rows of C is 6 adjacent columns of A, so each step of the inner loop broadcasts 6 neighbouring
    /// entries of one row of A. Single-threaded; the sum over p runs in order, as in <see cref="MultiplyAdd(double[], int, int, double[], int, int, double[], int, int, int, int, int)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void MultiplyAddTransposed(double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                                                    double[] c, int cOffset, int ldc, int m, int k, int n)
    {
        if (m <= 0 || n <= 0 || k <= 0) return;
        int n8 = Vector256.IsHardwareAccelerated ? n - n % 8 : 0, m6 = m / 6 * 6;
        fixed (double* pa0 = a, pb0 = b, pc0 = c)
        {
            double* pa = pa0 + aOffset, pb = pb0 + bOffset, pc = pc0 + cOffset;
            for (int i = 0; i < m6; i += 6)
                for (int j = 0; j < n8; j += 8)
                    Tile6x8(pa + i, 1, lda, pb + j, ldb, pc + (long)i * ldc + j, ldc, k);
            // The rest: rows of C below the last full tile, then columns right of the last full panel, one entry at a time.
            for (int i = 0; i < m; i++)
                for (int j = i < m6 ? n8 : 0; j < n; j++)
                {
                    double sum = pc[(long)i * ldc + j];
                    for (int p = 0; p < k; p++) sum += pa[(long)p * lda + i] * pb[(long)p * ldb + j];
                    pc[(long)i * ldc + j] = sum;
                }
        }
    }

    /// <summary>Bᵀ of a row-major rows×cols matrix, into dst (cols×rows).</summary>
    public static void Transpose(ReadOnlySpan<double> src, Span<double> dst, int rows, int cols)
    {
        const int Tile = 32; // tiles keep both the strided reads and the strided writes in cache
        for (int i0 = 0; i0 < rows; i0 += Tile)
            for (int j0 = 0; j0 < cols; j0 += Tile)
            {
                int i1 = Math.Min(rows, i0 + Tile), j1 = Math.Min(cols, j0 + Tile);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++)
                        dst[j * rows + i] = src[i * cols + j];
            }
    }

    // Per thread: B's current slab, packed panel by panel (see Kernel); 256·n doubles, 18.6 MB at n = 9089.
    [ThreadStatic] private static double[]? t_packed;

    /// <summary>
    /// Blocked: for each slab of 256 values of the inner index, B's slab is first packed as 8-column panels, each
    /// 256×8 contiguous (16 KB: stays in L1, read with unit stride: a row of B in the matrix itself is a page or more
    /// away from the next when ldb is large, one TLB miss per inner step); then for each block of 64 rows of A (128 KB:
    /// stays in L2) each packed panel is swept down the block's row tiles before moving on.
    /// </summary>
    private const int Slab = 256, RowBlock = 64;

    /// <summary>The slab B[0..kk, 0..n8) (leading dimension ldb) as 8-column panels, each kk×8 row after row, into dst.</summary>
    private static unsafe void PackSlab(double* b, int ldb, int kk, int n8, double* dst)
    {
        // Row by row: each row of B is read as one contiguous run (a column-wise walk would make every 64-byte line a
        // separate cache and TLB miss when ldb is large), and the rows a few steps ahead are prefetched.
        const int Ahead = 4;
        for (int p = 0; p < kk; p++)
        {
            double* src = b + (long)p * ldb;
            if (Sse.IsSupported && p + Ahead < kk)
                for (int q = 0; q < n8; q += 8) Sse.Prefetch0(src + (long)Ahead * ldb + q);
            double* row = dst + p * 8;
            for (int q = 0; q < n8; q += 8, row += 8 * kk)
            {
                Vector256.Store(Vector256.Load(src + q), row);
                Vector256.Store(Vector256.Load(src + q + 4), row + 4);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel(double* a, int lda, double* bMatrix, int ldb, double* c, int ldc, int rowStart, int rowEnd, int k, int n,
                                      double* prepacked = null, int packedRows = 0, int packedN8 = 0)
    {
        int n8 = Vector256.IsHardwareAccelerated ? n - n % 8 : 0;
        // Packing pays when the panel is reused down many rows; a thin A (a vector, a few rows) reads B in place.
        bool pack = prepacked != null || rowEnd - rowStart >= 16;
        if (prepacked == null && pack && n8 > 0 && (t_packed is null || t_packed.Length < Slab * n8)) t_packed = GC.AllocateUninitializedArray<double>(Slab * n8, pinned: true);
        for (int p0 = 0; p0 < k; p0 += Slab)
        {
            int p1 = Math.Min(k, p0 + Slab), kk = p1 - p0;
            // The panel of columns q..q+8 holds B[p0..p1, q..q+8) row after row: the loops below step 8 through it
            // where they would step ldb through B. A slab packed in advance has its panels panelLength rows apart.
            double* packed;
            int panelLength = kk;
            if (prepacked != null)
            {
                packed = prepacked + (long)p0 * packedN8;
                panelLength = Math.Min(packedRows, p0 + Slab) - p0;
            }
            else
            {
                packed = pack && n8 > 0 ? (double*)Unsafe.AsPointer(ref t_packed![0]) : null;
                if (packed != null) PackSlab(bMatrix + (long)p0 * ldb, ldb, kk, n8, packed);
            }
            long step = pack ? 8 : ldb;
            // A thin slab (a rank-64 update, say) does little work per tile of C, so C's traffic dominates: then one
            // tile's rows at a time sweep across all columns (6 rows streamed in order, which the prefetcher follows)
            // rather than a block of 64 rows column panel by column panel (64 interleaved streams; measured 25 % slower).
            int rowBlock = kk <= 64 ? 6 : RowBlock;
            for (int ib = rowStart; ib < rowEnd; ib += rowBlock)
            {
                // Tiles of 6 rows, then of 4; a block of 6t + 2 rows is cut 6(t − 1) + 4 + 4 (two single rows cost more).
                int ie = Math.Min(rowEnd, ib + rowBlock), sixes = (ie - ib) / 6;
                if ((ie - ib) % 6 == 2 && sixes > 0) sixes--;
                int ie6 = ib + sixes * 6, ie4 = ie6 + (ie - ie6) / 4 * 4;
                for (int j = 0; j < n8; j += 8)
                {
                    for (int i = ib; i < ie6; i += 6)
                        Tile6x8(a + (long)i * lda + p0, lda, 1, pack ? packed + (long)j * panelLength : bMatrix + (long)p0 * ldb + j, step,
                                c + (long)i * ldc + j, ldc, kk);
                    for (int i = ie6; i < ie4; i += 4)
                    {
                        double* a0 = a + (long)i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
                        double* c0 = c + (long)i * ldc + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
                        var s00 = Vector256.Load(c0); var s01 = Vector256.Load(c0 + 4);
                        var s10 = Vector256.Load(c1); var s11 = Vector256.Load(c1 + 4);
                        var s20 = Vector256.Load(c2); var s21 = Vector256.Load(c2 + 4);
                        var s30 = Vector256.Load(c3); var s31 = Vector256.Load(c3 + 4);
                        double* bp = pack ? packed + (long)j * panelLength : bMatrix + (long)p0 * ldb + j;
                        for (int p = p0; p < p1; p++, bp += step)
                        {
                            var b0 = Vector256.Load(bp);
                            var b1 = Vector256.Load(bp + 4);
                            var x0 = Vector256.Create(a0[p]); var x1 = Vector256.Create(a1[p]);
                            var x2 = Vector256.Create(a2[p]); var x3 = Vector256.Create(a3[p]);
                            s00 = Fma(x0, b0, s00); s01 = Fma(x0, b1, s01);
                            s10 = Fma(x1, b0, s10); s11 = Fma(x1, b1, s11);
                            s20 = Fma(x2, b0, s20); s21 = Fma(x2, b1, s21);
                            s30 = Fma(x3, b0, s30); s31 = Fma(x3, b1, s31);
                        }
                        s00.Store(c0); s01.Store(c0 + 4);
                        s10.Store(c1); s11.Store(c1 + 4);
                        s20.Store(c2); s21.Store(c2 + 4);
                        s30.Store(c3); s31.Store(c3 + 4);
                    }
                    for (int i = ie4; i < ie; i++)
                    {
                        double* ai = a + (long)i * lda, ci = c + (long)i * ldc + j;
                        var s0 = Vector256.Load(ci); var s1 = Vector256.Load(ci + 4);
                        double* bp = pack ? packed + (long)j * panelLength : bMatrix + (long)p0 * ldb + j;
                        for (int p = p0; p < p1; p++, bp += step)
                        {
                            var x = Vector256.Create(ai[p]);
                            s0 = Fma(x, Vector256.Load(bp), s0);
                            s1 = Fma(x, Vector256.Load(bp + 4), s1);
                        }
                        s0.Store(ci); s1.Store(ci + 4);
                    }
                }
            }
        }
        for (int i = rowStart; i < rowEnd; i++) ScalarColumns(a + (long)i * lda, bMatrix, ldb, c + (long)i * ldc, k, n, n8);
    }

    /// <summary>
    /// The register tile: C[0..6, 0..8) += Σ_p A(t, p)·B[p, 0..8) for p &lt; k, with A(t, p) = a[t·aRow + p·aStep] (so
    /// A or Aᵀ) and B's rows bStep apart; twelve 256-bit accumulators, FMA where the CPU has it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile6x8(double* a, long aRow, long aStep, double* b, long bStep, double* c, long ldc, int k)
    {
        double* c0 = c, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        long a2 = 2 * aRow, a3 = 3 * aRow, a4 = 4 * aRow, a5 = 5 * aRow;
        var s00 = Vector256.Load(c0); var s01 = Vector256.Load(c0 + 4);
        var s10 = Vector256.Load(c1); var s11 = Vector256.Load(c1 + 4);
        var s20 = Vector256.Load(c2); var s21 = Vector256.Load(c2 + 4);
        var s30 = Vector256.Load(c3); var s31 = Vector256.Load(c3 + 4);
        var s40 = Vector256.Load(c4); var s41 = Vector256.Load(c4 + 4);
        var s50 = Vector256.Load(c5); var s51 = Vector256.Load(c5 + 4);
        for (int p = 0; p < k; p++, a += aStep, b += bStep)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 4);
            var x = Vector256.Create(a[0]); s00 = Fma(x, b0, s00); s01 = Fma(x, b1, s01);
            x = Vector256.Create(a[aRow]); s10 = Fma(x, b0, s10); s11 = Fma(x, b1, s11);
            x = Vector256.Create(a[a2]); s20 = Fma(x, b0, s20); s21 = Fma(x, b1, s21);
            x = Vector256.Create(a[a3]); s30 = Fma(x, b0, s30); s31 = Fma(x, b1, s31);
            x = Vector256.Create(a[a4]); s40 = Fma(x, b0, s40); s41 = Fma(x, b1, s41);
            x = Vector256.Create(a[a5]); s50 = Fma(x, b0, s50); s51 = Fma(x, b1, s51);
        }
        s00.Store(c0); s01.Store(c0 + 4);
        s10.Store(c1); s11.Store(c1 + 4);
        s20.Store(c2); s21.Store(c2 + 4);
        s30.Store(c3); s31.Store(c3 + 4);
        s40.Store(c4); s41.Store(c4 + 4);
        s50.Store(c5); s51.Store(c5 + 4);
    }

    private static unsafe void ScalarColumns(double* ai, double* b, int ldb, double* ci, int k, int n, int from)
    {
        for (int j = from; j < n; j++)
        {
            double s = ci[j];
            for (int p = 0; p < k; p++) s += ai[p] * b[(long)p * ldb + j];
            ci[j] = s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Fma(Vector256<double> x, Vector256<double> y, Vector256<double> acc) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x, y, acc) : acc + x * y;
}
