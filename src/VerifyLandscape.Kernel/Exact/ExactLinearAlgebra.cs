using System.Numerics;

namespace VerifyLandscape.Exact;

/// <summary>Inertia (n+, n−, n0) of a symmetric matrix: the counts of positive, negative and zero eigenvalues.</summary>
public readonly record struct Inertia(int Positive, int Negative, int Zero)
{
    public override string ToString() => $"({Positive}, {Negative}, {Zero})";
}

/// <summary>
/// P A Pᵀ = L D Lᵀ for a symmetric rational A: P a permutation (row i of PAPᵀ is row
/// Permutation[i] of A), L unit lower triangular, D block diagonal with 1×1 and 2×2
/// blocks. By Sylvester's law of inertia A and D have the same inertia, and D's is
/// read off its blocks exactly.
/// </summary>
public sealed class LdlFactorization
{
    public required int[] Permutation { get; init; }
    public required Rational[,] L { get; init; }
    public required Rational[,] D { get; init; }
    /// <summary>Start row of each block of D and its size (1 or 2).</summary>
    public required List<(int Start, int Size)> Blocks { get; init; }

    public Inertia Inertia()
    {
        int pos = 0, neg = 0, zero = 0;
        foreach (var (s, size) in Blocks)
        {
            if (size == 1)
            {
                int sign = D[s, s].Sign;
                if (sign > 0) pos++; else if (sign < 0) neg++; else zero++;
            }
            else
            {
                // A 2×2 block with negative determinant has one eigenvalue of each sign.
                var det = D[s, s] * D[s + 1, s + 1] - D[s, s + 1] * D[s + 1, s];
                if (det.Sign >= 0) throw new InvalidOperationException("2×2 pivot block must have negative determinant");
                pos++; neg++;
            }
        }
        return new Inertia(pos, neg, zero);
    }
}

/// <summary>Exact linear algebra over Q: rank, nullspace, determinant, symmetric LDLᵀ and inertia.</summary>
public static class ExactLinearAlgebra
{
    public static Rational[,] Copy(Rational[,] a) => (Rational[,])a.Clone();

    /// <summary>Reduced row echelon form in place; returns the pivot columns.</summary>
    public static List<int> RowReduce(Rational[,] a)
    {
        int rows = a.GetLength(0), cols = a.GetLength(1);
        var pivots = new List<int>();
        int r = 0;
        for (int c = 0; c < cols && r < rows; c++)
        {
            Budgets.Budget.Check();
            int pr = -1;
            for (int i = r; i < rows; i++) if (!a[i, c].IsZero) { pr = i; break; }
            if (pr < 0) continue;
            if (pr != r) for (int j = 0; j < cols; j++) (a[r, j], a[pr, j]) = (a[pr, j], a[r, j]);
            var inv = a[r, c].Reciprocal();
            for (int j = c; j < cols; j++) a[r, j] *= inv;
            for (int i = 0; i < rows; i++)
            {
                if (i == r || a[i, c].IsZero) continue;
                var f = a[i, c];
                for (int j = c; j < cols; j++) if (!a[r, j].IsZero) a[i, j] -= f * a[r, j];
            }
            pivots.Add(c);
            r++;
        }
        return pivots;
    }

    public static int Rank(Rational[,] a) => RowReduce(Copy(a)).Count;

    /// <summary>A basis of { v : A v = 0 }.</summary>
    public static List<Rational[]> Nullspace(Rational[,] a)
    {
        var r = Copy(a);
        var pivots = RowReduce(r);
        int cols = a.GetLength(1);
        var basis = new List<Rational[]>();
        var isPivot = new bool[cols];
        foreach (var p in pivots) isPivot[p] = true;
        for (int free = 0; free < cols; free++)
        {
            if (isPivot[free]) continue;
            var v = new Rational[cols];
            v[free] = 1;
            for (int i = 0; i < pivots.Count; i++) v[pivots[i]] = -r[i, free];
            basis.Add(v);
        }
        return basis;
    }

