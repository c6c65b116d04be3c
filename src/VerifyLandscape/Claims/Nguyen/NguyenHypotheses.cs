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
}
