namespace VerifyLandscape.Intervals;

/// <summary>
/// Rigorous statements about square interval matrices by the standard preconditioning argument: take R ≈ mid(A)⁻¹
/// in floating point, enclose C = I − R A in interval arithmetic; if β ≥ ‖C‖_∞ and β &lt; 1, then every matrix A in
/// the enclosure is non-singular (RA = I − C is), and for any x̃, ‖A⁻¹b − x̃‖_∞ ≤ ‖R(b − A x̃)‖_∞ / (1 − β).
/// R need not be accurate: its errors only make β larger. This is robust where naive interval elimination
/// overestimates (its enclosures grow with every elimination step).
/// </summary>
public static class IntervalLinearAlgebra
{
    /// <summary>An upper bound on ‖I − R A‖_∞ for every A in the enclosure.</summary>
    /// <summary>
    /// Whether every symmetric matrix in the box A is positive definite, by LDLᵀ in outward-rounded intervals (read
    /// from the lower triangle): d_j = a_jj − Σ_{k&lt;j} l_jk² d_k, l_ij = (a_ij − Σ_{k&lt;j} l_ik l_jk d_k)/d_j. If every
    /// pivot's interval is positive, each member's own LDLᵀ has positive pivots (they lie in these intervals), so it is
    /// positive definite; a pivot touching 0 proves nothing (false). <paramref name="smallestPivot"/>: the least lower bound.
    /// </summary>
    public static bool ProvesPositiveDefinite(Interval[,] a, out double smallestPivot)
    {
        int n = a.GetLength(0);
        var l = new Interval[n, n];
        var d = new Interval[n];
        smallestPivot = double.PositiveInfinity;
        var ld = new Interval[n]; // l_jk d_k for the current row j
        for (int j = 0; j < n; j++)
        {
            var pivot = a[j, j];
            for (int k = 0; k < j; k++) { ld[k] = l[j, k] * d[k]; pivot -= l[j, k] * ld[k]; }
            smallestPivot = Math.Min(smallestPivot, pivot.Lo);
            if (!(pivot.Lo > 0)) return false;
            d[j] = pivot;
            var inverse = pivot.Reciprocal();
            for (int i = j + 1; i < n; i++)
            {
                var sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= l[i, k] * ld[k];
                l[i, j] = sum * inverse;
            }
        }
        return true;
    }

