using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Certificates;

/// <summary>
/// Writes a certificate: the instance, the claim, the verdict and the facts it rests on, in a form
/// that <see cref="CertificateChecker"/> re-verifies with its own code (forward-mode hyper-dual
/// derivatives instead of reverse mode and the R-operator; LDLᵀ checked by multiplying back).
/// </summary>
public static class CertificateWriter
{
    public const string Format = "verifylandscape-certificate/1"; // the checker (VerifyLandscape.Checker.Certificate) reads the same name

    public static JsonObject Produce(Claim claim, ClaimInstance instance, Verdict verdict)
    {
        if (verdict.Kind is not (VerdictKind.Certified or VerdictKind.Refuted))
            throw new InvalidOperationException($"no certificate for a verdict of '{verdict.Word}': {verdict.Reason}");
        var net = instance.Spec;
        var layout = net.Layout;
        if (instance.Construction == "global-min" && claim is GlobalMinimumManifold or ZeroEigenvalueBound)
            return Wrap(claim, instance, verdict, AtPoint(net, verdict));
        if (claim is FibreQuadratic && verdict.Kind == VerdictKind.Certified)
            return Wrap(claim, instance, verdict, new JsonObject
            {
                ["hiddenLayers"] = verdict.Evidence["hiddenLayers"]!.DeepClone(), ["minorRows"] = verdict.Evidence["minorRows"]!.DeepClone(),
            });
        if (claim is Claims.Milne.MilneLemma7 && verdict.Kind == VerdictKind.Certified && (string?)verdict.Evidence["method"] == "balanced")
            return Wrap(claim, instance, verdict, new JsonObject
            {
                ["method"] = "balanced", ["T"] = verdict.Evidence["T"]!.DeepClone(),
                ["determinant"] = verdict.Evidence["determinant"]!.DeepClone(), ["adjugateTimesB"] = verdict.Evidence["adjugateTimesB"]!.DeepClone(),
                ["leaves"] = verdict.Evidence["leaves"]!.DeepClone(),
            });
        if (claim is Claims.Milne.MilneLemma7 && verdict.Kind == VerdictKind.Certified && verdict.Evidence["method"] is not null)
            return Wrap(claim, instance, verdict, new JsonObject
            {
                ["method"] = "generic", ["ballSquared"] = verdict.Evidence["ballSquared"]!.DeepClone(), ["boxes"] = verdict.Evidence["leaves"]!.DeepClone(),
            });
        if (claim is Claims.Milne.MilneLemma7 && verdict.Kind == VerdictKind.Certified)
            return Wrap(claim, instance, verdict, new JsonObject
            {
                ["constants"] = new JsonObject
                {
                    ["A"] = verdict.Evidence["A"]!.DeepClone(), ["B"] = verdict.Evidence["B"]!.DeepClone(), ["C"] = verdict.Evidence["C"]!.DeepClone(),
                    ["radiusSquared"] = verdict.Evidence["radiusSquared"]!.DeepClone(), ["ballSquared"] = verdict.Evidence["ballSquared"]!.DeepClone(),
                },
                ["epsilon"] = verdict.Evidence["epsilon"]!.DeepClone(),
                ["leaves"] = verdict.Evidence["leaves"]!.DeepClone(),
            });
        if (instance.Construction is not null) throw new InvalidOperationException($"no certificate format for {claim.Id} at {instance.LocusText}");
        var locus = CooperLoci.Core(net, instance.Locus);
        var facts = new JsonObject
        {
            ["locus"] = new JsonObject
            {
                ["name"] = locus.Name,
                ["fixed"] = new JsonObject(locus.Fixed.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(layout.Name(kv.Key), (JsonNode?)kv.Value.ToString()))),
            },
        };
        switch (claim)
        {
            case LocusDimension:
                facts["dimensions"] = verdict.Evidence.DeepClone();
                break;
            case ZeroEigenvalueBound when verdict.Kind == VerdictKind.Certified && verdict.Evidence["zeroRows"] is not null:
                facts["gradient"] = "zero";
                facts["nullVectors"] = new JsonObject
                {
                    ["zeroRows"] = verdict.Evidence["zeroRows"]!.DeepClone(), ["flatDirections"] = verdict.Evidence["flatDirections"]!.DeepClone(),
                };
                break;
            case CooperLocusClaim when verdict.Kind == VerdictKind.Refuted && verdict.Evidence["parameter"] is not null:
                facts["nonCriticalPoint"] = verdict.Evidence.DeepClone();
                break;
            case CoreLocusIsDegenerate when verdict.Kind == VerdictKind.Refuted && verdict.Evidence["entry"] is not null:
                facts["violatedEntry"] = new JsonObject { ["point"] = verdict.Evidence["point"]!.DeepClone(), ["entry"] = verdict.Evidence["entry"]!.DeepClone() };
                break;
            case CoreLocusIsDegenerate or ZeroEigenvalueBound:
            {
                var d = ExactDerivation.Compute(net, Point.GenericPoint(locus, layout), hessian: true);
                facts["gradient"] = "zero";
                var h = ExactDerivation.ToRational(d.Hessian!, out _)
                    ?? throw new InvalidOperationException("the Hessian on this locus is not rational, and this certificate format needs exact LDLᵀ factors (the counterexample report of `vl check --report` carries the evidence)");
                AddHessian(facts, h, layout);
                break;
            }
            case StarLocusIsCritical when verdict.Kind == VerdictKind.Certified:
                facts["gradient"] = "zero";
                break;
            default:
                throw new InvalidOperationException($"no certificate format for claim {claim.Id}");
        }
        return Wrap(claim, instance, verdict, facts);
    }

    /// <summary>Facts at one rational point (a constructed global minimum): the point, its exact Hessian and LDLᵀ.</summary>
    private static JsonObject AtPoint(NetworkSpec net, Verdict verdict)
    {
        var layout = net.Layout;
        var pointJson = verdict.Evidence["point"]!.AsObject();
        var point = layout.Names.Select(n => (Symbolic.Sym)Rational.Parse((string)pointJson[n]!)).ToArray();
        var d = ExactDerivation.Compute(net, new Point("certificate", point, null), hessian: true);
        var facts = new JsonObject { ["point"] = pointJson.DeepClone(), ["loss"] = d.Loss.ToString(), ["gradient"] = "zero" };
        AddHessian(facts, ExactDerivation.ToRational(d.Hessian!, out _)!, layout);
        if (verdict.Evidence["augmentedFeatureRank"] is { } r) facts["augmentedFeatureRank"] = r.DeepClone();
        return facts;
    }

    /// <summary>The Hessian's non-zero entries, its exact LDLᵀ factors and their inertia.</summary>
    private static void AddHessian(JsonObject facts, Rational[,] h, ParameterLayout layout)
    {
        facts["hessianNonZero"] = SparseEntries(h, layout);
        var ldl = ExactLinearAlgebra.Ldl(h);
        facts["ldl"] = new JsonObject
        {
            ["permutation"] = new JsonArray(ldl.Permutation.Select(p => (JsonNode?)p).ToArray()),
            ["L"] = SparseEntries(ldl.L, null, skipDiagonalOnes: true),
            ["D"] = SparseEntries(ldl.D, null),
        };
        var inertia = ldl.Inertia();
        facts["inertia"] = new JsonObject { ["positive"] = inertia.Positive, ["negative"] = inertia.Negative, ["zero"] = inertia.Zero };
    }

    private static JsonObject Wrap(Claim claim, ClaimInstance instance, Verdict verdict, JsonObject facts)
    {
        return new JsonObject
        {
            ["format"] = Format,
            ["tool"] = "vl " + typeof(CertificateWriter).Assembly.GetName().Version,
            ["claim"] = claim.Id,
            ["verdict"] = verdict.Word,
            ["reason"] = verdict.Reason,
            ["instance"] = instance.ToJson(),
            ["facts"] = facts,
        };
    }

    /// <summary>Non-zero entries as {"i,j": "value"} (by parameter name when a layout is given).</summary>
    private static JsonObject SparseEntries(Rational[,] m, ParameterLayout? layout, bool skipDiagonalOnes = false)
    {
        var o = new JsonObject();
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
            {
                if (m[i, j].IsZero || (skipDiagonalOnes && i == j && m[i, j].IsOne)) continue;
                o[layout is null ? $"{i},{j}" : $"{layout.Name(i)},{layout.Name(j)}"] = m[i, j].ToString();
            }
        return o;
    }

    public static string ToText(JsonObject certificate) =>
        certificate.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
}
