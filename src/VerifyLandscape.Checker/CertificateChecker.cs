using System.Reflection;
using VerifyLandscape.Networks;
using System.Text.Json.Nodes;

namespace VerifyLandscape.Checker;

/// <summary>
/// Re-verifies a certificate with code kept apart from the producer (this assembly references the kernel only): one
/// file per certificate format, mirroring Claims/&lt;Paper&gt;/. Each format re-checks the claim's hypotheses and
/// re-derives the statement its verdict asserts from the certificate's own data; anything else is "invalid" with the
/// reason, never an exception. To trust a certificate, read this folder and the kernel.
/// </summary>
public static class CertificateChecker
{
    public sealed record Result(bool Valid, string Reason);

    /// <summary>
    /// Claim id → the check of its certificates: every public static method of this assembly marked
    /// [ChecksClaim(id)]; each returns what it verified or throws <see cref="Reject"/>. A format file registers itself.
    /// </summary>
    private static readonly Dictionary<string, (Func<Certificate, string> Check, Wiring Wiring, bool L1, bool Experiment, bool Scale)> Formats = typeof(CertificateChecker).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
        .SelectMany(m => m.GetCustomAttributes<ChecksClaimAttribute>().Select(a => (a.Claim, Check: m.CreateDelegate<Func<Certificate, string>>(), a.Wiring, a.L1Penalty, a.Experiment, a.OutputScale)))
        .ToDictionary(f => f.Claim, f => (f.Check, f.Wiring, f.L1Penalty, f.Experiment, f.OutputScale)); // two formats for one claim fail here, at start-up

    public static IReadOnlyCollection<string> Claims => Formats.Keys;

    /// <summary>Formats written by experiments (`vl experiment dss --certify`); every other format belongs to a catalog claim.</summary>
    public static readonly IReadOnlySet<string> ExperimentClaims = Formats.Where(f => f.Value.Experiment).Select(f => f.Key).ToHashSet();

    public static Result Check(JsonObject cert, string file = "<certificate>")
    {
        try
        {
            var c = Certificate.Read(cert, file);
            if (!Formats.TryGetValue(c.Claim, out var format)) return new(false, $"no checker for claim '{c.Claim}'");
            if (c.Spec.Wiring > format.Wiring)
                return new(false, $"{c.Claim} is about {NetworkSpec.Describe(format.Wiring)}, and the spec is not ({c.Spec.Describe()})");
            if (!c.Spec.L1Penalty.IsZero && !format.L1)
                return new(false, $"{c.Claim}'s loss has no ℓ1 penalty, and the spec has κ₁ = {c.Spec.L1Penalty}");
            if (!c.Spec.OutputScale.IsOne && !format.Scale)
                return new(false, $"{c.Claim}'s networks have no output scale, and the spec scales the output by {c.Spec.OutputScale}");
            return new(true, format.Check(c));
        }
        catch (Reject r) { return new(false, r.Message); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new(false, $"malformed certificate ({e.GetType().Name}): {e.Message.Split('\n')[0]}");
        }
    }
}

/// <summary>Marks the public static check (Certificate → what it verified) of one claim's certificates.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ChecksClaimAttribute(string claim) : Attribute
{
    public string Claim { get; } = claim;
    /// <summary>The networks the claim speaks about (plain unless said); certificates about others are rejected.</summary>
    public Wiring Wiring { get; init; } = Wiring.Plain;
    /// <summary>Whether the claim's loss may carry an ℓ1 penalty (no unless said).</summary>
    public bool L1Penalty { get; init; }
    /// <summary>Whether the claim's networks may scale their output (Du et al.'s m^{−1/2}; no unless said).</summary>
    public bool OutputScale { get; init; }
    /// <summary>The certificate comes from an experiment (`vl experiment … --certify`), not from a catalog claim's instances.</summary>
    public bool Experiment { get; init; }
}
