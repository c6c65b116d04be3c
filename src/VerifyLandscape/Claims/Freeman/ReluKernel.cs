using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Freeman;

/// <summary>
/// The quantities of Prop 2.3 for a finite distribution: X uniform on the spec's inputs (repeat a row to weight it), two
/// rational unit vectors w1, w2 (the two relu units of a bias-free [d, 2, 1] layer). With s = w1 + w2, δ = w2 − w1,
/// c = cos α = ⟨w1, w2⟩:
///   [w1,w2]_Z = E[relu⟨X,w1⟩ relu⟨X,w2⟩],  ‖w_m‖²_Z = E[relu⟨X,s⟩²]/‖s‖²  (‖s‖² = 2 + 2c),  Σ_X = E[X Xᵀ],
/// all rational; ‖Σ_X‖ = λ_max(Σ_X) is enclosed in [σ_lo, σ_hi] by bisection on exact semidefiniteness.
/// Instances "pair:SEED" (w1, w2 by inverse stereographic projection of seeded rationals; SEED = 0: e1, e2) and
/// "equal:SEED" (w1 = w2; SEED = 0: e1).
/// </summary>
public sealed record KernelInstance(Rational[] W1, Rational[] W2, Rational Cos, Rational Kernel, Rational BisectorNorm, Rational SigmaLo, Rational SigmaHi, bool IdentityHolds)
{
    /// <summary>(1 + cos α)/2 · ‖w_m‖²_Z = E[relu⟨X,s⟩²]/4.</summary>
    public Rational Upper => (1 + Cos) / 2 * BisectorNorm;
    public Rational SinSquared => 1 - Cos * Cos;
    /// <summary>The factor of ‖Σ_X‖ in (7)'s lower bound: 2((1 − cos α)/2 + sin²α).</summary>
    public Rational LowerSlope => 2 * ((1 - Cos) / 2 + SinSquared);

    public static KernelInstance? Of(NetworkSpec s, ClaimInstance c, out string why)
    {
        int d = s.InputWidth;
        bool equal = c.LocusKind == "equal";
        var w1 = UnitVector(d, c.Seed, 0);
        var w2 = equal ? w1 : UnitVector(d, c.Seed, 1);
        Rational cos = Matrices.Dot(w1, w2);
        why = "";
        if (cos == -1) { why = "α = π: w1 + w2 = 0 and the bisector w_m is undefined"; return null; }
        var xs = s.X;
        Rational n = xs.Length, kernel = 0, bisector = 0;
        var s12 = w1.Zip(w2, (a, b) => a + b).ToArray();
        foreach (var x in xs)
        {
            Rational z1 = Relu(Matrices.Dot(w1, x)), z2 = Relu(Matrices.Dot(w2, x)), zs = Relu(Matrices.Dot(s12, x));
            kernel += z1 * z2 / n;
            bisector += zs * zs / n;
        }
        bisector /= 2 + 2 * cos;
        var sigma = Matrices.Zeros(d, d);
        foreach (var x in xs) for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) sigma[i, j] += x[i] * x[j] / n;
        var (lo, hi) = Matrices.EigenvalueEnclosure(sigma, upper: true, steps: 40);
        return new KernelInstance(w1, w2, cos, kernel, bisector, Rational.Max(lo, 0), hi, CheckIdentity(xs, w1, w2, kernel));
    }

    /// <summary>The notes' identity from the proof: [w1,w2]_Z = ¼E[relu⟨X,s⟩²] − ¼E[⟨X,s⟩² 1_B] − ¼E[⟨X,δ⟩² 1_A], checked exactly.</summary>
    private static bool CheckIdentity(Rational[][] xs, Rational[] w1, Rational[] w2, Rational kernel)
    {
        Rational n = xs.Length, right = 0;
        foreach (var x in xs)
        {
            Rational a1 = Matrices.Dot(w1, x), a2 = Matrices.Dot(w2, x), sum = a1 + a2, diff = a2 - a1;
            bool inA = a1 > 0 && a2 > 0, inB = !inA && sum > 0;
            right += (Relu(sum) * Relu(sum) - (inB ? sum * sum : 0) - (inA ? diff * diff : 0)) / (4 * n);
        }
        return right == kernel;
    }


    private static Rational Relu(Rational z) => z.Sign > 0 ? z : 0;

    /// <summary>A rational point of the unit sphere S^{d−1}: (2t, |t|² − 1)/(|t|² + 1) for seeded t ∈ Q^{d−1}; seed 0 gives e_{1+which}.</summary>
    public static Rational[] UnitVector(int d, int seed, int which)
    {
        var w = new Rational[d];
        if (seed == 0) { for (int i = 0; i < d; i++) w[i] = i == which % d ? 1 : 0; return w; }
        var rng = new Random(seed * 31 + which);
        var t = Enumerable.Range(0, d - 1).Select(_ => Rational.Create(rng.Next(-4, 5), rng.Next(1, 4))).ToArray();
        return Sphere.FromStereographic(t, negate: d == 1 && rng.Next(2) == 0);
    }

    public JsonObject Evidence() => new()
    {
        ["w1"] = Vector(W1), ["w2"] = Vector(W2), ["cosAlpha"] = Cos.ToString(), ["kernel"] = Kernel.ToString(),
        ["bisectorNorm"] = BisectorNorm.ToString(), ["sigmaNorm"] = new JsonArray(SigmaLo.ToString(), SigmaHi.ToString()),
        ["sigmaNormApprox"] = SigmaHi.ToDouble(), ["identityFromTheProof"] = IdentityHolds,
    };

    public static JsonArray Vector(Rational[] v) => new(v.Select(x => (JsonNode?)x.ToString()).ToArray());
}

