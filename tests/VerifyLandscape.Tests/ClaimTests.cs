using System.Text.Json.Nodes;
using FsCheck.Fluent;
using VerifyLandscape.Checker;
using VerifyLandscape.Certificates;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Claims.Milne;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

public class ClaimTests
{
    private static IEnumerable<string> Certificates() =>
        Directory.GetFiles(Path.Combine(TestPaths.ProofsData, "certificates"), "*.cert.json", SearchOption.AllDirectories).Order();

    [Fact]
    public void EveryShippedCertificateRechecks()
    {
        var files = Certificates().ToList();
        Assert.True(files.Count >= 15, $"expected the shipped certificates, found {files.Count}");
        foreach (var f in files)
        {
            var r = CertificateChecker.Check(JsonNode.Parse(File.ReadAllText(f))!.AsObject(), f);
            Assert.True(r.Valid, $"{f}: {r.Reason}");
        }
    }

    [Fact]
    public void LiteralCoreClaimIsRefutedAndShrunkToTwoOutputs()
    {
        var claim = Catalog.Find("cooper.3.2-literal")!;
        var results = ClaimRunner.Run(claim, trials: 30, seed: PropertyCheck.DefaultSeed, shipped: []);
        var refuted = results.First(r => r.Verdict.Kind == VerdictKind.Refuted && r.Shrunk is not null);
        var smallest = refuted.Shrunk!;
        Assert.Equal(2, smallest.Spec.OutputWidth);
        Assert.Equal(1, smallest.Spec.SampleCount);
        Assert.Equal(3, smallest.Spec.Depth);
        Assert.All(smallest.Spec.Widths[..^1], w => Assert.Equal(1, w));
        Assert.Equal(VerdictKind.Refuted, refuted.ShrunkVerdict!.Kind);
    }

    [Fact]
    public void CoreLocusIsDegenerateOnRandomInstances()
    {
        var claim = new CoreLocusIsDegenerate();
        PropertyCheck.Run("cooper.3.2 certified on random instances (depth 3..6, m ≤ 3)", FsCheck.Fluent.Arb.From(claim.Generator, claim.Shrink),
            instance => claim.Check(instance).Kind == VerdictKind.Certified, trials: 40);
    }

    [Fact]
    public void StarLocusIsCriticalOnRandomInstancesEvenWithoutSigmaZero()
    {
        var claim = new StarLocusWithoutSigmaZero();
        PropertyCheck.Run("cooper.3.1 without σ(0) = 0 certified on random instances (sigmoid, softplus, tanh)", FsCheck.Fluent.Arb.From(claim.Generator, claim.Shrink),
            instance => claim.Check(instance).Kind == VerdictKind.Certified, trials: 40);
    }

    /// <summary>"Certified or out of hypotheses" properties must also certify: at least this many of their 25 trials.</summary>
    private const int MinimumCertified = 15;

    [Theory]
    [InlineData("cooper.3.1", "depth3-sigmoid-star1", "σ(0) ≠ 0")]
    [InlineData("cooper.3.1", "depth4-relu-star2", "not smooth at the point")]
    [InlineData("cooper.3.2", "depth4-relu-core12", "not smooth at the point")]
    public void BrokenHypothesesAreReportedNotPassed(string claimId, string instance, string reason)
    {
        var inst = InstanceReader.ReadFile(Path.Combine(TestPaths.ProofsData, "instances", claimId, instance + ".json"));
        var v = Catalog.Find(claimId)!.Check(inst);
        Assert.Equal(VerdictKind.OutOfHypotheses, v.Kind);
        Assert.Contains(reason, v.Reason);
    }

    [Fact]
    public void GlobalMinimumManifoldOnRandomInstances()
    {
        var claim = new GlobalMinimumManifold();
        int certified = 0;
        PropertyCheck.Run("cooper.gm: H = 2JᵀJ and inertia (Nm, 0, P − Nm) at constructed global minima", FsCheck.Fluent.Arb.From(claim.Generator, claim.Shrink),
            instance => claim.Check(instance).Kind switch { VerdictKind.Certified => ++certified > 0, VerdictKind.OutOfHypotheses => true, _ => false }, trials: 25);
        Assert.True(certified >= MinimumCertified, $"only {certified} of 25 instances certified: the property would pass on out-of-hypotheses alone");
    }

