namespace VerifyLandscape.Numerics;

/// <summary>
/// All eigenvalues of a dense symmetric matrix by two-stage tridiagonalisation, so that the O(n³) work is matrix
/// products (<see cref="Gemm"/>) rather than the memory-bound matrix-vector products of one-stage reduction:
///  1. dense → band of half-width b: block Householder QR of each b-column panel below the band, Q = I − V T Vᵀ,
///     and the trailing block updated as A ← Qᵀ A Q = A − V Zᵀ − Z Vᵀ with X = A V T, Z = X − ½ V (Tᵀ Vᵀ X);
///  2. band → tridiagonal: Givens rotations, each zeroing one band entry and chasing the one fill entry it makes
///     down the band (Schwarz's algorithm), on compact band storage;
///  3. tridiagonal → eigenvalues: implicit QL with Wilkinson shifts.
/// Flops ≈ 2n³ (stage 1) + O(n²b); memory: the n×n copy plus (b+2)·n.
/// </summary>
public static class SymmetricEigen
{
    public const int DefaultBand = 32;

    /// <summary>Eigenvalues in ascending order of the symmetric row-major n×n matrix (not modified).</summary>
    public static double[] Eigenvalues(double[] symmetric, int n, int band = DefaultBand)
    {
        if (symmetric.Length < (long)n * n) throw new ArgumentException("matrix buffer smaller than n×n");
        if (n == 0) return [];
        var a = symmetric.AsSpan(0, n * n).ToArray();
        band = Math.Max(1, Math.Min(band, n - 1));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        ReduceToBand(a, n, band);
        var t1 = sw.Elapsed.TotalSeconds;
        var (d, e) = BandToTridiagonal(a, n, band);
        var t2 = sw.Elapsed.TotalSeconds;
        TridiagonalQl(d, e);
        if (Environment.GetEnvironmentVariable("VL_EIGEN_TIMING") == "1") Console.Error.WriteLine($"TIMING band {t1:0.00} tri {t2 - t1:0.00} ql {sw.Elapsed.TotalSeconds - t2:0.00}");
        Array.Sort(d);
        return d;
    }

