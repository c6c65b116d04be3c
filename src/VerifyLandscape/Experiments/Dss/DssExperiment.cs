using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace VerifyLandscape.Experiments.Dss;

/// <summary>
/// `vl experiment dss`: for each pair of models (two independent initialisations, or for the cyclic task a model and
/// its copy with hidden units 1 and 2 swapped) and each threshold L0, run the string sampler and report the normalised
/// length and bead count, mean ± s.d. over the connected pairs, beside the values digitised from the paper's Figure 1.
/// A model is trained once per pair down to the lowest threshold; its state when the test loss first falls below each
/// L0 is the model "trained to L0" (the same point a fresh run with that threshold stops at).
/// </summary>
public static class DssExperiment
{
    public static readonly IReadOnlyDictionary<string, double[]> DefaultThresholds = new Dictionary<string, double[]>
    {
        ["quadratic"] = [0.125, 0.1, 0.075, 0.05, 0.025, 0.01, 0.0075, 0.005, 0.0025, 0.001],
        ["cubic"] = [0.2, 0.168, 0.164, 0.162, 0.16, 0.158, 0.156, 0.154, 0.152, 0.15, 0.14, 0.12, 0.1, 0.08, 0.05, 0.03, 0.02, 0.01],
        ["cyclic"] = [0.1, 0.05, 0.02],
    };

    /// <summary>Figure 1 of the paper, digitised (notes §2.5, about ±1% of the axis range): L0 → (length, beads).</summary>
    public static readonly IReadOnlyDictionary<string, Dictionary<double, (double Length, double Beads)>> Paper = new Dictionary<string, Dictionary<double, (double, double)>>
    {
        ["quadratic"] = new()
        {
            [0.001] = (1.86, 64), [0.0025] = (1.75, 39), [0.005] = (1.66, 24), [0.0075] = (1.65, 18), [0.01] = (1.48, 14),
            [0.025] = (1.33, 8.0), [0.05] = (1.37, 7.0), [0.075] = (1.29, 5.3), [0.1] = (1.35, 4.9), [0.125] = (1.27, 4.0),
        },
        ["cubic"] = new()
        {
            [0.01] = (1.87, 45), [0.02] = (1.69, 28), [0.03] = (1.51, 18), [0.05] = (1.43, 14), [0.08] = (1.39, 9.2), [0.10] = (1.38, 7.5),
            [0.12] = (1.38, 6.1), [0.14] = (1.42, 4.6), [0.15] = (1.66, 3.7), [0.152] = (1.78, 3.7), [0.154] = (1.99, 3.5), [0.156] = (2.42, 3.5),
            [0.158] = (2.54, 3.5), [0.16] = (2.28, 3.2), [0.162] = (1.87, 3.2), [0.164] = (1.52, 3.0), [0.168] = (1.00, 3.0),
        },
    };

    public sealed record Row(double Threshold, DssString?[] Strings)
    {
        public DssString[] Connected => Strings.Where(s => s is { Connected: true }).Select(s => s!).ToArray();
    }

    public sealed record Result(string Task, string Description, ulong Seed, int Pairs, DssSettings Settings, Row[] Rows, double Seconds, string? Note);

