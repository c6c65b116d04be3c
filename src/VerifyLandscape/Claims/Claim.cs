using System.Text.Json.Nodes;
using FsCheck;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims;

/// <summary>
/// Certified and Refuted are proofs (exact or rigorous). HoldsToTolerance and FailsToTolerance are the numeric
/// engine's verdicts: evidence in double precision with a stated tolerance, never a proof.
/// </summary>
public enum VerdictKind { Certified, Refuted, Inconclusive, OutOfHypotheses, HoldsToTolerance, FailsToTolerance }

/// <summary>
/// The outcome of checking one claim on one instance, with its evidence (for people and reports) and, where the
/// verdict has a certificate format, the facts its certificate serialises. "Certified" is only given with a proof
/// for the instance; sampling never certifies.
/// </summary>
public sealed record Verdict(VerdictKind Kind, string Reason, JsonObject Evidence, CertificateFacts? Facts = null)
{
    public static Verdict Certified(string reason, JsonObject evidence, CertificateFacts? facts = null) => new(VerdictKind.Certified, reason, evidence, facts);
    public static Verdict Refuted(string reason, JsonObject evidence, CertificateFacts? facts = null) => new(VerdictKind.Refuted, reason, evidence, facts);
    public static Verdict Inconclusive(string reason) => new(VerdictKind.Inconclusive, reason, []);
    public static Verdict OutOfHypotheses(string reason) => new(VerdictKind.OutOfHypotheses, reason, []);
    public static Verdict HoldsToTolerance(string reason, JsonObject evidence) => new(VerdictKind.HoldsToTolerance, reason, evidence);
    public static Verdict FailsToTolerance(string reason, JsonObject evidence) => new(VerdictKind.FailsToTolerance, reason, evidence);
    public string Word => Kind switch
    {
        VerdictKind.Certified => "certified",
        VerdictKind.Refuted => "refuted",
        VerdictKind.Inconclusive => "inconclusive",
        VerdictKind.HoldsToTolerance => "holds to tolerance",
        VerdictKind.FailsToTolerance => "fails to tolerance",
        _ => "out of hypotheses",
    };
}

/// <summary>Shared pieces of a verdict's evidence.</summary>
public static class Evidence
{
    /// <summary>A point as {"W1[0,0]": "1/2", …}, named as `vl derive` names parameters (and as point files are read).</summary>
    public static JsonObject Point(ParameterLayout layout, IReadOnlyList<Exact.Rational> point) =>
        new(layout.Names.Select((n, q) => KeyValuePair.Create(n, (JsonNode?)point[q].ToString())));

    /// <summary>A matrix as rows of exact numbers: [["1/2", "0"], …].</summary>
    public static JsonArray Matrix(Exact.Rational[,] m) => new(Enumerable.Range(0, m.GetLength(0)).Select(i =>
        (JsonNode?)new JsonArray(Enumerable.Range(0, m.GetLength(1)).Select(j => (JsonNode?)m[i, j].ToString()).ToArray())).ToArray());
}

/// <summary>
/// What the catalog expects of a claim: that it holds, that it is known to be false (a gap in the paper), or that it is
/// open (contested in the literature): a counterexample search whose verdicts are numeric evidence either way.
/// </summary>
public enum Expectation { Holds, KnownFalse, Open }

/// <summary>
/// An instance of a claim: a network with data, and the locus or point the claim speaks about:
/// star:J and core:I,J name Cooper's loci (Locus holds the indices); a Construction ("fibre",
/// "global-min") names a point built from a seed (Locus holds the seed).
/// </summary>
public sealed record ClaimInstance(string ClaimId, NetworkSpec Spec, int[] Locus, string? Expect = null, string? Construction = null)
{
    public string LocusText => Construction is { } kind ? $"{kind}:{Locus[0]}"
        : Locus.Length == 1 ? $"star:{Locus[0]}" : $"core:{string.Join(",", Locus)}";
    public int Seed => Locus[0];
    /// <summary>star, core, or the construction's name (fibre, global-min, point, teacher, ball).</summary>
    public string LocusKind => Construction ?? (Locus.Length == 1 ? "star" : "core");

    public JsonObject ToJson() => new()
    {
        ["claim"] = ClaimId,
        ["locus"] = LocusText,
        ["expect"] = Expect,
        ["spec"] = SpecWriter.ToJson(Spec),
    };

    public override string ToString() => ToJson().ToJsonString();
}

