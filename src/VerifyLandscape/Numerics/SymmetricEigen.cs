using System.Runtime.Intrinsics;

namespace VerifyLandscape.Numerics;

/// <summary>
/// All eigenvalues of a dense symmetric matrix. Up to n = <see cref="DefaultOneStageLimit"/> (measured crossover, see
/// BENCHMARKS.md), one-stage Householder tridiagonalisation (<see cref="ReduceToTridiagonal"/>, memory-bound); above
/// it, two-stage tridiagonalisation, so that the O(n³) work is matrix products
/// (<see cref="Gemm"/>) rather than the memory-bound matrix-vector products of one-stage reduction:
///  1. dense → band of half-width b: block Householder QR of each b-column panel below the band, Q = I − V T Vᵀ,
///     and the trailing block updated as A ← Qᵀ A Q = A − V Zᵀ − Z Vᵀ with X = A V T, Z = X − ½ V (Tᵀ Vᵀ X);
///  2. band → tridiagonal: Householder bulge chasing (<see cref="BandToTridiagonal"/>), its sweeps pipelined over the
///     cores, on compact band storage;
///  3. tridiagonal → eigenvalues (both routes): implicit QL with Wilkinson shifts.
/// Flops ≈ 4/3·n³ (one stage, or stage 1) + O(n²b); memory: the n×n copy (none with overwrite) plus O(b·n).
/// </summary>
public static class SymmetricEigen
{
    public const int DefaultBand = 32;
    /// <summary>Up to this n the one-stage reduction (<see cref="ReduceToTridiagonal"/>) is used; above it, two stages.</summary>
    public const int DefaultOneStageLimit = 1500;

    /// <summary>
    /// Eigenvalues in ascending order of the symmetric row-major n×n matrix: not modified, unless
    /// <paramref name="overwrite"/> (then it is the work space: no n×n copy, whose page faults alone cost seconds at n = 9089).
    /// <paramref name="stage"/>, when given, gets each stage's name and seconds (the benchmark's profile).
    /// </summary>
    public static double[] Eigenvalues(double[] symmetric, int n, int band = DefaultBand, Action<string, double>? stage = null, bool overwrite = false,
                                       int oneStageLimit = DefaultOneStageLimit)
    {
        if (symmetric.Length < (long)n * n) throw new ArgumentException("matrix buffer smaller than n×n");
        if (n == 0) return [];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Done(string name) { stage?.Invoke(name, clock.Elapsed.TotalSeconds); clock.Restart(); }
        var a = overwrite ? symmetric : symmetric.AsSpan(0, n * n).ToArray();
        // Scale by a power of two (exact) so that the largest entry is about 1: sums of squares in the reductions then
        // neither overflow nor underflow for any matrix double can hold.
        double largest = 0;
        for (int i = 0; i < n * n; i++) largest = Math.Max(largest, Math.Abs(a[i]));
        if (largest == 0) return new double[n];
        if (!double.IsFinite(largest)) throw new ArgumentException("the matrix has an entry that is not a finite number");
        double scale = Math.ScaleB(1, -Math.ILogB(largest));
        if (scale != 1) TensorOps.Scale(a.AsSpan(0, n * n), scale, a.AsSpan(0, n * n));
        band = Math.Max(1, Math.Min(band, n - 1));
        Done("copy and scale");
        double[] d, e;
        if (n <= oneStageLimit)
        {
            (d, e) = ReduceToTridiagonal(a, n);
            Done("dense to tridiagonal");
        }
        else
        {
            ReduceToBand(a, n, band);
            Done("dense to band");
            (d, e) = BandToTridiagonal(a, n, band, Environment.ProcessorCount);
            Done("band to tridiagonal");
        }
        TridiagonalQl(d, e);
        for (int i = 0; i < n; i++) d[i] /= scale;
        Array.Sort(d);
        Done("tridiagonal eigenvalues");
        return d;
    }

