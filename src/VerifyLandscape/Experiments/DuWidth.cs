using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using VerifyLandscape.Claims.Golikov;
using VerifyLandscape.Exact;

namespace VerifyLandscape.Experiments;

/// <summary>
/// G-du-exp (003, notes §3.4): Du et al.'s two-layer relu network f = m^{−1/2} Σ_r a_r relu(w_rᵀx) on n seeded rational
/// unit inputs in R^d (inverse stereographic projection, so ‖x_i‖ = 1 exactly), targets ±½. λ0 = λ_min(H∞) is certified
/// first (interval LDLᵀ, <see cref="Lambda0"/>); then, for each width m, gradient descent in double precision from
/// w_r(0) ~ N(0, I), a_r ~ U{±1}, with step η = λ0/(2n²) (Du's discrete theorem asks η = O(λ0/n²); stability allows up to 2/λ_max(H) ≥ 4/n, at least 8n/λ0 times more) for
/// t = 4/λ0 (time = steps·η). Recorded against m: λ_min(H(t))/λ0 (least over checkpoints), max_r ‖w_r(t) − w_r(0)‖·√m
/// (Du: bounded as m grows), the fraction of (r, i) whose pattern 1{w_rᵀx_i &gt; 0} ever switched (Du: → 0), and the
/// measured rate (least-squares slope of −ln‖y − u‖² against t) beside λ0 and the theorem's bound
/// ‖y − u(t)‖² ≤ e^{−λ0 t}‖y − u(0)‖² (checked at every checkpoint). Floating point throughout except λ0.
/// </summary>
public static class DuWidth
{
    public const int Checkpoints = 40;

    public sealed record Run(int Width, int Steps, double Eta, double LambdaMinRatio, double LambdaMinRatioAtStart, double Drift, double Switched,
                             double Rate, bool BoundHolds, double[] Times, double[] Residuals, double Seconds);

    public sealed record Result(int Samples, int Dimension, ulong Seed, Rational Lambda0Lower, double Lambda0Upper, double CertifySeconds, Run[] Runs, double Seconds);

