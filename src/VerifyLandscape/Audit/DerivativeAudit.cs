using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Audit;

/// <summary>
/// One audited entry: its name, the value given, the reference (exact value or enclosure), the error (distance to the
/// reference, 0 inside an enclosure), the error allowed for it, and whether the enclosure was narrow enough to judge.
/// </summary>
public sealed record AuditEntry(string Name, double Given, double ReferenceLo, double ReferenceHi, double AbsoluteError, double Allowed, bool Decidable)
{
    /// <summary>Error over allowed error: at most 1 passes.</summary>
    public double Ratio => AbsoluteError / Allowed;
    /// <summary>The exact value, or the enclosure [lo, hi].</summary>
    public string ReferenceText => ReferenceLo == ReferenceHi ? ReferenceLo.ToString("R") : $"[{ReferenceLo:R}, {ReferenceHi:R}]";
    /// <summary>One line for reports: name, given, reference, error and the error allowed.</summary>
    public override string ToString() => $"{Name}: given {Given:R}, reference {ReferenceText}, error {AbsoluteError:G3} (allowed {Allowed:G3})";
}

/// <summary>The audit of one array (gradient or Hessian); Offending: every entry off by more than allowed or too wide to judge, in index order.</summary>
public sealed record AuditPart(string What, int Entries, double MaxAbsoluteError, double MaxRatio, double MaxEnclosureWidth, int Undecidable, IReadOnlyList<AuditEntry> Worst,
                               IReadOnlyList<AuditEntry> Offending)
{
    public bool Passed => MaxRatio <= 1 && Undecidable == 0;
    public bool Failed => MaxRatio > 1;
}

public sealed record AuditResult(string Reference, string ElementType, double RelativeTolerance, double Floor, AuditPart Gradient, AuditPart? Hessian, AuditPart? Hvp = null)
{
    /// <summary>The audited arrays: gradient, then the Hessian and the Hessian-vector product where given.</summary>
    public IEnumerable<AuditPart> Parts => new[] { Gradient, Hessian, Hvp }.OfType<AuditPart>();
    public bool Passed => Parts.All(p => p.Passed);
    /// <summary>"matches", "mismatch" (some entry is off by more than allowed), or "inconclusive" (some enclosure is too wide to judge).</summary>
    public string Verdict => Parts.Any(p => p.Failed) ? "mismatch" : Passed ? "matches" : "inconclusive";

    public JsonObject ToJson()
    {
        JsonObject Part(AuditPart p) => new()
        {
            ["entries"] = p.Entries, ["maxAbsoluteError"] = p.MaxAbsoluteError, ["maxErrorOverAllowed"] = p.MaxRatio,
            ["maxEnclosureWidth"] = p.MaxEnclosureWidth, ["undecidable"] = p.Undecidable, ["passed"] = p.Passed,
            ["worst"] = new JsonArray(p.Worst.Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Name, ["given"] = e.Given, ["referenceLo"] = e.ReferenceLo, ["referenceHi"] = e.ReferenceHi,
                ["absoluteError"] = e.AbsoluteError, ["allowed"] = e.Allowed, ["decidable"] = e.Decidable,
            }).ToArray()),
        };
        var o = new JsonObject
        {
            ["verdict"] = Verdict, ["reference"] = Reference, ["elementType"] = ElementType,
            ["relativeTolerance"] = RelativeTolerance, ["absoluteFloor"] = Floor, ["gradient"] = Part(Gradient),
        };
        if (Hessian is not null) o["hessian"] = Part(Hessian);
        if (Hvp is not null) o["hvp"] = Part(Hvp);
        return o;
    }
}