    /// <summary>Determinant by Bareiss's fraction-free elimination on the integer matrix with denominators cleared row by row.</summary>
    public static Rational Determinant(Rational[,] a)
    {
        int n = a.GetLength(0);
        if (n != a.GetLength(1)) throw new ArgumentException("determinant of a non-square matrix");
        if (n == 0) return 1;
        var m = new BigInteger[n, n];
        BigInteger scale = 1;
        for (int i = 0; i < n; i++)
        {
            BigInteger lcm = 1;
            for (int j = 0; j < n; j++) { var d = a[i, j].Denominator; lcm = lcm / BigInteger.GreatestCommonDivisor(lcm, d) * d; }
            for (int j = 0; j < n; j++) m[i, j] = a[i, j].Numerator * (lcm / a[i, j].Denominator);
            scale *= lcm;
        }
        int sign = 1;
        BigInteger prev = 1;
        for (int k = 0; k < n - 1; k++)
        {
            if (m[k, k].IsZero)
            {
                int swap = -1;
                for (int i = k + 1; i < n; i++) if (!m[i, k].IsZero) { swap = i; break; }
                if (swap < 0) return 0;
                for (int j = 0; j < n; j++) (m[k, j], m[swap, j]) = (m[swap, j], m[k, j]);
                sign = -sign;
            }
            for (int i = k + 1; i < n; i++)
                for (int j = k + 1; j < n; j++)
                    m[i, j] = (m[i, j] * m[k, k] - m[i, k] * m[k, j]) / prev; // exact division (Sylvester's identity)
            prev = m[k, k];
        }
        return Rational.Create(sign * m[n - 1, n - 1], scale);
    }

    /// <summary>Exact LDLᵀ with symmetric pivoting (1×1 pivots where a diagonal entry is non-zero, else 2×2).</summary>
    public static LdlFactorization Ldl(Rational[,] matrix)
    {
        int n = matrix.GetLength(0);
        if (n != matrix.GetLength(1)) throw new ArgumentException("LDLᵀ of a non-square matrix");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (matrix[i, j] != matrix[j, i]) throw new ArgumentException($"matrix is not symmetric at ({i},{j})");
        var a = Copy(matrix);
        var perm = Enumerable.Range(0, n).ToArray();
        var l = new Rational[n, n];
        var d = new Rational[n, n];
        var blocks = new List<(int, int)>();

        void Swap(int i, int j)
        {
            if (i == j) return;
            for (int c = 0; c < n; c++) (a[i, c], a[j, c]) = (a[j, c], a[i, c]);
            for (int r = 0; r < n; r++) (a[r, i], a[r, j]) = (a[r, j], a[r, i]);
            for (int c = 0; c < n; c++) (l[i, c], l[j, c]) = (l[j, c], l[i, c]);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }

        int k = 0;
        while (k < n)
        {
            Budgets.Budget.Check();
            int diag = -1;
            for (int i = k; i < n; i++) if (!a[i, i].IsZero) { diag = i; break; }
            if (diag >= 0)
            {
                Swap(k, diag);
                var pivot = a[k, k];
                d[k, k] = pivot;
                l[k, k] = 1;
                var inv = pivot.Reciprocal();
                var col = new Rational[n];
                for (int i = k + 1; i < n; i++) { col[i] = a[i, k]; l[i, k] = a[i, k] * inv; }
                for (int i = k + 1; i < n; i++)
                {
                    if (l[i, k].IsZero) continue;
                    for (int j = k + 1; j < n; j++)
                        if (!col[j].IsZero) a[i, j] -= l[i, k] * col[j];
                }
                blocks.Add((k, 1));
                k++;
                continue;
            }
            // Every remaining diagonal entry is zero: pivot on a non-zero off-diagonal pair.
            int pi = -1, pj = -1;
            for (int i = k; i < n && pi < 0; i++)
                for (int j = i + 1; j < n; j++) if (!a[i, j].IsZero) { pi = i; pj = j; break; }
            if (pi < 0)
            {
                for (int i = k; i < n; i++) { l[i, i] = 1; blocks.Add((i, 1)); }
                break;
            }
            Swap(k, pi);
            Swap(k + 1, pj); // pj > pi ≥ k, so the first swap did not move it
            var b = a[k, k + 1];
            d[k, k + 1] = d[k + 1, k] = b;
            l[k, k] = l[k + 1, k + 1] = 1;
            var binv = b.Reciprocal();
            var c0 = new Rational[n];
            var c1 = new Rational[n];
            for (int i = k + 2; i < n; i++)
            {
                c0[i] = a[i, k]; c1[i] = a[i, k + 1];
                // [l_{i,k}, l_{i,k+1}] = [a_{i,k}, a_{i,k+1}] E⁻¹ with E = [[0,b],[b,0]].
                l[i, k] = c1[i] * binv;
                l[i, k + 1] = c0[i] * binv;
            }
            for (int i = k + 2; i < n; i++)
            {
                if (l[i, k].IsZero && l[i, k + 1].IsZero) continue;
                for (int j = k + 2; j < n; j++)
                    a[i, j] -= l[i, k] * c0[j] + l[i, k + 1] * c1[j];
            }
            blocks.Add((k, 2));
            k += 2;
        }
        return new LdlFactorization { Permutation = perm, L = l, D = d, Blocks = blocks };
    }

    public static Inertia InertiaOf(Rational[,] symmetric) => Ldl(symmetric).Inertia();
}