    [Fact]
    public void FibreQuadraticOnRandomInstances()
    {
        var claim = new FibreQuadratic();
        int certified = 0;
        PropertyCheck.Run("cooper.5.8: fibre critical points are global minima, and each certificate rechecks", FsCheck.Fluent.Arb.From(claim.Generator, claim.Shrink),
            instance => claim.Check(instance) switch
            {
                { Kind: VerdictKind.Certified } v => CertificateChecker.Check(CertificateWriter.Produce(claim, instance, v)).Valid && ++certified > 0,
                { Kind: VerdictKind.OutOfHypotheses } => true,
                _ => false,
            }, trials: 25);
        Assert.True(certified >= MinimumCertified, $"only {certified} of 25 instances certified: the property would pass on out-of-hypotheses alone");
    }

    [Fact]
    public void FibreQuadraticReportsRankDeficientFeatures()
    {
        // Identical inputs give identical features: rank Φ = 1 < N = 2, outside the lemma.
        var spec = new VerifyLandscape.Networks.NetworkSpec
        {
            Widths = [1, 3, 1], HiddenActivations = [new VerifyLandscape.Networks.PolynomialActivation([0, 1, VerifyLandscape.Exact.Rational.Half])],
            OutputActivation = VerifyLandscape.Networks.Activation.Identity, Bias = true, Loss = VerifyLandscape.Networks.LossKind.Sse,
            WeightDecay = 0, X = [[1], [1]], Y = [[0], [1]],
        };
        var v = new FibreQuadratic().Check(new ClaimInstance("cooper.5.8", spec, [1], Construction: "fibre"));
        Assert.Equal(VerdictKind.OutOfHypotheses, v.Kind);
        Assert.Contains("rank Φ = 1", v.Reason);
    }

    [Fact]
    public void IntervalEliminationProvesRankOnlyWhenItHolds()
    {
        var I = (double lo, double hi) => new VerifyLandscape.Intervals.Interval(lo, hi);
        Assert.NotNull(Fibres.ProveFullColumnRank(new[,] { { I(1, 1.1), I(0, 0) }, { I(0, 0.1), I(2, 2) }, { I(3, 3), I(3, 3) } }));
        // Two equal columns: singular for every member, never proved.
        Assert.Null(Fibres.ProveFullColumnRank(new[,] { { I(1, 1), I(1, 1) }, { I(2, 2), I(2, 2) } }));
    }

    [Fact]
    public void DimensionFormulaMatchesExactRank()
    {
        var claim = new LocusDimension();
        PropertyCheck.Run("cooper.dim: formula = P − rank of the constraints", FsCheck.Fluent.Arb.From(claim.Generator, claim.Shrink),
            instance => claim.Check(instance).Kind == VerdictKind.Certified, trials: 100);
    }
}

[Collection("console")]
public class CheckCommandTests
{
    [Fact]
    public void CheckAllPassesOnTheShippedCatalogAndWritesReports()
    {
        var dir = Directory.CreateTempSubdirectory("vl-check").FullName;
        var junit = Path.Combine(dir, "junit.xml");
        var cwd = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(TestPaths.Root);
        try
        {
            var (code, output, _) = SpecValidationTests.RunVl("check", "--all", "--trials", "10", "--report", dir, "--junit", junit);
            Assert.True(code == 0, output);
            Assert.Contains("cooper.3.2-literal", output);
            Assert.True(File.Exists(Path.Combine(dir, "cooper.3.2-literal-counterexample.md")));
            var instance = Path.Combine(dir, "cooper.3.2-literal-counterexample.instance.json");
            Assert.Equal(1, SpecValidationTests.RunVl("certify", instance).Code); // refuted, reproduced from the report alone
            var xml = System.Xml.Linq.XDocument.Load(junit);
            Assert.Equal(Catalog.All.Count, xml.Root!.Elements("testsuite").Count());
        }
        finally { Directory.SetCurrentDirectory(cwd); }
    }
}

public class MilneClaimTests
{
    public static TheoryData<string> PointClaims => new() { "milne.lemma2", "milne.identity19", "milne.lemma3", "milne.theorem3" };

    [Theory]
    [MemberData(nameof(PointClaims))]
    public void MilnePointClaimsHoldOnRandomInstances(string id)
    {
        var claim = Catalog.Find(id)!;
        int certified = 0;
        PropertyCheck.Run($"{id}: certified or out of hypotheses on random instances", FsCheck.Fluent.Arb.From(claim.Generator, claim.Shrink),
            instance => claim.Check(instance).Kind switch { VerdictKind.Certified => ++certified > 0, VerdictKind.OutOfHypotheses => true, _ => false }, trials: 40);
        Console.WriteLine($"{id}: {certified} of 40 certified");
        Assert.True(certified >= 10, $"only {certified} of 40 instances certified: the property would pass on out-of-hypotheses alone");
    }