/// <summary>
/// Compares someone's derivatives (a gradient, a Hessian) with the exact ones at a rational point: exact rationals
/// where every σ is rational-valued there (identity, relu, polynomials), rigorous interval enclosures otherwise.
///
/// Error model. An entry passes when its distance to the reference is at most floor + rtol·|reference|:
///   u     = the unit roundoff of the given dtype (2⁻⁵³ float64, 2⁻²⁴ float32),
///   n     = N·(widest layer)·depth, the number of roundings an entry accumulates (each sample, each unit, each layer),
///   rtol  = 4·u·√n (errors of honest floating-point code grow like √n·u), at least 1e-10 for float64; or --tol,
///   floor = 4·u·√n·S (float64: max(4·u·√n, 1e-12)·S), S = max(|L|, max |reference| of the array, Z·A for the gradient, A·max(A, Z) for the Hessian),
///           A = max(1, |activation| of every layer, input included, and |y|), Z = max(1, |b| + Σ|W||a| of every
///           pre-activation): the size of the summands a residual (computed from z_ℓ) and an activation multiply, so an
///           entry that cancels to ~0 (a critical point, a Hessian entry near 0) is judged against the size of what was
///           summed, not against itself.
/// A Hessian-vector product H v (v rational) is judged entry by entry as the sum it is: its entry i may be off by
///   Σ_j |v_j|·(floor_H + rtol·|H_ij|), the errors the Hessian's entries are allowed, carried through the product.
/// An enclosure wider than the error it would allow cannot decide its entry: the audit is then "inconclusive" (never
/// "matches"); an enclosure that is not finite cannot arise, since data double cannot hold is refused before.
/// </summary>
public static class DerivativeAudit
{
    public static AuditResult Run(NetworkSpec net, Rational[] point, NumericArray gradient, NumericArray? hessian, double? tolerance = null,
                                  string gradientFile = "gradient", string hessianFile = "hessian", string specFile = "spec",
                                  NumericArray? hvp = null, Rational[]? direction = null, string hvpFile = "hvp")
    {
        var layout = net.Layout;
        int p = layout.Count;
        DoubleRange.Require(net, specFile);
        DoubleRange.Require(point, layout, "--at");
        if (hvp is not null && direction is null) throw new ArgumentException("a Hessian-vector product needs its direction");
        if (direction is not null) DoubleRange.Require(direction, layout, "--direction");
        bool needsHessian = hessian is not null || hvp is not null;
        // The reference Hessian holds P² exact numbers (or intervals), at least 48 bytes each with the given copy.
        MemoryEstimate.Require((needsHessian ? 48L * p * p : 64L * p) + 8 * MemoryEstimate.ForwardBytes(net), $"the exact reference for {p} parameters", specFile, "widths");
        CheckShape(gradient, [p], gradientFile, "a gradient of P = " + p);
        if (hessian is not null) CheckShape(hessian, [p, p], hessianFile, $"a {p}×{p} Hessian");
        if (hvp is not null) CheckShape(hvp, [p], hvpFile, "a Hessian-vector product of P = " + p);
        bool float32 = new[] { gradient, hessian, hvp }.Any(x => x?.ElementType == "float32");
        double u = float32 ? Math.Pow(2, -24) : Math.Pow(2, -53);
        double growth = 4 * u * Math.Sqrt((double)net.SampleCount * net.Widths.Max() * net.Depth);
        double rtol = tolerance ?? (float32 ? growth : Math.Max(growth, 1e-10));
        // float64: the double-interval reference is itself only ~1e-13·S wide after a few layers (outward rounding,
        // dependency), so a floor below 1e-12·S would make "inconclusive" the common verdict; no derivative bug hides there.
        double floorFactor = float32 ? growth : Math.Max(growth, 1e-12);
        var r = Reference(net, point, needsHessian, direction);
        double Floor(double[] lo, double[] hi, double summands) => floorFactor * Math.Max(Math.Max(summands, Math.Abs(r.Loss)), Math.Max(lo.Select(Math.Abs).DefaultIfEmpty(0).Max(), hi.Select(Math.Abs).DefaultIfEmpty(0).Max()));
        double gradientFloor = Floor(r.GLo, r.GHi, r.Z * r.A);
        var gradientPart = Compare("gradient", gradient.Values, r.GLo, r.GHi, q => layout.Name(q), q => gradientFloor + rtol * Math.Abs(Mid(r.GLo, r.GHi, q)));
        AuditPart? hessianPart = null, hvpPart = null;
        if (needsHessian)
        {
            double hessianFloor = Floor(r.HLo!, r.HHi!, r.A * Math.Max(r.A, r.Z));
            double AllowedH(int q) => hessianFloor + rtol * Math.Abs(Mid(r.HLo!, r.HHi!, q));
            if (hessian is not null) hessianPart = Compare("hessian", hessian.Values, r.HLo!, r.HHi!, q => $"{layout.Name(q / p)}, {layout.Name(q % p)}", AllowedH);
            if (hvp is not null)
            {
                var v = direction!.Select(x => Math.Abs(x.ToDouble())).ToArray();
                hvpPart = Compare("hvp", hvp.Values, r.HvLo!, r.HvHi!, q => layout.Name(q), i => Enumerable.Range(0, p).Sum(j => v[j] * AllowedH(i * p + j)));
            }
        }
        return new AuditResult(r.Kind, float32 ? "float32" : "float64", rtol, gradientFloor, gradientPart, hessianPart, hvpPart);
    }

