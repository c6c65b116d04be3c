using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Freeman;

/// <summary>
/// 002's linear networks as the checker reads them, with its own arithmetic: F(θ) = (1/L)‖Y − W_K⋯W_1 X‖² + κ‖W‖²
/// (mse without ½; the spec's weight decay λ is 2κ), the setting's hypotheses, and the data as matrices.
/// </summary>
internal static class LinearNetworks
{
    /// <summary>The setting, and the locus kind the claim speaks about (pair:SEED or origin:SEED).</summary>
    public static void RequireSetting(Certificate c, string locusKind)
    {
        var s = c.Spec;
        if (s.HiddenActivations.Any(a => a is not IdentityActivation) || s.OutputActivation is not IdentityActivation)
            throw new Reject("out of the claim's hypotheses: the network is not linear");
        if (s.Bias) throw new Reject("out of the claim's hypotheses: the network has biases");
        if (s.Loss != LossKind.Mse) throw new Reject($"out of the claim's hypotheses: the loss is {NetworkSpec.LossName(s.Loss)}, not mse");
        if (s.Depth < 2) throw new Reject("out of the claim's hypotheses: no hidden layer");
        if (!c.Locus.StartsWith(locusKind + ":", StringComparison.Ordinal))
            throw new Reject($"the locus '{c.Locus}' is not {locusKind}:SEED, which claim {c.Claim} speaks about");
    }

    /// <summary>F at θ: the data term (1/L)‖Y − M X‖² plus (λ/2) Σ θ_p² (every parameter is a weight here).</summary>
    public static Rational Loss(NetworkSpec s, Rational[] theta)
    {
        var w = LinearChains.Weights(s, theta);
        var residual = Matrices.Add(LinearChains.Columns(s.Y), Matrices.Multiply(LinearChains.Product(w, 1, s.Depth), LinearChains.Columns(s.X)), -1);
        Rational penalty = 0;
        foreach (var t in theta) penalty += t * t;
        return Matrices.FrobeniusSquared(residual) / s.SampleCount + s.WeightDecay / 2 * penalty;
    }

    public static Rational[,] Matrix(System.Text.Json.Nodes.JsonNode? node, string name, int rows, int columns)
    {
        var array = node as System.Text.Json.Nodes.JsonArray ?? throw new Reject($"'{name}' is missing or not an array of rows");
        if (array.Count != rows) throw new Reject($"'{name}' has {array.Count} rows, expected {rows}");
        var m = new Rational[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            var row = array[i] as System.Text.Json.Nodes.JsonArray ?? throw new Reject($"{name}[{i}] is not an array");
            if (row.Count != columns) throw new Reject($"{name}[{i}] has {row.Count} entries, expected {columns}");
            for (int j = 0; j < columns; j++) m[i, j] = Certificate.Number(row[j], $"{name}[{i}][{j}]");
        }
        return m;
    }
}
