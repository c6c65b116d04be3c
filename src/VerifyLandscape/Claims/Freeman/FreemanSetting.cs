using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Freeman;

/// <summary>
/// Freeman–Bruna's setting (002): F = (1/L) Σ ‖Φ(x) − y‖² + κR(θ), the loss "mse" (no ½), R = ℓ2 (ridge κ‖W‖², the
/// spec's penalty.l2, i.e. weight decay λ = 2κ) or ℓ1; level sets Ω(λ) = {F ≤ λ} (non-strict). Linear networks
/// Φ(x) = W_K ⋯ W_1 x have no biases. Hypotheses are worded as `vl claims` prints them.
/// </summary>
public static class FreemanHypotheses
{
    public static readonly Hypothesis Mse = SettingHypotheses.Loss(LossKind.Mse);

    public static readonly Hypothesis Linear = Hypothesis.OnSpec("linear network (identity activations, no biases)",
        s => s.HiddenActivations.Any(a => a is not IdentityActivation) || s.OutputActivation is not IdentityActivation
            ? "some activation is not the identity (the claim is about linear networks)"
            : s.Bias ? "the network has biases (002's linear networks have none)" : null);

    public static readonly Hypothesis NoPenalty = Hypothesis.OnSpec("κ = 0 (no penalty)",
        s => s.WeightDecay.IsZero ? null : $"ridge κ = {s.WeightDecay / 2} (the claim has κ = 0)");

    public static readonly Hypothesis Ridge = Hypothesis.OnSpec("ridge κ > 0 (penalty.l2)",
        s => s.WeightDecay.Sign > 0 ? null : "κ = 0 (the claim is about a ridge penalty κ > 0)");

    public static readonly Hypothesis SomeHiddenLayer = SettingHypotheses.SomeHiddenLayer;

    public static readonly Hypothesis OneHiddenLayer = Hypothesis.OnSpec("K = 2 (one hidden layer)",
        s => s.Depth == 2 ? null : $"K = {s.Depth} layers (the claim has K = 2)");

    public static readonly Hypothesis TwoHiddenLayers = Hypothesis.OnSpec("K ≥ 3 (two hidden layers or more)",
        s => s.Depth >= 3 ? null : $"K = {s.Depth} layers (the claim has K ≥ 3)");

    /// <summary>Prop 2.2 as printed, read as "every hidden width ≥ min(n_in, n_out)".</summary>
    public static readonly Hypothesis WidthsAtLeastMin = Hypothesis.OnSpec("every hidden width ≥ min(n_in, n_out) (as printed)",
        s => NarrowLayer(s, strict: false) is { } k ? $"hidden width n_{k} = {s.Widths[k]} < min(n_in, n_out) = {MinEnd(s)}" : null);

    /// <summary>The authors' revised Prop 2.2: every hidden width > min(n_in, n_out).</summary>
    public static readonly Hypothesis WidthsAboveMin = Hypothesis.OnSpec("every hidden width > min(n_in, n_out) (revised)",
        s => NarrowLayer(s, strict: true) is { } k ? $"hidden width n_{k} = {s.Widths[k]} ≤ min(n_in, n_out) = {MinEnd(s)}" : null);

    public static int MinEnd(NetworkSpec s) => Math.Min(s.InputWidth, s.OutputWidth);

    private static int? NarrowLayer(NetworkSpec s, bool strict)
    {
        for (int k = 1; k < s.Depth; k++)
            if (strict ? s.Widths[k] <= MinEnd(s) : s.Widths[k] < MinEnd(s)) return k;
        return null;
    }
}

/// <summary>A linear network's weight matrices as rational matrices, and back; the data as matrices with samples in columns.</summary>
public static class LinearChains
{
    /// <summary>W_1..W_K (index 0 unused), W_k of size n_k × n_{k−1}.</summary>
    public static Rational[][,] Weights(NetworkSpec s, IReadOnlyList<Rational> theta)
    {
        var w = new Rational[s.Depth + 1][,];
        for (int k = 1; k <= s.Depth; k++)
        {
            w[k] = new Rational[s.Widths[k], s.Widths[k - 1]];
            for (int i = 0; i < s.Widths[k]; i++)
                for (int j = 0; j < s.Widths[k - 1]; j++) w[k][i, j] = theta[s.Layout.Weight(k, i, j)];
        }
        return w;
    }

    public static Rational[] Point(NetworkSpec s, Rational[][,] w)
    {
        var theta = new Rational[s.ParameterCount];
        for (int k = 1; k <= s.Depth; k++)
            for (int i = 0; i < s.Widths[k]; i++)
                for (int j = 0; j < s.Widths[k - 1]; j++) theta[s.Layout.Weight(k, i, j)] = w[k][i, j];
        return theta;
    }

    /// <summary>W_to ⋯ W_from (the identity when from &gt; to).</summary>
    public static Rational[,] Product(Rational[][,] w, int from, int to)
    {
        var p = Matrices.Identity(w[from].GetLength(1));
        for (int k = from; k <= to; k++) p = Matrices.Multiply(w[k], p);
        return p;
    }

    /// <summary>The samples as columns: X is n_in × L, Y is n_out × L.</summary>
    public static Rational[,] Columns(Rational[][] rows)
    {
        var m = new Rational[rows[0].Length, rows.Length];
        for (int i = 0; i < rows.Length; i++) for (int j = 0; j < rows[i].Length; j++) m[j, i] = rows[i][j];
        return m;
    }
}