    public static Result Run(string taskName, double[] thresholds, int pairs, ulong seed, DssSettings settings, IProgress<int>? progress = null)
    {
        var sw = Stopwatch.StartNew();
        var task = DssTask.Of(taskName);
        var descending = thresholds.OrderByDescending(t => t).ToArray();
        var test = DssTask.BatchOf(task.TestSpec(settings.Samples, TestSeed(seed)));
        var sampler = new StringSampler(task, settings);
        var strings = new DssString?[descending.Length, pairs];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        StringSampler.Worker NewWorker(ulong salt) => new(task, test, settings.Samples, (int)((seed * 7919 + salt * 104729) % int.MaxValue));
        // Two phases, so that both cores stay busy to the end: every end-point model (trained once down the thresholds),
        // then every string, the lowest thresholds (the longest) first. Each job has its own seeded worker: the result
        // does not depend on the schedule.
        var ends = new double[]?[2 * pairs][];
        Parallel.For(0, 2 * pairs, parallel, j =>
        {
            if (task.IsRegression || j % 2 == 0) ends[j] = Endpoints(sampler, NewWorker((ulong)j), task, descending, seed, j / 2, j % 2);
        });
        int done = 0;
        var jobs = Enumerable.Range(0, descending.Length).Reverse().SelectMany(t => Enumerable.Range(0, pairs).Select(p => (t, p))).ToArray();
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(jobs, loadBalance: true), parallel, job =>
        {
            var (t, p) = job;
            var a = ends[2 * p]![t];
            var b = task.IsRegression ? ends[2 * p + 1]![t] : a is null ? null : SwapHiddenUnits(task, a); // cyclic: θ against θ_σ
            var worker = NewWorker(1000 + (ulong)(t * pairs + p));
            strings[t, p] = a is { } ma && b is { } mb ? sampler.Connect(worker, (double[])ma.Clone(), (double[])mb.Clone(), descending[t]) : null;
            progress?.Report(Interlocked.Increment(ref done));
        });
        var rows = descending.Select((l0, t) => new Row(l0, Enumerable.Range(0, pairs).Select(p => strings[t, p]).ToArray())).ToArray();
        string? note = task.IsRegression ? null
            : "E.1 is an observation, not a theorem: a string that does not connect is no proof of disconnection, and no disconnection certificate is known for this net (notes §2.4); the verdict is inconclusive.";
        return new(taskName, task.Description, seed, pairs, settings, rows, sw.Elapsed.TotalSeconds, note);
    }

    public static int TestSeed(ulong seed) => (int)(seed % int.MaxValue);

    /// <summary>One model trained down the thresholds; null where MaxSteps ran out first.</summary>
    private static double[]?[] Endpoints(StringSampler sampler, StringSampler.Worker worker, DssTask task, double[] descending, ulong seed, int pair, int which)
    {
        var theta = task.Initial(new Random((int)((seed * 31 + (ulong)pair * 2 + (ulong)which + 1) % int.MaxValue)));
        var models = new double[]?[descending.Length];
        sampler.Train(worker, theta, descending, (i, model) => models[i] = model);
        return models;
    }

    /// <summary>θ_σ: hidden units 1 and 2 (of the first hidden layer) swapped, an exact symmetry of F.</summary>
    private static double[] SwapHiddenUnits(DssTask task, double[] theta)
    {
        var net = task.Architecture;
        var layout = net.Layout;
        var swapped = (double[])theta.Clone();
        void Swap(int p, int q) => (swapped[p], swapped[q]) = (theta[q], theta[p]);
        for (int i = 0; i < net.Widths[0]; i++) Swap(layout.Weight(1, 0, i), layout.Weight(1, 1, i));
        if (layout.HasBias(1)) Swap(layout.BiasIndex(1, 0), layout.BiasIndex(1, 1));
        for (int o = 0; o < net.Widths[2]; o++) Swap(layout.Weight(2, o, 0), layout.Weight(2, o, 1));
        return swapped;
    }

    public static (double Mean, double Sd) MeanSd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) return (double.NaN, double.NaN);
        double mean = v.Average();
        return (mean, v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)));
    }

    private static (double Length, double Beads)? PaperAt(string task, double l0) =>
        Paper.TryGetValue(task, out var table) && table.FirstOrDefault(kv => Math.Abs(kv.Key - l0) < 1e-12) is { Key: > 0 } hit ? hit.Value : null;

    public static string Text(Result r)
    {
        string F(double v, string f = "0.00") => double.IsNaN(v) ? "—" : v.ToString(f, CultureInfo.InvariantCulture);
        var s = new StringBuilder($"dss {r.Task}: {r.Description}; {r.Pairs} pairs, seed {r.Seed}, {r.Seconds:0.0} s\n");
        s.AppendLine($"  as run: Adam lr {r.Settings.LearningRate:G3}, beads to {r.Settings.Alpha}·L0, segment accepted when its max over {r.Settings.Grid} grid points < {r.Settings.Multiplier}·L0, d_max {r.Settings.MaxDepth}, {r.Settings.Samples} samples");
        s.AppendLine("  L0       connected  length (mean ± sd)   beads (mean ± sd)   paper length / beads");
        foreach (var row in r.Rows)
        {
            var c = row.Connected;
            var (lm, ls) = MeanSd(c.Select(x => x.NormalisedLength));
            var (bm, bs) = MeanSd(c.Select(x => (double)x.BeadCount));
            var paper = PaperAt(r.Task, row.Threshold) is { } pp ? $"{F(pp.Length)} / {F(pp.Beads, "0.#")}" : "—";
            int notConverged = row.Strings.Count(x => x is null || x.Outcome == "not converged");
            s.AppendLine($"  {row.Threshold,-8:G4} {c.Length,3}/{row.Strings.Length,-3}{(notConverged > 0 ? $"({notConverged} nc)" : "      ")}  {F(lm)} ± {F(ls),-10}  {F(bm, "0.0")} ± {F(bs, "0.0"),-9}  {paper}");
        }
        if (r.Note is not null) s.AppendLine("  " + r.Note);
        return s.ToString();
    }

    public static JsonObject ToJson(Result r) => new()
    {
        ["experiment"] = "dss", ["task"] = r.Task, ["description"] = r.Description, ["seed"] = r.Seed, ["pairs"] = r.Pairs, ["seconds"] = Math.Round(r.Seconds, 2),
        ["settings"] = new JsonObject
        {
            ["learningRate"] = r.Settings.LearningRate, ["alpha"] = r.Settings.Alpha, ["multiplier"] = r.Settings.Multiplier, ["grid"] = r.Settings.Grid,
            ["maxDepth"] = r.Settings.MaxDepth, ["samples"] = r.Settings.Samples, ["maxSteps"] = r.Settings.MaxSteps, ["loss"] = "mae on the fixed test sample",
        },
        ["verdict"] = r.Note is null ? null : "inconclusive",
        ["note"] = r.Note,
        ["thresholds"] = new JsonArray(r.Rows.Select(row =>
        {
            var c = row.Connected;
            var (lm, ls) = MeanSd(c.Select(x => x.NormalisedLength));
            var (bm, bs) = MeanSd(c.Select(x => (double)x.BeadCount));
            var paper = PaperAt(r.Task, row.Threshold);
            return (JsonNode?)new JsonObject
            {
                ["L0"] = row.Threshold, ["connected"] = c.Length,
                ["length"] = Num(lm), ["lengthSd"] = Num(ls), ["beads"] = Num(bm), ["beadsSd"] = Num(bs),
                ["paperLength"] = paper?.Length, ["paperBeads"] = paper?.Beads,
                ["strings"] = new JsonArray(row.Strings.Select(x => (JsonNode?)(x is null ? new JsonObject { ["outcome"] = "endpoint not converged" } : new JsonObject
                {
                    ["outcome"] = x.Outcome, ["depth"] = x.Depth, ["beads"] = x.BeadCount, ["length"] = Num(x.NormalisedLength),
                    ["maxSegmentLoss"] = Num(x.SegmentMaxima.DefaultIfEmpty(double.NaN).Max()), ["adamSteps"] = x.AdamSteps,
                })).ToArray()),
            };
        }).ToArray()),
    };

    private static JsonNode? Num(double v) => double.IsNaN(v) ? null : Math.Round(v, 6);

    /// <summary>Two panels: normalised length and bead count (log₂) against L0, ours (mean ± sd) and the paper's.</summary>
    public static string Svg(Result r)
    {
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var rows = r.Rows.OrderBy(x => x.Threshold).ToArray();
        double lo = rows[0].Threshold, hi = rows[^1].Threshold;
        double X(double l0, int panel) => 60 + panel * 330 + 260 * (hi == lo ? 0.5 : (l0 - lo) / (hi - lo));
        var ours = rows.Select(row => (row.Threshold, MeanSd(row.Connected.Select(x => x.NormalisedLength)).Mean, MeanSd(row.Connected.Select(x => (double)x.BeadCount)).Mean)).ToArray();
        var paper = rows.Select(row => (row.Threshold, P: PaperAt(r.Task, row.Threshold))).Where(x => x.P is not null).Select(x => (x.Threshold, x.P!.Value.Length, x.P!.Value.Beads)).ToArray();
        double maxLength = Math.Max(2, ours.Concat(paper).Select(x => x.Item2).Where(v => !double.IsNaN(v)).DefaultIfEmpty(2).Max());
        double maxBeads = Math.Max(8, ours.Concat(paper).Select(x => x.Item3).Where(v => !double.IsNaN(v)).DefaultIfEmpty(8).Max());
        double YLength(double v) => 270 - 240 * (v - 1) / (maxLength - 1);
        double YBeads(double v) => 270 - 240 * Math.Log2(v / 2) / Math.Log2(maxBeads / 2);
        var svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"680\" height=\"320\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"680\" height=\"320\" fill=\"white\"/>\n");
        svg.AppendLine($"<text x=\"60\" y=\"14\">dss {r.Task}: normalised length (left) and beads, log₂ (right) against L0 — ours (blue, mean over connected pairs), paper's Figure 1 (red)</text>");
        for (int panel = 0; panel < 2; panel++)
        {
            svg.AppendLine($"<line x1=\"{60 + panel * 330}\" y1=\"270\" x2=\"{320 + panel * 330}\" y2=\"270\" stroke=\"black\"/><line x1=\"{60 + panel * 330}\" y1=\"30\" x2=\"{60 + panel * 330}\" y2=\"270\" stroke=\"black\"/>");
            svg.AppendLine($"<text x=\"{60 + panel * 330}\" y=\"286\">{lo:G3}</text><text x=\"{300 + panel * 330}\" y=\"286\">{hi:G3}</text><text x=\"{170 + panel * 330}\" y=\"300\">L0</text>");
        }
        svg.AppendLine($"<text x=\"20\" y=\"274\">1</text><text x=\"20\" y=\"34\">{F(maxLength)}</text><text x=\"350\" y=\"274\">2</text><text x=\"350\" y=\"34\">{F(maxBeads)}</text>");
        void Line(IEnumerable<(double L0, double V)> points, int panel, Func<double, double> y, string colour)
        {
            var pts = points.Where(p => !double.IsNaN(p.V)).Select(p => $"{F(X(p.L0, panel))},{F(y(p.V))}").ToArray();
            if (pts.Length > 0) svg.AppendLine($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{string.Join(" ", pts)}\"/>");
        }
        Line(ours.Select(o => (o.Threshold, o.Item2)), 0, YLength, "#2471a3");
        Line(ours.Select(o => (o.Threshold, o.Item3)), 1, YBeads, "#2471a3");
        Line(paper.Select(o => (o.Threshold, o.Item2)), 0, YLength, "#c0392b");
        Line(paper.Select(o => (o.Threshold, o.Item3)), 1, YBeads, "#c0392b");
        return svg.Append("</svg>\n").ToString();
    }
}
