namespace VerifyLandscape.Exact;

/// <summary>Small dense rational matrices (rows × columns) for exact statements about linear networks and data moments.</summary>
public static class Matrices
{
    public static Rational[,] Zeros(int rows, int columns)
    {
        var m = new Rational[rows, columns];
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) m[i, j] = Rational.Zero;
        return m;
    }

    /// <summary>Whether A and B have the same size and the same entries.</summary>
    public static bool AreEqual(Rational[,] a, Rational[,] b)
    {
        if (a.GetLength(0) != b.GetLength(0) || a.GetLength(1) != b.GetLength(1)) return false;
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) if (a[i, j] != b[i, j]) return false;
        return true;
    }

    public static Rational[,] Identity(int n)
    {
        var m = Zeros(n, n);
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    public static Rational[,] Multiply(Rational[,] a, Rational[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        if (b.GetLength(0) != k) throw new ArgumentException($"cannot multiply {n}×{k} by {b.GetLength(0)}×{m}");
        var c = Zeros(n, m);
        for (int i = 0; i < n; i++)
            for (int l = 0; l < k; l++)
                if (!a[i, l].IsZero)
                    for (int j = 0; j < m; j++) c[i, j] += a[i, l] * b[l, j];
        return c;
    }

    public static Rational[,] Transpose(Rational[,] a)
    {
        var t = new Rational[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }

    public static Rational[,] Add(Rational[,] a, Rational[,] b, Rational scaleB)
    {
        var c = (Rational[,])a.Clone();
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) c[i, j] += scaleB * b[i, j];
        return c;
    }

    /// <summary>⟨a, b⟩ = Σ a_i b_i.</summary>
    public static Rational Dot(IReadOnlyList<Rational> a, IReadOnlyList<Rational> b)
    {
        Rational s = 0;
        for (int i = 0; i < a.Count; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>‖A‖_F² = Σ a_ij².</summary>
    public static Rational FrobeniusSquared(Rational[,] a)
    {
        Rational s = 0;
        foreach (var v in a) s += v * v;
        return s;
    }

    /// <summary>A⁻¹ by Gauss–Jordan, or null when A is singular.</summary>
    public static Rational[,]? Inverse(Rational[,] a)
    {
        int n = a.GetLength(0);
        if (n != a.GetLength(1)) throw new ArgumentException("inverse of a non-square matrix");
        var m = (Rational[,])a.Clone();
        var inv = Identity(n);
        for (int c = 0; c < n; c++)
        {
            int p = c;
            while (p < n && m[p, c].IsZero) p++;
            if (p == n) return null;
            for (int j = 0; j < n; j++) { (m[c, j], m[p, j]) = (m[p, j], m[c, j]); (inv[c, j], inv[p, j]) = (inv[p, j], inv[c, j]); }
            var pivot = m[c, c].Reciprocal();
            for (int j = 0; j < n; j++) { m[c, j] *= pivot; inv[c, j] *= pivot; }
            for (int i = 0; i < n; i++)
            {
                if (i == c || m[i, c].IsZero) continue;
                var f = m[i, c];
                for (int j = 0; j < n; j++) { m[i, j] -= f * m[c, j]; inv[i, j] -= f * inv[c, j]; }
            }
        }
        return inv;
    }

    /// <summary>Whether the symmetric matrix S is positive semidefinite (no negative pivot in its exact LDLᵀ, by Sylvester).</summary>
    public static bool IsPositiveSemidefinite(Rational[,] s) => ExactLinearAlgebra.InertiaOf(s).Negative == 0;

    /// <summary>S − t I.</summary>
    public static Rational[,] Shift(Rational[,] s, Rational t) => Add(s, Identity(s.GetLength(0)), -t);

    /// <summary>
    /// An enclosure [lo, hi] of λ_min(S) (upper: false) or λ_max(S) (upper: true) of a symmetric rational S, by
    /// bisection on exact semidefiniteness tests: S − lo I ⪰ 0 ⪰ S − hi I for λ_min, and so on. Start: the
    /// Gershgorin interval; each of <paramref name="steps"/> halvings is one exact LDLᵀ.
    /// </summary>
    public static (Rational Lo, Rational Hi) EigenvalueEnclosure(Rational[,] s, bool upper, int steps = 40)
    {
        int n = s.GetLength(0);
        Rational lo = 0, hi = 0;
        for (int i = 0; i < n; i++)
        {
            Rational radius = 0;
            for (int j = 0; j < n; j++) if (j != i) radius += s[i, j].Abs();
            lo = i == 0 ? s[i, i] - radius : Rational.Min(lo, s[i, i] - radius);
            hi = i == 0 ? s[i, i] + radius : Rational.Max(hi, s[i, i] + radius);
        }
        for (int step = 0; step < steps; step++)
        {
            var mid = (lo + hi) / 2;
            // λ_min ≥ mid ⇔ S − mid I ⪰ 0;  λ_max ≤ mid ⇔ mid I − S ⪰ 0.
            bool midIsAbove = upper ? IsPositiveSemidefinite(Shift(s, mid).Scaled(-1)) : !IsPositiveSemidefinite(Shift(s, mid));
            if (midIsAbove) hi = mid; else lo = mid;
        }
        return (lo, hi);
    }

    /// <summary>
    /// Enclosures [lo, hi] of every eigenvalue of a symmetric rational S, largest first, by Sylvester counts: the
    /// number of eigenvalues above t is the positive index of the exact LDLᵀ of S − tI, so λ_k &gt; t ⇔ that count ≥ k.
    /// Each eigenvalue is bisected <paramref name="steps"/> times inside the Gershgorin interval.
    /// </summary>
    public static (Rational Lo, Rational Hi)[] EigenvalueEnclosures(Rational[,] s, int steps = 40)
    {
        int n = s.GetLength(0);
        Rational bound = 0;
        for (int i = 0; i < n; i++)
        {
            Rational row = 0;
            for (int j = 0; j < n; j++) row += s[i, j].Abs();
            bound = Rational.Max(bound, row);
        }
        var enclosures = new (Rational Lo, Rational Hi)[n];
        for (int k = 1; k <= n; k++)
        {
            Rational lo = -bound, hi = bound;
            for (int step = 0; step < steps; step++)
            {
                var mid = (lo + hi) / 2;
                if (ExactLinearAlgebra.InertiaOf(Shift(s, mid)).Positive >= k) lo = mid; else hi = mid;
            }
            enclosures[k - 1] = (lo, hi);
        }
        return enclosures;
    }

    public static Rational[,] Scaled(this Rational[,] a, Rational t)
    {
        var c = (Rational[,])a.Clone();
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) c[i, j] *= t;
        return c;
    }

    /// <summary>tr(A^k) for k = 1..count, exactly (equal power traces up to the rank fix the non-zero spectrum).</summary>
    public static Rational[] PowerTraces(Rational[,] a, int count)
    {
        var traces = new Rational[count];
        var power = a;
        for (int k = 0; k < count; k++)
        {
            for (int i = 0; i < a.GetLength(0); i++) traces[k] += power[i, i];
            if (k + 1 < count) power = Multiply(power, a);
        }
        return traces;
    }
}
