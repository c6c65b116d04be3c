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
