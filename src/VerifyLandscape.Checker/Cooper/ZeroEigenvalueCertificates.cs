using System.Text.Json.Nodes;
using VerifyLandscape.Networks;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Checker.Cooper;

/// <summary>
/// cooper.5.16 (reconstructed) on a star locus S_j: at a critical point, H has at least m(n_{ℓ−1} + 1 − r) zero
/// eigenvalues, r = rank [Φ; 1ᵀ]. On S_j the last hidden layer's features are the same for every input, so r = 1.
/// Checked: the setting, that the whole locus is critical (gradient zero at the generic point), that the features agree
/// between inputs, and then either the exact Hessian with its LDLᵀ (its zero count against the bound) or independent
/// null vectors verified H v = 0 in the ring.
/// </summary>
public static class ZeroEigenvalueCertificates
{
    /// <summary>cooper.5.16 at a global minimum (the format of cooper.gm) or on a star locus.</summary>
    [ChecksClaim("cooper.5.16")]
    public static string Check(Certificate c) =>
        c.Locus.StartsWith("global-min:", StringComparison.Ordinal) ? GlobalMinimumCertificates.Check(c) : AtStarLocus(c);

    private static string AtStarLocus(Certificate c)
    {
        CooperSetting.Require(c.Spec, sigmaZero: false);
        var spec = c.Spec;
        var layout = spec.Layout;
        var fixedValues = CooperSetting.Locus(spec, CooperSetting.LocusIndices(c, 1));
        CooperSetting.RequireStatedLocus(c, fixedValues);
        var generic = CooperSetting.GenericPoint(spec, fixedValues);
        if (ForwardMode.NonZeroGradientEntry(spec, generic) is var (p, g))
            throw new Reject($"out of the claim's hypotheses: ∂L/∂{layout.Name(p)} = {g} is not zero at the generic point (not a critical point)");
        ForwardMode.Loss(spec, generic, -1, null, out var features);
        if (features.Any(f => !f.SequenceEqual(features[0]))) throw new Reject("the features differ between inputs: rank [Φ; 1ᵀ] is not 1 here");
        int bound = spec.OutputWidth * spec.Widths[spec.Depth - 1];
        if (c.Facts["nullVectors"] is JsonObject nullVectors) return NullVectors(c, generic, features[0], nullVectors, bound);
        var (_, inertia) = HessianFacts.Check(spec, generic, c.Facts);
        c.Conclude(inertia.Zero >= bound, $"{inertia.Zero} zero eigenvalues (inertia {inertia}), bound m·n_ℓ−1 = {bound}");
        return $"gradient and Hessian recomputed (forward mode), LDLᵀ multiplied back, inertia {inertia}; rank [Φ; 1ᵀ] = 1, bound m·n_ℓ−1 = {bound}";
    }

    /// <summary>
    /// e_q for each named parameter whose Hessian row is identically 0, and v = e(W_ℓ[o,k]) − φ_k e(b_ℓ[o]) for each named
    /// W_ℓ entry outside those rows, each checked H v = 0 entry by entry in the ring. They are independent (each v has its
    /// own coordinate), so H has at least that many zero eigenvalues on the whole locus. Only a proof has this format.
    /// </summary>
    private static string NullVectors(Certificate c, Sym[] generic, Sym[] phi, JsonObject nullVectors, int bound)
    {
        if (!c.Certified) throw new Reject("null vectors prove a lower bound on the zero eigenvalues: they cannot refute it");
        var spec = c.Spec;
        var layout = spec.Layout;
        int n = layout.Count, l = spec.Depth;
        var rows = new HashSet<int>();
        foreach (var name in Certificate.Texts(nullVectors, "zeroRows"))
        {
            if (!layout.TryIndexOf(name, out int q) || !rows.Add(q)) throw new Reject($"unknown or repeated parameter '{name}' among the zero rows");
            for (int j = 0; j < n; j++)
                if (!ForwardMode.Derivative(spec, generic, q, j).IsZero) throw new Reject($"H[{name}, {layout.Name(j)}] is not identically 0");
        }
        var flat = new HashSet<int>();
        int first = layout.Weight(l, 0, 0), width = spec.Widths[l - 1];
        foreach (var name in Certificate.Texts(nullVectors, "flatDirections"))
        {
            if (!layout.TryIndexOf(name, out int w) || w < first || w >= first + spec.OutputWidth * width || rows.Contains(w) || !flat.Add(w))
                throw new Reject($"'{name}' is not a last-layer weight outside the zero rows, or repeated");
            int o = (w - first) / width, k = (w - first) % width; // W_ℓ is stored row by row
            int b = layout.BiasIndex(l, o);
            for (int j = 0; j < n; j++)
                if (!(ForwardMode.Derivative(spec, generic, j, w) - phi[k] * ForwardMode.Derivative(spec, generic, j, b)).IsZero)
                    throw new Reject($"(H v)[{layout.Name(j)}] ≠ 0 for the flat direction of {name}");
        }
        int count = rows.Count + flat.Count;
        c.Conclude(count >= bound, $"{count} independent null vectors, bound {bound}");
        return $"{rows.Count} identically zero Hessian rows and {flat.Count} flat directions with H v = 0, recomputed in forward mode on the whole locus: {count} ≥ {bound} independent null vectors";
    }
}
