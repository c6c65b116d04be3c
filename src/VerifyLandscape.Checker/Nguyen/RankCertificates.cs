using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Nguyen;

/// <summary>
/// nguyen.3.2 (rank Ψ = N for a.e. U, Lemma 3.2) and nguyen.3.2-any-activation (the same without Assumption 3.1).
/// A "certified" certificate names a point and N units the output reads: the checker recomputes Ψ's minor on them in
/// interval arithmetic and proves it non-singular itself (‖I − RΨ_S‖∞ &lt; 1); with every σ up to those units
/// analytic, det Ψ_S is a non-zero analytic function of U, so rank Ψ = N off a null set. A "refuted" one names a rank
/// bound, which the checker recomputes from the spec (and the point, for bounds on an open set around it).
/// </summary>
public static class RankCertificates
{
    [ChecksClaim("nguyen.3.2", Wiring = Wiring.General)]
    public static string Lemma(Certificate c)
    {
        var s = c.Spec;
        NguyenSetting.RequireLocus(c, "random");
        if (!s.Bias) throw new Reject("out of the claim's hypotheses: the network has no biases");
        foreach (var b in Enumerable.Range(1, s.Depth - 1).SelectMany(k => s.Layout.BiasesOf(k)))
            if (!s.Layout.IsOwn(b)) throw new Reject($"out of the claim's hypotheses: {s.Layout.SlotName(b)} is shared or frozen (the proof sets each unit's bias)");
        for (int k = 2; k < s.Depth; k++)
            if (s.Sources(k)?.Any(u => u.Layer == 0) == true) throw new Reject($"out of the claim's hypotheses: hidden layer {k} reads an input coordinate");
        foreach (var (a, k) in s.HiddenActivations.Select((a, k) => (a, k + 1)))
            if (!IncreasingAnalytic(a)) throw new Reject($"out of the claim's hypotheses (3.1.1): σ of layer {k} is {a.Name}");
        if (GoodUnits(s) < s.SampleCount) throw new Reject($"out of the claim's hypotheses (3.1.2): fewer than N = {s.SampleCount} sigmoid units or softplus units with a skip-free path");
        if (RepeatedPatch(s) is { } d) throw new Reject($"out of the claim's hypotheses (3.1.3): samples {d.I} and {d.J} agree on the patch of unit [1,{d.Unit}]");
        if (!c.Certified) throw new Reject("the lemma holds under its hypotheses: only a certified verdict has a certificate");
        return FullRank(c);
    }

    [ChecksClaim("nguyen.3.2-any-activation", Wiring = Wiring.General)]
    public static string AnyActivation(Certificate c)
    {
        NguyenSetting.RequireLocus(c, "random");
        return c.Certified ? FullRank(c) : Bound(c);
    }

    private static string FullRank(Certificate c)
    {
        var s = c.Spec;
        var theta = NguyenSetting.Point(c);
        var (units, _) = NguyenSetting.Minor(c);
        int top = units.Max(u => u.Layer);
        if (s.HiddenActivations.Take(top).FirstOrDefault(a => !(a is IdentityActivation or PolynomialActivation or SigmoidActivation or TanhActivation or Softplus or SwishActivation)) is { } bad)
            throw new Reject($"σ = {bad.Name} below the minor's units is not analytic: a non-singular minor at one point does not give almost every U");
        var (_, values) = SkipFeatures.Forward(s, theta.Select(Interval.FromRational).ToArray(), top);
        var minor = new Interval[s.SampleCount, units.Length];
        for (int i = 0; i < s.SampleCount; i++) for (int j = 0; j < units.Length; j++) minor[i, j] = values[i][units[j].Layer][units[j].Unit];
        bool proved = IntervalLinearAlgebra.ProvesNonSingular(minor, out double beta, out _);
        c.Conclude(proved, proved ? "a non-singular minor" : "the minor could not be proved non-singular");
        return $"the N×N minor of Ψ on units {string.Join(" ", units)} at the point is non-singular (recomputed in intervals, ‖I − RΨ_S‖∞ ≤ {beta:G3}) and σ is analytic below it: rank Ψ = N for almost every U";
    }

