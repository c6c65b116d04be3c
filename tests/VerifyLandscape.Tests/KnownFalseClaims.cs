using VerifyLandscape.Claims;

namespace VerifyLandscape.Tests;

/// <summary>A known-false claim must be refuted by an instance its own generator finds, and the shrunk instance must still refute it.</summary>
public static class KnownFalseClaims
{
    public const ulong Seed = 20261123;

    public static void AssertRefutedByAGeneratedShrunkInstance(string id)
    {
        var claim = Catalog.Find(id)!;
        var results = ClaimRunner.Run(claim, trials: 40, Seed, shipped: []);
        var refuted = results.FirstOrDefault(r => r.Verdict.Kind == VerdictKind.Refuted);
        Assert.True(refuted is not null, $"{id}: no refutation in 40 generated trials (seed {Seed})");
        Assert.Equal(VerdictKind.Refuted, refuted!.ShrunkVerdict!.Kind);
        Assert.DoesNotContain(results, r => r.Verdict.Kind == VerdictKind.Inconclusive);
    }
}