    /// <summary>n unit inputs in R^d from seeded small rationals t ∈ Q^{d−1}; targets ±½.</summary>
    public static (Rational[][] X, double[] Y) Data(int n, int d, ulong seed)
    {
        var rng = new Random(unchecked((int)seed));
        var x = Enumerable.Range(0, n).Select(_ => Sphere.FromStereographic(
            Enumerable.Range(0, d - 1).Select(_ => Rational.Create(rng.Next(-12, 13), rng.Next(4, 13))).ToArray())).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => rng.Next(2) == 0 ? 0.5 : -0.5).ToArray();
        return (x, y);
    }

    public static Result Execute(int n, int d, int[] widths, ulong seed, IProgress<int>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var (xs, y) = Data(n, d, seed);
        var lambda = Lambda0.Certify(xs) ?? throw new InvalidOperationException($"λ0 > 0 could not be certified for the seeded inputs (n = {n}, d = {d}, seed {seed})");
        double certify = clock.Elapsed.TotalSeconds;
        var x = xs.Select(r => r.Select(v => v.ToDouble()).ToArray()).ToArray();
        double l0 = lambda.Lower.ToDouble();
        var runs = new List<Run>();
        for (int k = 0; k < widths.Length; k++)
        {
            runs.Add(Train(x, y, widths[k], l0, seed + (ulong)k));
            progress?.Report(k + 1);
        }
        return new Result(n, d, seed, lambda.Lower, lambda.Upper, certify, runs.ToArray(), clock.Elapsed.TotalSeconds);
    }

    /// <summary>One width: gradient descent on W (a frozen), η = λ0/(2n²), until t = 4/λ0.</summary>
    public static Run Train(double[][] x, double[] y, int m, double lambda0, ulong seed)
    {
        var clock = Stopwatch.StartNew();
        int n = x.Length, d = x[0].Length;
        var rng = new Random(unchecked((int)(seed * 2654435761UL)));
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var w = new double[m * d];
        for (int q = 0; q < w.Length; q++) w[q] = Gaussian();
        var w0 = (double[])w.Clone();
        var a = Enumerable.Range(0, m).Select(_ => rng.Next(2) == 0 ? 1.0 : -1.0).ToArray();
        double scale = 1 / Math.Sqrt(m), eta = lambda0 / (2.0 * n * n);
        int steps = (int)Math.Ceiling(4 / (lambda0 * eta));
        var z = new double[m * n];
        var initialPattern = new bool[m * n];
        var switched = new bool[m * n];
        var u = new double[n];
        var residual = new double[n];
        var times = new List<double>();
        var residuals = new List<double>();
        double lambdaRatio = double.PositiveInfinity, lambdaAtStart = 0;
        int every = Math.Max(1, steps / Checkpoints);
        int chunk = Math.Max(64, m / (2 * Environment.ProcessorCount));
        int chunks = (m + chunk - 1) / chunk;
        var flat = x.SelectMany(r => r).ToArray(); // x_i at flat[i·d .. i·d + d − 1]
        var partial = new double[chunks * n];
        for (int step = 0; step <= steps; step++)
        {
            // One pass per unit r: the gradient step of the previous iterate (∂L/∂w_r = m^{−1/2} a_r Σ_i (u_i − y_i) 1{z_ri > 0} x_i,
            // from the stored z and residual), then the forward pass of the new w_r (z_ri = w_rᵀx_i, partial sums of u per chunk).
            bool update = step > 0;
            Array.Clear(partial);
            Parallel.For(0, chunks, c =>
            {
                Span<double> wr = stackalloc double[d];
                for (int r = c * chunk; r < Math.Min(m, (c + 1) * chunk); r++)
                {
                    w.AsSpan(r * d, d).CopyTo(wr);
                    if (update)
                        for (int i = 0; i < n; i++)
                        {
                            if (z[r * n + i] <= 0) continue;
                            double g = eta * scale * a[r] * residual[i];
                            for (int j = 0; j < d; j++) wr[j] -= g * flat[i * d + j];
                        }
                    wr.CopyTo(w.AsSpan(r * d, d));
                    for (int i = 0; i < n; i++)
                    {
                        double s = 0;
                        for (int j = 0; j < d; j++) s += wr[j] * flat[i * d + j];
                        z[r * n + i] = s;
                        if (s > 0) partial[c * n + i] += a[r] * s;
                    }
                }
            });
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int c = 0; c < chunks; c++) s += partial[c * n + i];
                u[i] = scale * s;
                residual[i] = u[i] - y[i];
            }
            if (step == 0) for (int q = 0; q < z.Length; q++) initialPattern[q] = z[q] > 0;
            else for (int q = 0; q < z.Length; q++) switched[q] |= (z[q] > 0) != initialPattern[q];
            if (step % every == 0 || step == steps)
            {
                times.Add(step * eta);
                residuals.Add(residual.Sum(e => e * e));
                double ratio = LambdaMin(z, x, m) / lambda0;
                if (step == 0) lambdaAtStart = ratio;
                lambdaRatio = Math.Min(lambdaRatio, ratio);
            }
        }
        double drift = 0;
        for (int r = 0; r < m; r++)
        {
            double s = 0;
            for (int j = 0; j < d; j++) s += (w[r * d + j] - w0[r * d + j]) * (w[r * d + j] - w0[r * d + j]);
            drift = Math.Max(drift, Math.Sqrt(s));
        }
        bool bound = times.Select((t, k) => residuals[k] <= Math.Exp(-lambda0 * t) * residuals[0] * (1 + 1e-9)).All(b => b);
        return new Run(m, steps, eta, lambdaRatio, lambdaAtStart, drift * Math.Sqrt(m), switched.Count(b => b) / (double)switched.Length,
            Rate(times, residuals), bound, times.ToArray(), residuals.ToArray(), clock.Elapsed.TotalSeconds);
    }

    /// <summary>λ_min(H) with H_ij = (1/m) x_iᵀx_j #{r : z_ri &gt; 0, z_rj &gt; 0} (double, symmetric eigen-solve).</summary>
    private static double LambdaMin(double[] z, double[][] x, int m)
    {
        int n = x.Length;
        var h = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                int both = 0;
                for (int r = 0; r < m; r++) if (z[r * n + i] > 0 && z[r * n + j] > 0) both++;
                double dot = 0;
                for (int k = 0; k < x[i].Length; k++) dot += x[i][k] * x[j][k];
                h[i, j] = h[j, i] = dot * both / m;
            }
        return h.Evd(Symmetricity.Symmetric).EigenValues.Min(e => e.Real);
    }

    /// <summary>The least-squares slope of −ln r(t) against t: the measured exponential rate.</summary>
    private static double Rate(List<double> t, List<double> r)
    {
        var pts = t.Zip(r).Where(p => p.Second > 0).Select(p => (T: p.First, L: -Math.Log(p.Second))).ToArray();
        double mt = pts.Average(p => p.T), ml = pts.Average(p => p.L);
        return pts.Sum(p => (p.T - mt) * (p.L - ml)) / pts.Sum(p => (p.T - mt) * (p.T - mt));
    }

    public static string Table(Result r)
    {
        var s = new StringBuilder();
        s.AppendLine("| m | steps | λ_min(H(t))/λ0 (start → least) | max_r ‖w_r(t) − w_r(0)‖·√m | switched patterns | rate / λ0 | ‖y − u(t)‖² ≤ e^{−λ0 t}‖y − u(0)‖² | s |");
        s.AppendLine("|---:|---:|---|---:|---:|---:|---|---:|");
        foreach (var run in r.Runs)
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {run.Width} | {run.Steps} | {run.LambdaMinRatioAtStart:0.000} → {run.LambdaMinRatio:0.000} | {run.Drift:0.000} | {run.Switched:0.0000} | {run.Rate / r.Lambda0Lower.ToDouble():0.00} | {(run.BoundHolds ? "yes" : "no")} | {run.Seconds:0.0} |"));
        return s.ToString();
    }

    public static JsonObject ToJson(Result r) => new()
    {
        ["experiment"] = "du-width", ["samples"] = r.Samples, ["dimension"] = r.Dimension, ["seed"] = r.Seed,
        ["lambda0Lower"] = r.Lambda0Lower.ToString(), ["lambda0LowerDecimal"] = r.Lambda0Lower.ToDouble(), ["lambda0Upper"] = r.Lambda0Upper,
        ["certifySeconds"] = Math.Round(r.CertifySeconds, 3), ["seconds"] = Math.Round(r.Seconds, 1),
        ["runs"] = new JsonArray(r.Runs.Select(run => (JsonNode?)new JsonObject
        {
            ["width"] = run.Width, ["steps"] = run.Steps, ["eta"] = run.Eta, ["lambdaMinRatioStart"] = run.LambdaMinRatioAtStart, ["lambdaMinRatio"] = run.LambdaMinRatio,
            ["driftTimesSqrtM"] = run.Drift, ["switchedFraction"] = run.Switched, ["rate"] = run.Rate, ["boundHolds"] = run.BoundHolds, ["seconds"] = Math.Round(run.Seconds, 2),
            ["times"] = new JsonArray(run.Times.Select(t => (JsonNode?)Math.Round(t, 6)).ToArray()),
            ["residuals"] = new JsonArray(run.Residuals.Select(v => (JsonNode?)v).ToArray()),
        }).ToArray()),
    };

    /// <summary>Left: the three quantities against log10 m (each on its own scale, marked at its largest value); right: ‖y − u(t)‖²/‖y − u(0)‖² on a log scale with e^{−λ0 t}.</summary>
    public static string Svg(Result r)
    {
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" height=\"330\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"860\" height=\"330\" fill=\"white\"/>\n");
        double lo = Math.Log10(r.Runs.Min(x => x.Width)), hi = Math.Log10(r.Runs.Max(x => x.Width));
        double X(int m) => 50 + 330 * (Math.Log10(m) - lo) / Math.Max(1e-9, hi - lo);
        svg.AppendLine("<line x1=\"50\" y1=\"280\" x2=\"390\" y2=\"280\" stroke=\"black\"/><line x1=\"50\" y1=\"30\" x2=\"50\" y2=\"280\" stroke=\"black\"/>");
        svg.AppendLine($"<text x=\"170\" y=\"310\">width m (log scale, {r.Runs.Min(x => x.Width)} … {r.Runs.Max(x => x.Width)})</text><text x=\"55\" y=\"20\">du-width: n = {r.Samples}, d = {r.Dimension}, λ0 ≥ {r.Lambda0Lower.ToDouble():G4} (certified)</text>");
        var series = new (string Name, Func<Run, double> Value, string Colour)[]
        {
            ("λ_min(H(t))/λ0 (least)", x => x.LambdaMinRatio, "#2471a3"),
            ("max‖w_r(t) − w_r(0)‖·√m", x => x.Drift, "#c0392b"),
            ("switched patterns", x => x.Switched, "#1e8449"),
        };
        for (int k = 0; k < series.Length; k++)
        {
            var (name, value, colour) = series[k];
            double top = Math.Max(1e-12, r.Runs.Max(value));
            var pts = r.Runs.Select(x => $"{F(X(x.Width))},{F(280 - 240 * value(x) / top)}");
            svg.AppendLine($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{string.Join(" ", pts)}\"/>");
            foreach (var x in r.Runs) svg.AppendLine($"<circle cx=\"{F(X(x.Width))}\" cy=\"{F(280 - 240 * value(x) / top)}\" r=\"2.5\" fill=\"{colour}\"/>");
            svg.AppendLine($"<text x=\"230\" y=\"{50 + 14 * k}\" fill=\"{colour}\">{name} (top {top:G3})</text>");
        }
        // Right panel: residual ratios, log10 from 0 down to −4.
        svg.AppendLine("<line x1=\"470\" y1=\"280\" x2=\"830\" y2=\"280\" stroke=\"black\"/><line x1=\"470\" y1=\"30\" x2=\"470\" y2=\"280\" stroke=\"black\"/>");
        svg.AppendLine("<text x=\"590\" y=\"310\">t (0 … 4/λ0)</text><text x=\"440\" y=\"36\">1</text><text x=\"430\" y=\"284\">1e-4</text><text x=\"480\" y=\"20\">‖y − u(t)‖²/‖y − u(0)‖², dashed: e^(−λ0 t)</text>");
        double tMax = r.Runs.Max(x => x.Times[^1]);
        double PX(double t) => 470 + 360 * t / tMax;
        double PY(double ratio) => 30 + 250 * Math.Min(4, -Math.Log10(Math.Max(ratio, 1e-4))) / 4;
        var bound = Enumerable.Range(0, 41).Select(k => tMax * k / 40).Select(t => $"{F(PX(t))},{F(PY(Math.Exp(-r.Lambda0Lower.ToDouble() * t)))}");
        svg.AppendLine($"<polyline fill=\"none\" stroke=\"black\" stroke-dasharray=\"4 3\" points=\"{string.Join(" ", bound)}\"/>");
        string[] colours = ["#d4ac0d", "#ca6f1e", "#8e44ad", "#2471a3", "#1e8449", "#c0392b"];
        for (int k = 0; k < r.Runs.Length; k++)
        {
            var run = r.Runs[k];
            var pts = run.Times.Select((t, i) => $"{F(PX(t))},{F(PY(run.Residuals[i] / run.Residuals[0]))}");
            svg.AppendLine($"<polyline fill=\"none\" stroke=\"{colours[k % colours.Length]}\" stroke-width=\"1.2\" points=\"{string.Join(" ", pts)}\"/>");
            svg.AppendLine($"<text x=\"720\" y=\"{50 + 14 * k}\" fill=\"{colours[k % colours.Length]}\">m = {run.Width}</text>");
        }
        return svg.Append("</svg>\n").ToString();
    }
}