    private static string Bound(Certificate c)
    {
        var s = c.Spec;
        int n = s.SampleCount;
        string kind = Certificate.Text(c.Facts, "bound");
        int claimed = Certificate.Integer(c.Facts["rankAtMost"], "rankAtMost");
        int rank;
        string why;
        switch (kind)
        {
            case "units":
                (rank, why) = (s.OutputSources.Length, "the output reads M units");
                break;
            case "duplicate-inputs":
                var pair = Certificate.Array(c.Facts, "samples").Select((v, i) => Certificate.Integer(v, $"samples[{i}]")).ToArray();
                if (pair.Length != 2 || pair[0] == pair[1] || pair.Any(i => i < 0 || i >= n) || !s.X[pair[0]].SequenceEqual(s.X[pair[1]]))
                    throw new Reject("'samples' does not name two samples with the same input");
                (rank, why) = (n - 1, $"samples {pair[0]} and {pair[1]} have the same input (equal rows)");
                break;
            case "constant-columns":
                var flat = Certificate.Array(c.Facts, "units").Select((u, i) => u is System.Text.Json.Nodes.JsonArray { Count: 2 } a
                    ? new HiddenUnit(Certificate.Integer(a[0], $"units[{i}][0]"), Certificate.Integer(a[1], $"units[{i}][1]"))
                    : throw new Reject($"units[{i}] is not a pair [layer, unit]")).Distinct().ToArray();
                if (flat.FirstOrDefault(u => !s.OutputSources.Contains(u) || !UnitGraph.IsSampleConstant(s, u)) is { Layer: > 0 } notFlat)
                    throw new Reject($"unit {notFlat} is not one the output reads with a patch constant across the samples");
                if (flat.Length < 2) throw new Reject("'units' names fewer than two constant columns");
                (rank, why) = (s.OutputSources.Length - flat.Length + 1, $"units {string.Join(" ", flat)} read only coordinates equal on every sample: constant columns span one dimension");
                break;
            case "polynomial-span" or "polynomial" or "linear-pieces" or "dead-layer" when s.HasReads:
                throw new Reject($"the bound '{kind}' follows a layered wiring, and hidden layers of this spec read lists of units");
            case "linear-pieces" or "dead-layer" when s.IsTied:
                throw new Reject($"the bound '{kind}' moves single biases around the point, and this spec ties parameters");
            case "polynomial-span":
                var (dimension, spanned) = SkipFeatures.PolynomialSpan(s);
                (rank, why) = ((int)Math.Min(dimension, int.MaxValue), $"every column lies in the span of {spanned}");
                break;
            case "polynomial" or "linear-pieces":
                bool pieces = kind == "linear-pieces";
                int top = s.OutputSources.Max(u => u.Layer);
                int degree = SkipFeatures.DegreeInX(s, pieces)[top] ?? throw new Reject($"a σ below the units the output reads is not a polynomial{(pieces ? " or piecewise linear" : "")}");
                if (pieces) RequireStrictPieces(c, top, relu: null);
                rank = ExactLinearAlgebra.Rank(SkipFeatures.Monomials(s, degree));
                why = $"every unit the output reads is a polynomial of degree ≤ {degree} in x{(pieces ? " on an open set around the point (each piecewise-linear unit strictly inside one piece on every sample, recomputed)" : "")}, and rank [x_i^α] = {rank}";
                break;
            case "dead-layer":
                int topLayer = s.OutputSources.Max(u => u.Layer);
                var relu = Enumerable.Range(1, topLayer).Where(k => s.HiddenActivations[k - 1].IsRelu).ToHashSet();
                if (relu.Count == 0) throw new Reject("no relu layer below the units the output reads");
                RequireStrictPieces(c, topLayer, relu);
                int lowest = relu.Min();
                rank = s.OutputSources.Count(u => u.Layer < lowest) + (s.OutputSources.Any(u => u.Layer > lowest && !relu.Contains(u.Layer)) ? 1 : 0);
                why = $"every relu unit is dead on every sample around the point (recomputed), so only the units below layer {lowest} vary";
                break;
            default: throw new Reject($"unknown bound '{kind}'");
        }
        if (rank != claimed) throw new Reject($"the bound is rank Ψ ≤ {rank} ({why}), the certificate says {claimed}");
        c.Conclude(rank >= n, rank < n ? $"rank Ψ ≤ {rank} < N" : $"the bound {rank} is not below N = {n}");
        return $"rank Ψ ≤ {rank} < N = {n}: {why}";
    }

    /// <summary>
    /// At the certificate's point, every piecewise-linear unit up to layer top has pre-activations of one strict sign on
    /// all samples (negative for the relu layers named, when given): the pattern, hence the formula, holds on an open set.
    /// </summary>
    private static void RequireStrictPieces(Certificate c, int top, HashSet<int>? relu)
    {
        var s = c.Spec;
        Interval[][][] z;
        try { (z, _) = SkipFeatures.Forward(s, NguyenSetting.Point(c).Select(Interval.FromRational).ToArray(), top); }
        catch (Exception e) when (e is Scalars.UndecidedException or Scalars.NonSmoothPointException)
        { throw new Reject($"at the point, a piecewise-linear unit is not strictly inside one linear piece on every sample ({e.Message})"); }
        for (int k = 1; k <= top; k++)
        {
            if (s.HiddenActivations[k - 1] is not LeakyRelu) continue;
            for (int u = 0; u < s.Widths[k]; u++)
            {
                var values = z.Select(sample => sample[k][u]).ToArray();
                bool positive = values.All(v => v.Lo > 0), negative = values.All(v => v.Hi < 0);
                if (relu is null ? !(positive || negative) : relu.Contains(k) ? !negative : !(positive || negative))
                    throw new Reject($"at the point, unit [{k},{u}] is not strictly inside {(relu?.Contains(k) == true ? "its dead piece" : "one linear piece")} on every sample");
            }
        }
    }

    private static bool IncreasingAnalytic(Activation a) => a switch
    {
        IdentityActivation or SigmoidActivation or TanhActivation or Softplus => true,
        PolynomialActivation p => p.Coefficients.Count >= 2 && p.Coefficients[1].Sign > 0
            && p.Coefficients.Select((q, i) => (q, i)).Skip(2).All(t => t.i % 2 == 0 ? t.q.IsZero : t.q.Sign >= 0),
        _ => false,
    };

    private static int GoodUnits(NetworkSpec s)
    {
        var skip = s.OutputSources.ToHashSet();
        return skip.Count(p => s.HiddenActivations[p.Layer - 1] is SigmoidActivation
            || (s.HiddenActivations[p.Layer - 1] is Softplus && UnitGraph.PathToFirstLayerAvoiding(s, p, skip)));
    }

    private static (int I, int J, int Unit)? RepeatedPatch(NetworkSpec s)
    {
        for (int u = 0; u < s.Widths[1]; u++)
        {
            var patch = UnitGraph.Patch(s, u);
            for (int i = 0; i < s.SampleCount; i++)
                for (int j = i + 1; j < s.SampleCount; j++)
                    if (patch.All(x => s.X[i][x] == s.X[j][x])) return (i, j, u);
        }
        return null;
    }
}
