using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Audit;

/// <summary>One audited entry: its name, the value given, the reference (exact value or enclosure) and the errors.</summary>
public sealed record AuditEntry(string Name, double Given, double ReferenceLo, double ReferenceHi, double AbsoluteError, double RelativeError);

/// <summary>The audit of one array (gradient or Hessian).</summary>
public sealed record AuditPart(string What, int Entries, double MaxAbsoluteError, double MaxRelativeError, IReadOnlyList<AuditEntry> Worst, bool Passed);

public sealed record AuditResult(string Reference, double Tolerance, AuditPart Gradient, AuditPart? Hessian)
{
    public bool Passed => Gradient.Passed && (Hessian?.Passed ?? true);

    public JsonObject ToJson()
    {
        JsonObject Part(AuditPart p) => new()
        {
            ["entries"] = p.Entries, ["maxAbsoluteError"] = p.MaxAbsoluteError, ["maxRelativeError"] = p.MaxRelativeError, ["passed"] = p.Passed,
            ["worst"] = new JsonArray(p.Worst.Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Name, ["given"] = e.Given, ["referenceLo"] = e.ReferenceLo, ["referenceHi"] = e.ReferenceHi,
                ["absoluteError"] = e.AbsoluteError, ["relativeError"] = e.RelativeError,
            }).ToArray()),
        };
        var o = new JsonObject { ["verdict"] = Passed ? "matches" : "mismatch", ["reference"] = Reference, ["tolerance"] = Tolerance, ["gradient"] = Part(Gradient) };
        if (Hessian is not null) o["hessian"] = Part(Hessian);
        return o;
    }
}

/// <summary>
/// Compares someone's derivatives (a gradient, a Hessian) with the exact ones at a rational point: exact rationals
/// where every σ is rational-valued there (identity, relu, polynomials), rigorous interval enclosures otherwise.
///
/// Error of an entry: its distance to the reference (to the enclosure, 0 inside it), divided by
/// max(|reference|, 10⁻³·max|reference|): relative where the entry is large, and measured against the array's
/// scale where it is near 0, so that a cancellation to 10⁻¹⁷ is not a "100 % error". An array passes when every
/// entry's error is at most the tolerance: by default 1e-10 for float64 input (honest double code is off by
/// at most a few thousand ulps on a network's derivatives) and 1e-4 for float32 input (2⁻²⁴ ≈ 6e-8 per rounding,
/// with the same growth).
/// </summary>
public static class DerivativeAudit
{
    public const double Float64Tolerance = 1e-10, Float32Tolerance = 1e-4;

    public static AuditResult Run(NetworkSpec net, Rational[] point, NumericArray gradient, NumericArray? hessian, double? tolerance = null, string gradientFile = "gradient", string hessianFile = "hessian")
    {
        var layout = net.Layout;
        int p = layout.Count;
        CheckShape(gradient, [p], gradientFile, "a gradient of P = " + p);
        if (hessian is not null) CheckShape(hessian, [p, p], hessianFile, $"a {p}×{p} Hessian");
        double tol = tolerance ?? (gradient.ElementType == "float32" || hessian?.ElementType == "float32" ? Float32Tolerance : Float64Tolerance);
        var (reference, gLo, gHi, hLo, hHi) = Reference(net, point, hessian is not null);
        var gradientPart = Compare("gradient", gradient.Values, gLo, gHi, q => layout.Name(q), tol);
        AuditPart? hessianPart = hessian is null ? null
            : Compare("hessian", hessian.Values, hLo!, hHi!, q => $"{layout.Name(q / p)}, {layout.Name(q % p)}", tol);
        return new AuditResult(reference, tol, gradientPart, hessianPart);
    }

    private static void CheckShape(NumericArray a, int[] expected, string file, string what)
    {
        int count = expected.Aggregate(1, (x, y) => x * y);
        bool ok = expected.Length == 1 ? a.Values.Length == count && (a.Shape.Length == 1 || a.Shape.Count(d => d != 1) <= 1)
                                       : a.Shape.SequenceEqual(expected);
        if (!ok) throw new InputException(file, "shape", $"shape ({string.Join(", ", a.Shape)}) is not {what}");
        for (int i = 0; i < a.Values.Length; i++)
            if (!double.IsFinite(a.Values[i])) throw new InputException(file, $"entry {i}", $"{a.Values[i]} is not a finite number");
    }

    /// <summary>The reference values: exact (rational, as lo = hi) when possible, interval enclosures otherwise.</summary>
    private static (string, double[], double[], double[]?, double[]?) Reference(NetworkSpec net, Rational[] point, bool hessian)
    {
        int p = net.ParameterCount;
        try
        {
            var exact = new NetworkDerivatives<Rational>(net, point);
            var g = exact.Gradient.Select(q => q.ToDouble()).ToArray();
            double[]? h = null;
            if (hessian)
            {
                var hh = exact.Hessian();
                h = new double[p * p];
                for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) h[i * p + j] = hh[i, j].ToDouble();
            }
            return ("exact (rational arithmetic)", g, g, h, h);
        }
        catch (NotExactException)
        {
            var box = new NetworkDerivatives<Interval>(net, point.Select(Interval.FromRational).ToArray());
            double[]? lo = null, hi = null;
            if (hessian)
            {
                var hh = box.Hessian();
                lo = new double[p * p]; hi = new double[p * p];
                for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) { lo[i * p + j] = hh[i, j].Lo; hi[i * p + j] = hh[i, j].Hi; }
            }
            return ("rigorous interval enclosures (σ is transcendental at this point)", box.Gradient.Select(e => e.Lo).ToArray(), box.Gradient.Select(e => e.Hi).ToArray(), lo, hi);
        }
    }

    private static AuditPart Compare(string what, double[] given, double[] lo, double[] hi, Func<int, string> name, double tol)
    {
        double scale = 0;
        for (int i = 0; i < lo.Length; i++) scale = Math.Max(scale, Math.Max(Math.Abs(lo[i]), Math.Abs(hi[i])));
        double floor = Math.Max(1e-3 * scale, double.Epsilon);
        var entries = new AuditEntry[given.Length];
        for (int i = 0; i < given.Length; i++)
        {
            double abs = given[i] < lo[i] ? lo[i] - given[i] : given[i] > hi[i] ? given[i] - hi[i] : 0;
            double magnitude = Math.Max(Math.Abs(0.5 * lo[i] + 0.5 * hi[i]), floor);
            entries[i] = new AuditEntry(name(i), given[i], lo[i], hi[i], abs, abs / magnitude);
        }
        var worst = entries.OrderByDescending(e => e.RelativeError).Take(5).Where(e => e.AbsoluteError > 0).ToList();
        double maxRel = entries.Length == 0 ? 0 : entries.Max(e => e.RelativeError);
        return new AuditPart(what, entries.Length, entries.Length == 0 ? 0 : entries.Max(e => e.AbsoluteError), maxRel, worst, maxRel <= tol);
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
