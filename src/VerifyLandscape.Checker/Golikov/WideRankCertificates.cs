using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Golikov;

/// <summary>
/// golikov.wide, golikov.wide-no-bias and golikov.wide-relu: the rank of F_k, the last hidden layer's features (N × n_k).
///   certified: facts name a point and N units; F_S recomputed in intervals and proved non-singular (‖I − RF_S‖∞ &lt; 1);
///     σ analytic below, so det F_S is a non-zero analytic function and rank F_k = N off a null set.
///   refuted (no biases): an identity Σ c_i F_k(x_i) = 0 for every W, checked from its lemma's conditions on the spec:
///     odd-pair (tanh everywhere, x_j = −x_i, c = e_i + e_j), odd-zero (tanh, x_i = 0, c = e_i), sigmoid-layer1
///     (one hidden sigmoid layer, x_j = −x_i, x_l = 0, c = e_i + e_j − 2e_l; σ(t) + σ(−t) = 1 = 2σ(0)), sigmoid-two-pairs
///     (one hidden sigmoid layer, x_j = −x_i and x_l = −x_k, c = e_i + e_j − e_k − e_l).
///   refuted (relu): every hidden pre-activation at the point is &lt; 0 (exact), so F_k = 0 on an open set.
/// </summary>
public static class WideRankCertificates
{
    [ChecksClaim("golikov.wide")]
    public static string WithBiases(Certificate c)
    {
        Require(c, bias: true, relu: false);
        if (!c.Certified) throw new Reject("the lemma holds with biases: only a certified verdict has a certificate");
        return FullRank(c);
    }

    [ChecksClaim("golikov.wide-no-bias")]
    public static string WithoutBiases(Certificate c)
    {
        var s = Require(c, bias: false, relu: false);
        if (c.Certified) return FullRank(c);
        var kind = Certificate.Text(c.Facts, "kind");
        var coefficients = Certificate.Array(c.Facts, "c").Select((v, i) => Certificate.Integer(v, $"c[{i}]")).ToArray();
        if (coefficients.Length != s.SampleCount) throw new Reject($"c has {coefficients.Length} entries, N = {s.SampleCount}");
        var support = Enumerable.Range(0, coefficients.Length).Where(i => coefficients[i] != 0).ToArray();
        bool Antipodal(int i, int j) => s.X[i].Zip(s.X[j]).All(p => p.First == -p.Second);
        bool Zero(int i) => s.X[i].All(v => v.IsZero);
        bool tanh = s.HiddenActivations.All(a => a is TanhActivation);
        string why = kind switch
        {
            "odd-pair" when tanh && support.Length == 2 && coefficients[support[0]] == 1 && coefficients[support[1]] == 1 && Antipodal(support[0], support[1])
                => $"tanh is odd and bias-free layers keep F odd: F(x_{support[1]}) = −F(x_{support[0]})",
            "odd-zero" when tanh && support.Length == 1 && Zero(support[0]) => $"tanh(0) = 0 at every layer: F(x_{support[0]}) = 0",
            "sigmoid-layer1" when s.Depth == 2 && s.HiddenActivations[0] is SigmoidActivation && support.Length == 3
                && support.Count(i => coefficients[i] == 1) == 2 && support.Count(i => coefficients[i] == -2 && Zero(i)) == 1
                && Antipodal(support.First(i => coefficients[i] == 1), support.Last(i => coefficients[i] == 1))
                => "σ(Wx) + σ(−Wx) = 1 = 2σ(W·0) on the only hidden layer",
            "sigmoid-two-pairs" when s.Depth == 2 && s.HiddenActivations[0] is SigmoidActivation && support.Length == 4
                && support.Count(i => coefficients[i] == 1) == 2 && support.Count(i => coefficients[i] == -1) == 2
                && Antipodal(support.First(i => coefficients[i] == 1), support.Last(i => coefficients[i] == 1))
                && Antipodal(support.First(i => coefficients[i] == -1), support.Last(i => coefficients[i] == -1))
                => "σ(Wx) + σ(−Wx) = 1 for both antipodal pairs on the only hidden layer",
            _ => throw new Reject($"the identity '{kind}' with c = ({string.Join(", ", coefficients)}) does not follow from the spec (σ, depth and inputs)"),
        };
        c.Conclude(false, why + ": rank F < N for every W");
        return $"{why}, so Σ c_i F(x_i) = 0 for every W and rank F ≤ N − 1 < N: the no-bias lemma fails";
    }

