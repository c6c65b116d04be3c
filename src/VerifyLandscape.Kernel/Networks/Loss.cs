using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Networks;

/// <summary>
/// One sample's share g(f, y) of the loss, written like <see cref="Activation"/>: value, gradient and Hessian in the
/// network's output f side by side, in any number type. Both engines (exact and double) call this, so the loss
/// head exists once. N, the number of samples, enters the scale of half-mse, mse, mae and cross-entropy.
/// </summary>
public abstract class Loss
{
    public abstract string Name { get; }

    /// <summary>g, ∂g/∂f (length m) and ∂²g/∂f² (m×m, row-major) at the output f of one sample with target y.</summary>
    public abstract LossJet<T> Apply<T>(ReadOnlySpan<T> f, IReadOnlyList<Rational> y) where T : IScalar<T>;

    /// <summary>g alone: defined at a kink too (an mae residual exactly 0), where <see cref="Apply"/> has no derivative.</summary>
    public virtual T Value<T>(ReadOnlySpan<T> f, IReadOnlyList<Rational> y) where T : IScalar<T> => Apply(f, y).Value;

    /// <summary>
    /// F(θ) = Σ_i g(f(x_i), y_i) + the penalty, by a forward pass of values only: F is continuous where its derivatives
    /// are not (a relu pre-activation, an mae residual or an ℓ1 weight exactly 0), and statements about values need no more.
    /// </summary>
    public static T Evaluate<T>(NetworkSpec net, IReadOnlyList<T> theta) where T : IScalar<T>
    {
        if (net.IsPlain) return EvaluatePlain(net, theta);
        var (_, a) = SkipFeatures.Forward(net, theta, net.Depth, valuesAtKinks: true);
        var head = Of(net.Loss, net.SampleCount, net.OutputWidth);
        T total = Penalty.Value(net, net.Layout, theta);
        for (int n = 0; n < net.SampleCount; n++) total += head.Value<T>(a[n][net.Depth], net.Y[n]);
        return total;
    }

    /// <summary>
    /// An enclosure of F on the segment θ = a + t(b − a), lo ≤ t ≤ hi, in outward-rounded intervals: what a certified
    /// string of beads (freeman.dss) claims on each piece, computed the same way by its producer and its checker.
    /// </summary>
    public static Interval EncloseOnSegment(NetworkSpec net, Rational[] a, Rational[] b, Rational lo, Rational hi)
    {
        var t = new Interval(Interval.FromRational(lo).Lo, Interval.FromRational(hi).Hi);
        return Evaluate(net, a.Select((x, p) => Interval.FromRational(x) + t * Interval.FromRational(b[p] - x)).ToArray());
    }

    /// <summary>
    /// The same value for a plain network, one sample at a time in two reused buffers (no per-sample arrays or unit
    /// names): certificates of string sampling enclose F on 10,000 samples thousands of times.
    /// </summary>
    private static T EvaluatePlain<T>(NetworkSpec net, IReadOnlyList<T> theta) where T : IScalar<T>
    {
        var layout = net.Layout;
        var head = Of(net.Loss, net.SampleCount, net.OutputWidth);
        var units = Enumerable.Range(0, net.Depth + 1).Select(k => Enumerable.Range(0, net.Widths[k]).Select(u => $"layer {k} unit {u}").ToArray()).ToArray();
        int widest = net.Widths.Max();
        var (below, above) = (new T[widest], new T[widest]);
        T total = Penalty.Value(net, layout, theta);
        var w = theta.ToArray(); // an array, not the interface, in the inner loop
        for (int n = 0; n < net.SampleCount; n++)
        {
            for (int j = 0; j < net.InputWidth; j++) below[j] = T.FromRational(net.X[n][j]);
            for (int k = 1; k <= net.Depth; k++)
            {
                var sigma = net.ActivationOf(k);
                for (int u = 0; u < net.Widths[k]; u++)
                {
                    T sum = layout.HasBias(k) ? w[layout.BiasIndex(k, u)] : T.Zero;
                    for (int j = 0; j < net.Widths[k - 1]; j++) sum += w[layout.Weight(k, u, j)] * below[j];
                    try { above[u] = sigma.Value(sum, units[k][u]); }
                    catch (UndecidedException e) { throw new UndecidedException($"{e.Message}, sample {n}"); }
                }
                (below, above) = (above, below);
            }
            total += head.Value<T>(below.AsSpan(0, net.OutputWidth), net.Y[n]);
        }
        return total;
    }

    /// <param name="outputWidth">m; mae averages over every output entry (Freeman–Bruna's reduce_mean), mse over samples only.</param>
    public static Loss Of(LossKind kind, int sampleCount, int outputWidth) => kind switch
    {
        LossKind.Sse => new SquaredError("sse", Rational.One),
        LossKind.HalfMse => new SquaredError("half-mse", Rational.Create(1, 2 * sampleCount)),
        LossKind.HalfSse => new SquaredError("half-sse", Rational.Half),
        LossKind.Mse => new SquaredError("mse", Rational.Create(1, sampleCount)),
        LossKind.Mae => new AbsoluteError(Rational.Create(1, (long)sampleCount * outputWidth)),
        _ => new CrossEntropy(Rational.Create(1, sampleCount)),
    };
}

