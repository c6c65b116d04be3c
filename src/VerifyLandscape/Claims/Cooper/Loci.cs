using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Cooper;

/// <summary>
/// Cooper (004), reconstructed from the proofs of Lemma 3.3 and Theorems 3.1–3.2:
///   S_j = { θ : W_ℓ = 0, b_ℓ = ȳ, W_j = 0, b_k = 0 for j ≤ k ≤ ℓ−1 },  1 ≤ j ≤ ℓ−1,
///   C_{i1…ir} = S_{i1} ∩ … ∩ S_{ir}.
/// </summary>
public static class CooperLoci
{
    public static AffineLocus Star(NetworkSpec net, int j) => Core(net, [j]);

    public static AffineLocus Core(NetworkSpec net, IReadOnlyList<int> indices)
    {
        int depth = net.Depth;
        if (!net.Bias) throw new ArgumentException("Cooper's loci fix biases (b_ℓ = ȳ): the network needs biases");
        if (indices.Count == 0) throw new ArgumentException("a core locus needs at least one index");
        foreach (var j in indices)
            if (j < 1 || j > depth - 1) throw new ArgumentException($"locus index {j} is outside 1..{depth - 1} (ℓ = {depth})");
        if (indices.Distinct().Count() != indices.Count) throw new ArgumentException("locus indices must be distinct");
        var layout = net.Layout;
        var fixedValues = new Dictionary<int, Rational>();
        var ybar = net.MeanTarget();
        foreach (var p in layout.WeightsOf(depth)) fixedValues[p] = 0;
        for (int i = 0; i < net.OutputWidth; i++) fixedValues[layout.BiasIndex(depth, i)] = ybar[i];
        foreach (var j in indices)
        {
            foreach (var p in layout.WeightsOf(j)) fixedValues[p] = 0;
            for (int k = j; k <= depth - 1; k++)
                foreach (var p in layout.BiasesOf(k)) fixedValues[p] = 0;
        }
        string name = indices.Count == 1 ? $"S_{indices[0]}" : $"C_{string.Join(",", indices)}";
        return new AffineLocus(name, fixedValues, layout.Count);
    }
}