    public static double ContractionBound(Interval[,] a, double[,] r)
    {
        int n = a.GetLength(0);
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0;
            for (int j = 0; j < n; j++)
            {
                var c = i == j ? Interval.One : Interval.Zero;
                for (int k = 0; k < n; k++) c -= Interval.Point(r[i, k]) * a[k, j];
                row = Interval.Up(row + Math.Max(Math.Abs(c.Lo), Math.Abs(c.Hi)));
            }
            worst = Math.Max(worst, row);
        }
        return worst;
    }

    /// <summary>Proves every matrix in the square enclosure non-singular (β = the contraction bound, below 1), or says it could not.</summary>
    public static bool ProvesNonSingular(Interval[,] a, out double beta, out double[,]? r)
    {
        beta = double.PositiveInfinity;
        r = Inverse(Midpoint(a));
        if (r is null) return false;
        beta = ContractionBound(a, r);
        return beta < 1;
    }

    /// <summary>
    /// A rigorous lower bound on the smallest singular value of every A in the square enclosure (0 when none is
    /// found): A⁻¹ = (RA)⁻¹R gives ‖A⁻¹‖_∞ ≤ ‖R‖_∞/(1 − β), and σ_min(A) = 1/‖A⁻¹‖₂ ≥ 1/(√n ‖A⁻¹‖_∞).
    /// </summary>
    public static double SmallestSingularValueLowerBound(Interval[,] a)
    {
        if (!ProvesNonSingular(a, out double beta, out var r)) return 0;
        int n = a.GetLength(0);
        double normR = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0;
            for (int j = 0; j < n; j++) row = Interval.Up(row + Math.Abs(r![i, j]));
            normR = Math.Max(normR, row);
        }
        double inverseNorm = Interval.Up(Interval.Up(normR / Interval.Down(1 - beta)) * Interval.Up(Math.Sqrt(n)));
        return Interval.Down(1 / inverseNorm);
    }

    /// <summary>
    /// An enclosure of A⁻¹B for every A and B in the enclosures (column by column, around x̃ = R·mid(b)), or null
    /// when non-singularity cannot be proved.
    /// </summary>
    public static Interval[,]? Solve(Interval[,] a, Interval[,] b)
    {
        if (!ProvesNonSingular(a, out double beta, out var r)) return null;
        int n = a.GetLength(0), columns = b.GetLength(1);
        var x = new Interval[n, columns];
        for (int c = 0; c < columns; c++)
        {
            var guess = new double[n];
            for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) guess[i] += r![i, k] * b[k, c].Mid;
            var residual = new Interval[n];
            for (int i = 0; i < n; i++)
            {
                var s = b[i, c];
                for (int k = 0; k < n; k++) s -= a[i, k] * Interval.Point(guess[k]);
                residual[i] = s;
            }
            double norm = 0;
            for (int i = 0; i < n; i++)
            {
                var s = Interval.Zero;
                for (int k = 0; k < n; k++) s += Interval.Point(r![i, k]) * residual[k];
                norm = Math.Max(norm, Math.Max(Math.Abs(s.Lo), Math.Abs(s.Hi)));
            }
            double radius = Interval.Up(Interval.Up(norm) / Interval.Down(1 - beta));
            for (int i = 0; i < n; i++) x[i, c] = new Interval(Interval.Down(guess[i] - radius), Interval.Up(guess[i] + radius));
        }
        return x;
    }

    /// <summary>The given columns of a matrix, in that order (an N×N minor when N columns of an N-row matrix are named).</summary>
    public static Interval[,] Columns(Interval[,] a, int[] columns)
    {
        var c = new Interval[a.GetLength(0), columns.Length];
        for (int i = 0; i < c.GetLength(0); i++) for (int j = 0; j < columns.Length; j++) c[i, j] = a[i, columns[j]];
        return c;
    }

    /// <summary>
    /// A right inverse applied to B for a wide matrix A whose columns S form a non-singular square minor: D with
    /// D_S = A_S⁻¹B and zeros elsewhere, so AD = B (an enclosure; null when the minor's solve fails).
    /// </summary>
    public static Interval[,]? RightInverseTimes(Interval[,] a, int[] columns, Interval[,] b)
    {
        if (Solve(Columns(a, columns), b) is not { } x) return null;
        var d = new Interval[a.GetLength(1), b.GetLength(1)];
        for (int k = 0; k < d.GetLength(0); k++) for (int j = 0; j < d.GetLength(1); j++) d[k, j] = Interval.Zero;
        for (int r = 0; r < columns.Length; r++) for (int j = 0; j < d.GetLength(1); j++) d[columns[r], j] = x[r, j];
        return d;
    }

    public static double[,] Midpoint(Interval[,] a)
    {
        var m = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < m.GetLength(1); j++) m[i, j] = a[i, j].Mid;
        return m;
    }

    /// <summary>A floating-point inverse by Gauss–Jordan elimination with partial pivoting (null if a pivot is 0): only a preconditioner.</summary>
    public static double[,]? Inverse(double[,] a)
    {
        int n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++) inv[i, i] = 1;
        for (int c = 0; c < n; c++)
        {
            int p = c;
            for (int i = c + 1; i < n; i++) if (Math.Abs(m[i, c]) > Math.Abs(m[p, c])) p = i;
            if (m[p, c] == 0 || !double.IsFinite(m[p, c])) return null;
            if (p != c)
                for (int j = 0; j < n; j++) { (m[p, j], m[c, j]) = (m[c, j], m[p, j]); (inv[p, j], inv[c, j]) = (inv[c, j], inv[p, j]); }
            double d = 1 / m[c, c];
            for (int j = 0; j < n; j++) { m[c, j] *= d; inv[c, j] *= d; }
            for (int i = 0; i < n; i++)
            {
                if (i == c || m[i, c] == 0) continue;
                double f = m[i, c];
                for (int j = 0; j < n; j++) { m[i, j] -= f * m[c, j]; inv[i, j] -= f * inv[c, j]; }
            }
        }
        return inv;
    }
}
