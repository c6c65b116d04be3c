using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Checker.Cooper;

/// <summary>
/// cooper.5.8 at fibre:SEED: the hidden layers are the seed's rationals (last layer free). Recomputed here: the features
/// Φ (forward pass over the exact ring; tanh and the like as atoms, enclosed rigorously), and that the stated N units of
/// the last hidden layer form a non-singular minor of Φ (exact rank, or interval elimination whose pivots exclude 0),
/// i.e. rank Φ = N. The rest is linear algebra: A = [Φ; 1ᵀ] then has full column rank, the critical equations
/// 2(VA − Y)Aᵀ = 0 force VA = Y (L = 0), and along V* + s(V − V*) the residual is s(VA − Y), so L = s²L(V).
/// </summary>
public static class FibreCertificate
{
    [ChecksClaim("cooper.5.8")]
    public static string Check(Certificate c)
    {
        if (!c.Certified) throw new Reject("only a proof of cooper.5.8 has this certificate format");
        var spec = c.Spec;
        CooperSetting.Require(spec, sigmaZero: false, smooth: false);
        if (spec.Depth < 2) throw new Reject("out of the claim's hypotheses: no hidden layer");
        if (!c.Locus.StartsWith("fibre:", StringComparison.Ordinal) || !int.TryParse(c.Locus["fibre:".Length..], out int seed))
            throw new Reject($"the locus '{c.Locus}' is not fibre:SEED");
        var layout = spec.Layout;
        int h = spec.Widths[spec.Depth - 1], count = spec.SampleCount;
        if (h < count) throw new Reject($"out of the claim's hypotheses: n_ℓ−1 = {h} < N = {count}");
        var random = SeededRationals.Draw(layout.Count, seed);
        var last = layout.WeightsOf(spec.Depth).Concat(layout.BiasesOf(spec.Depth)).ToHashSet();
        var theta = Enumerable.Range(0, layout.Count).Select(p => last.Contains(p) ? Sym.Zero : (Sym)random[p]).ToArray();
        ForwardMode.Outputs(spec, theta, -1, null, out var features);
        var rows = Certificate.Array(c.Facts, "minorRows").Select((r, i) => Certificate.Integer(r, $"minorRows[{i}]")).ToArray();
        if (rows.Length != count || rows.Distinct().Count() != count || rows.Any(r => r < 0 || r >= h))
            throw new Reject($"the minor's rows {string.Join(",", rows)} are not {count} distinct units of the last hidden layer");
        string on = $"the {count}×{count} minor on rows {string.Join(",", rows)}";
        if (features.All(f => f.All(v => v.IsConstant)))
        {
            var minor = new Rational[count, count];
            for (int r = 0; r < count; r++) for (int i = 0; i < count; i++) minor[r, i] = features[i][rows[r]].Constant;
            if (ExactLinearAlgebra.Rank(minor) != count) throw new Reject($"{on} is singular: rank Φ = N is not shown");
            return $"features recomputed exactly; {on} is non-singular: rank Φ = N, so every critical point of the fibre quadratic has L = 0";
        }
        var enclosed = new Interval[count, count];
        for (int r = 0; r < count; r++) for (int i = 0; i < count; i++) enclosed[r, i] = features[i][rows[r]].Enclose(_ => null);
        if (IntervalElimination.RankLowerBound(enclosed) != count)
            throw new Reject($"interval elimination of {on} meets a pivot that does not exclude 0: rank Φ = N is not shown");
        return $"features enclosed rigorously; interval elimination of {on} has pivots that exclude 0: rank Φ = N, so every critical point of the fibre quadratic has L = 0";
    }
}