/// <summary>g, ∂g/∂f and ∂²g/∂f² (row-major m×m) of one sample.</summary>
public readonly record struct LossJet<T>(T Value, T[] Gradient, T[] Hessian);

/// <summary>g = c Σ_o (f_o − y_o)², ∂g = 2c (f − y), ∂²g = 2c I; c = 1 (sse), 1/2 (half-sse), 1/(2N) (half-mse) or 1/N (mse, 002's F_e without ½).</summary>
public sealed class SquaredError(string name, Rational scale) : Loss
{
    public override string Name => name;
    public Rational Scale { get; } = scale;

    public override LossJet<T> Apply<T>(ReadOnlySpan<T> f, IReadOnlyList<Rational> y)
    {
        int m = f.Length;
        T c = T.FromRational(Scale), twoC = T.FromRational(2 * Scale), g = T.Zero;
        var gradient = new T[m];
        var hessian = new T[m * m];
        Array.Fill(hessian, T.Zero);
        for (int o = 0; o < m; o++)
        {
            var r = f[o] - T.FromRational(y[o]);
            g += c * r * r;
            gradient[o] = twoC * r;
            hessian[o * m + o] = twoC;
        }
        return new(g, gradient, hessian);
    }
}

/// <summary>
/// g = c Σ_o |f_o − y_o| with c = 1/(N m) (the mean absolute error of Freeman–Bruna's experiments), ∂g = c sign(f − y),
/// ∂²g = 0. A residual exactly 0 is a kink: the point is not smooth, and it is reported so, never given a convention.
/// </summary>
public sealed class AbsoluteError(Rational scale) : Loss
{
    public override string Name => "mae";
    public Rational Scale { get; } = scale;

    public override LossJet<T> Apply<T>(ReadOnlySpan<T> f, IReadOnlyList<Rational> y)
    {
        int m = f.Length;
        T c = T.FromRational(Scale), g = T.Zero;
        var gradient = new T[m];
        var hessian = new T[m * m];
        Array.Fill(hessian, T.Zero);
        for (int o = 0; o < m; o++)
        {
            var r = f[o] - T.FromRational(y[o]);
            int sign = T.SignOf(r) ?? throw new UndecidedException($"mae: the sign of residual {o} is undecided");
            if (sign == 0) throw new NonSmoothPointException($"mae: residual {o} is exactly 0 (|·| has a kink there)");
            g += sign > 0 ? c * r : -(c * r);
            gradient[o] = sign > 0 ? c : -c;
        }
        return new(g, gradient, hessian);
    }

    public override T Value<T>(ReadOnlySpan<T> f, IReadOnlyList<Rational> y)
    {
        T c = T.FromRational(Scale), g = T.Zero;
        for (int o = 0; o < f.Length; o++)
        {
            var r = f[o] - T.FromRational(y[o]);
            g += T.SignOf(r) is { } sign ? (sign >= 0 ? c * r : -(c * r)) : c * T.UndecidedMax(r, -r);
        }
        return g;
    }
}

/// <summary>
/// Cross-entropy against a probability vector y (one-hot for a class label), scaled by c = 1/N:
/// g = c(S·lse(f) − Σ y_o f_o), ∂g = c(S p − y), ∂²g = c S (diag p − p pᵀ), with S = Σ y_o and p = softmax(f).
/// p_o = 1/Σ_j exp(f_j − f_o) is exact when logits are equal and never overflows to a wrong value in double (a large
/// exponent gives p_o = 0). lse = f_r + log Σ_j exp(f_j − f_r) with r the largest logit where the number type can
/// tell (double, rationals), else r = 0 (symbols): stable in double, exact where the logits are equal.
/// </summary>
public sealed class CrossEntropy(Rational scale) : Loss
{
    public override string Name => "cross-entropy";
    public Rational Scale { get; } = scale;

    public override LossJet<T> Apply<T>(ReadOnlySpan<T> f, IReadOnlyList<Rational> y)
    {
        int m = f.Length;
        T c = T.FromRational(Scale);
        Rational sumY = 0;
        foreach (var v in y) sumY += v;
        T s = T.FromRational(sumY);
        var p = new T[m];
        for (int o = 0; o < m; o++)
        {
            T sum = T.Zero;
            for (int j = 0; j < m; j++) sum += T.Exp(f[j] - f[o]);
            p[o] = T.Reciprocal(sum);
        }
        int r = 0;
        for (int j = 1; j < m; j++)
            if (T.SignOf(f[j] - f[r]) == 1) r = j;
        T sumR = T.Zero;
        for (int j = 0; j < m; j++) sumR += T.Exp(f[j] - f[r]);
        T g = s * (f[r] + T.Log(sumR));
        var gradient = new T[m];
        var hessian = new T[m * m];
        for (int o = 0; o < m; o++)
        {
            var yo = T.FromRational(y[o]);
            g -= yo * f[o];
            gradient[o] = c * (s * p[o] - yo);
            for (int q = 0; q < m; q++)
                hessian[o * m + q] = c * s * ((o == q ? p[o] : T.Zero) - p[o] * p[q]);
        }
        return new(c * g, gradient, hessian);
    }
}