    [Fact]
    public void TeacherPointsLieNearTheBoundaryOfU()
    {
        var instance = InstanceReader.ReadFile(Path.Combine(TestPaths.ProofsData, "instances", "milne.theorem3", "2-3-3-1-relu-teacher2.json"));
        var v = Catalog.Find("milne.theorem3")!.Check(instance);
        Assert.Equal(VerdictKind.Certified, v.Kind);
        double left = (double)v.Evidence["membershipLeft"]![1]!, right = (double)v.Evidence["membershipRight"]![0]!;
        Assert.InRange(left / right, 0.8, 1.0); // within 20 % of the bound (the upper bound of ‖W‖_* is loose for H = 2)
    }

    [Fact]
    public void RandomPointsOutsideUAreOutOfHypotheses()
    {
        var spec = InstanceReader.ReadFile(Path.Combine(TestPaths.ProofsData, "instances", "milne.theorem3", "1-2-1-relu-teacher1.json")).Spec;
        var v = Catalog.Find("milne.theorem3")!.Check(new ClaimInstance("milne.theorem3", spec, [7], Construction: "point"));
        // Random point 7 has ℓ^{1/2}‖W‖_*^{H−1} ≈ 0.45, nine times the bound 0.05: far outside U(λ, θ).
        Assert.Equal(VerdictKind.OutOfHypotheses, v.Kind);
        Assert.Contains("U(λ, θ)", v.Reason);
    }
}

public class MilneToyTests
{
    [Fact]
    public void HandWrittenGradientEqualsTheEngine()
    {
        var spec = VerifyLandscape.Experiments.MilneToy.Spec(7);
        double[] x = spec.X.Select(r => r[0].ToDouble()).ToArray(), y = spec.Y.Select(r => r[0].ToDouble()).ToArray();
        var theta = new[] { 0.7, -0.4, 0.3, -0.6 };
        var (loss, gradient) = VerifyLandscape.Experiments.MilneToy.Evaluate(x, y, theta);
        var engine = new VerifyLandscape.Numerics.DenseNetwork(spec, theta);
        Assert.Equal(engine.Loss - 0.5 * VerifyLandscape.Experiments.MilneToy.Lambda * theta.Sum(t => t * t), loss, 12);
        for (int p = 0; p < 4; p++) Assert.Equal(engine.Gradient[p], gradient[p], 12);
    }

    [Fact]
    public void FractionsAreInTheUnitIntervalAndTrialsConverge()
    {
        var r = VerifyLandscape.Experiments.MilneToy.Run(30, 3);
        Assert.All(r.All, t => Assert.InRange(t.Fraction, 0, 1));
        Assert.All(r.All, t => Assert.True(t.Converged));
        // Gradient descent with η = 0.1 must decrease ℓ_λ on every trajectory (a wrong gradient or step would not).
        Assert.All(r.All, t => Assert.True(t.FinalLoss < t.InitialLoss, $"ℓ_λ went from {t.InitialLoss} to {t.FinalLoss}"));
        // U(λ)'s threshold for H = 1 recomputed from the data: ℓ < (λ / (4 max|x|))².
        var x = VerifyLandscape.Experiments.MilneToy.Spec(3).X.Select(row => Math.Abs(row[0].ToDouble())).Max();
        Assert.Equal(Math.Pow(VerifyLandscape.Experiments.MilneToy.Lambda / (4 * x), 2), r.Threshold, 15);
        // The plotted trajectory enters U at the first step whose ℓ is below the threshold (−1: never).
        Assert.Equal(Array.FindIndex(r.Curve, l => l < r.Threshold), r.CurveEnteredAt);
        // A larger threshold is crossed no later: first-entry steps never increase with the scale (−1: never entered).
        Assert.All(r.All, t =>
        {
            for (int k = 1; k < t.EnteredAtScaled.Length; k++)
                Assert.True(t.EnteredAtScaled[k - 1] < 0 || (t.EnteredAtScaled[k] >= 0 && t.EnteredAtScaled[k] <= t.EnteredAtScaled[k - 1]));
        });
        // Lemma 8 along the plotted trajectory: with C = min γ''/‖∇ℓ_λ‖² > 0 where γ'' > 0, the gradient norm stays
        // below the Grönwall bound ‖∇‖²(t₀)·e^{−Cη(k−t₀)} (the ratio is 1 at t₀ itself).
        var l8 = Assert.IsType<VerifyLandscape.Experiments.MilneToy.Lemma8Check>(r.Lemma8);
        Assert.True(l8.MinimumNormalised > 0 && l8.Percentile10 >= l8.MinimumNormalised);
        Assert.True(l8.MaxRatio <= 1 + 1e-9, $"the squared gradient norm exceeds the Grönwall bound by a factor {l8.MaxRatio}");
    }
}