    /// <summary>Stage 1: after it, A[i, j] = 0 for 0 &lt; i − j − b (the lower triangle; the upper one is not kept).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void ReduceToBand(double[] a, int n, int b)
    {
        // Work arrays sized for the first (largest) panel, reused for every panel.
        int mMax = n - b;
        double[] panelT = new double[b * mMax], v = new double[mMax * b], vt = new double[b * mMax];
        double[] x = new double[mMax * b], av = new double[mMax * b], vm = new double[mMax * b];
        double[] left = new double[mMax * 2 * b], right = new double[2 * b * mMax];
        var packBuffer = new double[2 * b * mMax]; // V packed for A₂₂·V, then [Zᵀ; Vᵀ] packed for the update
        var partSums = new double[2 * Environment.ProcessorCount][];
        for (int p = 0; p < partSums.Length; p++) partSums[p] = new double[mMax * b];
        for (int j0 = 0; j0 + b < n - 1; j0 += b)
        {
            int r0 = j0 + b, m = n - r0, w = Math.Min(b, m);
            // The panel A[r0.., j0..j0+b), transposed: row c of panelT is column j0 + c from row r0 down, so that its
            // Householder QR works on contiguous rows. The reflectors' vectors go to the rows of vt (Vᵀ).
            for (int i = 0; i < m; i++)
                for (int c = 0; c < b; c++) panelT[c * m + i] = a[(long)(r0 + i) * n + j0 + c];
            Array.Clear(vt, 0, w * m);
            var tau = new double[w];
            for (int c = 0; c < w; c++)
            {
                // H_c zeroes column c below its diagonal entry; its vector goes to row c of vt.
                tau[c] = ReflectInPlace(panelT.AsSpan(c * m + c, m - c), vt.AsSpan(c * m + c, m - c));
                // H_c on each later column: q −= τ (vᵀq) v, the dot and the update on one contiguous row (read once
                // from memory, the second time from cache).
                ApplyReflectorToRows(panelT, m, c, c + 1, b, vt, tau[c]);
            }
            // R back into the matrix (the kept, lower part only); V from Vᵀ.
            for (int i = 0; i < m; i++)
                for (int c = 0; c < b; c++) a[(long)(r0 + i) * n + j0 + c] = i <= c ? panelT[c * m + i] : 0;
            Gemm.Transpose(vt.AsSpan(0, w * m), v, w, m);
            // T (w×w, upper triangular) with H_0 ⋯ H_{w−1} = I − V T Vᵀ, from VᵀV.
            var gram = new double[w * w];
            Gemm.Multiply(vt, v, gram, w, m, w);
            var t = new double[w * w];
            for (int c = 0; c < w; c++)
            {
                t[c * w + c] = tau[c];
                if (c == 0 || tau[c] == 0) continue;
                var y = new double[c];
                for (int i = 0; i < c; i++) y[i] = -tau[c] * gram[i * w + c];
                for (int i = 0; i < c; i++)
                {
                    double s = 0;
                    for (int k = i; k < c; k++) s += t[i * w + k] * y[k];
                    t[i * w + c] = s;
                }
            }
            // X = A22 V T;  M = Tᵀ (Vᵀ X);  Z = X − ½ V M.
            SymmetricTimesPanel(a, n, r0, v, w, av, partSums, packBuffer);
            Gemm.Multiply(av, t, x, m, w, w);
            var vtx = new double[w * w];
            Gemm.Multiply(vt, x, vtx, w, m, w);
            var mm = new double[w * w];
            for (int i = 0; i < w; i++)
                for (int j = 0; j < w; j++)
                {
                    double s = 0;
                    for (int k = 0; k <= i; k++) s += t[k * w + i] * vtx[k * w + j];
                    mm[i * w + j] = s;
                }
            Gemm.Multiply(v, mm, vm, m, w, w);
            // A22 += L R with L = [−V | −Z] (m × 2w) and R = [Zᵀ ; Vᵀ] (2w × m), on the kept part only.
            for (int i = 0; i < m; i++)
                for (int c = 0; c < w; c++)
                {
                    double z = x[i * w + c] - 0.5 * vm[i * w + c];
                    x[i * w + c] = z;
                    left[i * 2 * w + c] = -v[i * w + c];
                    left[i * 2 * w + w + c] = -z;
                }
            Gemm.Transpose(x.AsSpan(0, m * w), right, m, w);
            Array.Copy(vt, 0, right, w * m, w * m);
            var packedRight = Gemm.Pack(right, 0, m, 2 * w, m, packBuffer);
            ForEachBlock(n, r0, (i0, i1) =>
                Gemm.MultiplyAdd(left, (i0 - r0) * 2 * w, 2 * w, packedRight, a, i0 * n + r0, n, i1 - i0, 2 * w, i1 - r0));
        }
    }

