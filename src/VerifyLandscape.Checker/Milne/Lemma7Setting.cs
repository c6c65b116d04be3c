using System.Text.Json.Nodes;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Milne;

/// <summary>
/// Milne's (000) lemma 7 setting, common to its three certificate formats: a linear network without biases, half-mse
/// loss, a scalar output and λ > 0. Only a proof has a lemma 7 certificate (a counterexample is a report).
/// </summary>
public static class Lemma7Setting
{
    public static NetworkSpec Require(Certificate c)
    {
        if (!c.Certified) throw new Reject("only a certified lemma 7 has this certificate format");
        var s = c.Spec;
        if (s.Bias || s.Loss != LossKind.HalfMse || s.OutputWidth != 1 || s.WeightDecay.Sign <= 0
            || s.HiddenActivations.Any(a => a is not IdentityActivation) || s.OutputActivation is not IdentityActivation)
            throw new Reject("the instance is not a linear network without biases, half-mse, scalar output, λ > 0");
        return s;
    }

    /// <summary>milne.lemma7: the format its facts name (no "method": the 1-n-1 boxes in (p, s)).</summary>
    [ChecksClaim("milne.lemma7")]
    public static string Check(Certificate c) => (c.Facts["method"] as JsonValue)?.ToString() switch
    {
        "generic" => Lemma7GenericCertificate.Check(c),
        "balanced" => Lemma7BalancedCertificate.Check(c),
        null => Lemma7BoxCertificate.Check(c),
        var other => throw new Reject($"unknown lemma 7 method '{other}'"),
    };
}