public class MilneLemma7Tests
{
    [Fact]
    public void Lemma7IsCertifiedOnRandomLinearInstances()
    {
        var claim = new MilneLemma7();
        PropertyCheck.Run("milne.lemma7: certified on random linear instances (1-n-1, n0-n1-1, 1-n1-n2-1), and the certificate rechecks", FsCheck.Fluent.Arb.From(claim.Generator, claim.Shrink), instance =>
        {
            var v = claim.Check(instance);
            return v.Kind == VerdictKind.Certified && CertificateChecker.Check(CertificateWriter.Produce(claim, instance, v)).Valid;
        }, trials: 80);
    }

    /// <summary>
    /// The SMT-LIB2 form says what we mean: evaluated at random rational points (a small evaluator for the s-expressions,
    /// macros expanded), every critical-point equation's left side equals the exact engine's ∂ℓ_λ/∂θ, and ℓ equals ℓ.
    /// </summary>
    [Theory]
    [InlineData("1-4-1-lambda0.4")]
    [InlineData("2-3-1-lambda0.1")]
    [InlineData("1-2-2-1-lambda0.02")]
    public void SmtLibFormEvaluatesToTheExactGradient(string name)
    {
        var spec = InstanceReader.ReadFile(Path.Combine(TestPaths.ProofsData, "instances", "milne.lemma7", name + ".json")).Spec;
        var forms = SExpression.ParseAll(MilneLemma7.SmtLib(spec));
        Assert.Equal("QF_NRA", forms.Single(f => f.Head == "set-logic").Items[1].Atom);
        Assert.Equal(spec.ParameterCount, forms.Count(f => f.Head == "declare-fun"));
        var equations = forms.Where(f => f.Head == "assert" && f.Items[1].Head == "=").Select(f => f.Items[1].Items[1]).ToList();
        Assert.Equal(spec.ParameterCount, equations.Count);
        for (int seed = 1; seed <= 3; seed++)
        {
            var theta = Networks.Point.RandomRationals(spec.ParameterCount, seed);
            var env = new Dictionary<string, Exact.Rational>();
            for (int p = 0; p < theta.Length; p++) env["w" + p] = theta[p];
            foreach (var f in forms.Where(f => f.Head == "define-fun")) env[f.Items[1].Atom!] = f.Items[4].Evaluate(env);
            var gradient = new Derivation.NetworkDerivatives<Exact.Rational>(spec, theta).Gradient;
            for (int p = 0; p < theta.Length; p++) Assert.Equal(gradient[p], equations[p].Evaluate(env));
            Assert.Equal(new Derivation.NetworkDerivatives<Exact.Rational>(MilneSetting.Unregularised(spec), theta).Loss, env["ell"]);
        }
    }
}

public class GenericLemma7Tests
{
    [Fact]
    public void GenericSearchIsCertifiedOrHonestlyInconclusive()
    {
        // The reduction-free search: an independent cross-check of the balanced reduction where it finishes.
        foreach (var (name, expected) in new[] { ("2-3-1-lambda0.1", VerdictKind.Certified), ("1-2-2-1-lambda0.02", VerdictKind.Inconclusive) })
        {
            var v = GenericLemma7.Decide(InstanceReader.ReadFile(Path.Combine(TestPaths.ProofsData, "instances", "milne.lemma7", name + ".json")).Spec);
            Assert.Equal(expected, v.Kind);
            if (expected == VerdictKind.Inconclusive) Assert.Contains("boxes left", v.Reason);
        }
    }

