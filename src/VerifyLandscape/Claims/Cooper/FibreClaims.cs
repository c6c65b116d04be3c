using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;
using VerifyLandscape.Symbolic;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Cooper;

/// <summary>
/// Claims about points built in a fibre (hidden layers from a seed, see <see cref="Fibres"/>): Cooper's
/// global-minimum manifold and the fibre quadratic. Piecewise-linear σ is allowed here: the switches are
/// frozen at the point, and a pre-activation exactly 0 puts the instance out of hypotheses.
/// </summary>
public abstract class FibreClaim : Claim
{
    protected abstract string Theorem { get; }
    protected abstract string Construction { get; }
    public override string Source => "Cooper (004), " + Theorem;

    public override IReadOnlyList<string> LocusKinds => [Construction];

    /// <summary>Cooper's setting and a hidden layer; each claim adds its own (<see cref="ClaimHypotheses"/>).</summary>
    public sealed override IReadOnlyList<Hypothesis> Hypotheses =>
        [.. CooperHypotheses.Setting("the fibre is (W_ℓ, b_ℓ)"), SettingHypotheses.SomeHiddenLayer, .. ClaimHypotheses, CooperHypotheses.SmoothAtThePoint];

    protected abstract IReadOnlyList<Hypothesis> ClaimHypotheses { get; }

    /// <summary>The constructed global minimum, else the hidden layers of the seed with the last layer 0.</summary>
    public override Rational[]? ConcretePoint(ClaimInstance c) => BuildGlobalMinimum(c, out _)?.Point ?? Fibres.HiddenLayers(c.Spec, c.Seed);

    /// <summary>Instances with the last hidden layer wide enough for the fibre to hold zero-loss points.</summary>
    protected Gen<ClaimInstance> FibreGenerator(Gen<Activation> activations, Func<NetworkSpec, bool> fits) =>
        from depth in Gen.Choose(2, 4)
        from c in NetworkCases.Generator(activations, minDepth: depth, maxDepth: depth, maxWidth: 5, maxSamples: 4,
                                         losses: [LossKind.Sse], bias: true, maxOutputs: 3, outputs: Gen.Constant(Activation.Identity))
        from seed in Gen.Choose(1, 10000)
        let spec = c.Spec.With(decay: Rational.Zero)
        where fits(spec)
        select new ClaimInstance(Id, spec, [seed], Construction: Construction);

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        foreach (var c in NetworkCases.Shrink(new NetworkCase(instance.Spec, 0)))
            if (c.Spec.Depth >= 2 && c.Spec.WeightDecay.IsZero && c.Spec.OutputActivation is IdentityActivation)
                yield return instance with { Spec = c.Spec };
        if (instance.Seed != 1) yield return instance with { Locus = [1] };
    }


    /// <summary>
    /// A global minimum built exactly: hidden layers from the seed, the last layer solving V A = Y.
    /// Null (with the reason) when σ is transcendental or no zero-loss point lies in this fibre.
    /// </summary>
    public static (Rational[] Point, Rational[,] A)? BuildGlobalMinimum(ClaimInstance c, out string why)
    {
        var net = c.Spec;
        var hidden = Fibres.HiddenLayers(net, c.Seed);
        Rational[,] a;
        try { a = Fibres.AugmentedFeatures(net, hidden); }
        catch (NotExactException)
        {
            why = $"σ = {string.Join(", ", net.HiddenActivations.Select(s => s.Name).Distinct())} makes the features transcendental, so no global minimum with rational data can be written down exactly (the numeric engine checks these)";
            return null;
        }
        if (Fibres.GlobalMinimum(net, hidden, a) is not { } theta)
        {
            why = $"Y is not in the row space of [Φ; 1ᵀ] (rank {ExactLinearAlgebra.Rank(a)}, N = {net.SampleCount}): no zero-loss point in this fibre";
            return null;
        }
        why = "";
        return (theta, a);
    }
}