/// <summary>The facts a relu-kernel certificate carries: the two unit vectors and the enclosure of ‖Σ_X‖.</summary>
public sealed record KernelFacts(KernelInstance K) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["w1"] = KernelInstance.Vector(K.W1), ["w2"] = KernelInstance.Vector(K.W2),
        ["sigmaNormLower"] = K.SigmaLo.ToString(), ["sigmaNormUpper"] = K.SigmaHi.ToString(),
    };
}

/// <summary>Prop 2.3 and the two remarks after it, on finite rational distributions.</summary>
public abstract class ReluKernelClaim : Claim
{
    public override string Source => "Freeman, Bruna (002), Proposition 2.3 and the remarks after it";
    public override IReadOnlyList<string> LocusKinds => ["pair"];
    public override IReadOnlyList<Hypothesis> Hypotheses => [TwoReluUnits];

    public static readonly Hypothesis TwoReluUnits = Hypothesis.OnSpec("X uniform on the spec's inputs; w1, w2 the two relu units of a bias-free [d, 2, 1] layer, d ≥ 2",
        s => s.Depth != 2 || s.Widths[1] != 2 || s.Bias || !s.HiddenActivations[0].IsRelu
            ? "the spec is not a bias-free relu layer of 2 units ([d, 2, 1], relu, no biases)"
            : s.InputWidth < 2 ? "d = 1: the angle is 0 or π only" : null);

    /// <summary>The verdict from the two exact sides of an inequality "left ≤ right" where left or right may be enclosed.</summary>
    protected static int? Compare(Rational leftLo, Rational leftHi, Rational rightLo, Rational rightHi) =>
        leftHi <= rightLo ? -1 : leftLo > rightHi ? 1 : null;

    protected override Verdict Decide(ClaimInstance c)
    {
        if (KernelInstance.Of(c.Spec, c, out var why) is not { } k) return Verdict.OutOfHypotheses(why);
        var (holds, statement) = Judge(k);
        var evidence = k.Evidence();
        return holds switch
        {
            true => Verdict.Certified(statement + " (exact; ‖Σ_X‖ enclosed by exact LDLᵀ bisection)", evidence, new KernelFacts(k)),
            false => Verdict.Refuted(statement + " (exact; ‖Σ_X‖ enclosed by exact LDLᵀ bisection)", evidence, new KernelFacts(k)),
            _ => Verdict.Inconclusive($"{statement}: the enclosure [{k.SigmaLo}, {k.SigmaHi}] of ‖Σ_X‖ does not decide it (instance: {c})"),
        };
    }

    /// <summary>Whether the statement holds on the instance (null: undecided by the enclosure), with the numbers.</summary>
    protected abstract (bool? Holds, string Statement) Judge(KernelInstance k);

    /// <summary>Small finite distributions on Q^d (d = 2, 3; 1 to 5 points) and seeded unit vectors.</summary>
    public override Gen<ClaimInstance> Generator =>
        from d in Gen.Choose(2, 3)
        from count in Gen.Choose(1, 5)
        from xs in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, d), count)
        from seed in Gen.Choose(0, 100000)
        select new ClaimInstance(Id, Distribution(xs), [seed], Construction: LocusKinds[0]);

    public static NetworkSpec Distribution(Rational[][] xs) => new()
    {
        Widths = [xs[0].Length, 2, 1], HiddenActivations = [Activation.Relu], OutputActivation = Activation.Identity, Bias = false,
        Loss = LossKind.Mse, WeightDecay = 0, X = xs, Y = xs.Select(_ => new Rational[] { 0 }).ToArray(),
    };

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        var s = instance.Spec;
        if (s.SampleCount > 1)
            for (int i = 0; i < s.SampleCount; i++)
                yield return instance with { Spec = Distribution(s.X.Where((_, k) => k != i).ToArray()) };
        if (s.X.Any(r => r.Any(v => !v.IsInteger)))
            yield return instance with { Spec = Distribution(s.X.Select(r => r.Select(v => (Rational)(long)(v.Numerator / v.Denominator)).ToArray()).ToArray()) };
        if (instance.Seed != 0) yield return instance with { Locus = [0] };
    }
}