    private static double Mid(double[] lo, double[] hi, int q) => 0.5 * lo[q] + 0.5 * hi[q];

    private static void CheckShape(NumericArray a, int[] expected, string file, string what)
    {
        int count = expected.Aggregate(1, (x, y) => x * y);
        bool ok = expected.Length == 1 ? a.Values.Length == count && (a.Shape.Length == 1 || a.Shape.Count(d => d != 1) <= 1)
                                       : a.Shape.SequenceEqual(expected);
        if (!ok) throw new InputException(file, "shape", $"shape ({string.Join(", ", a.Shape)}) is not {what}");
        for (int i = 0; i < a.Values.Length; i++)
            if (!double.IsFinite(a.Values[i])) throw new InputException(file, $"entry {i}", $"{a.Values[i]} is not a finite number");
    }

    /// <summary>The reference: exact (rational, as lo = hi) when possible, interval enclosures otherwise; the loss, A and Z of the error model.</summary>
    private sealed record ReferenceValues(string Kind, double Loss, double A, double Z, double[] GLo, double[] GHi, double[]? HLo, double[]? HHi, double[]? HvLo, double[]? HvHi);

    private static ReferenceValues Reference(NetworkSpec net, Rational[] point, bool hessian, Rational[]? direction)
    {
        int p = net.ParameterCount;
        try
        {
            var exact = new NetworkDerivatives<Rational>(net, point);
            var g = exact.Gradient.Select(q => q.ToDouble()).ToArray();
            double[]? h = null, hv = null;
            if (hessian)
            {
                var hh = exact.Hessian();
                h = new double[p * p];
                for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) h[i * p + j] = hh[i, j].ToDouble();
                if (direction is not null)
                    hv = Enumerable.Range(0, p).Select(i => Enumerable.Range(0, p).Aggregate(Rational.Zero, (sum, j) => sum + hh[i, j] * direction[j]).ToDouble()).ToArray();
            }
            var (a, z) = Magnitudes(net, point, (k, n) => exact.Activations(k, n).Select(q => q.ToDouble()).ToArray());
            return new("exact (rational arithmetic)", exact.Loss.ToDouble(), a, z, g, g, h, h, hv, hv);
        }
        catch (NotExactException)
        {
            var box = new NetworkDerivatives<Interval>(net, point.Select(Interval.FromRational).ToArray());
            double[]? lo = null, hi = null, hvLo = null, hvHi = null;
            if (hessian)
            {
                var hh = box.Hessian();
                lo = new double[p * p]; hi = new double[p * p];
                for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) { lo[i * p + j] = hh[i, j].Lo; hi[i * p + j] = hh[i, j].Hi; }
                if (direction is not null)
                {
                    var v = direction.Select(Interval.FromRational).ToArray();
                    var hv = Enumerable.Range(0, p).Select(i => Enumerable.Range(0, p).Aggregate(Interval.Zero, (sum, j) => sum + hh[i, j] * v[j])).ToArray();
                    (hvLo, hvHi) = (hv.Select(e => e.Lo).ToArray(), hv.Select(e => e.Hi).ToArray());
                }
            }
            var (a, z) = Magnitudes(net, point, (k, n) => box.Activations(k, n).Select(e => Math.Max(Math.Abs(e.Lo), Math.Abs(e.Hi))).ToArray());
            return new("rigorous interval enclosures (σ is transcendental at this point)", 0.5 * box.Loss.Lo + 0.5 * box.Loss.Hi, a, z,
                       box.Gradient.Select(e => e.Lo).ToArray(), box.Gradient.Select(e => e.Hi).ToArray(), lo, hi, hvLo, hvHi);
        }
    }

    /// <summary>A = max(1, |a_k| of every layer below the output and sample, |y|); Z = max(1, |b| + Σ_j |W_ij||a_j| of every pre-activation).</summary>
    private static (double A, double Z) Magnitudes(NetworkSpec net, Rational[] point, Func<int, int, double[]> activations)
    {
        var layout = net.Layout;
        var slots = layout.Expand(point);
        double a = 1, z = 1;
        for (int n = 0; n < net.SampleCount; n++)
        {
            for (int k = 1; k <= net.Depth; k++)
            {
                // What layer k reads: a_{k−1}, or the units of its list (skip or DAG wiring).
                var below = net.Sources(k) is { } list ? list.Select(u => activations(u.Layer, n)[u.Unit]).ToArray() : activations(k - 1, n);
                foreach (var v in below) a = Math.Max(a, Math.Abs(v));
                for (int i = 0; i < net.Widths[k]; i++)
                {
                    double sum = layout.HasBias(k) ? Math.Abs(slots[layout.BiasIndex(k, i)].ToDouble()) : 0;
                    for (int j = 0; j < below.Length; j++) sum += Math.Abs(slots[layout.Weight(k, i, j)].ToDouble()) * Math.Abs(below[j]);
                    z = Math.Max(z, sum);
                }
            }
            foreach (var y in net.Y[n]) a = Math.Max(a, Math.Abs(y.ToDouble()));
        }
        return (a, z);
    }

    private static AuditPart Compare(string what, double[] given, double[] lo, double[] hi, Func<int, string> name, Func<int, double> allowedAt)
    {
        var entries = new AuditEntry[given.Length];
        for (int i = 0; i < given.Length; i++)
        {
            double abs = given[i] < lo[i] ? lo[i] - given[i] : given[i] > hi[i] ? given[i] - hi[i] : 0;
            double allowed = allowedAt(i);
            bool decidable = double.IsFinite(lo[i]) && double.IsFinite(hi[i]) && hi[i] - lo[i] <= allowed;
            entries[i] = new AuditEntry(name(i), given[i], lo[i], hi[i], abs, allowed, decidable);
        }
        var worst = entries.OrderByDescending(e => e.Ratio).Where(e => e.AbsoluteError > 0).Concat(entries.Where(e => !e.Decidable)).Distinct().Take(5).ToList();
        return new AuditPart(what, entries.Length, entries.Select(e => e.AbsoluteError).DefaultIfEmpty(0).Max(), entries.Select(e => e.Ratio).DefaultIfEmpty(0).Max(),
            entries.Select(e => e.ReferenceHi - e.ReferenceLo).DefaultIfEmpty(0).Max(), entries.Count(e => !e.Decidable), worst,
            entries.Where(e => e.Ratio > 1 || !e.Decidable).ToList());
    }

    /// <summary>Reads a gradient or Hessian: .npy, or JSON (an array, nested arrays, or an object keyed by parameter name).</summary>
    public static NumericArray ReadArray(string path, ParameterLayout layout)
    {
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) return Npy.Read(path);
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        { throw new InputException(path, "", "cannot read the array: " + e.Message.Split(Environment.NewLine)[0]); }
        double Number(JsonNode? n, string field) =>
            n is JsonValue v && v.TryGetValue<double>(out var d) ? d
            : n is JsonValue s && s.TryGetValue<string>(out var text) && Rational.TryParse(text, out var q) ? q.ToDouble()
            : throw new InputException(path, field, $"'{n?.ToJsonString()}' is not a number");
        switch (root)
        {
            case JsonArray rows when rows.Count > 0 && rows[0] is JsonArray:
            {
                int r = rows.Count, c = ((JsonArray)rows[0]!).Count;
                var values = new double[r * c];
                for (int i = 0; i < r; i++)
                {
                    if (rows[i] is not JsonArray row || row.Count != c) throw new InputException(path, $"[{i}]", $"row {i} does not have {c} entries");
                    for (int j = 0; j < c; j++) values[i * c + j] = Number(row[j], $"[{i}][{j}]");
                }
                return new NumericArray(values, [r, c], "float64");
            }
            case JsonArray flat:
                return new NumericArray(flat.Select((n, i) => Number(n, $"[{i}]")).ToArray(), [flat.Count], "float64");
            case JsonObject named:
            {
                var values = new double[layout.Count];
                var seen = new bool[layout.Count];
                foreach (var (key, value) in named)
                {
                    if (!layout.TryIndexOf(key, out int q)) throw new InputException(path, key, "no such parameter in this network");
                    values[q] = Number(value, key);
                    seen[q] = true;
                }
                int missing = Array.IndexOf(seen, false);
                if (missing >= 0) throw new InputException(path, layout.Name(missing), "missing");
                return new NumericArray(values, [layout.Count], "float64");
            }
            default: throw new InputException(path, "", "expected an array, nested arrays or an object keyed by parameter name");
        }
    }
}
