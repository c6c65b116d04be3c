using FsCheck.Fluent;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Nguyen;
using VerifyLandscape.Exact;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

/// <summary>Nguyen, Mukkamala, Hein (001): Lemma 2.1 and its non-strict variant.</summary>
public class NguyenTests
{
    [Fact]
    public void ExponentialSumsAreExact()
    {
        var e = ExponentialSum.Term(1, 1);
        Assert.True((e + e - ExponentialSum.Term(2, 1)).IsZero);
        Assert.True((ExponentialSum.Term(1, Rational.Half) * ExponentialSum.Term(1, Rational.Half) - e).IsZero);
        Assert.Equal(-1, (e - ExponentialSum.Constant(3)).Sign());                          // e < 3
        Assert.Equal(1, (ExponentialSum.Term(1, Rational.Create(11, 10)) - ExponentialSum.Constant(3)).Sign()); // e^1.1 ≈ 3.004
    }

    [Fact]
    public void ThePremiseDifferenceHasTheSignOfPhiMinusLog2OverN()
    {
        // D < 0 ⟺ Φ < log(2)/N, checked in double where the two are far enough apart for double to tell (1e-9).
        const ulong seed = 20261123;
        Console.WriteLine($"seed {seed}");
        var logits = Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational.Select(q => q * 4), 3), 2);
        int compared = 0;
        foreach (var g in logits.Sample(300, new FsCheck.Rnd(seed), 4).Where(g => g.Length > 0))
        {
            var labels = g.Select(_ => 0).ToArray();
            double phi = g.Average(row => Math.Log(row.Sum(v => Math.Exp(v.ToDouble()))) - row[0].ToDouble());
            double gap = phi - Math.Log(2) / g.Length;
            if (Math.Abs(gap) < 1e-9) continue;
            Assert.True(ZeroTrainingError.PremiseDifference(g, labels).Sign() == Math.Sign(gap), $"logits {string.Join(" | ", g.Select(r => string.Join(",", r)))} (seed {seed})");
            compared++;
        }
        Assert.True(compared > 200, $"only {compared} comparisons");
    }

    [Fact]
    public void TheGeneratorFindsAndShrinksTheTieOfTheNonStrictVariant()
    {
        var claim = Catalog.Find("nguyen.2.1-nonstrict")!;
        var results = ClaimRunner.Run(claim, 200, PropertyCheck.DefaultSeed, []);
        var found = results.FirstOrDefault(r => r.Verdict.Kind == VerdictKind.Refuted);
        Assert.True(found is not null, $"no refutation in 200 trials (seed {PropertyCheck.DefaultSeed})");
        var shown = found!.Shrunk ?? found.Instance;
        Assert.Equal(1, shown.Spec.SampleCount);
        Assert.Equal(2, shown.Spec.OutputWidth);
        Assert.Contains("Φ = log(2)/N exactly", (found.ShrunkVerdict ?? found.Verdict).Reason);
        // The strict lemma is never refuted on the same trials, and certifies most of them.
        var strict = ClaimRunner.Run(Catalog.Find("nguyen.2.1")!, 200, PropertyCheck.DefaultSeed, []);
        Assert.DoesNotContain(strict, r => r.Verdict.Kind == VerdictKind.Refuted);
        Assert.True(strict.Count(r => r.Verdict.Kind == VerdictKind.Certified) >= 80, "fewer than 80 of 200 certified");
    }
}
