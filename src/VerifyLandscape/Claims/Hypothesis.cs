using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims;

/// <summary>
/// One hypothesis of a claim: its wording (what `vl claims` prints) and its test of an instance, which says why the
/// instance breaks it, or null. A hypothesis about the point itself ("smooth at the point", "rank J = N·m") has no
/// test here: only the claim's decision knows the point, and it answers "out of hypotheses" quoting the same words.
/// </summary>
public sealed record Hypothesis(string Wording, Func<ClaimInstance, string?>? BrokenBy = null)
{
    /// <summary>A hypothesis on the network and its data alone.</summary>
    public static Hypothesis OnSpec(string wording, Func<NetworkSpec, string?> brokenBy) => new(wording, c => brokenBy(c.Spec));

    /// <summary>Checked while the claim is decided (it needs the point).</summary>
    public static Hypothesis AtThePoint(string wording) => new(wording);

    /// <summary>Why the first hypothesis the instance breaks is broken, or null.</summary>
    public static string? FirstBroken(IEnumerable<Hypothesis> hypotheses, ClaimInstance instance)
    {
        foreach (var h in hypotheses)
            if (h.BrokenBy?.Invoke(instance) is { } why) return why;
        return null;
    }

    /// <summary>The same for a spec alone (hypotheses on the spec only).</summary>
    public static string? FirstBroken(IEnumerable<Hypothesis> hypotheses, NetworkSpec spec) =>
        FirstBroken(hypotheses, new ClaimInstance("", spec, [0]));

    public override string ToString() => Wording;
}

/// <summary>
/// Hypotheses on the setting that several papers share (loss, biases, output layer, regulariser). Each paper's own
/// ones live beside its claims (e.g. Cooper/CooperHypotheses.cs). The wording here is what `vl claims` prints.
/// </summary>
public static class SettingHypotheses
{
    public static Hypothesis Loss(LossKind kind) => Hypothesis.OnSpec($"loss {NetworkSpec.LossName(kind)}",
        s => s.Loss == kind ? null : $"loss is {NetworkSpec.LossName(s.Loss)}, the claim is for {NetworkSpec.LossName(kind)}");

    public static Hypothesis Biases(string why) => Hypothesis.OnSpec("biases on", s => s.Bias ? null : $"the network has no biases ({why})");

    public static readonly Hypothesis NoBiases = Hypothesis.OnSpec("no biases", s => s.Bias ? "the network has biases (the claim's networks have none)" : null);

    public static readonly Hypothesis AffineOutput = Hypothesis.OnSpec("output activation identity (affine output layer)",
        s => s.OutputActivation is IdentityActivation ? null : $"output activation is {s.OutputActivation.Name}, the claim has an affine output layer");

    public static readonly Hypothesis NoWeightDecay = Hypothesis.OnSpec("no weight decay",
        s => s.WeightDecay.IsZero ? null : "weight decay is not part of the claim");

    public static readonly Hypothesis PositiveWeightDecay = Hypothesis.OnSpec("weight decay λ > 0",
        s => s.WeightDecay.Sign > 0 ? null : "λ = 0 (the claim needs λ > 0)");

    public static readonly Hypothesis ScalarOutput = Hypothesis.OnSpec("scalar output",
        s => s.OutputWidth == 1 ? null : $"the output has {s.OutputWidth} units; the claim's networks have a scalar output");

    public static readonly Hypothesis Relu = Hypothesis.OnSpec("σ = relu",
        s => s.HiddenActivations.All(a => a.IsRelu) ? null : "σ is not relu");

    public static readonly Hypothesis SomeHiddenLayer = Hypothesis.OnSpec("at least one hidden layer",
        s => s.Depth >= 2 ? null : "no hidden layer");
}