    [Fact]
    public void TheShippedGenericCertificatesAreWhatTheSearchAndTheWriterProduce()
    {
        // The writer only serialises the facts the claim attached: regenerating a shipped certificate gives it back.
        foreach (var name in new[] { "2-3-1-lambda0.4-generic", "1-2-2-1-lambda0.4-generic" })
        {
            var shipped = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.ProofsData, "certificates", "milne.lemma7", name + ".cert.json")))!.AsObject();
            var instance = InstanceReader.Parse(System.Text.Json.JsonDocument.Parse(shipped["instance"]!.ToJsonString()).RootElement, name);
            var produced = VerifyLandscape.Certificates.CertificateWriter.Produce(Catalog.Find("milne.lemma7")!, instance, GenericLemma7.Decide(instance.Spec));
            Assert.Equal(shipped["facts"]!.ToJsonString(), produced["facts"]!.ToJsonString());
            Assert.Equal(shipped["verdict"]!.ToJsonString(), produced["verdict"]!.ToJsonString());
        }
    }
}

/// <summary>Just enough SMT-LIB2 to evaluate our own output: numerals, +, −, *, / and named constants.</summary>
internal sealed record SExpression(string? Atom, List<SExpression> Items)
{
    public string? Head => Items.Count > 0 ? Items[0].Atom : null;

    public static List<SExpression> ParseAll(string text)
    {
        var tokens = System.Text.RegularExpressions.Regex.Replace(text, ";[^\n]*", "").Replace("(", " ( ").Replace(")", " ) ")
            .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        int at = 0;
        var all = new List<SExpression>();
        while (at < tokens.Length) all.Add(Parse(tokens, ref at));
        return all;
    }

    private static SExpression Parse(string[] tokens, ref int at)
    {
        if (tokens[at] != "(") return new SExpression(tokens[at++], []);
        at++;
        var items = new List<SExpression>();
        while (tokens[at] != ")") items.Add(Parse(tokens, ref at));
        at++;
        return new SExpression(null, items);
    }

    public Exact.Rational Evaluate(IReadOnlyDictionary<string, Exact.Rational> env)
    {
        if (Atom is { } a) return env.TryGetValue(a, out var v) ? v : Exact.Rational.Parse(a);
        var args = Items.Skip(1).Select(i => i.Evaluate(env)).ToList();
        return Head switch
        {
            "+" => args.Aggregate(Exact.Rational.Zero, (x, y) => x + y),
            "*" => args.Aggregate(Exact.Rational.One, (x, y) => x * y),
            "-" => args.Count == 1 ? -args[0] : args.Skip(1).Aggregate(args[0], (x, y) => x - y),
            "/" => args[0] / args[1],
            _ => throw new FormatException($"cannot evaluate '{Head}'"),
        };
    }
}

public class ZeroEigenvalueBoundTests
{
    /// <summary>
    /// Soundness against the numeric engine: wherever cooper.5.16 is certified on a star locus, the Hessian at a concrete
    /// point of the locus has at least `bound` eigenvalues within 1e-8·max(1, ‖H‖_max) of 0 (double precision, so exact
    /// zeros come out near 1e-15).
    /// </summary>
    [Fact]
    public void CertifiedStarLociHaveTheZeroEigenvaluesNumerically()
    {
        var claim = new ZeroEigenvalueBound();
        PropertyCheck.Run("cooper.5.16 certified on a star locus ⇒ ≥ bound numerically zero eigenvalues at a point of it",
            FsCheck.Fluent.Arb.From(claim.Generator, claim.Shrink), instance =>
            {
                var v = claim.Check(instance);
                if (v.Kind != VerdictKind.Certified || instance.Construction is not null) return true;
                int bound = (int)v.Evidence["bound"]!;
                var point = CooperLoci.Core(instance.Spec, instance.Locus).ConcretePoint(5).Select(q => q.ToDouble()).ToArray();
                var h = new VerifyLandscape.Numerics.DenseNetwork(instance.Spec, point).Hessian();
                int n = instance.Spec.ParameterCount;
                var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => h[i * n + j]);
                double scale = Math.Max(1, h.Max(Math.Abs));
                bool rechecks = v.Evidence["zeroRows"] is null || CertificateChecker.Check(CertificateWriter.Produce(claim, instance, v)).Valid;
                return rechecks && m.Evd().EigenValues.Count(e => Math.Abs(e.Real) <= 1e-8 * scale) >= bound;
            }, trials: 40);
    }

    [Fact]
    public void IntervalRankLowerBoundNeverExceedsTheRank()
    {
        var gen =
            from n in FsCheck.Fluent.Gen.Choose(1, 6)
            from r in FsCheck.Fluent.Gen.Choose(0, 6)
            from b in FsCheck.Fluent.Gen.ArrayOf(FsCheck.Fluent.Gen.Choose(-3, 3), 36)
            from c in FsCheck.Fluent.Gen.ArrayOf(FsCheck.Fluent.Gen.Choose(-3, 3), 36)
            select (n, r: Math.Min(r, n), b, c);
        PropertyCheck.Run("interval elimination's rank bound ≤ the exact rank of B·C (B n×r, C r×n)", FsCheck.Fluent.Arb.From(gen), x =>
        {
            var exact = new VerifyLandscape.Exact.Rational[x.n, x.n];
            var enclosed = new VerifyLandscape.Intervals.Interval[x.n, x.n];
            for (int i = 0; i < x.n; i++)
                for (int j = 0; j < x.n; j++)
                {
                    long sum = 0;
                    for (int k = 0; k < x.r; k++) sum += x.b[i * 6 + k] * x.c[k * 6 + j];
                    exact[i, j] = sum;
                    enclosed[i, j] = VerifyLandscape.Intervals.Interval.FromRational(sum);
                }
            return VerifyLandscape.Intervals.IntervalElimination.RankLowerBound(enclosed) <= VerifyLandscape.Exact.ExactLinearAlgebra.Rank(exact);
        }, trials: 300);
        var identity = new VerifyLandscape.Intervals.Interval[5, 5];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) identity[i, j] = VerifyLandscape.Intervals.Interval.FromRational(i == j ? 1 : 0);
        Assert.Equal(5, VerifyLandscape.Intervals.IntervalElimination.RankLowerBound(identity));
    }
}

