using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Nguyen;

/// <summary>The hypotheses of Nguyen, Mukkamala and Hein's claims (001), each once.</summary>
public static class NguyenHypotheses
{
    public static readonly Hypothesis CrossEntropy = SettingHypotheses.Loss(LossKind.CrossEntropy);

    /// <summary>Training error needs a label per sample: each target row is one-hot.</summary>
    public static readonly Hypothesis OneHotTargets = Hypothesis.OnSpec("one-hot targets (a class label per sample)",
        s => Array.FindIndex(s.Y, y => !(y.Count(v => v.IsOne) == 1 && y.All(v => v.IsZero || v.IsOne))) is var i and >= 0
            ? $"the target of sample {i} is not one-hot" : null);

    public static readonly Hypothesis RationalLogits = Hypothesis.AtThePoint("the logits at the point are rational (σ rational there)");

    /// <summary>The proof of Lemma 3.2 sets every unit's bias; the paper's networks have them.</summary>
    public static readonly Hypothesis Biases = SettingHypotheses.Biases("Lemma 3.2's proof sets each unit's bias");

    /// <summary>Assumption 3.1.1.</summary>
    public static readonly Hypothesis AnalyticIncreasing = Hypothesis.OnSpec("every hidden σ real analytic and strictly increasing (Assumption 3.1.1)",
        s => s.HiddenActivations.Select((a, k) => (a, k)).FirstOrDefault(t => !IsAnalyticIncreasing(t.a)) is { a: { } bad } t
            ? $"σ of hidden layer {t.k + 1} is {bad.Name}, {(IsAnalytic(bad) ? "not (provably) strictly increasing" : "not real analytic")}" : null);

    /// <summary>Assumption 3.1.2: N of the units the output reads are sigmoid-like (a) or softplus with a skip-free path to layer 1 (b).</summary>
    public static readonly Hypothesis EnoughGoodSkipUnits = Hypothesis.OnSpec(
        "N of the units the output reads are (a) bounded with σ(−∞) = 0 (sigmoid) or (b) softplus with a backward path to layer 1 avoiding skip units (Assumption 3.1.2)",
        s => GoodSkipUnits(s) is var good && good >= s.SampleCount ? null
            : $"only {good} of the {s.OutputSources.Length} units the output reads are sigmoid, or softplus with a skip-free path, and N = {s.SampleCount}");

    /// <summary>
    /// Assumption 3.1.3 (the "≠" signs restored, same-position form, notes §1.1): for every first-layer unit j and
    /// samples r ≠ s, x_r|S_j ≠ x_s|S_j. With a fully connected first layer: the inputs are distinct.
    /// </summary>
    public static readonly Hypothesis DistinctPatches = Hypothesis.OnSpec("every first-layer unit sees distinct patches x_i|S_j (Assumption 3.1.3; distinct inputs when fully connected)",
        s => RepeatedPatch(s) is { } p ? $"samples {p.I} and {p.J} agree on the patch of unit [1,{p.Unit}]" : null);

    /// <summary>001's setting: every hidden unit has its own bias (the proof sets each; a shared or frozen bias is outside it, notes §1.5).</summary>
    public static readonly Hypothesis OwnBiases = Hypothesis.OnSpec("every hidden unit has its own free bias (the proof sets each unit's bias)",
        s => Enumerable.Range(1, s.Depth - 1).SelectMany(k => s.Layout.BiasesOf(k)).FirstOrDefault(b => !s.Layout.IsOwn(b), -1) is var b and >= 0
            ? $"{s.Layout.SlotName(b)} is {(s.Layout.FrozenValue(b) is null ? "shared" : "frozen")}" : null);

    /// <summary>001's setting: units above the first hidden layer read hidden units only (the proof's chains end in layer 1).</summary>
    public static readonly Hypothesis HiddenInputsOnly = Hypothesis.OnSpec("units above the first hidden layer read hidden units only",
        s => Enumerable.Range(2, Math.Max(0, s.Depth - 2)).FirstOrDefault(k => s.Sources(k)?.Any(u => u.Layer == 0) == true) is var k and > 0
            ? $"hidden layer {k} reads an input coordinate" : null);

    public static readonly Hypothesis FullRankAtThePoint = Hypothesis.AtThePoint("rank Ψ(U) = N at the point (certified by a non-singular N×N minor)");

    public static bool IsAnalytic(Activation a) => a is IdentityActivation or PolynomialActivation or SmoothActivation;

    /// <summary>Strictly increasing where it can be shown simply: the named smooth σ, and polynomials whose p' has only even powers, with p'(0) &gt; 0 and no negative coefficient.</summary>
    public static bool IsAnalyticIncreasing(Activation a) => a switch
    {
        IdentityActivation or SigmoidActivation or TanhActivation or Softplus => true,
        PolynomialActivation p => p.Coefficients.Count >= 2 && p.Coefficients[1].Sign > 0
            && p.Coefficients.Select((c, i) => (c, i)).Skip(2).All(t => t.i % 2 == 0 ? t.c.IsZero : t.c.Sign >= 0),
        _ => false,
    };

    public static int GoodSkipUnits(NetworkSpec s)
    {
        if (s.Depth < 2) return 0; // no hidden unit (the output reads the inputs)
        var skip = s.OutputSources.ToHashSet();
        return skip.Count(p => s.HiddenActivations[p.Layer - 1] switch
        {
            SigmoidActivation => true,
            Softplus => UnitGraph.PathToFirstLayerAvoiding(s, p, skip),
            _ => false,
        });
    }

    public static (int I, int J)? DuplicatePair(NetworkSpec s)
    {
        for (int i = 0; i < s.SampleCount; i++)
            for (int j = i + 1; j < s.SampleCount; j++)
                if (s.X[i].SequenceEqual(s.X[j])) return (i, j);
        return null;
    }

    /// <summary>Two samples that agree on the patch of a first-layer unit, if any.</summary>
    public static (int I, int J, int Unit)? RepeatedPatch(NetworkSpec s)
    {
        for (int u = 0; u < s.Widths[1]; u++)
        {
            var patch = UnitGraph.Patch(s, u);
            for (int i = 0; i < s.SampleCount; i++)
                for (int j = i + 1; j < s.SampleCount; j++)
                    if (patch.All(c => s.X[i][c] == s.X[j][c])) return (i, j, u);
        }
        return null;
    }
}
