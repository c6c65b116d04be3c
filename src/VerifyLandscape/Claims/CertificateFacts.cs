using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims;

/// <summary>
/// The facts a certificate rests on, as the claim established them: a claim attaches them to a certified or refuted
/// verdict that has a certificate format, and the certificate writer only serialises them ("facts" in the
/// certificate, read by VerifyLandscape.Checker). A verdict without facts gets no certificate.
/// </summary>
public abstract record CertificateFacts
{
    public abstract JsonObject ToJson();

    /// <summary>An exact Hessian as the checker reads it: its non-zero entries by parameter name, LDLᵀ factors and inertia.</summary>
    protected static void AddHessian(JsonObject facts, Rational[,] h, ParameterLayout layout)
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

    protected static JsonArray Strings(IEnumerable<string> items) => new(items.Select(s => (JsonNode?)s).ToArray());
}

/// <summary>Facts at one rational point (e.g. a constructed global minimum): the point, L there, gradient 0, the exact Hessian.</summary>
public sealed record FactsAtPoint(ParameterLayout Layout, Rational[] Point, Rational Loss, Rational[,] Hessian, int? AugmentedFeatureRank = null) : CertificateFacts
{
    public override JsonObject ToJson()
    {
        var facts = new JsonObject { ["point"] = Evidence.Point(Layout, Point), ["loss"] = Loss.ToString(), ["gradient"] = "zero" };
        AddHessian(facts, Hessian, Layout);
        if (AugmentedFeatureRank is { } r) facts["augmentedFeatureRank"] = r;
        return facts;
    }
}