/// <summary>Claims register themselves with named hypotheses; Check quotes the first one an instance breaks.</summary>
public class CatalogTests
{
    [Fact]
    public void EveryClaimRegistersOnceWithHypothesesAndLocusKinds()
    {
        var ids = Catalog.All.Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.Count >= 17, $"only {ids.Count} claims registered");
        foreach (var c in Catalog.All)
        {
            Assert.NotEmpty(c.LocusKinds);
            Assert.NotEmpty(c.Hypotheses);
            Assert.All(c.Hypotheses, h => Assert.False(string.IsNullOrWhiteSpace(h.Wording), $"{c.Id}: a hypothesis without wording"));
        }
        foreach (var id in VerifyLandscape.Checker.CertificateChecker.Claims.Except(VerifyLandscape.Checker.CertificateChecker.ExperimentClaims))
            Assert.NotNull(Catalog.Find(id));
    }

    [Fact]
    public void BreakingANamedHypothesisGivesOutOfHypothesesWithItsReason()
    {
        const ulong seed = 20261123;
        Console.WriteLine($"seed {seed}");
        Func<NetworkSpec, NetworkSpec>[] breaks =
        [
            s => s.With(bias: !s.Bias), s => s.With(loss: s.Loss == LossKind.Sse ? LossKind.HalfMse : LossKind.Sse),
            s => s.With(output: Activation.Sigmoid), s => s.With(decay: s.WeightDecay.IsZero ? Rational.Create(1, 3) : Rational.Zero),
            s => s.With(hidden: s.HiddenActivations.Select(_ => Activation.Sigmoid).ToArray()),
            s => s.With(hidden: s.HiddenActivations.Select(_ => Activation.Relu).ToArray()),
            s => s.With(widths: [s.InputWidth, s.OutputWidth], hidden: [], plain: true), // no hidden layer
        ];
        foreach (var claim in Catalog.All)
        {
            int broken = 0;
            foreach (var instance in claim.Generator.Sample(4, new FsCheck.Rnd(seed), 10))
                foreach (var change in breaks)
                {
                    var changed = instance with { Spec = change(instance.Spec) };
                    if (Hypothesis.FirstBroken(claim.Hypotheses, changed) is not { } why) continue;
                    var v = claim.Check(changed);
                    Assert.True(v.Kind == VerdictKind.OutOfHypotheses && v.Reason == why, $"{claim.Id} (seed {seed}): expected out of hypotheses '{why}', got {v.Word}: {v.Reason}\ninstance: {changed}");
                    broken++;
                }
            Assert.True(broken >= 4, $"{claim.Id}: only {broken} changes broke a named hypothesis (seed {seed})");
        }
    }
}
