using VerifyLandscape.Networks;
using static VerifyLandscape.Claims.SettingHypotheses;

namespace VerifyLandscape.Claims.Milne;

/// <summary>
/// The hypotheses of Milne's claims (000), each once: the setting (no biases, half-mse, scalar output, a hidden
/// layer, piecewise-linear σ), λ > 0, linear networks for Lemma 7, and what is checked at the point.
/// </summary>
public static class MilneHypotheses
{
    public static readonly Hypothesis PiecewiseLinear = Hypothesis.OnSpec("σ piecewise linear (relu, leaky-relu, identity)",
        s => s.HiddenActivations.Append(s.OutputActivation).FirstOrDefault(a => a is not (LeakyRelu or IdentityActivation)) is { } a
            ? $"σ = {a.Name}: the setting is piecewise linear (relu, leaky-relu, identity)" : null);

    /// <summary>Milne's setting: no biases, half-mse, scalar output, H ≥ 1 hidden layers, piecewise-linear σ.</summary>
    public static readonly IReadOnlyList<Hypothesis> Setting = [NoBiases, Loss(LossKind.HalfMse), ScalarOutput, SomeHiddenLayer, PiecewiseLinear];

    public static readonly Hypothesis ReluHidden = Hypothesis.OnSpec("σ relu or leaky-relu (hidden), output identity or relu",
        s => s.HiddenActivations.Any(a => a is not LeakyRelu) || s.OutputActivation is not (IdentityActivation or LeakyRelu)
            ? "the hidden layers are not all relu or leaky-relu" : null);

    public static readonly Hypothesis Linear = Hypothesis.OnSpec("linear network (σ = identity)",
        s => s.HiddenActivations.Append(s.OutputActivation).All(a => a is IdentityActivation) ? null : "σ is not the identity (the lemma is for linear networks)");

    public static readonly Hypothesis WideHiddenLayers = Hypothesis.OnSpec("hidden widths > 1",
        s => s.Widths[1..^1].All(w => w >= 2) ? null : "a hidden width is 1 (the lemma needs n_i > 1)");

    public static readonly Hypothesis SmoothAtThePoint = Hypothesis.AtThePoint("smooth at the point");
    public static readonly Hypothesis InU = Hypothesis.AtThePoint("W ∈ U(λ, θ), proved with rigorous bounds");
}
