using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Claims.Milne;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Scalars;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Numeric;

/// <summary>
/// C-3.2 in double precision, for networks beyond the exact layer (e.g. 10-64-64-64-1): at a point of the core
/// locus (free parameters drawn as PyTorch initialises them, seed 1), ‖∇L‖∞ ≤ τ and ‖H − H₀‖_F ≤ τ, where H₀ is 2N
/// on the b_ℓ diagonal and 0 elsewhere. By Weyl's inequality H then has m eigenvalues within τ of 2N and P − m in
/// [−τ, τ], without an eigendecomposition. τ = 1e-9·2N: on the locus most entries are exact zeros in floating point
/// too, and the others are sums of N products of size O(1) rounded at 2⁻⁵³.
/// </summary>
public sealed class NumericCoreLocus : CooperLocusClaim
{
    public override string Id => "cooper.3.2-numeric";
    protected override string Theorem => "Theorem 3.2 (corrected), numeric engine";
    public override string Statement => "on the core locus of a large network: gradient 0 and Hessian 2N·I_m on b_ℓ, 0 elsewhere, to tolerance τ = 1e-9·2N";
    protected override int LocusIndices => 2;

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = c.Spec;
        var layout = net.Layout;
        var locus = LocusOf(c);
        var theta = RandomNetworks.DefaultInitialisation(net, 1);
        foreach (var (p, q) in locus.Fixed) theta[p] = q.ToDouble();
        var engine = Backends.ForClaim(net, theta);
        int n = layout.Count, m = net.OutputWidth;
        double twoN = 2.0 * net.SampleCount, tau = 1e-9 * twoN;
        double gradient = engine.Gradient.Max(Math.Abs);
        var h = engine.Hessian();
        double deviation = 0;
        foreach (var x in h) deviation += x * x;
        foreach (var p in layout.BiasesOf(net.Depth))
        {
            double x = h[(long)p * n + p];
            deviation += (x - twoN) * (x - twoN) - x * x; // the b_ℓ diagonal is compared with 2N, not 0
        }
        deviation = Math.Sqrt(Math.Max(0, deviation));
        var lanczos = Spectrum.Lanczos(engine.Lanczos, n, Math.Min(n, 20)); // on the device with --backend gpu
        var evidence = new JsonObject
        {
            ["locus"] = locus.Name, ["parameters"] = n, ["tolerance"] = tau, ["maxAbsGradient"] = gradient,
            ["frobeniusDeviation"] = deviation, ["lanczosLargest"] = lanczos.Largest, ["lanczosSmallest"] = lanczos.Smallest,
        };
        return gradient <= tau && deviation <= tau
            ? Verdict.HoldsToTolerance($"‖∇L‖∞ = {gradient:G3}, ‖H − H₀‖_F = {deviation:G3} ≤ τ = {tau:G3}: {m} eigenvalue(s) within τ of 2N = {twoN}, {n - m} in [−τ, τ] (Weyl), P = {n}", evidence)
            : Verdict.FailsToTolerance($"‖∇L‖∞ = {gradient:G3}, ‖H − H₀‖_F = {deviation:G3}, tolerance τ = {tau:G3}", evidence);
    }

    protected override Gen<Activation> Activations => Gen.Elements<Activation>(Activation.Tanh, Activation.Swish, Activation.Identity);

    public override Gen<ClaimInstance> Generator =>
        from depth in Gen.Choose(3, 5)
        from width in Gen.Choose(4, 24)
        from m in Gen.Choose(1, 3)
        from n in Gen.Choose(4, 32)
        from sigma in Activations
        from seed in Gen.Choose(1, 10000)
        from i in Gen.Choose(1, depth - 2)
        from j in Gen.Choose(i + 1, depth - 1)
        select new ClaimInstance(Id, RandomNetworks.Spec([5, .. Enumerable.Repeat(width, depth - 1), m], sigma, n, seed, LossKind.Sse), [i, j]);
}

