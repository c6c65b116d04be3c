using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Checker.Cooper;

/// <summary>
/// Cooper's (004) setting, written out again for the checker: the hypotheses every locus claim states, the loci
/// S_j (W_ℓ = 0, b_ℓ = ȳ, W_j = 0, b_k = 0 for j ≤ k ≤ ℓ−1) and C_{i,j} (the union of the constraints of S_i and S_j).
/// </summary>
public static class CooperSetting
{
    /// <summary>
    /// Rejects unless the network is in the theorem's setting (σ(0) = 0 only where the claim requires it; σ smooth
    /// everywhere unless the claim speaks about one point, where the forward pass rejects a kink itself).
    /// </summary>
    public static void Require(NetworkSpec s, bool sigmaZero, bool smooth = true)
    {
        if (s.Loss != LossKind.Sse) throw new Reject($"out of the claim's hypotheses: the loss is {NetworkSpec.LossName(s.Loss)}, not sse");
        if (!s.Bias) throw new Reject("out of the claim's hypotheses: the network has no biases");
        if (s.OutputActivation is not IdentityActivation) throw new Reject($"out of the claim's hypotheses: the output activation is {s.OutputActivation.Name}, not an affine output layer");
        if (!s.WeightDecay.IsZero) throw new Reject("out of the claim's hypotheses: weight decay is not part of the theorem");
        foreach (var a in s.HiddenActivations.Distinct())
        {
            if (smooth && !a.IsSmooth) throw new Reject($"out of the claim's hypotheses: {a.Name} is not smooth");
            if (sigmaZero && !a.VanishesAtZero) throw new Reject($"out of the claim's hypotheses: σ(0) ≠ 0 for {a.Name}");
        }
    }

    /// <summary>The indices of a star:J (one index) or core:I,J (two distinct) locus, each in 1..ℓ−1.</summary>
    public static int[] LocusIndices(Certificate c, int count)
    {
        string kind = count == 1 ? "star" : "core";
        var parts = c.Locus.Split(':', 2);
        if (parts.Length != 2 || parts[0] != kind) throw new Reject($"the locus '{c.Locus}' is not {(count == 1 ? "star:J" : "core:I,J")}, which claim {c.Claim} speaks about");
        var indices = parts[1].Split(',').Select(x => int.TryParse(x, out int j) ? j : throw new Reject($"bad locus index '{x}'")).ToArray();
        if (indices.Length != count || indices.Distinct().Count() != count || indices.Any(j => j < 1 || j > c.Spec.Depth - 1))
            throw new Reject($"the locus '{c.Locus}' does not name {count} distinct hidden layers in 1..{c.Spec.Depth - 1}");
        return indices;
    }

    /// <summary>The parameters the locus fixes, with their values.</summary>
    public static Dictionary<int, Rational> Locus(NetworkSpec s, int[] indices)
    {
        int l = s.Depth;
        var layout = s.Layout;
        var result = new Dictionary<int, Rational>();
        void FixWeights(int k) { for (int i = 0; i < s.Widths[k]; i++) for (int j = 0; j < s.Widths[k - 1]; j++) result[layout.Weight(k, i, j)] = 0; }
        FixWeights(l);
        for (int o = 0; o < s.OutputWidth; o++)
        {
            Rational sum = 0;
            foreach (var y in s.Y) sum += y[o];
            result[layout.BiasIndex(l, o)] = sum / s.SampleCount;
        }
        foreach (var j in indices)
        {
            FixWeights(j);
            for (int k = j; k <= l - 1; k++) for (int i = 0; i < s.Widths[k]; i++) result[layout.BiasIndex(k, i)] = 0;
        }
        return result;
    }

    /// <summary>The generic point: fixed parameters set, the others free symbols.</summary>
    public static Sym[] GenericPoint(NetworkSpec s, Dictionary<int, Rational> fixedValues) =>
        Enumerable.Range(0, s.Layout.Count)
            .Select(p => fixedValues.TryGetValue(p, out var q) ? (Sym)q : Sym.Variable(Symbols.Parameter(s.Layout.Name(p)))).ToArray();

    /// <summary>Rejects unless the certificate's stated locus (facts.locus.fixed) is exactly the definition's.</summary>
    public static void RequireStatedLocus(Certificate c, Dictionary<int, Rational> fixedValues)
    {
        var layout = c.Spec.Layout;
        var claimed = Certificate.Object(Certificate.Object(c.Facts, "locus"), "fixed");
        if (claimed.Count != fixedValues.Count) throw new Reject($"the locus fixes {claimed.Count} parameters, the definition fixes {fixedValues.Count}");
        foreach (var (name, value) in claimed)
        {
            if (!layout.TryIndexOf(name, out int p) || !fixedValues.TryGetValue(p, out var q)) throw new Reject($"the locus fixes {name}, the definition does not");
            if (Certificate.Number(value, $"locus.fixed[{name}]") != q) throw new Reject($"the locus sets {name} = {value}, the definition sets {q}");
        }
    }

    /// <summary>A rational point of the locus named in the facts (every parameter given, the fixed ones at their values).</summary>
    public static Rational[] PointOnLocus(NetworkSpec s, JsonObject point, Dictionary<int, Rational> fixedValues)
    {
        var layout = s.Layout;
        var values = Certificate.Point(point, layout);
        foreach (var (p, q) in fixedValues)
            if (values[p] != q) throw new Reject($"the point is not on the locus: {layout.Name(p)} = {values[p]}, not {q}");
        return values;
    }
}
