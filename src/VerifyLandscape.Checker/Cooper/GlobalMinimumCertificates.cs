using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Checker.Cooper;

/// <summary>
/// cooper.gm and cooper.5.16 at a constructed global minimum (global-min:SEED): the point must have L = 0 exactly (so
/// it is a global minimum, hence critical); the Hessian is recomputed entry by entry and its LDLᵀ multiplied back.
/// </summary>
public static class GlobalMinimumCertificates
{
    [ChecksClaim("cooper.gm")]
    public static string Check(Certificate c)
    {
        if (!c.Locus.StartsWith("global-min:", StringComparison.Ordinal) || !int.TryParse(c.Locus["global-min:".Length..], out _))
            throw new Reject($"the locus '{c.Locus}' is not global-min:SEED");
        // Piecewise-linear σ are allowed: the forward pass rejects a point that sits on a kink.
        CooperSetting.Require(c.Spec, sigmaZero: false, smooth: false);
        var spec = c.Spec;
        var layout = spec.Layout;
        var theta = Certificate.Point(Certificate.Object(c.Facts, "point"), layout).Select(q => (Sym)q).ToArray();
        var loss = ForwardMode.Loss(spec, theta, -1, null, out var features).V;
        if (!loss.IsZero) throw new Reject($"the loss at the point recomputes to {loss}, not 0: not a global minimum");
        var (_, inertia) = HessianFacts.Check(spec, theta, c.Facts);
        int p = layout.Count, nm = spec.SampleCount * spec.OutputWidth;
        if (c.Claim == "cooper.gm")
        {
            if (p <= nm) throw new Reject($"out of the claim's hypotheses: P = {p} ≤ N·m = {nm}");
            int rankJ = JacobianRank(spec, theta);
            if (rankJ != nm) throw new Reject($"out of the claim's hypotheses: rank J = {rankJ}, not N·m = {nm}");
            c.Conclude(inertia == new Inertia(nm, 0, p - nm), $"inertia {inertia}, the claim says ({nm}, 0, {p - nm})");
            return $"L = 0 at the point; rank J = N·m = {nm} (forward mode); all {p * (p + 1) / 2} Hessian entries recomputed, LDLᵀ multiplied back, inertia {inertia}";
        }
        int h = spec.Widths[spec.Depth - 1];
        var a = new Rational[h + 1, spec.SampleCount];
        for (int i = 0; i < spec.SampleCount; i++)
        {
            for (int k = 0; k < h; k++)
                a[k, i] = features[i][k].IsConstant ? features[i][k].Constant : throw new Reject($"the feature {k} of sample {i} is not rational at this point ({features[i][k]})");
            a[h, i] = Rational.One;
        }
        int r = ExactLinearAlgebra.Rank(a), bound = spec.OutputWidth * (h + 1 - r);
        if (c.Facts["augmentedFeatureRank"] is { } said && Certificate.Integer(said, "augmentedFeatureRank") != r)
            throw new Reject($"rank [Φ; 1ᵀ] recomputes to {r}, the certificate says {said}");
        c.Conclude(inertia.Zero >= bound, $"{inertia.Zero} zero eigenvalues (inertia {inertia}), bound m(n_ℓ−1 + 1 − r) = {bound}");
        return $"L = 0 at the point; Hessian recomputed, LDLᵀ multiplied back, inertia {inertia}; rank [Φ; 1ᵀ] = {r}, bound {bound}";
    }

    /// <summary>rank J, J the Jacobian of the N·m outputs in the parameters, column by column in forward mode.</summary>
    private static int JacobianRank(NetworkSpec spec, Sym[] theta)
    {
        int p = theta.Length, count = spec.SampleCount, m = spec.OutputWidth;
        var j = new Rational[count * m, p];
        for (int q = 0; q < p; q++)
        {
            var outputs = ForwardMode.Outputs(spec, theta, q, null, out _);
            for (int n = 0; n < count; n++)
                for (int o = 0; o < m; o++)
                    j[n * m + o, q] = outputs[n][o].A.IsConstant ? outputs[n][o].A.Constant : throw new Reject("the Jacobian is not rational at this point");
        }
        return ExactLinearAlgebra.Rank(j);
    }
}
