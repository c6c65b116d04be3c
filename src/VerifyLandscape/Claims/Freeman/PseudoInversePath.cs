using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Freeman;

/// <summary>
/// The path of Prop 2.2's printed proof (notes, F-2.2-path), in its base case K = 2: the merged product follows the
/// straight line W̃(t) = (1 − t)W₂ᴬW₁ᴬ + tW₂ᴮW₁ᴮ (inside Ω(λ) because the data term is convex in the product), and is
/// lifted by
///   W₂(t) = (1 − t)W₂ᴬ + tW₂ᴮ + t(1 − t)V,   W₁(t) = W₂(t)^† W̃(t),   W^† = (WᵀW)⁻¹Wᵀ.
/// Every entry is a rational function of t, so each part of the proof's claim is decided exactly: G(t) = W₂(t)ᵀW₂(t) is
/// invertible on [0, 1] (p(t) = det G(t) is a polynomial of degree ≤ 4h, found by interpolation; its roots in (0, 1] are
/// counted by Sturm's theorem), W₁(0) = W₁ᴬ and W₁(1) = W₁ᴮ, and W₂W₂^†W̃ = W̃ (a polynomial identity of degree ≤ 4h + 1
/// after multiplying by det G, so 4h + 2 points decide it).
/// </summary>
public sealed record PseudoInverseLift(NetworkSpec Spec, Rational[,] A1, Rational[,] A2, Rational[,] B1, Rational[,] B2, Rational[,] V)
{
    public int Hidden => A2.GetLength(1);

    public Rational[,] W2(Rational t) => Combine(A2, B2, t, V);
    public Rational[,] Product(Rational t) => Combine(Matrices.Multiply(A2, A1), Matrices.Multiply(B2, B1), t, null);
    public Rational[,] Gram(Rational t) => GramOf(W2(t));
    private static Rational[,] GramOf(Rational[,] w) => Matrices.Multiply(Matrices.Transpose(w), w);

    /// <summary>W₁(t) = (W₂ᵀW₂)⁻¹W₂ᵀW̃(t), or null where W₂(t)ᵀW₂(t) is singular.</summary>
    public Rational[,]? W1(Rational t)
    {
        var w = W2(t);
        return Matrices.Inverse(GramOf(w)) is { } inverse ? Matrices.Multiply(Matrices.Multiply(inverse, Matrices.Transpose(w)), Product(t)) : null;
    }

    /// <summary>p(t) = det(W₂(t)ᵀW₂(t)), degree ≤ 4h, interpolated exactly from 4h + 1 values.</summary>
    public Polynomial GramDeterminant() => Polynomial.Through(4 * Hidden, t => ExactLinearAlgebra.Determinant(Gram(t)));

    public Rational[] PointA => LinearChains.Point(Spec, [null!, A1, A2]);
    public Rational[] PointB => LinearChains.Point(Spec, [null!, B1, B2]);

    /// <summary>(1 − t)A + tB + t(1 − t)V.</summary>
    private static Rational[,] Combine(Rational[,] a, Rational[,] b, Rational t, Rational[,]? v)
    {
        var m = new Rational[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                m[i, j] = (1 - t) * a[i, j] + t * b[i, j] + (v is null ? 0 : t * (1 - t) * v[i, j]);
        return m;
    }

    /// <summary>
    /// The instance's θᴬ, θᴮ and V: seed 0 gives the simplest ones (W₂ᴬ, W₁ᴬ with ones on the diagonal, θᴮ = θᴬ with hidden
    /// unit 0 negated, V = 0); any other seed draws all three from <see cref="SeededRationals"/>, as the proof's "V random".
    /// </summary>
    public static PseudoInverseLift Of(NetworkSpec s, int seed)
    {
        int nIn = s.InputWidth, h = s.Widths[1], nOut = s.OutputWidth;
        if (seed == 0)
        {
            Rational[,] a1 = Diagonal(h, nIn), a2 = Diagonal(nOut, h), b1 = (Rational[,])a1.Clone(), b2 = (Rational[,])a2.Clone();
            for (int j = 0; j < nIn; j++) b1[0, j] = -b1[0, j];
            for (int i = 0; i < nOut; i++) b2[i, 0] = -b2[i, 0];
            return new(s, a1, a2, b1, b2, Matrices.Zeros(nOut, h));
        }
        var r = SeededRationals.Draw(2 * h * nIn + 3 * nOut * h, seed);
        int used = 0;
        Rational[,] Next(int rows, int columns)
        {
            var m = new Rational[rows, columns];
            for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) m[i, j] = r[used++];
            return m;
        }
        return new(s, Next(h, nIn), Next(nOut, h), Next(h, nIn), Next(nOut, h), Next(nOut, h));
    }