/// <summary>
/// C-gm: for P > N·m, at a global minimum (L = 0) whose Jacobian J (Nm × P) of θ ↦ (f(x_i))_i has rank Nm,
/// the zero set is locally a manifold of dimension P − Nm (implicit function theorem), the Hessian is 2JᵀJ,
/// and it has exactly Nm positive eigenvalues: inertia (Nm, 0, P − Nm).
/// </summary>
public sealed class GlobalMinimumManifold : FibreClaim
{
    public override string Id => "cooper.gm";
    protected override string Theorem => "§4 (from Cooper 2018): the global-minimum manifold";
    protected override string Construction => "global-min";
    public override string Statement => "at a global minimum with rank J = Nm < P: the zero set has dimension P − Nm, H = 2JᵀJ, inertia (Nm, 0, P − Nm)";
    protected override IReadOnlyList<Hypothesis> ClaimHypotheses => [CooperHypotheses.OverParameterised, CooperHypotheses.ZeroLoss, CooperHypotheses.FullRankJacobian];

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = c.Spec;
        int p = net.ParameterCount, nm = net.SampleCount * net.OutputWidth;
        if (BuildGlobalMinimum(c, out var why) is not var (theta, _)) return Verdict.OutOfHypotheses(why);
        var at = new NetworkDerivatives<Rational>(net, theta);
        if (!at.Loss.IsZero) return Verdict.Refuted($"the constructed point has L = {at.Loss} ≠ 0 (construction error)", []);
        var j = Jacobian(net, theta);
        int rank = ExactLinearAlgebra.Rank(j);
        if (rank != nm) return Verdict.OutOfHypotheses($"rank J = {rank} < N·m = {nm} at this global minimum");
        var hessian = at.Hessian();
        for (int r = 0; r < p; r++)
            for (int s = 0; s < p; s++)
            {
                var gaussNewton = Rational.Zero;
                for (int k = 0; k < nm; k++) gaussNewton += j[k, r] * j[k, s];
                gaussNewton *= 2;
                if (hessian[r, s] != gaussNewton)
                    return Verdict.Refuted($"H[{net.Layout.Name(r)}, {net.Layout.Name(s)}] = {hessian[r, s]} but (2JᵀJ) = {gaussNewton}",
                        new JsonObject { ["point"] = Evidence.Point(net.Layout, theta) });
            }
        var inertia = ExactLinearAlgebra.InertiaOf(hessian);
        var evidence = new JsonObject
        {
            ["point"] = Evidence.Point(net.Layout, theta), ["loss"] = "0", ["jacobianRank"] = rank,
            ["manifoldDimension"] = p - rank, ["hessian"] = "2JᵀJ (exact)", ["inertia"] = inertia.ToString(),
        };
        var facts = new FactsAtPoint(net.Layout, theta, at.Loss, hessian);
        return inertia == new Inertia(nm, 0, p - nm)
            ? Verdict.Certified($"at the global minimum built from seed {c.Seed}: L = 0, rank J = {nm}, so the zero set is locally a manifold of dimension P − Nm = {p - nm}; H = 2JᵀJ exactly; inertia {inertia} by exact LDLᵀ", evidence, facts)
            : Verdict.Refuted($"inertia {inertia}, expected ({nm}, 0, {p - nm})", evidence, facts);
    }

    /// <summary>
    /// J, row (i, o) = ∇θ f_o(x_i), by reverse mode only: at a zero-loss point, shifting the target y_io by −½
    /// makes the residual ½·e_io, and then ∇L = 2·½·∇f_o(x_i). (The Hessian comes from the R-operator instead.)
    /// </summary>
    public static Rational[,] Jacobian(NetworkSpec net, Rational[] theta)
    {
        int n = net.SampleCount, m = net.OutputWidth, p = net.ParameterCount;
        var j = new Rational[n * m, p];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < m; o++)
            {
                var y = net.Y.Select(r => (Rational[])r.Clone()).ToArray();
                y[i][o] -= Rational.Half;
                var gradient = new NetworkDerivatives<Rational>(net.With(y: y), theta).Gradient;
                for (int q = 0; q < p; q++) j[i * m + o, q] = gradient[q];
            }
        return j;
    }

    public override Gen<ClaimInstance> Generator => FibreGenerator(
        Gen.Elements<Activation>(new PolynomialActivation([0, 1, Rational.Half]), new PolynomialActivation([Rational.Create(1, 3), 1, Rational.Create(-1, 4)]),
                                 Activation.Relu, new LeakyRelu(Rational.Create(1, 10)), Activation.Identity),
        s => s.ParameterCount > s.SampleCount * s.OutputWidth && s.Widths[s.Depth - 1] + 1 >= s.SampleCount);
}