/// <summary>
/// A claim of the catalog: where it comes from, its hypotheses (named, tested in order before anything is decided), the
/// loci or points its instances name, a generator of instances with a shrinker, and a decision of one instance.
/// A claim registers itself: every concrete subclass with a public parameterless constructor is in the
/// <see cref="Catalog"/>.
/// </summary>
public abstract class Claim
{
    public abstract string Id { get; }
    /// <summary>Paper and theorem, e.g. "Cooper (004), Theorem 3.2".</summary>
    public abstract string Source { get; }
    public abstract string Statement { get; }
    /// <summary>In the order they are tested; the first one an instance breaks is the reason for "out of hypotheses".</summary>
    public abstract IReadOnlyList<Hypothesis> Hypotheses { get; }
    /// <summary>What instances may name: star, core, or a construction (fibre, global-min, point, teacher, ball).</summary>
    public abstract IReadOnlyList<string> LocusKinds { get; }
    public virtual Expectation Expected => Expectation.Holds;
    /// <summary>The expectation as every report words it: "holds" or "known false".</summary>
    public string ExpectedWord => Expected switch { Expectation.Holds => "holds", Expectation.KnownFalse => "known false", _ => "open (search)" };

    /// <summary>
    /// Decides the instance: out of hypotheses when it names a locus the claim does not speak about or breaks a
    /// hypothesis, or when the point is not smooth; otherwise the claim's own decision. Never throws for a
    /// well-formed instance.
    /// </summary>
    public Verdict Check(ClaimInstance instance)
    {
        if (!LocusKinds.Contains(instance.LocusKind))
            return Verdict.OutOfHypotheses($"this claim speaks about {string.Join(" or ", LocusKinds.Select(KindPattern))}, not {instance.LocusText}");
        if (instance.Spec.Wiring > Accepts)
            return Verdict.OutOfHypotheses($"the claim is about {NetworkSpec.Describe(Accepts)}; this spec is not ({instance.Spec.Describe()})");
        if (!instance.Spec.L1Penalty.IsZero && !AcceptsL1Penalty)
            return Verdict.OutOfHypotheses($"the spec has an ℓ1 penalty (κ₁ = {instance.Spec.L1Penalty}); the claim's loss has none");
        if (!instance.Spec.OutputScale.IsOne && !AcceptsOutputScale)
            return Verdict.OutOfHypotheses($"the spec scales the output by {instance.Spec.OutputScale}; the claim's networks have none");
        if (Hypothesis.FirstBroken(Hypotheses, instance) is { } why) return Verdict.OutOfHypotheses(why);
        try { return Decide(instance); }
        catch (Scalars.NonSmoothPointException e) { return Verdict.OutOfHypotheses("not smooth at the point: " + e.Message); }
    }

    /// <summary>The networks the claim speaks about: plain ones unless it says more (001's claims speak about skip and DAG wiring).</summary>
    public virtual Wiring Accepts => Wiring.Plain;

    /// <summary>Whether the claim speaks about losses with an ℓ1 penalty (only 002's claims that say so).</summary>
    public virtual bool AcceptsL1Penalty => false;

    /// <summary>Whether the claim speaks about networks with an output scale (Du et al.'s m^{−1/2}, 003).</summary>
    public virtual bool AcceptsOutputScale => false;

    /// <summary>The decision of an instance that names a locus kind of the claim and passes every hypothesis tested up front.</summary>
    protected abstract Verdict Decide(ClaimInstance instance);

    /// <summary>How a locus kind is written in an instance: star:J, core:I,J, ball:0, or KIND:SEED.</summary>
    public static string KindPattern(string kind) => kind switch { "star" => "star:J", "core" => "core:I,J", "ball" => "ball:0", _ => kind + ":SEED" };

    /// <summary>The same question as SMT-LIB2 for an external solver, where the claim can state it (else null, with why).</summary>
    public virtual string? SmtLib(ClaimInstance instance, out string why)
    {
        why = $"{Id} has no SMT-LIB2 form";
        return null;
    }

    /// <summary>A concrete rational point the instance speaks about (for pictures in reports), or null.</summary>
    public virtual Exact.Rational[]? ConcretePoint(ClaimInstance instance) => null;

    /// <summary>Random instances for `vl check --trials`.</summary>
    public abstract Gen<ClaimInstance> Generator { get; }

    /// <summary>Smaller instances to try while a failure persists.</summary>
    public abstract IEnumerable<ClaimInstance> Shrink(ClaimInstance instance);

    /// <summary>Whether the verdict is what the catalog expects (a known-false claim should be refuted).</summary>
    /// An instance that names its expected verdict ("expect") must get exactly that.
    public bool IsExpected(ClaimInstance instance, Verdict v) =>
        instance.Expect is { } word ? v.Word == word
        : v.Kind == VerdictKind.OutOfHypotheses
          || Expected switch
          {
              Expectation.Holds => v.Kind is VerdictKind.Certified or VerdictKind.HoldsToTolerance,
              Expectation.KnownFalse => v.Kind != VerdictKind.Inconclusive,
              _ => v.Kind is VerdictKind.HoldsToTolerance or VerdictKind.FailsToTolerance, // evidence either way, never a proof
          };
}
