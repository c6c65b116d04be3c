using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Freeman;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

/// <summary>Freeman–Bruna (002): the symmetries, the disconnection construction, the relu-kernel quantities.</summary>
public class FreemanTests
{
    public static TheoryData<string> KnownFalse => new()
    {
        "freeman.2.2-printed", "freeman.2.2-ridge", "freeman.sym-relu-negative", "freeman.sym-ridge-general",
        "freeman.sym-smooth-scaling", "freeman.2.3-r1", "freeman.2.3-r2", "freeman.2.2-path",
    };

    [Theory]
    [MemberData(nameof(KnownFalse))]
    public void KnownFalseClaimIsRefutedByAGeneratedShrunkInstance(string id) => KnownFalseClaims.AssertRefutedByAGeneratedShrunkInstance(id);

    [Fact]
    public void SymmetryHoldsOnlyWithTheInverseOnTheNextLayer()
    {
        // W_k ↦ F_k W_k F_{k−1}⁻¹ keeps F; the printed order without the inverse on the next layer does not.
        var spec = PrintedConnectivity.LinearSpec([2, 2, 2], [[1, 2], [-1, 3]], [[1, 0], [2, 1]]);
        var theta = SymmetryClaim.NonZeroPoint(spec.ParameterCount, 5);
        var f = new[] { Matrices.Identity(2), new Rational[,] { { 1, 2 }, { 0, 1 } }, Matrices.Identity(2) };
        var value = Loss.Evaluate<Rational>(spec, theta);
        Assert.Equal(value, Loss.Evaluate<Rational>(spec, SymmetryClaim.Apply(spec, theta, f)));
        var wrong = SymmetryClaim.Apply(spec, theta, [Matrices.Identity(2), f[1], f[1]]); // W_2 ↦ F W_2 F⁻¹: output changed
        Assert.NotEqual(value, Loss.Evaluate<Rational>(spec, wrong));
    }

    /// <summary>
    /// The three failures of the printed lift (notes F-2.2-path), on seeded instances of each shape: W₂ wide (h &gt; n_out) is
    /// never of full column rank; W₂ tall (h &lt; n_out) leaves the product path; W₂ square fails exactly when the curve
    /// meets the singular matrices, which it must when det W₂ᴬ · det W₂ᴮ &lt; 0, and otherwise may be certified.
    /// </summary>
    [Fact]
    public void PseudoInverseLiftFailsAsTheNotesSay()
    {
        var x = new[] { new Rational[] { 1 }, [2] };
        var wide = PrintedConnectivity.LinearSpec([1, 3, 2], x, [[1, 0], [0, 1]]);
        var tall = PrintedConnectivity.LinearSpec([1, 2, 3], x, [[1, 0, 1], [0, 1, 1]]);
        var square = PrintedConnectivity.LinearSpec([1, 2, 2], x, [[1, 0], [0, 1]]);
        int certified = 0;
        for (int seed = 1; seed <= 30; seed++)
        {
            Assert.Equal("singular-at", LiftFailure.Find(PseudoInverseLift.Of(wide, seed))?.Kind);
            Assert.Equal("product", LiftFailure.Find(PseudoInverseLift.Of(tall, seed))?.Kind);
            var lift = PseudoInverseLift.Of(square, seed);
            var failure = LiftFailure.Find(lift);
            var signs = ExactLinearAlgebra.Determinant(lift.A2).Sign * ExactLinearAlgebra.Determinant(lift.B2).Sign;
            if (signs < 0) Assert.Contains(failure?.Kind, new[] { "singular-at", "singular-in" });
            if (failure is null) certified++;
            else if (failure.Kind == "singular-in") Assert.True(lift.GramDeterminant().DistinctRootsBetween(failure.Lo, failure.Hi) > 0);
        }
        Assert.InRange(certified, 1, 29); // the square case is not always broken: the construction's failure is the crossing
    }

