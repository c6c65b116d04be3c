using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Nguyen;

/// <summary>The hypotheses of Nguyen, Mukkamala and Hein's claims (001), each once.</summary>
public static class NguyenHypotheses
{
    public static readonly Hypothesis CrossEntropy = SettingHypotheses.Loss(LossKind.CrossEntropy);

    /// <summary>Training error needs a label per sample: each target row is one-hot.</summary>
    public static readonly Hypothesis OneHotTargets = Hypothesis.OnSpec("one-hot targets (a class label per sample)",
        s => s.Y.Select((y, i) => (y, i)).FirstOrDefault(r => !(r.y.Count(v => v.IsOne) == 1 && r.y.All(v => v.IsZero || v.IsOne))) is var (row, i) && row is not null
            ? $"the target of sample {i} is not one-hot" : null);

    public static readonly Hypothesis RationalLogits = Hypothesis.AtThePoint("the logits at the point are rational (σ rational there)");
}
