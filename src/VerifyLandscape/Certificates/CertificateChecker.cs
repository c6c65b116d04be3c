using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Certificates;

/// <summary>
/// Re-verifies a certificate with code kept apart from the producer: its own locus definition,
/// its own derivatives (forward-mode hyper-dual numbers over the exact ring, one pass per
/// Hessian entry, where the producer uses reverse mode and the R-operator), and the LDLᵀ
/// factors multiplied back. It shares only the spec reader, the exact ring and the activations'
/// values. To trust a certificate, read this file.
/// </summary>
public static class CertificateChecker
{
    public sealed record Result(bool Valid, string Reason);

    private static Result Invalid(string why) => new(false, why);

    public static Result Check(JsonObject cert, string file = "<certificate>")
    {
        try { return CheckUnsafe(cert, file); }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException or KeyNotFoundException or ArgumentException or InputException)
        {
            return Invalid("malformed certificate: " + e.Message);
        }
    }

    private static Result CheckUnsafe(JsonObject cert, string file)
    {
        if ((string?)cert["format"] != CertificateWriter.Format) return Invalid($"unknown format '{cert["format"]}'");
        string claim = (string)cert["claim"]!;
        string verdict = (string)cert["verdict"]!;
        var instance = cert["instance"]!.AsObject();
        if ((string?)instance["claim"] != claim) return Invalid("the instance names another claim");
        var spec = SpecReader.Parse(System.Text.Json.JsonDocument.Parse(instance["spec"]!.ToJsonString()).RootElement, file);
        var facts = cert["facts"]!.AsObject();
        var layout = spec.Layout;
        string locusText = (string)instance["locus"]!;
        if (locusText.StartsWith("global-min:", StringComparison.Ordinal)) return CheckGlobalMinimum(claim, verdict, spec, facts);
        if (claim == "cooper.5.8") return CheckFibreQuadratic(verdict, spec, locusText, facts);
        if (claim == "milne.lemma7")
            return (string?)facts["method"] switch
            {
                "generic" => CheckNoCriticalPointGeneric(spec, verdict, facts),
                "balanced" => CheckNoCriticalPointBalanced(spec, verdict, facts),
                _ => CheckNoCriticalPoint(spec, verdict, facts),
            };
        var indices = locusText.Split(':')[1].Split(',').Select(int.Parse).ToArray();

        // 1. The locus, from Cooper's definition, must be exactly the one the certificate used.
        var fixedValues = Locus(spec, indices);
        var claimed = facts["locus"]!["fixed"]!.AsObject();
        if (claimed.Count != fixedValues.Count) return Invalid($"the locus fixes {claimed.Count} parameters, the definition fixes {fixedValues.Count}");
        foreach (var (name, value) in claimed)
        {
            if (!layout.TryIndexOf(name, out int p) || !fixedValues.TryGetValue(p, out var q)) return Invalid($"the locus fixes {name}, the definition does not");
            if (Rational.Parse((string)value!) != q) return Invalid($"the locus sets {name} = {value}, the definition sets {q}");
        }
        var generic = Enumerable.Range(0, layout.Count)
            .Select(p => fixedValues.TryGetValue(p, out var q) ? (Sym)q : Sym.Variable(Symbols.Parameter(layout.Name(p)))).ToArray();
        int m = spec.OutputWidth, n = layout.Count;

        switch (claim)
        {
            case "cooper.dim":
            {
                foreach (var (name, entry) in facts["dimensions"]!.AsObject())
                {
                    var idx = name[2..].Split(',').Select(int.Parse).ToArray();
                    int byCount = n - Locus(spec, idx).Count;
                    int byFormula = DimensionFormula(spec, idx);
                    if ((int)entry!["rank"]! != byCount || (int)entry["formula"]! != byFormula)
                        return Invalid($"dim {name}: certificate says rank {entry["rank"]}, formula {entry["formula"]}; recomputed {byCount} and {byFormula}");
                    if ((byCount == byFormula) != (verdict == "certified")) return Invalid($"dim {name}: the verdict does not follow from the facts");
                }
                return new(true, "dimensions recomputed from the definition and the formula");
            }
            case "cooper.3.1" or "cooper.3.1-without-sigma0" when verdict == "certified":
                for (int p = 0; p < n; p++)
                {
                    var g = Derivative(spec, generic, p, null);
                    if (!g.IsZero) return Invalid($"∂L/∂{layout.Name(p)} = {g} is not zero at the generic point");
                }
                return new(true, $"gradient recomputed (forward mode) and zero on all of the locus ({n - fixedValues.Count} free parameters)");
            case "cooper.3.1" or "cooper.3.1-without-sigma0":
            {
                var evidence = facts["nonCriticalPoint"]!.AsObject();
                var point = layout.Names.Select(name => Rational.Parse((string)evidence["point"]![name]!)).ToArray();
                foreach (var (p, q) in fixedValues) if (point[p] != q) return Invalid($"the point is not on the locus: {layout.Name(p)} = {point[p]}, not {q}");
                if (!layout.TryIndexOf((string)evidence["parameter"]!, out int which)) return Invalid("unknown parameter in the counterexample");
                var entry = Derivative(spec, point.Select(q => (Sym)q).ToArray(), which, null);
                var enclosure = entry.Enclose(_ => null);
                if (enclosure.ContainsZero) return Invalid($"∂L/∂{layout.Name(which)} at the point encloses to {enclosure}, which does not exclude 0");
                return new(true, $"∂L/∂{layout.Name(which)} ∈ {enclosure} at a point of the locus: not critical");
            }
            case "cooper.3.2" or "cooper.3.2-without-sigma0" or "cooper.3.2-literal":
            {
                for (int p = 0; p < n; p++)
                    if (!Derivative(spec, generic, p, null).IsZero) return Invalid($"∂L/∂{layout.Name(p)} is not zero at the generic point");
                if (CheckHessian(spec, generic, facts, out var problem) is not { } inertia) return Invalid(problem!);
                bool holds = claim != "cooper.3.2-literal" ? inertia == new Inertia(m, 0, n - m) : inertia == new Inertia(1, 0, n - 1);
                if (holds != (verdict == "certified")) return Invalid($"the verdict '{verdict}' does not follow from inertia {inertia}");
                return new(true, $"gradient and all {n * (n + 1) / 2} Hessian entries recomputed (forward mode), LDLᵀ multiplied back, inertia {inertia}");
            }
            case "cooper.5.16":
            {
                // Star locus: the last hidden layer's features are the same for every input, so rank [Φ; 1ᵀ] = 1.
                for (int p = 0; p < n; p++)
                    if (!Derivative(spec, generic, p, null).IsZero) return Invalid($"∂L/∂{layout.Name(p)} is not zero at the generic point");
                Forward(spec, generic, -1, null, out var features);
                if (features.Any(f => !f.SequenceEqual(features[0]))) return Invalid("the features differ between inputs: rank [Φ; 1ᵀ] is not 1 here");
                int bound = m * spec.Widths[spec.Depth - 1];
                if (facts["nullVectors"] is JsonObject nullVectors) return CheckNullVectors(spec, generic, features[0], verdict, nullVectors, bound);
                if (CheckHessian(spec, generic, facts, out var problem) is not { } inertia) return Invalid(problem!);
                if ((inertia.Zero >= bound) != (verdict == "certified")) return Invalid($"the verdict '{verdict}' does not follow from {inertia.Zero} zero eigenvalues and bound {bound}");
                return new(true, $"gradient and Hessian recomputed (forward mode), LDLᵀ multiplied back, inertia {inertia}; rank [Φ; 1ᵀ] = 1, bound m·n_ℓ−1 = {bound}");
            }
            default:
                return Invalid($"no checker for claim '{claim}'");
        }
    }

    /// <summary>
    /// cooper.5.8 at fibre:SEED: the hidden layers are the seed's rationals (last layer free). Recomputed here: the features
    /// Φ (forward pass over the exact ring; tanh and the like as atoms, enclosed rigorously), and that the stated N rows
    /// of Φ form a non-singular minor (exact elimination, or interval elimination whose pivots exclude 0), i.e.
    /// rank Φ = N. The rest is linear algebra: A = [Φ; 1ᵀ] then has full column rank, the critical equations
    /// 2(VA − Y)Aᵀ = 0 force VA = Y (L = 0), and along V* + s(V − V*) the residual is s(VA − Y), so L = s²L(V).
    /// </summary>
    private static Result CheckFibreQuadratic(string verdict, NetworkSpec spec, string locusText, JsonObject facts)
    {
        if (verdict != "certified") return Invalid("only a certified cooper.5.8 has this certificate format");
        if (spec.Loss != LossKind.Sse || !spec.Bias || spec.OutputActivation is not IdentityActivation || !spec.WeightDecay.IsZero || spec.Depth < 2)
            return Invalid("the instance is outside the theorem's hypotheses (sse, biases, affine output layer, no weight decay, a hidden layer)");
        if (!locusText.StartsWith("fibre:", StringComparison.Ordinal) || !int.TryParse(locusText["fibre:".Length..], out int seed))
            return Invalid($"the locus '{locusText}' is not fibre:SEED");
        var layout = spec.Layout;
        int h = spec.Widths[spec.Depth - 1], count = spec.SampleCount;
        if (h < count) return Invalid($"n_ℓ−1 = {h} < N = {count}: rank Φ = N is impossible");
        var random = Point.RandomRationals(layout.Count, seed);
        var last = layout.WeightsOf(spec.Depth).Concat(layout.BiasesOf(spec.Depth)).ToHashSet();
        var theta = Enumerable.Range(0, layout.Count).Select(p => last.Contains(p) ? Sym.Zero : (Sym)random[p]).ToArray();
        Sym[][] features;
        try { Forward(spec, theta, -1, null, out features); }
        catch (Scalars.NonSmoothPointException e) { return Invalid("not smooth at the point: " + e.Message); }
        var rows = facts["minorRows"]!.AsArray().Select(r => (int)r!).ToArray();
        if (rows.Length != count || rows.Distinct().Count() != count || rows.Any(r => r < 0 || r >= h))
            return Invalid($"the minor's rows {string.Join(",", rows)} are not {count} distinct units of the last hidden layer");
        if (features.All(f => f.All(v => v.IsConstant)))
        {
            var m = new Rational[count, count];
            for (int c = 0; c < count; c++) for (int i = 0; i < count; i++) m[c, i] = features[i][rows[c]].Constant;
            for (int c = 0; c < count; c++) // exact elimination: a zero column below the diagonal means a singular minor
            {
                int pivot = Enumerable.Range(c, count - c).FirstOrDefault(r => !m[r, c].IsZero, -1);
                if (pivot < 0) return Invalid($"the minor on rows {string.Join(",", rows)} is singular: rank Φ = N is not shown");
                for (int j = 0; j < count; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
                for (int r = c + 1; r < count; r++)
                {
                    var f = m[r, c] / m[c, c];
                    for (int j = c; j < count; j++) m[r, j] -= f * m[c, j];
                }
            }
            return new(true, $"features recomputed exactly; the {count}×{count} minor on rows {string.Join(",", rows)} is non-singular: rank Φ = N, so every critical point of the fibre quadratic has L = 0");
        }
        var enclosed = new Interval[count, count];
        for (int c = 0; c < count; c++) for (int i = 0; i < count; i++) enclosed[c, i] = features[i][rows[c]].Enclose(_ => null);
        for (int c = 0; c < count; c++) // interval elimination with the pivot farthest from 0
        {
            int pivot = -1;
            double best = 0;
            for (int r = c; r < count; r++)
                if (!enclosed[r, c].ContainsZero && Math.Min(Math.Abs(enclosed[r, c].Lo), Math.Abs(enclosed[r, c].Hi)) > best) (pivot, best) = (r, Math.Min(Math.Abs(enclosed[r, c].Lo), Math.Abs(enclosed[r, c].Hi)));
            if (pivot < 0) return Invalid($"interval elimination on rows {string.Join(",", rows)} meets a pivot that does not exclude 0: rank Φ = N is not shown");
            for (int j = 0; j < count; j++) (enclosed[c, j], enclosed[pivot, j]) = (enclosed[pivot, j], enclosed[c, j]);
            var inverse = enclosed[c, c].Reciprocal();
            for (int r = c + 1; r < count; r++)
            {
                var f = enclosed[r, c] * inverse;
                for (int j = c; j < count; j++) enclosed[r, j] -= f * enclosed[c, j];
            }
        }
        return new(true, $"features enclosed rigorously; interval elimination of the {count}×{count} minor on rows {string.Join(",", rows)} has pivots that exclude 0: rank Φ = N, so every critical point of the fibre quadratic has L = 0");
    }

    /// <summary>
    /// cooper.gm and cooper.5.16 at a constructed global minimum: the point must have L = 0 exactly (so it is a
    /// global minimum and critical); the Hessian is recomputed entry by entry and its LDLᵀ multiplied back.
    /// At L = 0, H = 2JᵀJ, so rank H = rank J: inertia (Nm, 0, P − Nm) is rank J = Nm.
    /// </summary>
    private static Result CheckGlobalMinimum(string claim, string verdict, NetworkSpec spec, JsonObject facts)
    {
        var layout = spec.Layout;
        var pointJson = facts["point"]!.AsObject();
        if (pointJson.Count != layout.Count) return Invalid($"the point names {pointJson.Count} parameters, the network has {layout.Count}");
        var theta = layout.Names.Select(name => (Sym)Rational.Parse((string)pointJson[name]!)).ToArray();
        var loss = Forward(spec, theta, -1, null, out var features).V;
        if (!loss.IsZero) return Invalid($"the loss at the point recomputes to {loss}, not 0: not a global minimum");
        if (CheckHessian(spec, theta, facts, out var problem) is not { } inertia) return Invalid(problem!);
        int p = layout.Count, nm = spec.SampleCount * spec.OutputWidth;
        switch (claim)
        {
            case "cooper.gm":
            {
                if (p <= nm) return Invalid($"P = {p} ≤ N·m = {nm}: out of the claim's hypotheses");
                bool holds = inertia == new Inertia(nm, 0, p - nm);
                if (holds != (verdict == "certified")) return Invalid($"the verdict '{verdict}' does not follow from inertia {inertia}");
                return new(true, $"L = 0 at the point; all {p * (p + 1) / 2} Hessian entries recomputed (forward mode), LDLᵀ multiplied back, inertia {inertia}: rank H = rank J = {inertia.Positive}");
            }
            case "cooper.5.16":
            {
                int h = spec.Widths[spec.Depth - 1];
                var a = new Rational[h + 1, spec.SampleCount];
                for (int i = 0; i < spec.SampleCount; i++)
                {
                    for (int k = 0; k < h; k++) a[k, i] = features[i][k].Constant;
                    a[h, i] = Rational.One;
                }
                int r = ExactLinearAlgebra.Rank(a), bound = spec.OutputWidth * (h + 1 - r);
                if (facts["augmentedFeatureRank"] is { } said && (int)said! != r) return Invalid($"rank [Φ; 1ᵀ] recomputes to {r}, the certificate says {said}");
                if ((inertia.Zero >= bound) != (verdict == "certified")) return Invalid($"the verdict '{verdict}' does not follow from {inertia.Zero} zero eigenvalues and bound {bound}");
                return new(true, $"L = 0 at the point; Hessian recomputed, LDLᵀ multiplied back, inertia {inertia}; rank [Φ; 1ᵀ] = {r}, bound {bound}");
            }
            default:
                return Invalid($"no checker for claim '{claim}' at a global minimum");
        }
    }

    /// <summary>
    /// milne.lemma7 (1-n-1 linear): the leaves must tile [−R²/2, R²/2] × [0, R²] in (p, s) = (vᵀw, ‖w‖² + ‖v‖²), and each
    /// must satisfy its reason, recomputed here in exact rational interval arithmetic from the data:
    /// ‖∇ℓ_λ‖² = (ℓ'(p)² + λ²)s + 4λℓ'(p)p with ℓ = A p² − 2B p + C; U(λ): 16 r² ℓ &lt; λ²; origin: s ≤ ε with A ε + 2|B| &lt; λ.
    /// </summary>
    private static Result CheckNoCriticalPoint(NetworkSpec spec, string verdict, JsonObject facts)
    {
        if (verdict != "certified") return Invalid("only a certified lemma 7 has this certificate format");
        if (spec.Depth != 2 || spec.InputWidth != 1 || spec.OutputWidth != 1 || spec.Bias || spec.Loss != LossKind.HalfMse
            || spec.HiddenActivations[0] is not IdentityActivation || spec.OutputActivation is not IdentityActivation || spec.WeightDecay.Sign <= 0)
            return Invalid("the instance is not a 1-n-1 linear network without biases, half-mse, λ > 0");
        Rational xx = 0, xy = 0, yy = 0, r2 = 0;
        foreach (var (x, y) in spec.X.Zip(spec.Y))
        {
            xx += x[0] * x[0]; xy += x[0] * y[0]; yy += y[0] * y[0];
            if (x[0] * x[0] > r2) r2 = x[0] * x[0];
        }
        int count = spec.SampleCount;
        Rational a = xx / (2 * count), b = xy / (2 * count), c = yy / (2 * count), lambda = spec.WeightDecay;
        Rational ball = 2 * yy / (4 * count * lambda); // ‖W‖² ≤ (H+1) Σ y² / (4Nλ), H = 1
        var stated = facts["constants"]!.AsObject();
        foreach (var (name, value) in new[] { ("A", a), ("B", b), ("C", c), ("radiusSquared", r2), ("ballSquared", ball) })
            if (Rational.Parse((string)stated[name]!) != value) return Invalid($"the certificate states {name} = {stated[name]}, the data give {value}");
        var eps = Rational.Parse((string)facts["epsilon"]!);
        if (eps.Sign > 0 && !(a * eps + 2 * b.Abs() < lambda)) return Invalid($"ε = {eps} does not keep |ℓ'| below λ on the ball s ≤ ε");
        var paths = new HashSet<string>();
        foreach (var leaf in facts["leaves"]!.AsArray())
        {
            string path = (string)leaf![0]!, reason = (string)leaf[1]!;
            if (path.Any(ch => ch is not ('L' or 'R')) || !paths.Add(path)) return Invalid($"bad or repeated box path '{path}'");
            // The box: halve p at even depths, s at odd ones.
            Rational pLo = -ball / 2, pHi = ball / 2, sLo = 0, sHi = ball;
            for (int i = 0; i < path.Length; i++)
            {
                if (i % 2 == 0) { var mid = (pLo + pHi) / 2; if (path[i] == 'L') pHi = mid; else pLo = mid; }
                else { var mid = (sLo + sHi) / 2; if (path[i] == 'L') sHi = mid; else sLo = mid; }
            }
            var p = new Q(pLo, pHi);
            var dl = new Q(2 * a * pLo - 2 * b, 2 * a * pHi - 2 * b); // ℓ'(p) is increasing in p (A ≥ 0)
            bool ok = reason switch
            {
                "infeasible" => sHi < 2 * p.MinAbs,
                "gradient" => LowerBoundOfGradientNorm(a, b, dl, p, sLo, lambda).Sign > 0,
                "outside-U" => 16 * r2 * LowerBoundOfLoss(a, b, c, pLo, pHi) >= lambda * lambda,
                "origin" => eps.Sign > 0 && sHi <= eps,
                _ => false,
            };
            if (!ok) return Invalid($"box '{path}' (p ∈ [{pLo}, {pHi}], s ∈ [{sLo}, {sHi}]) does not satisfy its reason '{reason}'");
        }
        if (TilingProblem(paths) is { } gap) return Invalid(gap);
        return new(true, $"{paths.Count} boxes tile the a-priori ball in (p, s) and each satisfies its reason: no non-zero critical point in U(λ)");
    }

    /// <summary>
    /// cooper.5.16 on a star locus by null vectors: e_q for each named parameter whose Hessian row must be identically 0,
    /// and v = e(W_ℓ[o,k]) − φ_k e(b_ℓ[o]) for each named W_ℓ entry (not among those rows), each checked H v = 0 entry by
    /// entry in the ring (forward mode). They are independent (each v has its own W_ℓ entry), so H has at least that many
    /// zero eigenvalues on the whole locus.
    /// </summary>
    private static Result CheckNullVectors(NetworkSpec spec, Sym[] generic, Sym[] phi, string verdict, JsonObject nullVectors, int bound)
    {
        var layout = spec.Layout;
        int n = layout.Count, l = spec.Depth;
        var rows = new HashSet<int>();
        foreach (var name in nullVectors["zeroRows"]!.AsArray().Select(x => (string)x!))
        {
            if (!layout.TryIndexOf(name, out int q) || !rows.Add(q)) return Invalid($"unknown or repeated parameter '{name}' among the zero rows");
            for (int j = 0; j < n; j++)
                if (!Derivative(spec, generic, q, j).IsZero) return Invalid($"H[{name}, {layout.Name(j)}] is not identically 0");
        }
        var flat = new HashSet<int>();
        foreach (var name in nullVectors["flatDirections"]!.AsArray().Select(x => (string)x!))
        {
            int first = layout.Weight(l, 0, 0), width = spec.Widths[l - 1];
            if (!layout.TryIndexOf(name, out int w) || w < first || w >= first + spec.OutputWidth * width || rows.Contains(w) || !flat.Add(w))
                return Invalid($"'{name}' is not a last-layer weight outside the zero rows, or repeated");
            int o = (w - first) / width, k = (w - first) % width; // W_ℓ is stored row by row
            int b = layout.BiasIndex(l, o);
            for (int j = 0; j < n; j++)
                if (!(Derivative(spec, generic, j, w) - phi[k] * Derivative(spec, generic, j, b)).IsZero)
                    return Invalid($"(H v)[{layout.Name(j)}] ≠ 0 for the flat direction of {name}");
        }
        int count = rows.Count + flat.Count;
        if ((count >= bound) != (verdict == "certified") || verdict != "certified") return Invalid($"{count} null vectors do not support the verdict '{verdict}' (bound {bound})");
        return new(true, $"{rows.Count} identically zero Hessian rows and {flat.Count} flat directions with H v = 0, recomputed in forward mode on the whole locus: {count} ≥ {bound} independent null vectors");
    }

    /// <summary>Null when the split paths are the leaves of one binary subdivision (no leaf inside another, every internal node with both children).</summary>
    private static string? TilingProblem(HashSet<string> paths)
    {
        if (paths.Count == 0) return "no boxes";
        var prefixes = new HashSet<string>();
        foreach (var path in paths)
            for (int i = 0; i < path.Length; i++) prefixes.Add(path[..i]);
        foreach (var path in paths) if (prefixes.Contains(path)) return $"box '{path}' is split further elsewhere";
        foreach (var q in prefixes)
            foreach (var child in new[] { q + "L", q + "R" })
                if (!paths.Contains(child) && !prefixes.Contains(child)) return $"the boxes do not cover the domain: '{child}' is missing";
        return null;
    }

    /// <summary>
    /// milne.lemma7, balanced reduction (any linear network without biases, scalar output; the mathematics is in
    /// BalancedLemma7's summary): every non-zero critical point has t = σ² ∈ (0, T] with P(t) = 0, and lies in U(λ) only
    /// if Q(t) &lt; 0. Checked here from the data: K(t) a(t) = d(t) b as a polynomial identity (so a/d = K⁻¹b wherever
    /// d ≠ 0), T ≥ Σf²/(4Nλ), and on every leaf d &gt; 0 and its reason: P ≠ 0 ("not critical") or Q ≥ 0 ("outside U");
    /// the leaves must tile [0, T].
    /// </summary>
    private static Result CheckNoCriticalPointBalanced(NetworkSpec spec, string verdict, JsonObject facts)
    {
        if (verdict != "certified") return Invalid("only a certified lemma 7 has this certificate format");
        if (spec.Bias || spec.Loss != LossKind.HalfMse || spec.OutputWidth != 1 || spec.WeightDecay.Sign <= 0 || spec.Depth < 2
            || spec.HiddenActivations.Any(a => a is not IdentityActivation) || spec.OutputActivation is not IdentityActivation)
            return Invalid("the instance is not a linear network without biases, half-mse, scalar output, H ≥ 1, λ > 0");
        int h = spec.Depth - 1, n = spec.InputWidth, count = spec.SampleCount;
        var lambda = spec.WeightDecay;
        var sigma = new Rational[n, n];
        var b = new Rational[n];
        Rational ff = 0, r2 = 0;
        foreach (var (x, y) in spec.X.Zip(spec.Y))
        {
            ff += y[0] * y[0];
            Rational xx = 0;
            for (int i = 0; i < n; i++)
            {
                xx += x[i] * x[i];
                b[i] += y[0] * x[i] / count;
                for (int j = 0; j < n; j++) sigma[i, j] += x[i] * x[j] / count;
            }
            if (xx > r2) r2 = xx;
        }
        var t = Rational.Parse((string)facts["T"]!);
        if (t < ff / (4 * count * lambda)) return Invalid($"T = {t} is below the a-priori bound Σf²/(4Nλ) = {ff / (4 * count * lambda)} on σ²");
        var d = Polynomial.Parse(facts["determinant"]!.AsArray().Select(c => (string)c!));
        var a = facts["adjugateTimesB"]!.AsArray().Select(p => Polynomial.Parse(p!.AsArray().Select(c => (string)c!))).ToArray();
        if (a.Length != n) return Invalid($"adj(K)b has {a.Length} entries, the input width is {n}");
        var tH = Polynomial.Monomial(1, h);
        for (int i = 0; i < n; i++)
        {
            var row = Polynomial.Zero; // (K a)_i with K = t^H Σ + λI
            for (int j = 0; j < n; j++) row += (sigma[i, j] * tH + Polynomial.Constant(i == j ? lambda : 0)) * a[j];
            var diff = row - b[i] * d;
            if (!diff.IsZero) return Invalid($"K(t)·a(t) ≠ d(t)·b in row {i}: the stated adj(K)b and det K are wrong");
        }
        var tH1 = Polynomial.Monomial(1, h - 1);
        Polynomial aa = Polynomial.Zero, aSa = Polynomial.Zero, ba = Polynomial.Zero;
        for (int i = 0; i < n; i++)
        {
            aa += a[i] * a[i];
            ba += b[i] * a[i];
            for (int j = 0; j < n; j++) aSa += sigma[i, j] * (a[i] * a[j]);
        }
        var pCritical = tH1 * aa - d * d;                                                           // ‖β‖² = t^{H+1}, times d²/t^{H+1}
        var lossTimesD2 = Polynomial.Monomial(Rational.Half, 2 * h) * aSa - tH * d * ba + (ff / (2 * count)) * (d * d); // d²·ℓ(β)
        var qOutside = (4 * h * h * (h + 1) * (h + 1) * r2) * (tH1 * lossTimesD2) - (lambda * lambda) * (d * d); // ≥ 0: not in U(λ)
        var paths = new HashSet<string>();
        foreach (var leaf in facts["leaves"]!.AsArray())
        {
            string path = (string)leaf![0]!, reason = (string)leaf[1]!;
            if (path.Any(ch => ch is not ('L' or 'R')) || !paths.Add(path)) return Invalid($"bad or repeated interval path '{path}'");
            Rational lo = 0, hi = t;
            foreach (var ch in path) { var mid = (lo + hi) / 2; if (ch == 'L') hi = mid; else lo = mid; }
            if (d.Enclose(lo, hi).Lo.Sign <= 0) return Invalid($"det K(t) is not shown positive on [{lo}, {hi}]");
            bool ok = reason switch
            {
                "not critical" => pCritical.Enclose(lo, hi) is var e && (e.Lo.Sign > 0 || e.Hi.Sign < 0),
                "outside U" => qOutside.Enclose(lo, hi).Lo.Sign >= 0,
                _ => false,
            };
            if (!ok) return Invalid($"interval '{path}' (t ∈ [{lo}, {hi}]) does not satisfy its reason '{reason}'");
        }
        if (TilingProblem(paths) is { } gap) return Invalid(gap);
        return new(true, $"{paths.Count} intervals tile [0, T] in t = σ² and each satisfies its reason (exact rational polynomial enclosures; K·adj(K)b = det(K)·b verified): no non-zero critical point in U(λ)");
    }

    /// <summary>A closed interval with rational ends, and a hyper-dual number over such intervals (second-order forward mode).</summary>
    private readonly record struct Q(Rational Lo, Rational Hi)
    {
        public static Q operator +(Q a, Q b) => new(a.Lo + b.Lo, a.Hi + b.Hi);
        public static Q operator -(Q a, Q b) => new(a.Lo - b.Hi, a.Hi - b.Lo);
        public static Q operator *(Q a, Q b)
        {
            Rational[] p = [a.Lo * b.Lo, a.Lo * b.Hi, a.Hi * b.Lo, a.Hi * b.Hi];
            return new(p.Min(), p.Max());
        }
        public static Q Of(Rational c) => new(c, c);
        public bool ContainsZero => Lo.Sign <= 0 && Hi.Sign >= 0;
        public Rational MaxAbs => Lo.Abs() > Hi.Abs() ? Lo.Abs() : Hi.Abs();
        public Rational MinAbs => Lo.Sign > 0 ? Lo : Hi.Sign < 0 ? -Hi : 0;
    }

    private readonly record struct QDual(Q V, Q A, Q B, Q C)
    {
        public static QDual operator +(QDual x, QDual y) => new(x.V + y.V, x.A + y.A, x.B + y.B, x.C + y.C);
        public static QDual operator -(QDual x, QDual y) => new(x.V - y.V, x.A - y.A, x.B - y.B, x.C - y.C);
        public static QDual operator *(QDual x, QDual y) => new(x.V * y.V, x.V * y.A + x.A * y.V, x.V * y.B + x.B * y.V, x.V * y.C + x.A * y.B + x.B * y.A + x.C * y.V);
    }

    /// <summary>ℓ_λ (or ℓ without λ) of a linear network without biases over a box, seeded along θ_p (ε1) and θ_q (ε2).</summary>
    private static QDual LinearLoss(NetworkSpec s, Q[] box, int p, int q, bool regularised)
    {
        var zero = Q.Of(0);
        var theta = box.Select((b, i) => new QDual(b, i == p ? Q.Of(1) : zero, i == q ? Q.Of(1) : zero, zero)).ToArray();
        var loss = new QDual(zero, zero, zero, zero);
        var scale = Q.Of(Rational.Create(1, 2 * s.SampleCount));
        for (int n = 0; n < s.SampleCount; n++)
        {
            var a = s.X[n].Select(x => new QDual(Q.Of(x), zero, zero, zero)).ToArray();
            for (int k = 1; k <= s.Depth; k++)
            {
                var next = new QDual[s.Widths[k]];
                for (int i = 0; i < next.Length; i++)
                {
                    var z = new QDual(zero, zero, zero, zero);
                    for (int j = 0; j < a.Length; j++) z += theta[s.Layout.Weight(k, i, j)] * a[j];
                    next[i] = z;
                }
                a = next;
            }
            var r = a[0] - new QDual(Q.Of(s.Y[n][0]), zero, zero, zero);
            loss += new QDual(scale, zero, zero, zero) * r * r;
        }
        if (regularised)
        {
            var half = new QDual(Q.Of(s.WeightDecay / 2), zero, zero, zero);
            foreach (var t in theta) loss += half * t * t;
        }
        return loss;
    }

    /// <summary>
    /// milne.lemma7, generic mode (any linear network without biases): the leaf boxes must tile a cube [−R, R]^P with
    /// R² ≥ the a-priori ball's radius², and each must satisfy its reason, recomputed here in exact rational interval
    /// arithmetic with second-order forward mode.
    /// </summary>
    private static Result CheckNoCriticalPointGeneric(NetworkSpec spec, string verdict, JsonObject facts)
    {
        if (verdict != "certified") return Invalid("only a certified lemma 7 has this certificate format");
        if (spec.Bias || spec.Loss != LossKind.HalfMse || spec.OutputWidth != 1 || spec.WeightDecay.Sign <= 0
            || spec.HiddenActivations.Any(a => a is not IdentityActivation) || spec.OutputActivation is not IdentityActivation)
            return Invalid("the instance is not a linear network without biases, half-mse, scalar output, λ > 0");
        int h = spec.Depth - 1, pCount = spec.ParameterCount;
        Rational yy = 0, r2 = 0;
        foreach (var (x, y) in spec.X.Zip(spec.Y))
        {
            yy += y[0] * y[0];
            Rational xx = 0;
            foreach (var v in x) xx += v * v;
            if (xx > r2) r2 = xx;
        }
        var ball = (h + 1) * yy / (4 * spec.SampleCount * spec.WeightDecay);
        var lambda = spec.WeightDecay;
        var boxes = new Dictionary<string, Q[]>();
        foreach (var leaf in facts["boxes"]!.AsArray())
        {
            string path = (string)leaf![0]!, reason = (string)leaf[1]!;
            var box = leaf[2]!.AsArray().Select(e => new Q(Rational.Parse((string)e![0]!), Rational.Parse((string)e[1]!))).ToArray();
            if (box.Length != pCount || box.Any(b => b.Hi < b.Lo)) return Invalid($"box '{path}' is malformed");
            if (path.Any(ch => ch is not ('L' or 'R')) || !boxes.TryAdd(path, box)) return Invalid($"bad or repeated box path '{path}'");
            bool ok;
            switch (reason)
            {
                case "outside the ball":
                {
                    Rational min = 0;
                    foreach (var b in box) min += b.MinAbs * b.MinAbs;
                    ok = min > ball;
                    break;
                }
                case "gradient":
                    ok = Enumerable.Range(0, pCount).Any(p => !LinearLoss(spec, box, p, -1, true).A.ContainsZero);
                    break;
                case "outside U":
                {
                    // ℓ^{1/2}‖W‖_*^{H−1} ≥ λ/(2H(H+1)r)  ⟸  4H²(H+1)² r² · ℓ_lo · (row-norm² lower bound)^{H−1} ≥ λ².
                    var ell = LinearLoss(spec, box, -1, -1, false).V.Lo;
                    Rational star2 = 0;
                    for (int k = 1; k <= spec.Depth; k++)
                        for (int i = 0; i < spec.Widths[k]; i++)
                        {
                            Rational row = 0;
                            for (int j = 0; j < spec.Widths[k - 1]; j++) { var m = box[spec.Layout.Weight(k, i, j)].MinAbs; row += m * m; }
                            if (row > star2) star2 = row;
                        }
                    Rational power = 1;
                    for (int t = 0; t < h - 1; t++) power *= star2;
                    ok = ell.Sign > 0 && 4 * h * h * (h + 1) * (h + 1) * r2 * ell * power >= lambda * lambda;
                    break;
                }
                case "origin (strictly convex)":
                {
                    ok = box.All(b => b.ContainsZero);
                    for (int i = 0; i < pCount && ok; i++)
                    {
                        Rational off = 0;
                        for (int j = 0; j < pCount; j++) if (j != i) off += LinearLoss(spec, box, i, j, true).C.MaxAbs;
                        ok = LinearLoss(spec, box, i, i, true).C.Lo - off > 0;
                    }
                    break;
                }
                default: ok = false; break;
            }
            if (!ok) return Invalid($"box '{path}' does not satisfy its reason '{reason}'");
        }
        // Tiling: rebuild internal nodes bottom-up as the hull of their two children, which must agree except in one
        // coordinate, where they meet; the root must contain [−R, R]^P with R² ≥ the ball.
        var nodes = new Dictionary<string, Q[]>(boxes);
        foreach (var path in boxes.Keys.OrderByDescending(k => k.Length))
            for (int len = path.Length - 1; len >= 0; len--)
            {
                var parent = path[..len];
                if (nodes.ContainsKey(parent)) break;
                if (!nodes.TryGetValue(parent + "L", out var left) || !nodes.TryGetValue(parent + "R", out var right)) break;
                int differ = 0;
                var hull = new Q[pCount];
                for (int i = 0; i < pCount; i++)
                {
                    if (left[i] == right[i]) { hull[i] = left[i]; continue; }
                    differ++;
                    if (left[i].Hi != right[i].Lo) return Invalid($"the children of '{parent}' do not meet in coordinate {i}");
                    hull[i] = new Q(left[i].Lo, right[i].Hi);
                }
                if (differ != 1) return Invalid($"the children of '{parent}' differ in {differ} coordinates");
                nodes[parent] = hull;
            }
        if (!nodes.TryGetValue("", out var root)) return Invalid("the boxes do not form a complete subdivision of one cube");
        foreach (var path in nodes.Keys)
            if (path.Length > 0 && !nodes.ContainsKey(path[..^1])) return Invalid($"box '{path}' hangs outside the subdivision");
        foreach (var b in root)
            if (b.Lo != -b.Hi || b.Hi * b.Hi < ball) return Invalid($"the root box [{b.Lo}, {b.Hi}] does not contain the a-priori ball (R² = {ball})");
        return new(true, $"{boxes.Count} boxes tile a cube around the a-priori ball and each satisfies its reason (exact rational interval arithmetic): no non-zero critical point in U(λ)");
    }

    private static Rational LowerBoundOfGradientNorm(Rational a, Rational b, Q dl, Q p, Rational sLo, Rational lambda)
    {
        // G = (ℓ'² + λ²)·s + 4λ·ℓ'·p grows with s: take s = s_lo. Interval form, or mean-value form about the middle.
        Rational sqLo = dl.MinAbs * dl.MinAbs;
        var interval = (sqLo + lambda * lambda) * sLo + 4 * lambda * (dl * p).Lo;
        var mid = (p.Lo + p.Hi) / 2;
        var dm = 2 * a * mid - 2 * b;
        var meanValue = (dm * dm + lambda * lambda) * sLo + 4 * lambda * dm * mid
                        - (p.Hi - p.Lo) / 2 * (4 * a * sLo * dl.MaxAbs + 8 * lambda * a * p.MaxAbs + 4 * lambda * dl.MaxAbs);
        return interval > meanValue ? interval : meanValue;
    }

    private static Rational LowerBoundOfLoss(Rational a, Rational b, Rational c, Rational pLo, Rational pHi)
    {
        // ℓ(p) = A p² − 2B p + C, convex: its minimum on [pLo, pHi] is at the vertex B/A clamped to the interval.
        var at = a.IsZero ? (b.Sign >= 0 ? pHi : pLo) : b / a;
        if (at < pLo) at = pLo;
        if (at > pHi) at = pHi;
        return a * at * at - 2 * b * at + c;
    }

    /// <summary>Recomputes every Hessian entry at theta (forward mode), compares with the certificate's, checks its LDLᵀ.</summary>
    private static Inertia? CheckHessian(NetworkSpec spec, Sym[] theta, JsonObject facts, out string? problem)
    {
        var layout = spec.Layout;
        int n = layout.Count;
        var asserted = new Rational[n, n];
        problem = null;
        foreach (var (key, value) in facts["hessianNonZero"]!.AsObject())
        {
            var names = SplitPair(key);
            if (!layout.TryIndexOf(names.Item1, out int i) || !layout.TryIndexOf(names.Item2, out int j)) { problem = $"unknown Hessian entry {key}"; return null; }
            asserted[i, j] = Rational.Parse((string)value!);
        }
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                var h = Derivative(spec, theta, i, j);
                if (h != (Sym)asserted[i, j] || asserted[j, i] != asserted[i, j])
                { problem = $"H[{layout.Name(i)}, {layout.Name(j)}] recomputes to {h}, the certificate says {asserted[i, j]}"; return null; }
            }
        var inertia = CheckLdl(facts["ldl"]!.AsObject(), asserted, out problem);
        if (inertia is null) return null;
        var said = facts["inertia"]!;
        if ((int)said["positive"]! != inertia.Value.Positive || (int)said["negative"]! != inertia.Value.Negative || (int)said["zero"]! != inertia.Value.Zero)
        { problem = $"the inertia recomputed from D is {inertia}, the certificate says ({said["positive"]}, {said["negative"]}, {said["zero"]})"; return null; }
        return inertia;
    }

    private static (string, string) SplitPair(string key)
    {
        int split = key.IndexOf("],", StringComparison.Ordinal) + 1;
        return (key[..split], key[(split + 1)..]);
    }

    /// <summary>Cooper's S_j: W_ℓ = 0, b_ℓ = ȳ, W_j = 0, b_k = 0 for j ≤ k ≤ ℓ−1; C_{i,j} the union of the constraints.</summary>
    private static Dictionary<int, Rational> Locus(NetworkSpec s, int[] indices)
    {
        int l = s.Depth;
        var layout = s.Layout;
        var result = new Dictionary<int, Rational>();
        void FixWeights(int k) { for (int i = 0; i < s.Widths[k]; i++) for (int j = 0; j < s.Widths[k - 1]; j++) result[layout.Weight(k, i, j)] = 0; }
        FixWeights(l);
        for (int o = 0; o < s.OutputWidth; o++)
        {
            Rational sum = 0;
            foreach (var y in s.Y) sum += y[o];
            result[layout.BiasIndex(l, o)] = sum / s.SampleCount;
        }
        foreach (var j in indices)
        {
            if (j < 1 || j > l - 1) throw new ArgumentException($"locus index {j} outside 1..{l - 1}");
            FixWeights(j);
            for (int k = j; k <= l - 1; k++) for (int i = 0; i < s.Widths[k]; i++) result[layout.BiasIndex(k, i)] = 0;
        }
        return result;
    }

    private static int DimensionFormula(NetworkSpec s, int[] idx)
    {
        int l = s.Depth;
        int d = s.ParameterCount - s.OutputWidth * (s.Widths[l - 1] + 1);
        foreach (var j in idx) d -= s.Widths[j] * s.Widths[j - 1];
        for (int k = idx.Min(); k < l; k++) d -= s.Widths[k];
        return d;
    }

    /// <summary>A hyper-dual number v + a ε1 + b ε2 + c ε1ε2 (ε1² = ε2² = 0) over the exact ring.</summary>
    private readonly record struct HyperDual(Sym V, Sym A, Sym B, Sym C)
    {
        public static HyperDual operator +(HyperDual x, HyperDual y) => new(x.V + y.V, x.A + y.A, x.B + y.B, x.C + y.C);
        public static HyperDual operator -(HyperDual x, HyperDual y) => new(x.V - y.V, x.A - y.A, x.B - y.B, x.C - y.C);
        public static HyperDual operator *(HyperDual x, HyperDual y) =>
            new(x.V * y.V, x.V * y.A + x.A * y.V, x.V * y.B + x.B * y.V, x.V * y.C + x.A * y.B + x.B * y.A + x.C * y.V);
        public static HyperDual Constant(Sym v) => new(v, Sym.Zero, Sym.Zero, Sym.Zero);
        /// <summary>σ(v + …) = σ(v) + σ'(v)(a ε1 + b ε2 + c ε1ε2) + σ''(v) a b ε1ε2.</summary>
        public HyperDual Apply(Activation sigma)
        {
            var jet = sigma.Apply(V, "certificate check");
            return new(jet.Value, jet.First * A, jet.First * B, jet.First * C + jet.Second * A * B);
        }
    }

    /// <summary>∂L/∂θ_p (q null) or ∂²L/∂θ_p∂θ_q of the sse loss, by one forward pass with hyper-dual numbers.</summary>
    private static Sym Derivative(NetworkSpec s, Sym[] theta, int p, int? q)
    {
        var loss = Forward(s, theta, p, q, out _);
        return q is null ? loss.A : loss.C;
    }

    /// <summary>The loss as a hyper-dual number seeded along θ_p (ε1) and θ_q (ε2); also the last hidden layer's values per sample.</summary>
    private static HyperDual Forward(NetworkSpec s, Sym[] theta, int p, int? q, out Sym[][] features)
    {
        var layout = s.Layout;
        features = new Sym[s.SampleCount][];
        var param = new HyperDual[theta.Length];
        for (int i = 0; i < theta.Length; i++)
            param[i] = new HyperDual(theta[i], i == p ? Sym.One : Sym.Zero, q is { } qq && i == qq ? Sym.One : Sym.Zero, Sym.Zero);
        var loss = HyperDual.Constant(Sym.Zero);
        for (int n = 0; n < s.SampleCount; n++)
        {
            var a = s.X[n].Select(x => HyperDual.Constant(x)).ToArray();
            for (int k = 1; k <= s.Depth; k++)
            {
                var sigma = k == s.Depth ? s.OutputActivation : s.HiddenActivations[k - 1];
                var next = new HyperDual[s.Widths[k]];
                for (int i = 0; i < next.Length; i++)
                {
                    var z = s.Bias ? param[layout.BiasIndex(k, i)] : HyperDual.Constant(Sym.Zero);
                    for (int j = 0; j < a.Length; j++) z += param[layout.Weight(k, i, j)] * a[j];
                    next[i] = z.Apply(sigma);
                }
                a = next;
                if (k == s.Depth - 1) features[n] = a.Select(x => x.V).ToArray();
            }
            for (int o = 0; o < a.Length; o++)
            {
                var r = a[o] - HyperDual.Constant(s.Y[n][o]);
                loss += r * r;
            }
        }
        if (s.Loss != LossKind.Sse || !s.WeightDecay.IsZero) throw new InvalidOperationException("the checker handles the sse loss without weight decay");
        return loss;
    }

    /// <summary>Checks P H Pᵀ = L D Lᵀ exactly, L unit lower triangular, D of 1×1 and 2×2 blocks; returns D's inertia.</summary>
    private static Inertia? CheckLdl(JsonObject ldl, Rational[,] h, out string? problem)
    {
        int n = h.GetLength(0);
        var perm = ldl["permutation"]!.AsArray().Select(v => (int)v!).ToArray();
        problem = null;
        if (perm.Length != n || perm.Distinct().Count() != n || perm.Any(p => p < 0 || p >= n)) { problem = "the permutation is not a permutation"; return null; }
        var L = new Rational[n, n];
        var D = new Rational[n, n];
        for (int i = 0; i < n; i++) L[i, i] = 1;
        foreach (var (key, v) in ldl["L"]!.AsObject())
        {
            var ij = key.Split(',').Select(int.Parse).ToArray();
            if (ij[1] >= ij[0]) { problem = $"L has an entry at ({key}) on or above the diagonal"; return null; }
            L[ij[0], ij[1]] = Rational.Parse((string)v!);
        }
        foreach (var (key, v) in ldl["D"]!.AsObject())
        {
            var ij = key.Split(',').Select(int.Parse).ToArray();
            D[ij[0], ij[1]] = Rational.Parse((string)v!);
        }
        // D block diagonal: off-diagonal entries only at (k, k+1) pairs that form disjoint symmetric blocks.
        int pos = 0, neg = 0, zero = 0;
        for (int k = 0; k < n; k++)
        {
            for (int j = k + 2; j < n; j++) if (!D[k, j].IsZero || !D[j, k].IsZero) { problem = "D is not block diagonal"; return null; }
            if (k + 1 < n && !D[k, k + 1].IsZero)
            {
                if (D[k + 1, k] != D[k, k + 1] || (k + 2 < n && !D[k + 1, k + 2].IsZero)) { problem = "D has a malformed 2×2 block"; return null; }
                var det = D[k, k] * D[k + 1, k + 1] - D[k, k + 1] * D[k + 1, k];
                if (det.Sign >= 0) { problem = "a 2×2 block of D does not have a negative determinant"; return null; }
                pos++; neg++; k++;
                continue;
            }
            if (k > 0 && !D[k, k - 1].IsZero) { problem = "D is not symmetric"; return null; }
            switch (D[k, k].Sign) { case > 0: pos++; break; case < 0: neg++; break; default: zero++; break; }
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Rational sum = 0;
                for (int k = 0; k <= Math.Min(i, j) + 1 && k < n; k++)
                {
                    if (L[i, k].IsZero) continue;
                    for (int t = Math.Max(0, k - 1); t <= Math.Min(n - 1, k + 1); t++)
                        if (!D[k, t].IsZero && !L[j, t].IsZero) sum += L[i, k] * D[k, t] * L[j, t];
                }
                if (sum != h[perm[i], perm[j]]) { problem = $"L D Lᵀ differs from P H Pᵀ at ({i},{j}): {sum} vs {h[perm[i], perm[j]]}"; return null; }
            }
        return new Inertia(pos, neg, zero);
    }
}
