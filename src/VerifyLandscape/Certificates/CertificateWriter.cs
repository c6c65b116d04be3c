using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Claims;

namespace VerifyLandscape.Certificates;

/// <summary>
/// Writes a certificate: the instance, the claim, the verdict, and the facts the claim attached to its verdict
/// (<see cref="CertificateFacts"/>), in the form VerifyLandscape.Checker re-verifies with its own code (forward-mode
/// hyper-dual derivatives instead of reverse mode and the R-operator; LDLᵀ checked by multiplying back). The writer
/// knows no claim: it serialises.
/// </summary>
public static class CertificateWriter
{
    public const string Format = "verifylandscape-certificate/1"; // the checker (VerifyLandscape.Checker.Certificate) reads the same name

    public static JsonObject Produce(Claim claim, ClaimInstance instance, Verdict verdict)
    {
        if (verdict.Kind is not (VerdictKind.Certified or VerdictKind.Refuted))
            throw new InvalidOperationException($"no certificate for a verdict of '{verdict.Word}': {verdict.Reason}");
        var facts = verdict.Facts
            ?? throw new InvalidOperationException($"{claim.Id} has no certificate format for this {verdict.Word} verdict at {instance.LocusText} (the counterexample report of `vl check --report` carries its evidence)");
        return Envelope(claim.Id, verdict.Word, verdict.Reason, instance.ToJson(), facts.ToJson());
    }

    /// <summary>A certificate around facts: for a claim's verdict (above) or an experiment's (`vl experiment dss --certify`).</summary>
    public static JsonObject Envelope(string claimId, string verdict, string reason, JsonObject instance, JsonObject facts) => new()
    {
        ["format"] = Format,
        ["tool"] = "vl " + typeof(CertificateWriter).Assembly.GetName().Version,
        ["claim"] = claimId,
        ["verdict"] = verdict,
        ["reason"] = reason,
        ["instance"] = instance,
        ["facts"] = facts,
    };

    public static string ToText(JsonObject certificate) =>
        certificate.ToJsonString(Reports.JsonText.Pretty) + "\n";
}
