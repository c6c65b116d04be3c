using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Golikov;

/// <summary>
/// golikov.nh35 and its two refutations, at the point and layer k the facts name (F_0 = X, F_l = σ(W_lF_{l−1} + b_l)).
///   nh35 (certified): σ' &gt; 0 (sigmoid, tanh, softplus); W_l of full row rank for l ≥ k+2 (exact rank); F_k's N×N
///     minor on the named units non-singular (intervals); T_θ, the linear map E ↦ ∇_{W_{k+1}}L = Δ_{k+1}F_kᵀ
///     (Δ_H = E, Δ_l = σ'(Z_l) ⊙ W_{l+1}ᵀΔ_{l+1}), recomputed here, has a non-singular minor of T_θᵀ on the named
///     columns: T_θ is injective, so ∇_{W_{k+1}}L = 0 ⇒ F_H = Y ⇒ L = 0 for every Y.
///   nh35-rank-dropped (refuted): W_{k+2} = 0 exactly, so L does not depend on W_{k+1} near the point (every path from
///     it meets W_{k+2}) and ∇_{W_{k+1}}L = 0; rank F_k = N (intervals); L &gt; 0 (intervals).
///   nh35-relu (refuted): every pre-activation of layer k+1 &lt; 0 (exact), so layer k+1 outputs 0 near the point and
///     ∇_{W_{k+1}}L = 0; rank F_k = N, W_l full row rank for l ≥ k+2 and L &gt; 0, all exact.
/// </summary>
public static class GradientLemmaCertificates
{
    [ChecksClaim("golikov.nh35")]
    public static string Lemma(Certificate c)
    {
        var (s, theta, k) = Read(c, relu: false, maxK: c.Spec.Depth - 1, narrowingAbove: true);
        RequireFullRowRankAbove(s, theta, k);
        var (f, z) = Features(s, theta, k);
        RequireNonSingular(f, Columns(c, "featureColumns"), $"F_{k}'s minor");
        var t = ResidualToGradient(s, theta, k, f, z);
        var cols = Columns(c, "gradientColumns");
        if (cols.Length != t.GetLength(0)) throw new Reject($"gradientColumns names {cols.Length} columns, T_θᵀ has {t.GetLength(0)} rows");
        RequireNonSingular(t, cols, "T_θᵀ's minor");
        c.Conclude(true, "T_θ injective");
        return $"at the point, k = {k}: W_l full row rank (l ≥ {k + 2}), rank F_{k} = N, and E ↦ ∇_{{W_{k + 1}}}L injective (recomputed, intervals): ∇_{{W_{k + 1}}}L = 0 ⇒ L = 0 for every Y";
    }

    [ChecksClaim("golikov.nh35-rank-dropped")]
    public static string RankDropped(Certificate c)
    {
        var (s, theta, k) = Read(c, relu: false, maxK: c.Spec.Depth - 2, narrowingAbove: false);
        for (int u = 0; u < s.Widths[k + 2]; u++)
            for (int j = 0; j < s.Widths[k + 1]; j++)
                if (!theta[s.Layout.Weight(k + 2, u, j)].IsZero) throw new Reject($"W_{k + 2}[{u},{j}] ≠ 0: the gradient argument needs W_{k + 2} = 0");
        var (f, _) = Features(s, theta, k);
        RequireNonSingular(f, Columns(c, "featureColumns"), $"F_{k}'s minor");
        var loss = Loss.Evaluate(s, theta.Select(Interval.FromRational).ToArray());
        c.Conclude(loss.Lo <= 0, $"L ∈ {loss}");
        return $"W_{k + 2} = 0, so ∇_{{W_{k + 1}}}L = 0; rank F_{k} = N (intervals); L ∈ {loss} > 0: the lemma without full row rank fails";
    }

    [ChecksClaim("golikov.nh35-relu")]
    public static string Relu(Certificate c)
    {
        var (s, theta, k) = Read(c, relu: true, maxK: c.Spec.Depth - 2, narrowingAbove: true);
        RequireFullRowRankAbove(s, theta, k);
        DeadUnits.Require(s, theta, k + 1, k + 1);
        var (_, a) = SkipFeatures.Forward(s, theta, k, valuesAtKinks: true);
        var f = new Rational[s.SampleCount, s.Widths[k]];
        for (int i = 0; i < s.SampleCount; i++) for (int j = 0; j < s.Widths[k]; j++) f[i, j] = a[i][k][j];
        if (ExactLinearAlgebra.Rank(f) < s.SampleCount) throw new Reject($"rank F_{k} < N at the point");
        var loss = Loss.Evaluate(s, theta);
        c.Conclude(loss.IsZero, $"L = {loss}");
        return $"layer {k + 1} dead on every sample (exact), so ∇_{{W_{k + 1}}}L = 0; rank F_{k} = N and full row rank above (exact); L = {loss} > 0";
    }