    /// <summary>k(α) against E[relu(g₁)relu(g₂)] = (1/π)∫ relu(cos θ) relu(cos(θ − α)) dθ (polar coordinates; ∫r³e^{−r²/2}dr = 2), by the midpoint rule.</summary>
    [Theory]
    [InlineData(0.0)] [InlineData(0.3)] [InlineData(1.0)] [InlineData(2.0)] [InlineData(3.0)]
    public void GaussianKernelFormulaMatchesQuadrature(double alpha)
    {
        const int n = 200_000;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double theta = -Math.PI + (i + 0.5) * 2 * Math.PI / n;
            sum += Math.Max(0, Math.Cos(theta)) * Math.Max(0, Math.Cos(theta - alpha));
        }
        var k = GaussianKernel.Kernel(new Intervals.Interval(alpha, alpha));
        Assert.InRange(sum * 2 * Math.PI / n / Math.PI, k.Lo - 1e-9, k.Hi + 1e-9); // the midpoint rule's error is ~1e-10 here
    }

    /// <summary>The branch-and-bound cannot prove a false gap: R1's k(α) ≤ cos α·½ fails at every α ∈ (0, π).</summary>
    [Fact]
    public void GaussianBranchAndBoundRefusesRemarkOne() =>
        Assert.Null(GaussianKernel.Cover(a => a.Cos() * new Intervals.Interval(0.5, 0.5) - GaussianKernel.Kernel(a), GaussianKernel.Delta, 2, out _));

    [Fact]
    public void SquareExampleOfTheNotesIsDisconnectedAtLevelZero()
    {
        var spec = PrintedConnectivity.LinearSpec([2, 2, 2], [[1, 0], [0, 1]], [[2, 0], [0, 1]]);
        var d = Disconnection.Find(spec, out var why) ?? throw new Xunit.Sdk.XunitException(why);
        Assert.Equal(Rational.Zero, d.Level);
        Assert.Equal(Rational.Zero, d.ResidualSquared);
        Assert.True(d.InputBound * d.FitBound > 0 && d.InputBound <= 1 && d.FitBound <= 1); // λ_min(XXᵀ) = λ_min(TTᵀ) = 1
        Assert.Equal(-d.DetA, d.DetB);
        // With a hidden width of 3 > min(n_in, n_out) no hidden width is tight: no such certificate exists.
        Assert.Null(Disconnection.Find(spec.With(widths: [2, 3, 2]), out _));
    }

    [Fact]
    public void TheProofsIdentityHoldsOnGeneratedDistributions()
    {
        var claim = Catalog.Find("freeman.2.3")!;
        PropertyCheck.Run("[w1,w2]_Z = ¼E[relu⟨X,s⟩²] − ¼E[⟨X,s⟩²1_B] − ¼E[⟨X,δ⟩²1_A] (exact)",
            FsCheck.Fluent.Arb.From(claim.Generator), c => KernelInstance.Of(c.Spec, c, out _) is not { } k || k.IdentityHolds, trials: 200);
    }

    [Fact]
    public void RemarkTwoIsOutOfHypothesesWhereSigmaIsZero()
    {
        // X ≡ 0 (found at seed 32, trial 179 of 500): 2/(3‖Σ_X‖) is undefined, which is no inconclusive but outside R2.
        var spec = ReluKernelClaim.Distribution([[0, 0]]);
        var v = Catalog.Find("freeman.2.3-r2")!.Check(new ClaimInstance("freeman.2.3-r2", spec, [36837], Construction: "equal"));
        Assert.Equal(VerdictKind.OutOfHypotheses, v.Kind);
    }

    [Fact]
    public void WideScalarPairIsJoinedThroughTheSpareUnitAndTheTightOneIsNot()
    {
        // (1, 2, 1), x = y = 1: θ^A and θ^B differ by the sign of unit 0; at λ = 1/2 the straight segment passes θ = 0
        // (F = 1), and the certified path goes around it through unit 1. With width 1 the same pair is disconnected.
        var wide = Claims.Freeman.PrintedConnectivity.LinearSpec([1, 2, 1], [[1]], [[1]]);
        var (a, b, level) = Claims.Freeman.RevisedConnectivity.Pair(wide, 1);
        var straight = Claims.Freeman.PolynomialPath.Segment(wide, a, b);
        Assert.Null(Claims.Freeman.PolynomialPath.Cut(straight, level));
        var path = Claims.Freeman.PolynomialPath.Connect(wide, a, b, level, 1, out var why);
        Assert.True(path is not null, why);
        Assert.True(path!.Beads.Length >= 3);
        foreach (var bead in path.Beads) Assert.True(Loss.Evaluate(wide, bead) <= level);
        var tight = Claims.Freeman.PrintedConnectivity.LinearSpec([1, 1, 1], [[1]], [[1]]);
        Assert.Equal(VerdictKind.OutOfHypotheses, ClaimRunner.Decide(Catalog.Find("freeman.2.2")!, new ClaimInstance("freeman.2.2", tight, [1], Construction: "pair")).Kind);
    }

    [Fact]
    public void RidgeOriginIsAStrictMinimumWithHessianTwoKappa()
    {
        var spec = PrintedConnectivity.LinearSpec([1, 1, 1, 1], [[1]], [[1]]).With(decay: Rational.Create(1, 50));
        var v = Catalog.Find("freeman.ridge-deep")!.Check(new ClaimInstance("freeman.ridge-deep", spec, [0], Construction: "origin"));
        Assert.Equal(VerdictKind.Certified, v.Kind);
        Assert.Contains("F = 3/100 < F(0) = 1", v.Reason);
        // K = 2: the data term's cross terms make the origin a saddle; the claim does not speak about it.
        var two = spec.With(widths: [1, 1, 1]);
        Assert.Equal(VerdictKind.OutOfHypotheses, Catalog.Find("freeman.ridge-deep")!.Check(new ClaimInstance("freeman.ridge-deep", two, [0], Construction: "origin")).Kind);
    }
}