    /// <summary>Rows first..last of the row-major matrix (leading dimension m), entries c..m: row −= τ (uᵀrow) u for u = vt's row c.</summary>
    private static unsafe void ApplyReflectorToRows(double[] matrix, int m, int c, int first, int last, double[] vt, double tau)
    {
        if (tau == 0) return;
        int len = m - c;
        fixed (double* pm = matrix, pu = &vt[c * m + c])
            for (int q = first; q < last; q++)
            {
                double* row = pm + (long)q * m + c;
                AddScaled(pu, -tau * Dot(pu, row, len), row, len);
            }
    }

    // Symmetry halves the update: only the "kept part" of the trailing matrix is updated, entry (i, j) with
    // j < end of i's block of 64 rows (absolute indices, so the part is the same for every panel). It holds the lower
    // triangle and whole diagonal blocks; the rest is read through the transpose.
    private const int Block = 64;

    /// <summary>Runs body(i0, i1) in parallel for the row blocks [i0, i1) of rows from..n, aligned to multiples of 64.</summary>
    private static void ForEachBlock(int n, int from, Action<int, int> body)
    {
        int first = from / Block, last = (n - 1) / Block;
        Parallel.For(first, last + 1, blockIndex => body(Math.Max(from, blockIndex * Block), Math.Min(n, (blockIndex + 1) * Block)));
    }

    /// <summary>
    /// x = A22 V for the symmetric trailing block A22 = A[r0.., r0..] of which only the kept part is current, in one
    /// pass over the kept part: row block J gives x[J] += A[J, r0..J's end) V (its rows) and, by symmetry,
    /// x[r0..J) += A[J, r0..J)ᵀ V[J] (the columns left of it), while the block is in cache. The second product writes
    /// rows that other blocks also write, so the blocks are cut into a fixed number of parts of about equal area, each
    /// summing into its own buffer (rows r0 up to its last row), and the buffers are added in order: the result does not
    /// depend on scheduling.
    /// </summary>
    private static void SymmetricTimesPanel(double[] a, int n, int r0, double[] v, int w, double[] x, double[][] buffers, double[] packBuffer)
    {
        int m = n - r0, first = r0 / Block, blocks = (n - 1) / Block - first + 1;
        var packedV = Gemm.Pack(v, 0, w, m, w, packBuffer);
        int parts = Math.Min(blocks, buffers.Length);
        // Part p holds the blocks whose end row e (relative to r0) has (e/m)² in [p/parts, (p+1)/parts): equal area.
        var firstBlock = new int[parts + 1];
        for (int p = 0; p <= parts; p++) firstBlock[p] = p == parts ? blocks : (int)Math.Ceiling(blocks * Math.Sqrt((double)p / parts));
        var rowsOf = new int[parts];
        Parallel.For(0, parts, p =>
        {
            int lastBlock = firstBlock[p + 1] - 1;
            if (lastBlock < firstBlock[p]) return;
            int rows = Math.Min(n, (first + lastBlock + 1) * Block) - r0;
            rowsOf[p] = rows;
            var sum = buffers[p];
            Array.Clear(sum, 0, rows * w);
            for (int block = firstBlock[p]; block <= lastBlock; block++)
            {
                int i0 = Math.Max(r0, (first + block) * Block), i1 = Math.Min(n, (first + block + 1) * Block);
                // Kept part of rows i0..i1: columns r0..i1.
                Gemm.MultiplyAdd(a, i0 * n + r0, n, packedV, sum, (i0 - r0) * w, w, i1 - i0, i1 - r0, w);
                // The same rows' columns r0..i0, transposed: rows r0..i0 of x.
                Gemm.MultiplyAddTransposed(a, i0 * n + r0, n, v, (i0 - r0) * w, w, sum, 0, w, i0 - r0, i1 - i0, w);
            }
        });
        Array.Clear(x, 0, m * w);
        for (int p = 0; p < parts; p++)
            TensorOps.AddScaled(buffers[p].AsSpan(0, rowsOf[p] * w), 1, x.AsSpan(0, rowsOf[p] * w));
    }

