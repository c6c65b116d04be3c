using System.Text.Json.Nodes;
using VerifyLandscape.Checker.Cooper;
using VerifyLandscape.Checker.Milne;

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

    /// <summary>Claim id → the check of its certificate format(s); each returns what it verified or throws <see cref="Reject"/>.</summary>
    private static readonly Dictionary<string, Func<Certificate, string>> Formats = new()
    {
        ["cooper.3.1"] = c => LocusCertificates.StarIsCritical(c, sigmaZero: true),
        ["cooper.3.1-without-sigma0"] = c => LocusCertificates.StarIsCritical(c, sigmaZero: false),
        ["cooper.3.2"] = c => LocusCertificates.CoreHessian(c, sigmaZero: true, literal: false),
        ["cooper.3.2-without-sigma0"] = c => LocusCertificates.CoreHessian(c, sigmaZero: false, literal: false),
        ["cooper.3.2-literal"] = c => LocusCertificates.CoreHessian(c, sigmaZero: true, literal: true),
        ["cooper.5.16"] = c => c.Locus.StartsWith("global-min:", StringComparison.Ordinal) ? GlobalMinimumCertificates.Check(c) : ZeroEigenvalueCertificates.AtStarLocus(c),
        ["cooper.gm"] = GlobalMinimumCertificates.Check,
        ["cooper.dim"] = DimensionCertificate.Check,
        ["cooper.5.8"] = FibreCertificate.Check,
        ["milne.lemma7"] = c => (c.Facts["method"] as JsonValue)?.ToString() switch
        {
            "generic" => Lemma7GenericCertificate.Check(c),
            "balanced" => Lemma7BalancedCertificate.Check(c),
            null => Lemma7BoxCertificate.Check(c),
            var other => throw new Reject($"unknown lemma 7 method '{other}'"),
        },
    };

    public static IReadOnlyCollection<string> Claims => Formats.Keys;

    public static Result Check(JsonObject cert, string file = "<certificate>")
    {
        try
        {
            var c = Certificate.Read(cert, file);
            if (!Formats.TryGetValue(c.Claim, out var check)) return new(false, $"no checker for claim '{c.Claim}'");
            return new(true, check(c));
        }
        catch (Reject r) { return new(false, r.Message); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new(false, $"malformed certificate ({e.GetType().Name}): {e.Message.Split('\n')[0]}");
        }
    }
}