/// <summary>
/// C-5.7/5.8/5.9: with the first ℓ−1 layers fixed and n_{ℓ−1} ≥ N, L is a quadratic in V = (W_ℓ, b_ℓ);
/// if Φ has rank N, every critical point of that quadratic is a global minimum with L = 0, and from any
/// other point of the fibre the straight line to a global minimum decreases L strictly.
/// </summary>
public sealed class FibreQuadratic : FibreClaim
{
    public override string Id => "cooper.5.8";
    protected override string Theorem => "Lemmas 5.7–5.9 (the fibre quadratic)";
    protected override string Construction => "fibre";
    public override string Statement => "n_{ℓ−1} ≥ N and rank Φ = N: fibre critical points are global minima (L = 0), and L decreases strictly along the line to one";
    protected override IReadOnlyList<Hypothesis> ClaimHypotheses => [CooperHypotheses.LastHiddenAtLeastN, CooperHypotheses.FullRankFeatures];

    protected override Verdict Decide(ClaimInstance c)
    {
        var net = c.Spec;
        int h = net.Widths[net.Depth - 1], n = net.SampleCount;
        var hidden = Fibres.HiddenLayers(net, c.Seed);
        Rational[,] a;
        try { a = Fibres.AugmentedFeatures(net, hidden); }
        catch (NotExactException) { return DecideByEnclosures(c, hidden); }
        var phi = new Rational[h, n];
        for (int k = 0; k < h; k++) for (int i = 0; i < n; i++) phi[k, i] = a[k, i];
        var transposed = new Rational[n, h];
        for (int k = 0; k < h; k++) for (int i = 0; i < n; i++) transposed[i, k] = phi[k, i];
        var independentRows = ExactLinearAlgebra.RowReduce(transposed); // pivot columns of Φᵀ: rows of Φ with a non-singular minor
        int rank = independentRows.Count;
        if (rank < n) return Verdict.OutOfHypotheses($"rank Φ = {rank} < N = {n} at the hidden layers of seed {c.Seed}");

        // 1. Every critical point of the quadratic is a global minimum: the critical equations are the normal
        //    equations A Aᵀ v_o = A y_o (one per output row v_o); every solution must give zero residuals Aᵀ v_o = y_o.
        var evidence = new JsonObject
        {
            ["hiddenLayers"] = $"random rationals, seed {c.Seed}", ["rankPhi"] = rank,
            ["minorRows"] = new JsonArray(independentRows.Select(r => (JsonNode)r).ToArray()),
        };
        int dimension = 0;
        for (int o = 0; o < net.OutputWidth; o++)
        {
            var (particular, kernel) = SolveNormalEquations(a, net.Y.Select(y => y[o]).ToArray());
            dimension += kernel.Count;
            if (Residual(a, particular, net.Y.Select(y => y[o]).ToArray()).Any(r => !r.IsZero))
                return Verdict.Refuted($"a critical point of the fibre quadratic (output {o}) has non-zero residual", evidence);
            if (kernel.Any(k => Residual(a, k, new Rational[n]).Any(r => !r.IsZero)))
                return Verdict.Refuted($"the critical set of output {o} contains points with non-zero loss", evidence);
        }
        evidence["criticalSetDimension"] = dimension;

        // 2. The straight line to a minimiser V*: L(V* + s(V − V*)) = s² L(V) as polynomials in s and a generic V.
        var minimum = Fibres.GlobalMinimum(net, hidden, a)!;
        var layout = net.Layout;
        var s = Sym.Variable(Symbols.Parameter("s"));
        var line = new Sym[layout.Count];
        var end = new Sym[layout.Count];
        for (int p = 0; p < layout.Count; p++) line[p] = end[p] = minimum[p];
        foreach (var p in Fibres.LastLayer(net))
        {
            var v = Sym.Variable(Symbols.Parameter(layout.Name(p)));
            end[p] = v;
            line[p] = minimum[p] + s * (v - minimum[p]);
        }
        var lossOnLine = new NetworkDerivatives<Sym>(net, line).Loss;
        var lossAtEnd = new NetworkDerivatives<Sym>(net, end).Loss;
        if (!new NetworkDerivatives<Rational>(net, minimum).Loss.IsZero)
            return Verdict.Refuted("the constructed minimiser has non-zero loss", evidence);
        if (lossOnLine != s * s * lossAtEnd)
            return Verdict.Refuted($"L on the line to the minimiser is {lossOnLine}, not s²·L(V)", evidence);
        evidence["line"] = "L(V* + s(V − V*)) = s²·L(V) for a generic V (exact polynomial identity)";
        return Verdict.Certified($"rank Φ = N = {n}; every critical point of the fibre quadratic has zero residual (critical set of dimension {dimension}, exact); " +
                                 "L(V* + s(V − V*)) = s²·L(V) identically, so L decreases strictly toward V* from every point with L > 0", evidence,
                                 new FibreMinor(c.Seed, independentRows));
    }