/// <summary>
/// C-5.16 in double precision at global minima of wide networks with transcendental σ (which the exact layer cannot
/// build): hidden layers as PyTorch initialises them (seed), last layer the minimum-norm solution of V [Φ; 1ᵀ] = Y.
/// Zero eigenvalues are counted by numerical rank: |λ| ≤ 1e-9·λ_max, and r = rank [Φ; 1ᵀ] with singular values
/// below 1e-9·σ_max counted as 0. Also reported: whether the count is P − Nm (C-gm's rank statement).
/// </summary>
public sealed class NumericZeroEigenvalues : Claim
{
    public override string Id => "cooper.5.16-numeric";
    public override string Source => "Cooper (004), Lemmas 5.15–5.16 (reconstructed), numeric engine at global minima";
    public override string Statement => "at a global minimum of a wide network, #{|λ| ≤ 1e-9·λmax} ≥ m(n_{ℓ−1} + 1 − rank[Φ; 1ᵀ])";
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [.. CooperHypotheses.Setting("the fibre is (W_ℓ, b_ℓ)"), SettingHypotheses.SomeHiddenLayer, CooperHypotheses.AugmentedFeaturesCanSpan, CooperHypotheses.SmoothAtThePoint];
    public override IReadOnlyList<string> LocusKinds => ["global-min"];

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = c.Spec;
        int l = net.Depth, h = net.Widths[l - 1], samples = net.SampleCount, m = net.OutputWidth;
        var theta = RandomNetworks.DefaultInitialisation(net, c.Seed);
        var layout = net.Layout;
        foreach (var q in Fibres.LastLayer(net)) theta[q] = 0;
        DenseNetwork hidden;
        try { hidden = new DenseNetwork(net, theta); }
        catch (NonSmoothPointException e) { return Verdict.OutOfHypotheses("not smooth at the point: " + e.Message); }
        var phi = hidden.Activations(l - 1);
        var a = Matrix<double>.Build.Dense(h + 1, samples, (k, i) => k < h ? phi[i * h + k] : 1);
        var svd = a.Svd();
        double smax = svd.S.Maximum();
        int r = svd.S.Count(s => s > 1e-9 * smax);
        var y = Matrix<double>.Build.Dense(samples, m, (i, o) => net.Y[i][o].ToDouble());
        var v = a.Transpose().Svd().Solve(y); // (h+1) × m, the minimum-norm least-squares solution of Aᵀ V = Y
        for (int o = 0; o < m; o++)
        {
            for (int k = 0; k < h; k++) theta[layout.Weight(l, o, k)] = v[k, o];
            theta[layout.BiasIndex(l, o)] = v[h, o];
        }
        var engine = Backends.ForClaim(net, theta);
        double scale = net.Y.Sum(row => row.Sum(q => q.ToDouble() * q.ToDouble()));
        if (engine.Loss > 1e-18 * Math.Max(1, scale)) return Verdict.OutOfHypotheses($"no zero-loss point in this fibre (L = {engine.Loss:G3} after least squares; rank [Φ; 1ᵀ] = {r} < N?)");
        int p = layout.Count;
        var eigenvalues = Spectrum.Eigenvalues(engine.Hessian(), p, overwrite: true);
        double lmax = eigenvalues.Max(Math.Abs), threshold = 1e-9 * lmax;
        int zeros = eigenvalues.Count(e => Math.Abs(e) <= threshold);
        int bound = m * (h + 1 - r);
        var evidence = new JsonObject
        {
            ["parameters"] = p, ["loss"] = engine.Loss, ["augmentedFeatureRank"] = r, ["bound"] = bound, ["zeroEigenvalues"] = zeros,
            ["threshold"] = threshold, ["largestEigenvalue"] = eigenvalues[^1], ["smallestEigenvalue"] = eigenvalues[0],
            ["zeroCountIsPMinusNm"] = zeros == p - samples * m,
        };
        return zeros >= bound
            ? Verdict.HoldsToTolerance($"{zeros} eigenvalues with |λ| ≤ {threshold:G3} ≥ m(n_ℓ−1 + 1 − r) = {bound} (r = {r}, P = {p}; P − Nm = {p - samples * m})", evidence)
            : Verdict.FailsToTolerance($"{zeros} eigenvalues with |λ| ≤ {threshold:G3} < m(n_ℓ−1 + 1 − r) = {bound}", evidence);
    }

    public override Gen<ClaimInstance> Generator =>
        from depth in Gen.Choose(2, 4)
        from width in Gen.Choose(4, 16)
        from n in Gen.Choose(2, Math.Min(12, width + 1))
        from m in Gen.Choose(1, 2)
        from sigma in Gen.Elements<Activation>(Activation.Tanh, Activation.Sigmoid, Activation.Swish, new Softplus(1))
        from seed in Gen.Choose(1, 10000)
        select new ClaimInstance(Id, RandomNetworks.Spec([3, .. Enumerable.Repeat(width, depth - 1), m], sigma, n, seed, LossKind.Sse), [seed], Construction: "global-min");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance) => [];
}