/// <summary>F-2.3 = Prop 2.3, eq. (7): (1+cos α)/2·‖w_m‖²_Z − 2‖Σ_X‖((1−cos α)/2 + sin²α) ≤ [w1,w2]_Z ≤ (1+cos α)/2·‖w_m‖²_Z.</summary>
public sealed class ReluKernelBounds : ReluKernelClaim
{
    public override string Id => "freeman.2.3";
    public override string Statement => "(1+cos α)/2·‖w_m‖²_Z − 2‖Σ_X‖((1−cos α)/2 + sin²α) ≤ [w1,w2]_Z ≤ (1+cos α)/2·‖w_m‖²_Z";

    protected override (bool?, string) Judge(KernelInstance k)
    {
        if (k.Kernel > k.Upper) return (false, $"[w1,w2]_Z = {k.Kernel} > (1+cos α)/2·‖w_m‖²_Z = {k.Upper}");
        // lower = Upper − LowerSlope·‖Σ‖ with LowerSlope ≥ 0: it lies in [Upper − slope·σ_hi, Upper − slope·σ_lo].
        return Compare(k.Upper - k.LowerSlope * k.SigmaHi, k.Upper - k.LowerSlope * k.SigmaLo, k.Kernel, k.Kernel) switch
        {
            -1 => (true, $"{k.Upper} − {k.LowerSlope}·‖Σ_X‖ ≤ [w1,w2]_Z = {k.Kernel} ≤ {k.Upper}"),
            1 => (false, $"the lower bound {k.Upper} − {k.LowerSlope}·‖Σ_X‖ exceeds [w1,w2]_Z = {k.Kernel}"),
            _ => (null, "the lower bound of (7)"),
        };
    }
}

/// <summary>R1 (known false), right after Prop 2.3: [w1,w2]_Z ≤ ⟨w1,w2⟩‖w_m‖²_Z ≤ ‖Σ_X‖⟨w1,w2⟩.</summary>
public sealed class ReluKernelRemark1 : ReluKernelClaim
{
    public override string Id => "freeman.2.3-r1";
    public override string Statement => "[w1,w2]_Z ≤ ⟨w1,w2⟩‖w_m‖²_Z ≤ ‖Σ_X‖⟨w1,w2⟩";
    public override Expectation Expected => Expectation.KnownFalse;

    protected override (bool?, string) Judge(KernelInstance k)
    {
        var middle = k.Cos * k.BisectorNorm;
        if (k.Kernel > middle) return (false, $"[w1,w2]_Z = {k.Kernel} > ⟨w1,w2⟩‖w_m‖²_Z = {middle}");
        // ‖Σ‖⟨w1,w2⟩ lies between cos·σ_lo and cos·σ_hi (in either order by the sign of cos).
        Rational a = k.Cos * k.SigmaLo, b = k.Cos * k.SigmaHi;
        return Compare(middle, middle, Rational.Min(a, b), Rational.Max(a, b)) switch
        {
            -1 => (true, $"[w1,w2]_Z = {k.Kernel} ≤ {middle} ≤ ‖Σ_X‖⟨w1,w2⟩"),
            1 => (false, $"⟨w1,w2⟩‖w_m‖²_Z = {middle} > ‖Σ_X‖⟨w1,w2⟩ ∈ [{Rational.Min(a, b)}, {Rational.Max(a, b)}]"),
            _ => (null, "the second inequality of R1"),
        };
    }
}

/// <summary>
/// R2 (known false): (2/(3‖Σ_X‖))⟨w1,w2⟩ ≤ [w1,w2]_Z + O(α⁴). The O(α⁴) term is not specified, so the remark is decidable
/// at α = 0 only, where it reads 2/(3‖Σ_X‖) ≤ ‖w‖²_Z: instances "equal:SEED".
/// </summary>
public sealed class ReluKernelRemark2 : ReluKernelClaim
{
    public override string Id => "freeman.2.3-r2";
    public override string Statement => "at α = 0 (w1 = w2 = w): 2/(3‖Σ_X‖) ≤ ‖w‖²_Z";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<string> LocusKinds => ["equal"];
    public override IReadOnlyList<Hypothesis> Hypotheses => [TwoReluUnits, Hypothesis.OnSpec("Σ_X ≠ 0 (some input is not 0)",
        s => s.X.All(x => x.All(v => v.IsZero)) ? "every input is 0: Σ_X = 0 and 2/(3‖Σ_X‖) is undefined" : null)];

    protected override (bool?, string) Judge(KernelInstance k)
    {
        if (k.SigmaLo.IsZero) return (null, "‖Σ_X‖'s enclosure reaches 0");
        var norm = k.Kernel; // [w,w]_Z = ‖w‖²_Z
        return Compare(2 / (3 * k.SigmaHi), 2 / (3 * k.SigmaLo), norm, norm) switch
        {
            -1 => (true, $"2/(3‖Σ_X‖) ≤ {2 / (3 * k.SigmaLo)} ≤ ‖w‖²_Z = {norm}"),
            1 => (false, $"2/(3‖Σ_X‖) ≥ {2 / (3 * k.SigmaHi)} > ‖w‖²_Z = {norm}"),
            _ => (null, "R2 at α = 0"),
        };
    }
}