    /// <summary>Stage 1: after it, A[i, j] = 0 for |i − j| &gt; b (both triangles kept).</summary>
    private static void ReduceToBand(double[] a, int n, int b)
    {
        for (int j0 = 0; j0 + b < n - 1; j0 += b)
        {
            int r0 = j0 + b, m = n - r0, w = Math.Min(b, m);
            // The panel A[r0.., j0..j0+b) as a contiguous m×b matrix; its Householder QR in place.
            var panel = new double[m * b];
            for (int i = 0; i < m; i++) Array.Copy(a, (long)(r0 + i) * n + j0, panel, i * b, b);
            var v = new double[m * w];
            var tau = new double[w];
            for (int c = 0; c < w; c++)
            {
                double alpha = panel[c * b + c], norm2 = 0;
                for (int i = c + 1; i < m; i++) norm2 += panel[i * b + c] * panel[i * b + c];
                v[c * w + c] = 1;
                if (norm2 == 0) { tau[c] = 0; continue; }
                double beta = -Math.CopySign(Math.Sqrt(alpha * alpha + norm2), alpha);
                tau[c] = (beta - alpha) / beta;
                double scale = 1 / (alpha - beta);
                for (int i = c + 1; i < m; i++) v[i * w + c] = panel[i * b + c] * scale;
                panel[c * b + c] = beta;
                for (int i = c + 1; i < m; i++) panel[i * b + c] = 0;
                for (int cc = c + 1; cc < b; cc++)
                {
                    double s = panel[c * b + cc];
                    for (int i = c + 1; i < m; i++) s += v[i * w + c] * panel[i * b + cc];
                    s *= tau[c];
                    panel[c * b + cc] -= s;
                    for (int i = c + 1; i < m; i++) panel[i * b + cc] -= s * v[i * w + c];
                }
            }
            // R back into the matrix, both triangles.
            for (int i = 0; i < m; i++)
                for (int c = 0; c < b; c++)
                {
                    double r = i <= c ? panel[i * b + c] : 0;
                    a[(long)(r0 + i) * n + j0 + c] = r;
                    a[(long)(j0 + c) * n + r0 + i] = r;
                }
            // T (w×w, upper triangular) with H_0 ⋯ H_{w−1} = I − V T Vᵀ.
            var t = new double[w * w];
            for (int c = 0; c < w; c++)
            {
                t[c * w + c] = tau[c];
                if (c == 0 || tau[c] == 0) continue;
                var y = new double[c];
                for (int i = 0; i < c; i++)
                {
                    double s = 0;
                    for (int r = c; r < m; r++) s += v[r * w + i] * v[r * w + c];
                    y[i] = -tau[c] * s;
                }
                for (int i = 0; i < c; i++)
                {
                    double s = 0;
                    for (int k = i; k < c; k++) s += t[i * w + k] * y[k];
                    t[i * w + c] = s;
                }
            }
            // X = A22 V T;  M = Tᵀ (Vᵀ X);  Z = X − ½ V M.
            var av = SymmetricTimesPanel(a, n, r0, v, w);
            var x = new double[m * w];
            Gemm.Multiply(av, t, x, m, w, w);
            var vt = new double[w * m];
            Gemm.Transpose(v, vt, m, w);
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
            var vm = new double[m * w];
            Gemm.Multiply(v, mm, vm, m, w, w);
            // A22 += L R with L = [−V | −Z] (m × 2w) and R = [Zᵀ ; Vᵀ] (2w × m), on the kept part only.
            var left = new double[m * 2 * w];
            var right = new double[2 * w * m];
            for (int i = 0; i < m; i++)
                for (int c = 0; c < w; c++)
                {
                    double z = x[i * w + c] - 0.5 * vm[i * w + c];
                    left[i * 2 * w + c] = -v[i * w + c];
                    left[i * 2 * w + w + c] = -z;
                    right[c * m + i] = z;
                    right[(w + c) * m + i] = v[i * w + c];
                }
            ForEachBlock(n, r0, (i0, i1) =>
                Gemm.MultiplyAdd(left, (i0 - r0) * 2 * w, 2 * w, right, 0, m, a, i0 * n + r0, n, i1 - i0, 2 * w, i1 - r0));
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

    /// <summary>A22 V for the symmetric trailing block A22 = A[r0.., r0..] of which only the kept part is current.</summary>
    private static double[] SymmetricTimesPanel(double[] a, int n, int r0, double[] v, int w)
    {
        int m = n - r0;
        var x = new double[m * w];
        var vt = new double[w * m];
        Gemm.Transpose(v, vt, m, w);
        var xt = new double[w * m]; // (Σ over later blocks of Aᵀ V)ᵀ, column block by column block
        ForEachBlock(n, r0, (i0, i1) =>
        {
            // Kept part of rows i0..i1: columns r0..i1.
            Gemm.MultiplyAdd(a, i0 * n + r0, n, v, 0, w, x, (i0 - r0) * w, w, i1 - i0, i1 - r0, w);
            // Columns i0..i1 of the rows below the block, by symmetry: xt[:, i0..i1) = Vᵀ[:, i1..] · A[i1.., i0..i1).
            Gemm.MultiplyAdd(vt, i1 - r0, m, a, i1 * n + i0, n, xt, i0 - r0, m, w, n - i1, i1 - i0);
        });
        for (int i = 0; i < m; i++)
            for (int c = 0; c < w; c++) x[i * w + c] += xt[c * m + i];
        return x;
    }

    /// <summary>Stage 2: the band (half-width b) to tridiagonal form; returns the diagonal and the sub-diagonal.</summary>
    private static (double[] Diagonal, double[] Sub) BandToTridiagonal(double[] a, int n, int b)
    {
        // Compact storage: entry (i, j), |i − j| ≤ b + 1, at band[min(i,j) * stride + |i − j|]; distance b + 1 holds the fill.
        int stride = b + 2;
        var band = new double[n * stride];
        for (int j = 0; j < n; j++)
            for (int dist = 0; dist <= b && j + dist < n; dist++) band[j * stride + dist] = a[(long)(j + dist) * n + j];
        ref double At(int i, int j) => ref band[Math.Min(i, j) * stride + Math.Abs(i - j)];

        // Rotate rows and columns p and p+1 so that entry (p+1, col) becomes 0 (given x = A(p, col), y = A(p+1, col)).
        void Rotate(int p, double x, double y)
        {
            int q = p + 1;
            double r = Math.Sqrt(x * x + y * y), c = x / r, s = y / r;
            int lo = Math.Max(0, q - b - 1), hi = Math.Min(n - 1, p + b + 1);
            // k < p: (p, k) and (q, k) are adjacent in column k's storage.
            for (int k = lo; k < p; k++)
            {
                int at = k * stride + (p - k);
                double u = band[at], w = band[at + 1];
                band[at] = c * u + s * w;
                band[at + 1] = -s * u + c * w;
            }
            // k > q: (p, k) and (q, k) run along columns p and q.
            for (int k = q + 1; k <= hi; k++)
            {
                int ap = p * stride + (k - p), aq = q * stride + (k - q);
                double u = band[ap], w = band[aq];
                band[ap] = c * u + s * w;
                band[aq] = -s * u + c * w;
            }
            ref double app = ref At(p, p);
            ref double aqq = ref At(q, q);
            ref double apq = ref At(p, q);
            double pp = app, qq = aqq, pq = apq;
            app = c * c * pp + 2 * c * s * pq + s * s * qq;
            aqq = s * s * pp - 2 * c * s * pq + c * c * qq;
            apq = c * s * (qq - pp) + (c * c - s * s) * pq;
        }

        for (int j = 0; j < n - 2; j++)
            for (int dist = Math.Min(b, n - 1 - j); dist >= 2; dist--)
            {
                int i = j + dist;
                double y = At(i, j);
                if (y == 0) continue;
                Rotate(i - 1, At(i - 1, j), y);
                At(i, j) = 0;
                // The rotation of (i−1, i) filled (i−1+b+1, i−1); chase it down the band.
                for (int k = i; k + b < n; k += b)
                {
                    double fill = At(k + b, k - 1);
                    if (fill == 0) break;
                    Rotate(k + b - 1, At(k + b - 1, k - 1), fill);
                    At(k + b, k - 1) = 0;
                }
            }
        var d = new double[n];
        var e = new double[n];
        for (int i = 0; i < n; i++)
        {
            d[i] = At(i, i);
            if (i + 1 < n) e[i] = At(i + 1, i);
        }
        return (d, e);
    }

    /// <summary>Eigenvalues of the tridiagonal matrix (d diagonal, e[i] coupling i and i+1) by implicit QL, in place in d.</summary>
    private static void TridiagonalQl(double[] d, double[] e)
    {
        int n = d.Length;
        if (n > 0) e[n - 1] = 0;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0, m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= double.Epsilon + 2.220446049250313e-16 * dd) break;
                }
                if (m == l) break;
                if (++iterations > 100) throw new InvalidOperationException("tridiagonal QL did not converge");
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + Math.CopySign(r, g));
                double s = 1, c = 1, p = 0;
                int i;
                bool deflated = false;
                for (i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], bb = c * e[i];
                    e[i + 1] = r = Hypot(f, g);
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

    private static double Hypot(double x, double y)
    {
        double ax = Math.Abs(x), ay = Math.Abs(y);
        if (ax < ay) (ax, ay) = (ay, ax);
        if (ax == 0) return 0;
        double q = ay / ax;
        return ax * Math.Sqrt(1 + q * q);
    }
}