    /// <summary>
    /// Stage 2: the band (half-width b) to tridiagonal form by Householder bulge chasing (the algorithm of LAPACK's
    /// dsytrd_sb2st); returns the diagonal and the sub-diagonal. Sweep j: a reflector of length ≤ b zeroes column j
    /// below its sub-diagonal entry and is applied on both sides of the next diagonal block; applied from the right, it
    /// fills the block below (the bulge); the next reflector zeroes the bulge's first column only and is applied from the
    /// left to the rest of the bulge and on both sides of the next diagonal block, and so on down the band. The bulge's
    /// other columns are zeroed by the next sweeps. Storage: the lower band of half-width 2b (room for the bulge),
    /// column after column, so that every loop runs over contiguous entries. Flops ≈ 6·n²·b.
    /// Sweeps run on <paramref name="threads"/> threads in a pipeline: sweep j's step k starts when sweep j − 1 has
    /// finished its step k + 2 (from then on their windows of the matrix are disjoint), so every entry sees the same
    /// operations in the same order as on one thread, and the result is the same bit for bit.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static (double[] Diagonal, double[] Sub) BandToTridiagonal(double[] a, int n, int b, int threads)
    {
        int ld = 2 * b + 1; // entry (r, c), 0 ≤ r − c ≤ 2b, at band[c·ld + r − c]
        var band = new double[(long)n * ld];
        for (int c = 0; c < n; c++)
            for (int dist = 0; dist <= b && c + dist < n; dist++) band[c * ld + dist] = a[(long)(c + dist) * n + c];

        // progress[j]: the number of steps sweep j has finished (int.MaxValue when it has finished all of them).
        var progress = new int[n];
        bool failed = false; // a worker that throws releases the others from their waits
        threads = n < 4 * b ? 1 : Math.Max(1, threads);
        void Sweeps(int first)
        {
            try { SweepsFrom(first); }
            catch { Volatile.Write(ref failed, true); throw; }
        }
        void SweepsFrom(int first)
        {
            var v = new double[b];
            var vNext = new double[b];
            var y = new double[b];
            for (int j = first; j < n - 2; j += threads)
            {
                void WaitFor(int step)
                {
                    if (j == 0) return;
                    var spin = new SpinWait();
                    while (Volatile.Read(ref progress[j - 1]) < step + 3)
                    {
                        if (Volatile.Read(ref failed)) throw new OperationCanceledException("another sweep failed");
                        spin.SpinOnce(sleep1Threshold: -1); // never Sleep(1): a millisecond per wait would stall the pipeline
                    }
                }
                // Step 0: zero column j below row j + 1; both sides of the block (st..ed)².
                WaitFor(0);
                int st = j + 1, ed = Math.Min(j + b, n - 1), len = ed - st + 1;
                double tau = ReflectInPlace(band.AsSpan(j * ld + 1, len), v);
                ApplyBothSides(band, ld, st, len, v, tau, y);
                Volatile.Write(ref progress[j], 1);
                for (int step = 1; ed + 1 < n; step++)
                {
                    WaitFor(step);
                    int j1 = ed + 1, rows = Math.Min(ed + b, n - 1) - j1 + 1;
                    // The last reflector from the right on the block (j1.., st..ed): the bulge.
                    ApplyRight(band, ld, j1, rows, st, len, v, tau, y);
                    // Zero the bulge's first column (st) below row j1; the reflector from the left on its other columns.
                    double tauNext = ReflectInPlace(band.AsSpan(st * ld + (j1 - st), rows), vNext);
                    ApplyLeft(band, ld, j1, rows, st + 1, len - 1, vNext, tauNext);
                    ApplyBothSides(band, ld, j1, rows, vNext, tauNext, y);
                    (v, vNext) = (vNext, v);
                    (st, ed, len, tau) = (j1, j1 + rows - 1, rows, tauNext);
                    Volatile.Write(ref progress[j], step + 1);
                }
                Volatile.Write(ref progress[j], int.MaxValue);
            }
        }
        if (threads == 1) Sweeps(0);
        else
        {
            var workers = new Task[threads];
            for (int t = 0; t < threads; t++)
            {
                int first = t;
                workers[t] = Task.Factory.StartNew(() => Sweeps(first), TaskCreationOptions.LongRunning);
            }
            Task.WaitAll(workers);
        }
        var d = new double[n];
        var e = new double[n];
        for (int i = 0; i < n; i++)
        {
            d[i] = band[i * ld];
            if (i + 1 < n) e[i] = band[i * ld + 1];
        }
        return (d, e);
    }

