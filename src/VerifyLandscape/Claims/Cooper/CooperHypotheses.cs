using VerifyLandscape.Networks;
using static VerifyLandscape.Claims.SettingHypotheses;

namespace VerifyLandscape.Claims.Cooper;

/// <summary>
/// The hypotheses of Cooper's claims (004), each once: the setting (sse, biases, affine output layer, no decay), the
/// activation at a locus (smooth; σ(0) = 0), the locus's shape, and what the fibre claims ask of the point.
/// Hypotheses about σ at a locus do not apply to a constructed point (global-min:SEED), where the switches of a
/// piecewise-linear σ are frozen and a kink is reported as "not smooth at the point".
/// </summary>
public static class CooperHypotheses
{
    public static IReadOnlyList<Hypothesis> Setting(string whyBiases) => [Loss(LossKind.Sse), Biases(whyBiases), AffineOutput, NoWeightDecay];

    public static readonly Hypothesis SmoothSigma = new("σ smooth", c =>
        c.Construction is not null ? null
        : c.Spec.HiddenActivations.FirstOrDefault(a => !a.IsSmooth) is { } a
            ? $"{a.Name} is not smooth at 0, and every point of the locus has pre-activations exactly 0 (not smooth at the point)" : null);

    public static readonly Hypothesis SigmaVanishesAtZero = new("σ(0) = 0", c =>
        c.Construction is not null ? null
        : c.Spec.HiddenActivations.FirstOrDefault(a => !a.VanishesAtZero) is { } a ? $"σ(0) ≠ 0 for {a.Name}" : null);

    public static readonly Hypothesis StarLocus = new("a star locus S_j, 1 ≤ j ≤ ℓ−1 (ℓ ≥ 2)", c => c.Construction is not null ? null : LocusShape(c, 1));

    public static readonly Hypothesis CoreLocus = new("a core locus C_{i,j}, 1 ≤ i < j ≤ ℓ−1 (ℓ ≥ 3: two distinct hidden layers)", c => LocusShape(c, 2));

    private static string? LocusShape(ClaimInstance c, int indices) =>
        c.Locus.Length == indices && c.Locus.Distinct().Count() == indices && c.Locus.All(j => j >= 1 && j <= c.Spec.Depth - 1) ? null
        : $"locus {c.LocusText} is not {(indices == 1 ? "S_j with 1 ≤ j ≤ ℓ−1" : "C_{i,j} with 1 ≤ i < j ≤ ℓ−1")} (ℓ = {c.Spec.Depth})";

    public static readonly Hypothesis OverParameterised = Hypothesis.OnSpec("P > N·m",
        s => s.ParameterCount > s.SampleCount * s.OutputWidth ? null : $"P = {s.ParameterCount} ≤ N·m = {s.SampleCount * s.OutputWidth}");

    public static readonly Hypothesis LastHiddenAtLeastN = Hypothesis.OnSpec("n_{ℓ−1} ≥ N",
        s => s.Widths[s.Depth - 1] >= s.SampleCount ? null : $"n_ℓ−1 = {s.Widths[s.Depth - 1]} < N = {s.SampleCount}");

    public static readonly Hypothesis AugmentedFeaturesCanSpan = Hypothesis.OnSpec("n_{ℓ−1} + 1 ≥ N",
        s => s.Widths[s.Depth - 1] + 1 >= s.SampleCount ? null : $"n_ℓ−1 + 1 = {s.Widths[s.Depth - 1] + 1} < N = {s.SampleCount}");

    public static readonly Hypothesis ZeroLoss = Hypothesis.AtThePoint("L = 0 at the point");
    public static readonly Hypothesis FullRankJacobian = Hypothesis.AtThePoint("rank J = N·m at the point");
    public static readonly Hypothesis FullRankFeatures = Hypothesis.AtThePoint("rank Φ = N at the point");
    public static readonly Hypothesis SmoothAtThePoint = Hypothesis.AtThePoint("smooth at the point");
}
