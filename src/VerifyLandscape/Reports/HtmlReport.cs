using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace VerifyLandscape.Reports;

/// <summary>
/// `vl report DIR`: one static HTML page over a results folder, with no server and no external assets (styles and
/// every SVG inline): the claims table of vl check (check.json), each counterexample with its exact values and Hessian
/// picture, spectra (vl spectrum --format json files), experiment plots and numbers, and links to certificates.
/// </summary>
public static class HtmlReport
{
    /// <summary>The page, or null when DIR holds nothing vl wrote.</summary>
    public static string? Build(string dir)
    {
        var files = Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3 })
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        JsonNode? Read(string rel)
        {
            try { return JsonNode.Parse(File.ReadAllText(Path.Combine(dir, rel))); }
            catch (Exception e) when (e is System.Text.Json.JsonException or IOException) { return null; }
        }
        var json = files.Where(f => f.EndsWith(".json", StringComparison.Ordinal)).Select(f => (File: f, Doc: Read(f))).Where(x => x.Doc is JsonObject).ToList();
        var check = json.FirstOrDefault(x => x.Doc!["schema"]?.ToString() == "vl-check/1");
        var counterexamples = json.Where(x => x.File.EndsWith("-counterexample.json", StringComparison.Ordinal) && x.Doc!["evidence"] is not null).ToList();
        var spectra = json.Where(x => x.Doc!["lanczosSteps"] is not null).ToList();
        var experiments = json.Where(x => x.Doc!["experiment"] is not null || Path.GetFileName(x.File) == "milne-toy.json").ToList();
        var certificates = json.Where(x => x.Doc!["format"]?.ToString() == "verifylandscape-certificate/1").ToList();
        if (check.Doc is null && counterexamples.Count + spectra.Count + experiments.Count + certificates.Count == 0) return null;

        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>VerifyLandscape report</title>")
            .AppendLine("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#111}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eee}"
                        + "pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:320px;font-size:12px}.failed{color:#b00020;font-weight:bold}"
                        + ".inconclusive{color:#a06000;font-weight:bold}.ok{color:#006400}figure{margin:1em 0}svg{max-width:100%;height:auto}</style>")
            .AppendLine("</head><body>").AppendLine("<h1>VerifyLandscape report</h1>");
        html.AppendLine($"<p>Results folder <code>{E(Path.GetFullPath(dir))}</code>.</p>");

        if (check.Doc is { } c)
        {
            var run = c["run"];
            html.AppendLine("<h2 id=\"claims\">Claims</h2>")
                .AppendLine($"<p>vl check: seed {E(run?["seed"])}, {E(run?["trials"])} trials per claim{(run?["shard"] is { } shard ? $", shard {E(shard)}" : "")}, budget {E(run?["budget"])}, instances {E(run?["instances"])}, vl {E(run?["vl"])}; exit code {E(c["exitCode"])}.</p>")
                .AppendLine("<table><tr><th>claim</th><th>source</th><th>expected</th><th>outcome</th><th>verdicts</th><th>problems</th></tr>");
            foreach (var claim in c["claims"]!.AsArray())
            {
                string outcome = claim!["outcome"]!.ToString();
                string css = outcome == "failed" ? "failed" : outcome == "inconclusive" ? "inconclusive" : "ok";
                var verdicts = string.Join(", ", claim["verdicts"]!.AsObject().Select(kv => $"{kv.Value} {kv.Key}"));
                html.AppendLine($"<tr><td><code>{E(claim["id"])}</code></td><td>{E(claim["source"])}</td><td>{E(claim["expected"])}</td>"
                                + $"<td class=\"{css}\">{E(outcome)}</td><td>{E(verdicts)}</td><td>{E(string.Join("; ", claim["problems"]!.AsArray().Select(p => p!.ToString())))}</td></tr>");
            }
            html.AppendLine("</table>");
        }

        if (counterexamples.Count > 0) html.AppendLine("<h2 id=\"counterexamples\">Counterexamples</h2>");
        foreach (var (file, doc) in counterexamples)
        {
            html.AppendLine($"<h3>{E(doc!["claim"])}</h3>")
                .AppendLine($"<p><b>Claim</b> ({E(doc["source"])}): {E(doc["statement"])}</p>")
                .AppendLine($"<p><b>Verdict:</b> {E(doc["verdict"])}: {E(doc["reason"])}</p>")
                .AppendLine($"<p>Found in {E(doc["found"])}{(doc["shrunk"]?.GetValue<bool>() == true ? ", shrunk" : "")}, seed {E(doc["seed"])}. Reproduce: <code>{E(doc["reproduce"])}</code> (<a href=\"{A(file)}\">{E(file)}</a>)</p>")
                .AppendLine("<p><b>Instance</b></p>").AppendLine($"<pre>{E(doc["instance"]?.ToJsonString(JsonText.Pretty))}</pre>")
                .AppendLine("<p><b>Evidence</b> (exact values)</p>").AppendLine($"<pre>{E(doc["evidence"]?.ToJsonString(JsonText.Pretty))}</pre>");
            var svg = file[..^".json".Length] + ".svg";
            if (files.Contains(svg)) html.AppendLine(Figure(dir, svg, "Hessian sparsity and spectrum"));
        }

        if (spectra.Count > 0) html.AppendLine("<h2 id=\"spectra\">Spectra</h2>");
        foreach (var (file, doc) in spectra)
        {
            html.AppendLine($"<h3>{E(file)}</h3>").AppendLine($"<p>{E(doc!["block"])}; {E(doc["lanczosSteps"])} Lanczos steps, seed {E(doc["seed"])}.</p>")
                .AppendLine("<table><tr><th>largest</th><th>residual bound</th><th>smallest</th><th>residual bound</th></tr>");
            var large = doc["largest"]?.AsArray() ?? [];
            var small = doc["smallest"]?.AsArray() ?? [];
            for (int i = 0; i < Math.Max(large.Count, small.Count); i++)
                html.AppendLine($"<tr><td>{E(i < large.Count ? large[i]!["value"] : "")}</td><td>{E(i < large.Count ? large[i]!["residualBound"] : "")}</td>"
                                + $"<td>{E(i < small.Count ? small[i]!["value"] : "")}</td><td>{E(i < small.Count ? small[i]!["residualBound"] : "")}</td></tr>");
            html.AppendLine("</table>");
        }

        if (experiments.Count > 0) html.AppendLine("<h2 id=\"experiments\">Experiments</h2>");
        foreach (var (file, doc) in experiments)
        {
            string stem = file[..^".json".Length];
            html.AppendLine($"<h3>{E(doc!["experiment"] ?? Path.GetFileNameWithoutExtension(file))}</h3>");
            if (doc["setting"] is { } setting) html.AppendLine($"<p>{E(setting)}</p>");
            html.AppendLine($"<p>Seed {E(doc["seed"])}; data: <a href=\"{A(file)}\">{E(file)}</a>.</p>");
            foreach (var svg in files.Where(f => f.StartsWith(stem, StringComparison.Ordinal) && f.EndsWith(".svg", StringComparison.Ordinal)))
                html.AppendLine(Figure(dir, svg, svg));
        }

        if (certificates.Count > 0)
        {
            html.AppendLine("<h2 id=\"certificates\">Certificates</h2>").AppendLine("<p>Each rechecks with <code>vl recheck FILE</code>.</p><ul>");
            foreach (var (file, doc) in certificates)
                html.AppendLine($"<li><a href=\"{A(file)}\">{E(file)}</a>: {E(doc!["claim"])} {E(doc["verdict"])}</li>");
            html.AppendLine("</ul>");
        }
        return html.AppendLine("</body></html>").ToString();
    }

    private static string Figure(string dir, string svg, string caption)
    {
        var text = File.ReadAllText(Path.Combine(dir, svg));
        int start = text.IndexOf("<svg", StringComparison.Ordinal);
        // Only an SVG vl wrote is inlined: no scripts, no external references.
        if (start < 0 || text.Contains("<script", StringComparison.OrdinalIgnoreCase) || text.Contains("href", StringComparison.OrdinalIgnoreCase))
            return $"<p>(picture {E(svg)} not inlined)</p>";
        return $"<figure>{text[start..]}<figcaption>{E(caption)}</figcaption></figure>";
    }

    private static string E(object? value) => WebUtility.HtmlEncode(value?.ToString() ?? "");

    private static string A(string relative) => string.Join("/", relative.Split('/').Select(Uri.EscapeDataString));
}
