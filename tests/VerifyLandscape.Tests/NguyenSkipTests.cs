using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Nguyen;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Tests;

/// <summary>Nguyen, Mukkamala, Hein (001) on skip networks: Lemma 3.2, its counterexamples, and the claims at full-rank points.</summary>
public class NguyenSkipTests
{
    private const ulong Seed = 20261123;

    /// <summary>
    /// The generator's search, restricted to one kind of network at a time (M ≥ N, and distinct inputs unless the
    /// kind is "duplicate inputs"), finds and shrinks the counterexample the notes list for it, with the right bound.
    /// </summary>
    [Theory]
    [InlineData("relu", "dead-layer")]
    [InlineData("leaky-relu", "linear-pieces")]
    [InlineData("identity", "polynomial-span")]
    [InlineData("cubic", "polynomial-span")]
    [InlineData("duplicate", "duplicate-inputs")]
    [InlineData("few-units", "units")]
    [InlineData("shared-bias-patch", "constant-columns")]
    public void AnyActivationSearchFindsTheNotesCounterexample(string kind, string bound)
    {
        Console.WriteLine($"seed {Seed}, kind {kind}");
        Activation sigma = kind switch
        {
            "relu" => Activation.Relu,
            "leaky-relu" => new LeakyRelu(Rational.Create(1, 10)),
            "identity" => Activation.Identity,
            "cubic" => new PolynomialActivation([0, 1, 0, 1]),
            _ => Activation.Sigmoid,
        };
        var claim = new RankOfPsiAnyActivation();
        var specs = (kind == "shared-bias-patch" ? SkipNetworks.ConvolutionSpecs(Gen.Constant(sigma), sharedBias: Gen.Constant(true))
                     : SkipNetworks.Specs(Gen.Constant(sigma), maxSamples: 6)).Where(s =>
            (kind == "few-units" ? s.OutputSources.Length < s.SampleCount : s.OutputSources.Length >= s.SampleCount)
            && (kind == "duplicate") == (NguyenHypotheses.DuplicatePair(s) is not null)
            && (kind != "cubic" || s.InputWidth == 1));
        string? Bound(ClaimInstance c) => claim.Check(c) is { Kind: VerdictKind.Refuted, Facts: RankBound b } ? b.Kind : null;
        var found = SkipNetworks.Instances(claim.Id, specs).Sample(1000, new Rnd(Seed), 10).FirstOrDefault(c => Bound(c) == bound);
        Assert.True(found is not null, $"no {bound} refutation among 1000 {kind} instances (seed {Seed})");
        // Shrink within the kind: the claim's shrinker, keeping only steps refuted by the same bound.
        var shrunk = found;
        for (bool progress = true; progress;)
        {
            progress = false;
            foreach (var smaller in claim.Shrink(shrunk))
                if ((kind is "few-units" or "duplicate" || (smaller.Spec.OutputSources.Length >= smaller.Spec.SampleCount && smaller.Spec.HiddenActivations.All(a => a.Name == sigma.Name)))
                    && Bound(smaller) == bound) { shrunk = smaller; progress = true; break; }
        }
        Assert.Equal(bound, Bound(shrunk));
        Assert.True(shrunk.Spec.SampleCount <= found.Spec.SampleCount && shrunk.Spec.ParameterCount <= found.Spec.ParameterCount);
        Console.WriteLine($"shrunk: {shrunk.Spec.Describe()}: {claim.Check(shrunk).Reason}");
    }

    [Fact]
    public void TheProofsConstructionCertifiesFullRankOnTheLemmasNetworks()
    {
        // The A3 route alone (the seeded point not tried): some λ in 1, 4, …, 4^12 gives a certified minor.
        Console.WriteLine($"seed {Seed}");
        int tried = 0;
        foreach (var spec in RankOfPsi.LemmaSpecs.Sample(40, new Rnd(Seed), 10))
        {
            tried++;
            bool certified = RankOfPsi.Construction(spec, 7).Any(t => SkipNetworks.CertifyFullRowRank(SkipNetworks.PsiEnclosure(spec, t.Theta)) is not null);
            Assert.True(certified, $"the construction did not certify {SpecWriter.ToJsonString(spec)} (seed {Seed})");
        }
        Assert.True(tried >= 30);
    }

    [Fact]
    public void IntervalNonSingularityRejectsSingularAndAcceptsRegularMatrices()
    {
        var regular = new Interval[,] { { Interval.Point(2), Interval.Point(1) }, { Interval.Point(1), Interval.Point(3) } };
        Assert.True(IntervalLinearAlgebra.ProvesNonSingular(regular, out _, out _));
        var singular = new Interval[,] { { Interval.Point(1), Interval.Point(2) }, { Interval.Point(2), Interval.Point(4) } };
        Assert.False(IntervalLinearAlgebra.ProvesNonSingular(singular, out _, out _));
        var wide = new Interval[,] { { new Interval(0.9, 1.1), Interval.Point(2) }, { Interval.Point(1), new Interval(1.9, 2.1) } }; // contains a singular matrix
        Assert.False(IntervalLinearAlgebra.ProvesNonSingular(wide, out _, out _));
        var x = IntervalLinearAlgebra.Solve(regular, new Interval[,] { { Interval.Point(3) }, { Interval.Point(4) } })!;
        Assert.True(x[0, 0].Contains(1) && x[1, 0].Contains(1) && x[0, 0].Width < 1e-12);
        double sigma = IntervalLinearAlgebra.SmallestSingularValueLowerBound(regular);
        Assert.InRange(sigma, 1e-3, (5 - Math.Sqrt(5)) / 2); // eigenvalues (5 ± √5)/2
    }