    /// <summary>For transcendental σ: rank Φ = N proved from rigorous enclosures; the rest is then linear algebra.</summary>
    private static Verdict DecideByEnclosures(ClaimInstance c, Rational[] hidden)
    {
        var phi = Fibres.FeatureEnclosures(c.Spec, hidden);
        if (Fibres.ProveFullColumnRank(phi) is not { } rows)
            return Verdict.Inconclusive($"rank Φ = N could not be proved from interval enclosures at seed {c.Seed}");
        return Verdict.Certified($"rank Φ = N = {c.Spec.SampleCount} proved by interval elimination (rows {string.Join(",", rows)} form a non-singular minor); " +
                                 "so A = [Φ; 1ᵀ] has full column rank, the critical equations 2(VA − Y)Aᵀ = 0 force VA = Y (L = 0), and along V* + s(V − V*) the residual is s(VA − Y), so L = s²L(V)",
            new JsonObject { ["hiddenLayers"] = $"random rationals, seed {c.Seed}", ["minorRows"] = new JsonArray(rows.Select(r => (JsonNode)r).ToArray()), ["rankPhi"] = "N (interval elimination)" },
            new FibreMinor(c.Seed, rows));
    }

    /// <summary>Solves A Aᵀ v = A y exactly: a particular solution (free unknowns 0) and a basis of the kernel of A Aᵀ.</summary>
    private static (Rational[] Particular, List<Rational[]> Kernel) SolveNormalEquations(Rational[,] a, Rational[] y)
    {
        int rows = a.GetLength(0), n = a.GetLength(1);
        var gram = new Rational[rows, rows];
        var system = new Rational[rows, rows + 1];
        for (int r = 0; r < rows; r++)
        {
            for (int q = 0; q < rows; q++)
            {
                var sum = Rational.Zero;
                for (int i = 0; i < n; i++) sum += a[r, i] * a[q, i];
                gram[r, q] = system[r, q] = sum;
            }
            var rhs = Rational.Zero;
            for (int i = 0; i < n; i++) rhs += a[r, i] * y[i];
            system[r, rows] = rhs;
        }
        var pivots = ExactLinearAlgebra.RowReduce(system);
        var particular = new Rational[rows];
        for (int k = 0; k < pivots.Count; k++)
            if (pivots[k] < rows) particular[pivots[k]] = system[k, rows];
        return (particular, ExactLinearAlgebra.Nullspace(gram));
    }

    /// <summary>Aᵀ v − y.</summary>
    private static Rational[] Residual(Rational[,] a, Rational[] v, Rational[] y)
    {
        int rows = a.GetLength(0), n = a.GetLength(1);
        var r = new Rational[n];
        for (int i = 0; i < n; i++)
        {
            var sum = -y[i];
            for (int k = 0; k < rows; k++) sum += a[k, i] * v[k];
            r[i] = sum;
        }
        return r;
    }

    public override Gen<ClaimInstance> Generator => FibreGenerator(
        Gen.Elements<Activation>(Activation.Tanh, Activation.Sigmoid, Activation.Swish, new PolynomialActivation([0, 1, Rational.Half]), Activation.Relu, Activation.Identity),
        s => s.Widths[s.Depth - 1] >= s.SampleCount);
}