    private static Rational[,] Diagonal(int rows, int columns)
    {
        var m = Matrices.Zeros(rows, columns);
        for (int i = 0; i < Math.Min(rows, columns); i++) m[i, i] = 1;
        return m;
    }
}

/// <summary>Where the lift fails: "endpoint" (t = 0 or 1), "singular-at" (a rational t with G(t) singular), "singular-in" (a root of det G in (Lo, Hi]), "product" (W₂W₁ ≠ W̃ at t).</summary>
public sealed record LiftFailure(string Kind, Rational Lo, Rational Hi, string Why)
{
    public JsonObject ToJson() => Kind == "singular-in"
        ? new JsonObject { ["kind"] = Kind, ["lo"] = Lo.ToString(), ["hi"] = Hi.ToString() }
        : new JsonObject { ["kind"] = Kind, ["t"] = Lo.ToString() };

    /// <summary>The first part of the proof's claim that fails on the lift, or null when every part holds.</summary>
    public static LiftFailure? Find(PseudoInverseLift lift)
    {
        var p = lift.GramDeterminant();
        var half = Rational.Create(1, 2);
        if (p.IsZero)
            return new("singular-at", half, half, $"det W₂(t)ᵀW₂(t) ≡ 0 (W₂ is {lift.Spec.OutputWidth} × {lift.Hidden}, rank W₂ < h = {lift.Hidden} for every t): W₂^† is undefined on all of [0, 1]");
        foreach (var (t, end, name) in new[] { (Rational.Zero, lift.A1, "θᴬ"), (Rational.One, lift.B1, "θᴮ") })
        {
            if (lift.W1(t) is not { } w1) return new("endpoint", t, t, $"W₂({t}) has rank < h = {lift.Hidden}: W₂ᵀW₂ is singular and W₁({t}) = W₂^†W̃ is undefined");
            if (!Matrices.AreEqual(w1, end)) return new("endpoint", t, t, $"W₁({t}) = W₂^†W̃ ≠ W₁ of {name}: the path does not end at {name}");
        }
        if (p.DistinctRootsBetween(Rational.Zero, Rational.One) > 0) return Isolate(p);
        // W₂W₂^†W̃ = W̃ ⇔ W₂ adj(G) W₂ᵀ W̃ = det(G) W̃ where det G ≠ 0: degree ≤ 4h + 1 in t, so 4h + 2 points decide it.
        int points = 4 * lift.Hidden + 2;
        for (int j = 1; j <= points; j++)
        {
            var t = Rational.Create(j, points + 1);
            var lifted = Matrices.Multiply(lift.W2(t), lift.W1(t)!);
            if (!Matrices.AreEqual(lifted, lift.Product(t)))
                return new("product", t, t, $"W₂(t)W₂(t)^† ≠ I at t = {t} (W₂ is {lift.Spec.OutputWidth} × {lift.Hidden}, W₂W₂^† is a projection of rank ≤ {lift.Hidden}): W₂(t)W₁(t) ≠ W̃(t)");
        }
        return null;
    }

    /// <summary>A root of p in (0, 1): bisection on Sturm counts, to an exact root or an interval of width 2⁻³⁰.</summary>
    private static LiftFailure Isolate(Polynomial p)
    {
        Rational lo = 0, hi = 1;
        for (int step = 0; step < 30; step++)
        {
            var mid = (lo + hi) / 2;
            if (p.Evaluate(mid).IsZero)
                return new("singular-at", mid, mid, $"W₂({mid}) has rank < h: W₂ᵀW₂ is singular there and W₂^† undefined (the curve crosses the singular matrices)");
            if (p.DistinctRootsBetween(lo, mid) > 0) hi = mid; else lo = mid;
        }
        return new("singular-in", lo, hi, $"det W₂(t)ᵀW₂(t) has a root in ({lo}, {hi}] (Sturm count): W₂^† is undefined there (the curve crosses the singular matrices)");
    }
}

/// <summary>The certificate of the lift: θᴬ, θᴮ, V, and where it fails (none when certified).</summary>
public sealed record LiftFacts(PseudoInverseLift Lift, LiftFailure? Failure) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["pointA"] = Evidence.Point(Lift.Spec.Layout, Lift.PointA),
        ["pointB"] = Evidence.Point(Lift.Spec.Layout, Lift.PointB),
        ["curve"] = Evidence.Matrix(Lift.V),
        ["failure"] = Failure?.ToJson(),
    };
}