    private static (NetworkSpec S, Rational[] Theta, int K) Read(Certificate c, bool relu, int maxK, bool narrowingAbove)
    {
        var s = c.Spec;
        if (!c.Locus.StartsWith("random:", StringComparison.Ordinal)) throw new Reject($"the locus '{c.Locus}' is not random:SEED");
        if (!s.Bias || s.OutputActivation is not IdentityActivation || s.Loss != LossKind.HalfSse || !s.WeightDecay.IsZero)
            throw new Reject("out of the claim's hypotheses: biases, an affine output, loss ½‖·‖² and no penalty are required");
        if (s.HiddenActivations.FirstOrDefault(a => relu ? !a.IsRelu : a is not (SigmoidActivation or TanhActivation or Softplus)) is { } bad)
            throw new Reject($"out of the claim's hypotheses: σ is {bad.Name}");
        int k = Certificate.Integer(c.Facts["k"], "k");
        if (k < 0 || k > maxK || s.Widths[k] < s.SampleCount) throw new Reject($"k = {k} is not a layer ≤ {maxK} with d_k ≥ N");
        if (narrowingAbove && Enumerable.Range(k + 2, Math.Max(0, s.Depth - k - 1)).Any(l => s.Widths[l] > s.Widths[l - 1]))
            throw new Reject($"out of the claim's hypotheses: some W_l (l ≥ {k + 2}) is wider than tall, so it cannot have full row rank");
        return (s, Certificate.Point(Certificate.Object(c.Facts, "point"), s.Layout), k);
    }

    private static void RequireFullRowRankAbove(NetworkSpec s, Rational[] theta, int k)
    {
        var w = LinearChains.Weights(s, theta);
        for (int l = k + 2; l <= s.Depth; l++)
            if (ExactLinearAlgebra.Rank(w[l]) < s.Widths[l]) throw new Reject($"W_{l} does not have full row rank at the point");
    }

    private static int[] Columns(Certificate c, string name) =>
        Certificate.Array(c.Facts, name).Select((v, i) => Certificate.Integer(v, $"{name}[{i}]")).ToArray();

    private static void RequireNonSingular(Interval[,] rows, int[] columns, string what)
    {
        int n = rows.GetLength(0);
        if (columns.Length != n || columns.Distinct().Count() != n || columns.Any(j => j < 0 || j >= rows.GetLength(1)))
            throw new Reject($"{what} must name {n} distinct columns");
        if (!IntervalLinearAlgebra.ProvesNonSingular(IntervalLinearAlgebra.Columns(rows, columns), out _, out _))
            throw new Reject($"{what} could not be proved non-singular");
    }

    private static (Interval[,] F, Interval[][][] Z) Features(NetworkSpec s, Rational[] theta, int k)
    {
        var (z, a) = SkipFeatures.Forward(s, theta.Select(Interval.FromRational).ToArray(), s.Depth);
        var f = new Interval[s.SampleCount, s.Widths[k]];
        for (int i = 0; i < s.SampleCount; i++) for (int j = 0; j < s.Widths[k]; j++) f[i, j] = a[i][k][j];
        return (f, z);
    }

    /// <summary>T_θᵀ: row (o, i) holds ∇_{W_{k+1}}L for E = e_o e_iᵀ, column (u, j) = δ_{k+1}[u]·F_k[i, j].</summary>
    private static Interval[,] ResidualToGradient(NetworkSpec s, Rational[] theta, int k, Interval[,] f, Interval[][][] z)
    {
        int n = s.SampleCount, m = s.OutputWidth, cols = s.Widths[k];
        var t = new Interval[m * n, s.Widths[k + 1] * cols];
        for (int o = 0; o < m; o++)
            for (int i = 0; i < n; i++)
            {
                var delta = new Interval[m];
                for (int q = 0; q < m; q++) delta[q] = Interval.FromRational(q == o ? 1 : 0);
                for (int l = s.Depth - 1; l > k; l--)
                {
                    var next = new Interval[s.Widths[l]];
                    for (int u = 0; u < next.Length; u++)
                    {
                        var back = Interval.FromRational(0);
                        for (int q = 0; q < delta.Length; q++) back += Interval.FromRational(theta[s.Layout.Weight(l + 1, q, u)]) * delta[q];
                        next[u] = s.ActivationOf(l).Apply(z[i][l][u], "").First * back;
                    }
                    delta = next;
                }
                for (int u = 0; u < delta.Length; u++) for (int j = 0; j < cols; j++) t[o * n + i, u * cols + j] = delta[u] * f[i, j];
            }
        return t;
    }
}