    /// <summary>The reflector of the contiguous x (into u, u[0] = 1), and x ← (β, 0, …, 0); returns τ.</summary>
    private static double ReflectInPlace(Span<double> x, Span<double> u)
    {
        double tau = Reflector(x, u, out double beta);
        x[0] = beta;
        x[1..].Clear();
        return tau;
    }

    /// <summary>
    /// D ← H D H for the symmetric block D = A[s..s+len)², lower part in band storage, H = I − τ u uᵀ:
    /// y = τ D u, w = y − ½ τ (yᵀu) u, D ← D − u wᵀ − w uᵀ.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ApplyBothSides(double[] band, int ld, int s, int len, double[] u, double tau, double[] y)
    {
        if (tau == 0) return;
        fixed (double* pb = &band[(long)s * ld], pu = u, py = y)
        {
            new Span<double>(py, len).Clear();
            for (int c = 0; c < len; c++)
            {
                double* column = pb + (long)c * ld; // D[c.., c]
                py[c] += Dot(column, pu + c, len - c);
                AddScaled(column + 1, pu[c], py + c + 1, len - c - 1);
            }
            for (int i = 0; i < len; i++) py[i] *= tau;
            AddScaled(pu, -0.5 * tau * Dot(py, pu, len), py, len);
            for (int c = 0; c < len; c++)
            {
                double* column = pb + (long)c * ld;
                AddScaled2(py + c, -pu[c], pu + c, -py[c], column, len - c);
            }
        }
    }

    /// <summary>B ← B H for the block B = A[r..r+rows, c0..c0+cols) (below the diagonal), H = I − τ u uᵀ: B −= τ (B u) uᵀ.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ApplyRight(double[] band, int ld, int r, int rows, int c0, int cols, double[] u, double tau, double[] bu)
    {
        if (tau == 0) return;
        fixed (double* pb = band, pu = u, sum = bu)
        {
            new Span<double>(sum, rows).Clear();
            for (int c = 0; c < cols; c++) AddScaled(pb + (long)(c0 + c) * ld + (r - c0 - c), pu[c], sum, rows);
            for (int c = 0; c < cols; c++) AddScaled(sum, -tau * pu[c], pb + (long)(c0 + c) * ld + (r - c0 - c), rows);
        }
    }