/// <summary>
/// Milne's Theorem 3 in double precision on larger ReLU networks: for W in U(λ, θ), the switch-frozen Hessian of
/// ℓ_λ = ℓ + (λ/2)‖W‖² is ⪰ θ I. Instance "teacher:SEED": targets made by a teacher network W* of the same
/// architecture (so ℓ(W*) = 0, deep inside U), then W = W* + sD moved along a random direction D until
/// ℓ(W)^{1/2} ‖W‖_*^{H−1} reaches 99 % of (λ − θ)/(2H(H+1) r), near the boundary where a wrong constant would show.
/// θ = λ/2. ‖W‖_* = max_i ‖W_i‖₂ (singular values), r = max_i ‖x_i‖₂. Verdict: λ_min(∇²ℓ_λ) ≥ θ − τ, τ = 1e-9·(1 + ‖H‖₂).
/// </summary>
public sealed class NumericPiecewiseConvexity : Claim
{
    public override string Id => "milne.theorem3-numeric";
    public override string Source => "Milne (000), Theorem 3, numeric engine";
    public override string Statement => "W ∈ U(λ, θ) ⇒ the switch-frozen Hessian of ℓ + (λ/2)‖W‖² is ⪰ θ I (θ = λ/2; W near the boundary of U)";
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [.. MilneHypotheses.Setting, SettingHypotheses.PositiveWeightDecay, MilneHypotheses.ReluHidden, MilneHypotheses.SmoothAtThePoint, MilneHypotheses.InU];
    public override IReadOnlyList<string> LocusKinds => ["teacher"];

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = c.Spec;
        double lambda = net.WeightDecay.ToDouble(), theta = lambda / 2;
        int hiddenLayers = net.Depth - 1;
        double r = net.X.Max(x => Math.Sqrt(x.Sum(q => q.ToDouble() * q.ToDouble())));
        double bound = (lambda - theta) / (2 * hiddenLayers * (hiddenLayers + 1) * r);
        // Targets from the teacher, written exactly as the doubles they are.
        var teacher = RandomNetworks.DefaultInitialisation(net, c.Seed);
        NetworkSpec student;
        try
        {
            var outputs = new DenseNetwork(net, teacher).Activations(net.Depth);
            student = net.With(y: outputs.Select(o => new[] { Rational.FromDouble(o) }).ToArray());
        }
        catch (NonSmoothPointException e) { return Verdict.OutOfHypotheses("teacher not smooth at the data: " + e.Message); }
        var rng = new Random(c.Seed + 1);
        var direction = teacher.Select(_ => rng.NextDouble() - 0.5).ToArray();
        double normW = Math.Sqrt(teacher.Sum(t => t * t)), normD = Math.Sqrt(direction.Sum(t => t * t));
        for (int i = 0; i < direction.Length; i++) direction[i] *= normW / normD;
        double Excess(double s) => Membership(student, Shift(teacher, direction, s), lambda) - 0.99 * bound;
        double lo = 0, hi = 1e-3;
        while (Excess(hi) < 0 && hi < 1e3) { lo = hi; hi *= 2; }
        if (Excess(hi) < 0) return Verdict.Inconclusive("the path W* + sD did not leave U(λ, θ) for s ≤ 1000");
        for (int step = 0; step < 50; step++) { double mid = 0.5 * (lo + hi); if (Excess(mid) < 0) lo = mid; else hi = mid; }
        var w = Shift(teacher, direction, lo);
        DenseNetwork engine;
        try { engine = new DenseNetwork(student, w); }
        catch (NonSmoothPointException e) { return Verdict.OutOfHypotheses("not smooth at the point: " + e.Message); }
        int p = student.ParameterCount;
        var eigenvalues = Spectrum.Eigenvalues(engine.Hessian(), p, overwrite: true);
        double norm = eigenvalues.Max(Math.Abs), tau = 1e-9 * (1 + norm), lmin = eigenvalues[0];
        var evidence = new JsonObject
        {
            ["lambda"] = lambda, ["theta"] = theta, ["r"] = r, ["uBound"] = bound, ["membership"] = Membership(student, w, lambda),
            ["step"] = lo, ["smallestEigenvalue"] = lmin, ["tolerance"] = tau, ["parameters"] = p,
        };
        return lmin >= theta - tau
            ? Verdict.HoldsToTolerance($"W in U(λ, θ) at {Membership(student, w, lambda) / bound:P1} of the bound; λ_min(∇²ℓ_λ) = {lmin:G6} ≥ θ = {theta} (P = {p})", evidence)
            : Verdict.FailsToTolerance($"W in U(λ, θ) but λ_min(∇²ℓ_λ) = {lmin:G6} < θ = {theta} − τ", evidence);
    }

    private static double[] Shift(double[] w, double[] d, double s) => w.Zip(d, (a, b) => a + s * b).ToArray();

    /// <summary>ℓ(W)^{1/2} ‖W‖_*^{H−1}, with ℓ the loss without the regulariser.</summary>
    private static double Membership(NetworkSpec net, double[] w, double lambda)
    {
        var layout = net.Layout;
        double ell;
        try { ell = new DenseNetwork(net, w).Loss - 0.5 * lambda * w.Sum(t => t * t); }
        catch (NonSmoothPointException) { return double.PositiveInfinity; }
        double star = 0;
        for (int k = 1; k <= net.Depth; k++)
        {
            var weights = layout.WeightsOf(k).Select(p => w[p]).ToArray();
            var matrix = Matrix<double>.Build.Dense(net.Widths[k], net.Widths[k - 1], (i, j) => weights[i * net.Widths[k - 1] + j]);
            star = Math.Max(star, matrix.L2Norm());
        }
        return Math.Sqrt(Math.Max(0, ell)) * Math.Pow(star, net.Depth - 2);
    }

    public override Gen<ClaimInstance> Generator =>
        from depth in Gen.Choose(2, 4)
        from width in Gen.Choose(2, 16)
        from n in Gen.Choose(4, 24)
        from lambda in Gen.Elements(Rational.Create(1, 10), Rational.Create(2, 5), Rational.One)
        from seed in Gen.Choose(1, 10000)
        select new ClaimInstance(Id, RandomNetworks.Spec([3, .. Enumerable.Repeat(width, depth - 1), 1], Activation.Relu, n, seed)
                                         .With(bias: false, decay: lambda), [seed], Construction: "teacher");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance) => [];
}
