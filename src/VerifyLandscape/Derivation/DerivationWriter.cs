using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Derivation;

/// <summary>Writes an exact derivation as text, JSON (stable, documented in the README) or LaTeX.</summary>
public static class DerivationWriter
{
    public static string Json(ExactDerivation d)
    {
        var names = d.Network.Layout.Names;
        var gradient = new JsonObject();
        for (int p = 0; p < names.Count; p++) gradient[names[p]] = d.Gradient[p].ToString();
        var root = new JsonObject
        {
            ["spec"] = d.Network.Describe(),
            ["point"] = d.Point.Description,
            ["parameters"] = new JsonArray(names.Select(n => (JsonNode?)n).ToArray()),
            ["free"] = new JsonArray(d.Point.Values.Select((v, p) => (v, p)).Where(t => !t.v.IsConstant).Select(t => (JsonNode?)names[t.p]).ToArray()),
            ["loss"] = d.Loss.ToString(),
            ["gradient"] = gradient,
        };
        if (d.Hessian is { } h)
        {
            var rows = new JsonArray();
            for (int i = 0; i < h.GetLength(0); i++)
                rows.Add(new JsonArray(Enumerable.Range(0, h.GetLength(1)).Select(j => (JsonNode?)h[i, j].ToString()).ToArray()));
            root["hessian"] = rows;
            root["inertia"] = d.Inertia is { } inr
                ? new JsonObject { ["positive"] = inr.Positive, ["negative"] = inr.Negative, ["zero"] = inr.Zero }
                : new JsonObject { ["undecided"] = d.InertiaUndecided };
        }
        return root.ToJsonString(Reports.JsonText.Pretty) + "\n";
    }

    public static string Text(ExactDerivation d)
    {
        var names = d.Network.Layout.Names;
        var sb = new StringBuilder();
        sb.AppendLine($"network:  {d.Network.Describe()}");
        sb.AppendLine($"point:    {d.Point.Description}" + (d.Point.Locus is { } l ? $" (generic point of {l.Name}, dimension {l.Dimension})" : ""));
        sb.AppendLine($"loss:     {d.Loss}");
        sb.AppendLine("gradient:");
        int width = names.Max(n => n.Length);
        for (int p = 0; p < names.Count; p++) sb.AppendLine($"  {names[p].PadRight(width)}  {d.Gradient[p]}");
        if (d.Hessian is { } h)
        {
            int nonzero = 0;
            sb.AppendLine("hessian (non-zero entries, upper triangle):");
            for (int i = 0; i < h.GetLength(0); i++)
                for (int j = i; j < h.GetLength(1); j++)
                    if (!h[i, j].IsZero) { nonzero++; sb.AppendLine($"  [{names[i]}, {names[j]}]  {h[i, j]}"); }
            if (nonzero == 0) sb.AppendLine("  (all zero)");
            sb.AppendLine(d.Inertia is { } inr
                ? $"inertia:  {inr.Positive} positive, {inr.Negative} negative, {inr.Zero} zero (exact LDLᵀ)"
                : $"inertia:  undecided: {d.InertiaUndecided}");
        }
        return sb.ToString();
    }

    public static string Latex(ExactDerivation d)
    {
        static string Tex(object s) => s.ToString()!.Replace("*", " ").Replace("[", "_{").Replace("]", "}");
        var names = d.Network.Layout.Names;
        var sb = new StringBuilder();
        sb.AppendLine($"% {d.Network.Describe()}; point {d.Point.Description}");
        sb.AppendLine($"L = {Tex(d.Loss)} \\\\");
        for (int p = 0; p < names.Count; p++)
            if (!d.Gradient[p].IsZero) sb.AppendLine($"\\frac{{\\partial L}}{{\\partial {Tex(names[p])}}} = {Tex(d.Gradient[p])} \\\\");
        if (d.Hessian is { } h)
        {
            sb.AppendLine("\\nabla^2 L = \\begin{pmatrix}");
            for (int i = 0; i < h.GetLength(0); i++)
                sb.AppendLine(string.Join(" & ", Enumerable.Range(0, h.GetLength(1)).Select(j => Tex(h[i, j]))) + " \\\\");
            sb.AppendLine("\\end{pmatrix}");
        }
        return sb.ToString();
    }
}