/// <summary>
/// F-2.2-path (known false): the pseudo-inverse path of the printed proof joins θᴬ to θᴮ inside Ω(λ). It fails whenever
/// W₂ is not square (W₂^† needs full column rank, W₂W₂^† = I full row rank), and in the square case whenever
/// det W₂ᴬ·det W₂ᴮ &lt; 0 (every curve crosses the singular matrices). Decided exactly (<see cref="LiftFailure.Find"/>); the
/// hypotheses are the revised ones (hidden width &gt; min(n_in, n_out)), so a failure is the construction's, not the width's.
/// </summary>
public sealed class PseudoInversePath : Claim
{
    public override string Id => "freeman.2.2-path";
    public override string Source => "Freeman, Bruna (002), proof of Proposition 2.2 as printed (the pseudo-inverse lift; notes F-2.2-path)";
    public override string Statement => "for K = 2 and any θᴬ, θᴮ, V: W₂(t) = (1−t)W₂ᴬ + tW₂ᴮ + t(1−t)V, W₁(t) = W₂(t)^†W̃(t) with W^† = (WᵀW)⁻¹Wᵀ and " +
        "W̃(t) = (1−t)W₂ᴬW₁ᴬ + tW₂ᴮW₁ᴮ is defined on [0, 1], starts at θᴬ, ends at θᴮ and keeps W₂W₁ = W̃ (so it stays in Ω(max F(θᴬ), F(θᴮ)))";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<string> LocusKinds => ["pair"];
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [FreemanHypotheses.Linear, FreemanHypotheses.Mse, FreemanHypotheses.OneHiddenLayer, FreemanHypotheses.NoPenalty, FreemanHypotheses.WidthsAboveMin];

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var lift = PseudoInverseLift.Of(s, c.Seed);
        var failure = LiftFailure.Find(lift);
        Rational fa = Loss.Evaluate(s, lift.PointA), fb = Loss.Evaluate(s, lift.PointB), level = Rational.Max(fa, fb);
        var evidence = new JsonObject
        {
            ["level"] = level.ToString(), ["pointA"] = Evidence.Point(s.Layout, lift.PointA), ["pointB"] = Evidence.Point(s.Layout, lift.PointB),
            ["curve"] = Evidence.Matrix(lift.V), ["failure"] = failure?.ToJson(),
        };
        if (failure is null)
            return Verdict.Certified($"the lift is defined on [0, 1] (det W₂ᵀW₂ has no root there: Sturm), ends at θᴬ and θᴮ, and W₂W₁ = W̃ " +
                $"(a polynomial identity checked at {4 * lift.Hidden + 2} points): F ≤ {level} along it (exact)", evidence, new LiftFacts(lift, null));
        if (failure.Kind == "product" && lift.W1(failure.Lo) is { } w1)
        {
            var f = Loss.Evaluate(s, LinearChains.Point(s, [null!, w1, lift.W2(failure.Lo)]));
            evidence["lossOnPath"] = f.ToString();
            return Verdict.Refuted($"{failure.Why}; F(θ({failure.Lo})) = {f} {(f > level ? ">" : "≤")} λ = {level} (exact)", evidence, new LiftFacts(lift, failure));
        }
        return Verdict.Refuted(failure.Why + " (exact)", evidence, new LiftFacts(lift, failure));
    }

    public override Rational[]? ConcretePoint(ClaimInstance c) => PseudoInverseLift.Of(c.Spec, c.Seed).PointA;

    /// <summary>Linear [n_in, h, n_out], n_in, n_out ≤ 3, h = min(n_in, n_out) + 1 or + 2, L ≥ n_in random samples, seeded θᴬ, θᴮ, V.</summary>
    public override Gen<ClaimInstance> Generator =>
        from nIn in Gen.Choose(1, 3)
        from nOut in Gen.Choose(1, 3)
        from extra in Gen.Choose(1, 2)
        from samples in Gen.Choose(nIn, nIn + 2)
        from xs in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, nIn), samples)
        from ys in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, nOut), samples)
        from seed in Gen.Choose(0, 100000)
        select new ClaimInstance(Id, PrintedConnectivity.LinearSpec([nIn, Math.Min(nIn, nOut) + extra, nOut], xs, ys), [seed], Construction: "pair");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        if (instance.Seed != 0) yield return instance with { Locus = [0] };
        foreach (var c in NetworkCases.Shrink(new NetworkCase(instance.Spec, 0)))
            yield return instance with { Spec = c.Spec };
    }
}
