using System.Text.Json.Nodes;
using VerifyLandscape.Exact;

namespace VerifyLandscape.Claims.Milne;

/// <summary>Leaves of a branch-and-bound tiling: the split path from the root, and why the leaf holds no critical point in U(λ).</summary>
public sealed record Lemma7Leaf(string Path, string Reason, IReadOnlyList<(Rational Lo, Rational Hi)>? Box = null)
{
    public JsonNode ToJson() => Box is null
        ? new JsonArray(Path, Reason)
        : new JsonArray(Path, Reason, new JsonArray(Box.Select(i => (JsonNode?)new JsonArray(i.Lo.ToString(), i.Hi.ToString())).ToArray()));

    public static JsonArray ToJson(IEnumerable<Lemma7Leaf> leaves) => new(leaves.Select(l => (JsonNode?)l.ToJson()).ToArray());
}

/// <summary>1-n-1: the constants of the (p, s) reduction, the width ε, and the leaves tiling the ball s ≤ R².</summary>
public sealed record Lemma7BoxFacts(MilneLemma7.Constants K, Rational Epsilon, IReadOnlyList<Lemma7Leaf> Leaves) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["constants"] = new JsonObject
        {
            ["A"] = K.A.ToString(), ["B"] = K.B.ToString(), ["C"] = K.C.ToString(),
            ["radiusSquared"] = K.RadiusSquared.ToString(), ["ballSquared"] = K.BallSquared.ToString(),
        },
        ["epsilon"] = Epsilon.ToString(),
        ["leaves"] = Lemma7Leaf.ToJson(Leaves),
    };
}

/// <summary>The balanced reduction: T, d = det K and a = adj(K) b as polynomials in t, and the leaves tiling [0, T].</summary>
public sealed record Lemma7BalancedFacts(Rational T, Polynomial Determinant, IReadOnlyList<Polynomial> AdjugateTimesB, IReadOnlyList<Lemma7Leaf> Leaves) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["method"] = "balanced", ["T"] = T.ToString(),
        ["determinant"] = Strings(Determinant.ToStrings()),
        ["adjugateTimesB"] = new JsonArray(AdjugateTimesB.Select(a => (JsonNode?)Strings(a.ToStrings())).ToArray()),
        ["leaves"] = Lemma7Leaf.ToJson(Leaves),
    };
}

/// <summary>The generic search: R² of the a-priori ball and the boxes (with coordinates) tiling the cube around it.</summary>
public sealed record Lemma7GenericFacts(Rational BallSquared, IReadOnlyList<Lemma7Leaf> Boxes) : CertificateFacts
{
    public override JsonObject ToJson() => new() { ["method"] = "generic", ["ballSquared"] = BallSquared.ToString(), ["boxes"] = Lemma7Leaf.ToJson(Boxes) };
}