    [ChecksClaim("golikov.wide-relu")]
    public static string Relu(Certificate c)
    {
        var s = Require(c, bias: true, relu: true);
        var theta = Certificate.Point(Certificate.Object(c.Facts, "point"), s.Layout);
        DeadUnits.Require(s, theta, 1, s.Depth - 1);
        c.Conclude(false, "every unit dead at the point: F_k = 0 on an open set");
        return "every hidden pre-activation is < 0 at the point (exact), so F_k = 0 on an open neighbourhood: rank 0 < N on a set of positive measure";
    }

    private static NetworkSpec Require(Certificate c, bool bias, bool relu)
    {
        var s = c.Spec;
        if (!c.Locus.StartsWith("random:", StringComparison.Ordinal)) throw new Reject($"the locus '{c.Locus}' is not random:SEED");
        if (s.Bias != bias) throw new Reject($"out of the claim's hypotheses: the network {(s.Bias ? "has" : "has no")} biases");
        if (s.Depth < 2 || s.Widths[^2] < s.SampleCount) throw new Reject($"out of the claim's hypotheses: the last hidden layer is narrower than N = {s.SampleCount}");
        if (s.HiddenActivations.FirstOrDefault(a => relu ? !a.IsRelu : a is not (SigmoidActivation or TanhActivation or Softplus)) is { } bad)
            throw new Reject($"out of the claim's hypotheses: σ is {bad.Name}");
        for (int i = 0; i < s.SampleCount; i++)
            for (int j = i + 1; j < s.SampleCount; j++)
                if (s.X[i].SequenceEqual(s.X[j])) throw new Reject($"out of the claim's hypotheses: x_{i} = x_{j}");
        return s;
    }

    private static string FullRank(Certificate c)
    {
        var s = c.Spec;
        var theta = Certificate.Point(Certificate.Object(c.Facts, "point"), s.Layout);
        var units = Certificate.Array(c.Facts, "minorUnits").Select((u, i) => u is System.Text.Json.Nodes.JsonArray { Count: 2 } a
            ? new HiddenUnit(Certificate.Integer(a[0], $"minorUnits[{i}][0]"), Certificate.Integer(a[1], $"minorUnits[{i}][1]"))
            : throw new Reject($"minorUnits[{i}] is not a pair [layer, unit]")).ToArray();
        if (units.Length != s.SampleCount || units.Distinct().Count() != units.Length || units.Any(u => u.Layer != s.Depth - 1 || u.Unit < 0 || u.Unit >= s.Widths[^2]))
            throw new Reject($"the minor must name N = {s.SampleCount} distinct units of the last hidden layer");
        var (_, values) = SkipFeatures.Forward(s, theta.Select(Interval.FromRational).ToArray(), s.Depth - 1);
        var minor = new Interval[s.SampleCount, units.Length];
        for (int i = 0; i < s.SampleCount; i++) for (int j = 0; j < units.Length; j++) minor[i, j] = values[i][units[j].Layer][units[j].Unit];
        bool proved = IntervalLinearAlgebra.ProvesNonSingular(minor, out double beta, out _);
        c.Conclude(proved, proved ? "a non-singular minor" : "the minor could not be proved non-singular");
        return $"the N×N minor of F_k on units {string.Join(" ", units)} is non-singular at the point (recomputed in intervals, ‖I − RF_S‖∞ ≤ {beta:G3}); σ analytic: rank F_k = N for almost every parameter";
    }
}