    /// <summary>B ← H B for the block B = A[r..r+rows, c0..c0+cols) (below the diagonal), H = I − τ u uᵀ: each column −= τ (uᵀcolumn) u.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ApplyLeft(double[] band, int ld, int r, int rows, int c0, int cols, double[] u, double tau)
    {
        if (tau == 0) return;
        fixed (double* pb = band, pu = u)
            for (int c = 0; c < cols; c++)
            {
                double* column = pb + (long)(c0 + c) * ld + (r - c0 - c);
                AddScaled(pu, -tau * Dot(pu, column, rows), column, rows);
            }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static unsafe double Dot(double* x, double* y, int len)
    {
        int i = 0;
        var s0 = Vector256<double>.Zero;
        var s1 = Vector256<double>.Zero;
        for (; i <= len - 8; i += 8)
        {
            s0 = Gemm.Fma(Vector256.Load(x + i), Vector256.Load(y + i), s0);
            s1 = Gemm.Fma(Vector256.Load(x + i + 4), Vector256.Load(y + i + 4), s1);
        }
        if (i <= len - 4) { s0 = Gemm.Fma(Vector256.Load(x + i), Vector256.Load(y + i), s0); i += 4; }
        double sum = Vector256.Sum(s0 + s1);
        for (; i < len; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>dst += c·x.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddScaled(double* x, double c, double* dst, int len)
    {
        int i = 0;
        var vc = Vector256.Create(c);
        for (; i <= len - 4; i += 4) Vector256.Store(Gemm.Fma(vc, Vector256.Load(x + i), Vector256.Load(dst + i)), dst + i);
        for (; i < len; i++) dst[i] += c * x[i];
    }

    /// <summary>dst += c·x + d·y.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddScaled2(double* x, double c, double* y, double d, double* dst, int len)
    {
        int i = 0;
        var vc = Vector256.Create(c);
        var vd = Vector256.Create(d);
        for (; i <= len - 4; i += 4)
            Vector256.Store(Gemm.Fma(vd, Vector256.Load(y + i), Gemm.Fma(vc, Vector256.Load(x + i), Vector256.Load(dst + i))), dst + i);
        for (; i < len; i++) dst[i] += c * x[i] + d * y[i];
    }

    /// <summary>
    /// One-stage Householder tridiagonalisation (LAPACK's dsytd2) on the upper triangle, row-major, so that every row is
    /// read contiguously. Step k: v_k reflects row k's part right of the diagonal onto its first entry; with
    /// y = A₂₂ v_k and w = τ y − ½ τ² (yᵀ v_k) v_k the trailing block becomes A₂₂ − v_k wᵀ − w v_kᵀ. Row k+1 is updated
    /// first (it gives v_{k+1}); then one pass over the rest of the triangle both applies the update and accumulates
    /// the next product y = A₂₂ v_{k+1}, so the triangle is read and written once per step (two rows at a time, so that
    /// v, w, u and the sums are loaded once for both). Memory-bound: measured faster than the two-stage route up to
    /// n = 1500 on this project's machines (level there), slower from 2000 (BENCHMARKS.md). Flops ≈ 4/3·n³.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static (double[] Diagonal, double[] Sub) ReduceToTridiagonal(double[] a, int n)
    {
        var d = new double[n];
        var e = new double[n];
        d[0] = a[0];
        if (n == 1) return (d, e);
        double[] v = new double[n], next = new double[n], w = new double[n], y = new double[n];
        int parts = n >= ParallelRows ? Math.Clamp(2 * Environment.ProcessorCount, 1, 32) : 1;
        var partial = new double[parts][];
        for (int t = 0; t < parts; t++) partial[t] = new double[n];
        double tau = Reflector(a.AsSpan(1, n - 1), v.AsSpan(1), out e[0]);
        FusedPass(a, n, 1, null, null, v, y, partial);
        for (int r = 1; r < n; r++)
        {
            // v (entries r..n−1), τ and y = A₂₂ v, A₂₂ = A[r.., r..], are those of step r − 1.
            double yv = 0;
            for (int i = r; i < n; i++) yv += y[i] * v[i];
            double half = 0.5 * tau * tau * yv;
            for (int i = r; i < n; i++) w[i] = tau * y[i] - half * v[i];
            var row = a.AsSpan(r * n, n);
            for (int j = r; j < n; j++) row[j] -= v[r] * w[j] + w[r] * v[j];
            d[r] = row[r];
            if (r == n - 1) break;
            double tauNext = Reflector(row[(r + 1)..], next.AsSpan(r + 1), out e[r]);
            FusedPass(a, n, r + 1, v, w, next, y, partial);
            (v, next) = (next, v);
            tau = tauNext;
        }
        return (d, e);
    }

    /// <summary>
    /// A pass over fewer rows runs on one thread: below this it takes tens of microseconds, and on a busy machine a
    /// second thread's part can wait a whole time slice for its core (measured: 17× slower at n = 500 beside a CPU hog).
    /// Above it, 2 parts per core, handed out dynamically, so a descheduled thread holds up at most a small part.
    /// </summary>
    private const int ParallelRows = 512;

    /// <summary>
    /// The Householder reflector (LAPACK's dlarfg) with (I − τ u uᵀ) x = β e₁: u[0] = 1, u = x / (x₀ − β) after it, and
    /// β = −sign(x₀)‖x‖; returns τ (0 when x is already a multiple of e₁). The matrix was scaled to entries about 1, so
    /// the sum of squares cannot overflow; entries it loses to underflow (below 1e−154) are below ε·‖A‖.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double Reflector(ReadOnlySpan<double> x, Span<double> u, out double beta)
    {
        double alpha = x[0], tail = 0;
        for (int i = 1; i < x.Length; i++) tail += x[i] * x[i];
        u[0] = 1;
        if (tail == 0)
        {
            u[1..x.Length].Clear();
            beta = alpha;
            return 0;
        }
        beta = -Math.CopySign(Math.Sqrt(alpha * alpha + tail), alpha);
        double scale = 1 / (alpha - beta);
        for (int i = 1; i < x.Length; i++) u[i] = x[i] * scale;
        return (beta - alpha) / beta;
    }

    /// <summary>
    /// Rows first..n−1 of the upper triangle: A ← A − v wᵀ − w vᵀ (skipped when v is null), then y = A u over the same
    /// block (each stored entry counts for (i, j) and (j, i)). The rows are split into parts of equal area (from
    /// <see cref="ParallelRows"/> rows on), each part summing into its own buffer; the buffers are added in a fixed order,
    /// so the result does not depend on scheduling.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void FusedPass(double[] a, int n, int first, double[]? v, double[]? w, double[] u, double[] y, double[][] partial)
    {
        int parts = n - first >= ParallelRows ? partial.Length : 1;
        int Boundary(int t) => t == parts ? n : n - (int)Math.Round((n - first) * Math.Sqrt(1 - (double)t / parts));
        if (parts == 1) Rows(0, first, n);
        else Parallel.For(0, parts, t => Rows(t, Boundary(t), Boundary(t + 1)));
        Array.Clear(y, first, n - first);
        for (int t = 0; t < parts; t++)
            for (int i = first; i < n; i++) y[i] += partial[t][i];

        unsafe void Rows(int part, int from, int to)
        {
            var sum = partial[part];
            Array.Clear(sum, first, n - first);
            fixed (double* pa = a, pu = u, ps = sum, pv = v, pw = w)
            {
                // Two rows at a time: w, v, u and the sums are loaded once for both (the pass is bound by loads).
                int i = from;
                for (; i + 1 < to; i += 2) UpdateAndMultiplyTwoRows(pa, n, i, pv, pw, pu, ps);
                if (i < to) UpdateAndMultiplyRow(pa, n, i, pv, pw, pu, ps);
            }
        }
    }

    /// <summary>
    /// Row i of <see cref="FusedPass"/>: a_ij −= v_i w_j + w_i v_j for j ≥ i (no update when v is null), then
    /// s_i += Σ_j a_ij u_j and s_j += a_ij u_i for j &gt; i.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void UpdateAndMultiplyRow(double* pa, int n, int i, double* pv, double* pw, double* pu, double* ps)
    {
        double* row = pa + (long)i * n;
        bool update = pv != null;
        double vi = update ? pv[i] : 0, wi = update ? pw[i] : 0, ui = pu[i];
        double aii = row[i] - 2 * vi * wi;
        row[i] = aii;
        double dot = aii * ui;
        int j = i + 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var minusV = Vector256.Create(-vi);
            var minusW = Vector256.Create(-wi);
            var uiv = Vector256.Create(ui);
            var acc = Vector256<double>.Zero;
            for (; j + 4 <= n; j += 4)
            {
                var x = Vector256.Load(row + j);
                if (update) x = Gemm.Fma(minusW, Vector256.Load(pv + j), Gemm.Fma(minusV, Vector256.Load(pw + j), x));
                Vector256.Store(x, row + j);
                acc = Gemm.Fma(x, Vector256.Load(pu + j), acc);
                Vector256.Store(Gemm.Fma(x, uiv, Vector256.Load(ps + j)), ps + j);
            }
            dot += Vector256.Sum(acc);
        }
        for (; j < n; j++)
        {
            double x = row[j];
            if (update) x -= vi * pw[j] + wi * pv[j];
            row[j] = x;
            dot += x * pu[j];
            ps[j] += x * ui;
        }
        ps[i] += dot;
    }

    /// <summary>Rows i and i + 1 of <see cref="FusedPass"/> together, as <see cref="UpdateAndMultiplyRow"/> does each.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static unsafe void UpdateAndMultiplyTwoRows(double* pa, int n, int i, double* pv, double* pw, double* pu, double* ps)
    {
        double* r0 = pa + (long)i * n, r1 = r0 + n;
        bool update = pv != null;
        double v0 = update ? pv[i] : 0, w0 = update ? pw[i] : 0, u0 = pu[i];
        double v1 = update ? pv[i + 1] : 0, w1 = update ? pw[i + 1] : 0, u1 = pu[i + 1];
        // The entries left of the common columns: (i, i), (i, i + 1) and (i + 1, i + 1).
        double x = r0[i] - 2 * v0 * w0;
        r0[i] = x;
        double dot0 = x * u0;
        x = r0[i + 1] - (v0 * w1 + w0 * v1);
        r0[i + 1] = x;
        dot0 += x * u1;
        ps[i + 1] += x * u0;
        x = r1[i + 1] - 2 * v1 * w1;
        r1[i + 1] = x;
        double dot1 = x * u1;
        int j = i + 2;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> minusV0 = Vector256.Create(-v0), minusW0 = Vector256.Create(-w0), u0v = Vector256.Create(u0);
            Vector256<double> minusV1 = Vector256.Create(-v1), minusW1 = Vector256.Create(-w1), u1v = Vector256.Create(u1);
            Vector256<double> acc0 = Vector256<double>.Zero, acc1 = Vector256<double>.Zero;
            for (; j + 4 <= n; j += 4)
            {
                var x0 = Vector256.Load(r0 + j);
                var x1 = Vector256.Load(r1 + j);
                if (update)
                {
                    var vj = Vector256.Load(pv + j);
                    var wj = Vector256.Load(pw + j);
                    x0 = Gemm.Fma(minusW0, vj, Gemm.Fma(minusV0, wj, x0));
                    x1 = Gemm.Fma(minusW1, vj, Gemm.Fma(minusV1, wj, x1));
                }
                Vector256.Store(x0, r0 + j);
                Vector256.Store(x1, r1 + j);
                var uj = Vector256.Load(pu + j);
                acc0 = Gemm.Fma(x0, uj, acc0);
                acc1 = Gemm.Fma(x1, uj, acc1);
                Vector256.Store(Gemm.Fma(x1, u1v, Gemm.Fma(x0, u0v, Vector256.Load(ps + j))), ps + j);
            }
            dot0 += Vector256.Sum(acc0);
            dot1 += Vector256.Sum(acc1);
        }
        for (; j < n; j++)
        {
            double x0 = r0[j], x1 = r1[j];
            if (update)
            {
                x0 -= v0 * pw[j] + w0 * pv[j];
                x1 -= v1 * pw[j] + w1 * pv[j];
            }
            r0[j] = x0;
            r1[j] = x1;
            dot0 += x0 * pu[j];
            dot1 += x1 * pu[j];
            ps[j] += x0 * u0 + x1 * u1;
        }
        ps[i] += dot0;
        ps[i + 1] += dot1;
    }

    /// <summary>Eigenvalues of the tridiagonal matrix (d diagonal, e[i] coupling i and i+1) by implicit QL, in place in d.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void TridiagonalQl(double[] d, double[] e)
    {
        int n = d.Length;
        if (n > 0) e[n - 1] = 0;
        // An off-diagonal entry below ε·‖T‖ is set to 0 (absolute test: clusters of eigenvalues near 0, as at minima,
        // never meet a test relative to the neighbouring diagonal entries).
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(d[i]) + Math.Abs(e[i]) + (i > 0 ? Math.Abs(e[i - 1]) : 0));
        double small = 2.220446049250313e-16 * norm;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0, m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    if (Math.Abs(e[m]) <= small) break;
                }
                if (m == l) break;
                if (++iterations > 300) throw new InvalidOperationException("tridiagonal QL did not converge");
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = double.Hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + Math.CopySign(r, g));
                double s = 1, c = 1, p = 0;
                int i;
                bool deflated = false;
                for (i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], bb = c * e[i];
                    // √(f² + g²) directly (Hypot costs several times more), unless the squares could underflow.
                    double squares = f * f + g * g;
                    e[i + 1] = r = squares > 1e-290 ? Math.Sqrt(squares) : double.Hypot(f, g);
                    if (r == 0)
                    {
                        d[i + 1] -= p;
                        e[m] = 0;
                        deflated = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * bb;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - bb;
                }
                if (deflated) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            } while (true);
        }
    }
}