    [Fact]
    public void PsiIsTheSkipUnitsValuesInEveryNumberType()
    {
        // sse: the rational engine computes the loss too, and cross-entropy's is transcendental (Ψ does not depend on it).
        var spec = SpecReader.ReadFile(Path.Combine(TestPaths.ProofsData, "specs", "nguyen-cubic-skip.json")).With(loss: LossKind.Sse);
        var theta = SeededRationals.Draw(spec.ParameterCount, 3);
        var exact = SkipFeatures.Psi(spec, theta);
        var enclosure = SkipFeatures.Psi(spec, theta.Select(Interval.FromRational).ToArray());
        var derivatives = new Derivation.NetworkDerivatives<Rational>(spec, theta);
        for (int i = 0; i < spec.SampleCount; i++)
            for (int k = 0; k < spec.OutputSources.Length; k++)
            {
                var u = spec.OutputSources[k];
                Assert.Equal(derivatives.Activations(u.Layer, i)[u.Unit], exact[i, k]);
                Assert.True(enclosure[i, k].Contains(exact[i, k].ToDouble()));
            }
        Assert.True(ExactLinearAlgebra.Rank(exact) <= 4); // t + t³: cubic columns, N = 5 (the shipped refutation)
    }

    [Theory]
    [InlineData("nguyen.crit")]
    [InlineData("nguyen.ray")]
    [InlineData("nguyen.3.3")]
    [InlineData("nguyen.3.2")]
    public void ClaimsAtFullRankPointsAreCertifiedOnTheirGenerator(string id)
    {
        var claim = Catalog.Find(id)!;
        var results = ClaimRunner.Run(claim, 25, Seed, []);
        Console.WriteLine($"seed {Seed}: {string.Join(", ", results.GroupBy(r => r.Verdict.Word).Select(g => $"{g.Count()} {g.Key}"))}");
        Assert.All(results, r => Assert.True(r.Verdict.Kind is VerdictKind.Certified or VerdictKind.OutOfHypotheses, $"{r.Instance.LocusText}: {r.Verdict.Word}: {r.Verdict.Reason}"));
        Assert.Contains(results, r => r.Verdict.Kind == VerdictKind.Certified);
    }
}

/// <summary>001's synthetic experiments at a small size (deterministic for the seed): the skip net trains, the plain one does not yet.</summary>
public class NguyenExperimentTests
{
    [Fact]
    public void TheSkipNetTrainsWhereTheDeepPlainNetStalls()
    {
        const ulong seed = 20261123;
        Console.WriteLine($"seed {seed}");
        var r = VerifyLandscape.Experiments.NguyenSkip.RunSkip(20, 200, seed);
        var (plain, skip) = (r.Curves[0], r.Curves[1]);
        Assert.True(skip.TrainingError[^1] < plain.TrainingError[^1] && skip.Loss[^1] < plain.Loss[^1],
            $"plain {plain.TrainingError[^1]} / {plain.Loss[^1]}, skip {skip.TrainingError[^1]} / {skip.Loss[^1]} (seed {seed})");
        Assert.True(plain.TrainingError[^1] >= 0.5, $"the 10-layer plain sigmoid net already trains: {plain.TrainingError[^1]}");
        Assert.Contains("<polyline", VerifyLandscape.Experiments.NguyenSkip.Svg(r));
        Assert.Equal(2, VerifyLandscape.Experiments.NguyenSkip.ToJson(r)["curves"]!.AsArray().Count);
    }

    [Fact]
    public void TheReluSearchReportsStalledPointsConsistently()
    {
        // Trials 17 and 31 of the default seed end with every unit dead (Ψ = 0, Φ = log 2): what a stalled point must show.
        var r = VerifyLandscape.Experiments.NguyenReluSearch.Run(40, 20261123);
        Assert.Equal(40, r.All.Length);
        foreach (var t in r.All.Where(t => t.Stalled))
        {
            Assert.True(t.GradientNorm < VerifyLandscape.Experiments.NguyenReluSearch.Stalled && t.TrainingError > 0);
            Assert.True(t.RankPsi < VerifyLandscape.Experiments.NguyenReluSearch.Samples || t.DeadUnits == 0);
        }
        Assert.Contains(r.All, t => t.Stalled && t.RankPsi == 0 && Math.Abs(t.Loss - Math.Log(2)) < 1e-12);
        Assert.Contains("numeric evidence only", VerifyLandscape.Experiments.NguyenReluSearch.Text(r));
    }
}
