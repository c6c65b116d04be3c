using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Milne;

/// <summary>
/// Milne's setting (000, THEOREMS.md): no biases, half-mse, scalar output, piecewise-linear σ (relu, leaky-relu or
/// identity) in the hidden layers, output identity or σ; H = number of hidden layers, weights W_0..W_H (our
/// W1..W_{H+1}); ℓ_λ = ℓ + (λ/2)‖W‖². With the switches frozen at a point, ℓ is a polynomial there, and every
/// quantity below is exact, or bounded rigorously where a square root or an operator norm enters.
/// </summary>
public static class MilneSetting
{
    /// <summary>The first way the spec leaves Milne's setting, or null (<see cref="MilneHypotheses.Setting"/>).</summary>
    public static string? Broken(NetworkSpec s) => Hypothesis.FirstBroken(MilneHypotheses.Setting, s);

    public static int HiddenLayers(NetworkSpec s) => s.Depth - 1;

    /// <summary>The spec without the regulariser (ℓ instead of ℓ_λ).</summary>
    public static NetworkSpec Unregularised(NetworkSpec s) => s.With(decay: Rational.Zero);

    /// <summary>r² = max_i ‖x_i‖², exactly.</summary>
    public static Rational RadiusSquared(NetworkSpec s)
    {
        Rational best = 0;
        foreach (var x in s.X)
        {
            Rational sum = 0;
            foreach (var v in x) sum += v * v;
            if (sum > best) best = sum;
        }
        return best;
    }

    /// <summary>W_k (n_k × n_{k−1}) of a point, exactly.</summary>
    public static Rational[,] Weights(NetworkSpec s, Rational[] theta, int k)
    {
        var w = new Rational[s.Widths[k], s.Widths[k - 1]];
        for (int i = 0; i < s.Widths[k]; i++)
            for (int j = 0; j < s.Widths[k - 1]; j++) w[i, j] = theta[s.Layout.Weight(k, i, j)];
        return w;
    }

    /// <summary>
    /// Rigorous bounds on ‖W‖²_2 (largest squared singular value), as rationals. Lower: the Rayleigh quotient
    /// ‖W u‖²/‖u‖² at a rational u close to the top right singular vector (a few power steps in double, then
    /// rounded). Upper: the smaller of ‖W‖²_F and the largest Gershgorin row sum of |WᵀW|.
    /// </summary>
    public static (Rational Lo, Rational Hi) OperatorNormSquared(Rational[,] w)
    {
        int rows = w.GetLength(0), cols = w.GetLength(1);
        var g = new Rational[cols, cols];
        for (int a = 0; a < cols; a++)
            for (int b = 0; b < cols; b++)
            {
                Rational s = 0;
                for (int i = 0; i < rows; i++) s += w[i, a] * w[i, b];
                g[a, b] = s;
            }
        Rational frobenius = 0, gershgorin = 0;
        for (int a = 0; a < cols; a++)
        {
            frobenius += g[a, a];
            Rational row = 0;
            for (int b = 0; b < cols; b++) row += g[a, b].Abs();
            if (row > gershgorin) gershgorin = row;
        }
        // Power iteration on WᵀW in double, then an exact Rayleigh quotient at the rounded vector.
        var u = Enumerable.Repeat(1.0, cols).ToArray();
        for (int step = 0; step < 60; step++)
        {
            var next = new double[cols];
            for (int a = 0; a < cols; a++) for (int b = 0; b < cols; b++) next[a] += g[a, b].ToDouble() * u[b];
            double norm = Math.Sqrt(next.Sum(x => x * x));
            if (norm == 0) break;
            u = next.Select(x => x / norm).ToArray();
        }
        var q = u.Select(x => Rational.Create((long)Math.Round(x * (1 << 20)), 1 << 20)).ToArray();
        Rational num = 0, den = 0;
        for (int a = 0; a < cols; a++)
        {
            den += q[a] * q[a];
            for (int b = 0; b < cols; b++) num += q[a] * g[a, b] * q[b];
        }
        var lo = den.IsZero ? Rational.Zero : num / den;
        return (lo, frobenius < gershgorin ? frobenius : gershgorin);
    }

    /// <summary>Bounds on ‖W‖_* = max_k ‖W_k‖_2 (an interval with rigorous ends).</summary>
    public static Interval StarNorm(NetworkSpec s, Rational[] theta)
    {
        double lo = 0, hi = 0;
        for (int k = 1; k <= s.Depth; k++)
        {
            var (l, h) = OperatorNormSquared(Weights(s, theta, k));
            lo = Math.Max(lo, Interval.FromRational(l).Sqrt().Lo);
            hi = Math.Max(hi, Interval.FromRational(h).Sqrt().Hi);
        }
        return new Interval(lo, hi);
    }

    /// <summary>x^n for an interval of non-negative numbers (n ≥ 0).</summary>
    public static Interval Power(Interval x, int n)
    {
        var result = Interval.One;
        for (int i = 0; i < n; i++) result *= x;
        return result;
    }

    /// <summary>ℓ(W)^{1/2} ‖W‖_*^{H−1}, enclosed (the left side of U(λ, θ)).</summary>
    public static Interval MembershipLeft(NetworkSpec s, Rational[] theta, Rational unregularisedLoss) =>
        Interval.FromRational(unregularisedLoss).Sqrt() * Power(StarNorm(s, theta), HiddenLayers(s) - 1);

    /// <summary>(λ − θ) / (2H(H+1) r), enclosed (the right side of U(λ, θ)).</summary>
    public static Interval MembershipRight(NetworkSpec s, Rational lambda, Rational theta)
    {
        int h = HiddenLayers(s);
        if (RadiusSquared(s).IsZero) return new Interval(double.PositiveInfinity, double.PositiveInfinity); // all inputs 0: no constraint
        var r = Interval.FromRational(RadiusSquared(s)).Sqrt();
        return Interval.FromRational(lambda - theta) * (Interval.FromRational(2 * h * (h + 1)) * r).Reciprocal();
    }
}
