using System.Globalization;
using System.Text;
using VerifyLandscape.Claims;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Reports;

/// <summary>
/// An SVG for a counterexample report: the Hessian's sparsity pattern (parameters named on the axes) and its
/// spectrum, at one concrete rational point of the instance. A picture, in double precision: the verdict
/// and the exact values are in the report's JSON, not here.
/// </summary>
public static class HessianPicture
{
    /// <summary>The point drawn: the evidence's point if it names one, else the claim's concrete point of the
    /// instance (<see cref="Claim.ConcretePoint"/>); null when there is neither.</summary>
    public static Rational[]? PointOf(Claim claim, ClaimInstance c, Verdict v)
    {
        var layout = c.Spec.Layout;
        if (v.Evidence["point"] is System.Text.Json.Nodes.JsonObject named && named.Count == layout.Count)
            return layout.Names.Select(n => Rational.Parse(named[n]!.GetValue<string>())).ToArray();
        return claim.ConcretePoint(c);
    }

    public static string Svg(NetworkSpec net, Rational[] point, string title)
    {
        var d = new NetworkDerivatives<F64>(net, point.Select(q => new F64(q.ToDouble())).ToArray());
        var h = d.Hessian();
        int p = net.ParameterCount;
        var flat = new double[p * p];
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) flat[i * p + j] = 0.5 * (h[i, j].Value + h[j, i].Value);
        var eigenvalues = Numerics.Spectrum.Eigenvalues(flat, p);
        double scale = Math.Max(1e-300, eigenvalues.Select(Math.Abs).Max());
        // An entry or eigenvalue counts as zero below 1e-12 of the largest magnitude (double rounding on small nets).
        double zeroBelow = 1e-12 * scale;

        const int cell = 14, margin = 90, plotHeight = 120;
        int grid = p * cell, width = Math.Max(grid + 2 * margin, 520), height = margin + grid + 60 + plotHeight + 40;
        var svg = new StringBuilder();
        string F(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);
        string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"monospace\" font-size=\"10\">")
           .AppendLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>")
           .AppendLine($"<text x=\"10\" y=\"16\" font-size=\"12\">{Escape(title)}</text>")
           .AppendLine($"<text x=\"10\" y=\"32\">Hessian sparsity ({p}×{p}; dark = non-zero, |h| &gt; 1e-12·max|λ|) and spectrum, double precision</text>");
        for (int i = 0; i < p; i++)
        {
            svg.AppendLine($"<text x=\"{margin - 4}\" y=\"{margin + i * cell + cell - 3}\" text-anchor=\"end\">{Escape(net.Layout.Name(i))}</text>");
            for (int j = 0; j < p; j++)
            {
                bool nonZero = Math.Abs(flat[i * p + j]) > zeroBelow;
                svg.AppendLine($"<rect x=\"{margin + j * cell}\" y=\"{margin + i * cell}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"{(nonZero ? "#1f3b73" : "#eeeeee")}\"><title>H[{Escape(net.Layout.Name(i))}, {Escape(net.Layout.Name(j))}] = {flat[i * p + j]:R}</title></rect>");
            }
        }
        // Spectrum: one tick per eigenvalue on a symmetric axis, zeros in grey.
        int top = margin + grid + 60, axisY = top + plotHeight / 2, left = margin, right = width - margin;
        svg.AppendLine($"<text x=\"{left}\" y=\"{top - 8}\">spectrum: {eigenvalues.Count(z => z > zeroBelow)} positive, {eigenvalues.Count(z => z < -zeroBelow)} negative, {eigenvalues.Count(z => Math.Abs(z) <= zeroBelow)} zero</text>")
           .AppendLine($"<line x1=\"{left}\" y1=\"{axisY}\" x2=\"{right}\" y2=\"{axisY}\" stroke=\"black\"/>")
           .AppendLine($"<text x=\"{left}\" y=\"{axisY + 30}\">{F(-scale)}</text><text x=\"{(left + right) / 2}\" y=\"{axisY + 30}\" text-anchor=\"middle\">0</text><text x=\"{right}\" y=\"{axisY + 30}\" text-anchor=\"end\">{F(scale)}</text>");
        foreach (var z in eigenvalues)
        {
            double x = left + (right - left) * (0.5 + 0.5 * z / scale);
            string colour = Math.Abs(z) <= zeroBelow ? "#999999" : z > 0 ? "#1f7a1f" : "#b22222";
            svg.AppendLine($"<line x1=\"{F(x)}\" y1=\"{axisY - 20}\" x2=\"{F(x)}\" y2=\"{axisY + 20}\" stroke=\"{colour}\" stroke-width=\"2\"><title>{z:R}</title></line>");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
