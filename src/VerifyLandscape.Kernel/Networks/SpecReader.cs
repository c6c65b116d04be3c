using System.Text.Json;
using VerifyLandscape.Exact;

namespace VerifyLandscape.Networks;

/// <summary>Bad input: names the file and the field. The command line turns it into one line and exit code 2.</summary>
public sealed class InputException(string file, string field, string reason)
    : Exception($"{file}: {(field.Length > 0 ? field + ": " : "")}{reason}")
{
    public string File { get; } = file;
    public string Field { get; } = field;
}

/// <summary>
/// Reads a network spec (JSON, format in DESIGN.md and the README) strictly:
/// unknown fields, wrong types, unparseable numbers, NaN, wrong dimensions and
/// absurd sizes are rejected with the file and the field named.
/// </summary>
public static class SpecReader
{
    public const int MaxWidth = 100_000;
    public const long MaxParameters = 50_000_000;
    public const int MaxSamples = 10_000_000;

    private static readonly HashSet<string> Known =
        ["widths", "activation", "activations", "outputActivation", "bias", "outputBias", "skip", "reads", "shared", "frozen", "loss", "weightDecay", "penalty", "outputScale", "data", "name", "description"];

    public static NetworkSpec ReadFile(string path)
    {
        string text;
        try { text = System.IO.File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InputException(path, "", "cannot read the file: " + e.Message); }
        return Parse(text, path);
    }

    public static NetworkSpec Parse(string json, string file = "<spec>")
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException e) { throw new InputException(file, "", $"not valid JSON (line {e.LineNumber + 1}): {e.Message.Split('.')[0]}"); }
        using (doc) return Parse(doc.RootElement, file);
    }

    public static NetworkSpec Parse(JsonElement root, string file)
    {
        InputException Bad(string field, string reason) => new(file, field, reason);
        if (root.ValueKind != JsonValueKind.Object) throw Bad("", "the spec must be a JSON object");
        foreach (var prop in root.EnumerateObject())
            if (!Known.Contains(prop.Name)) throw Bad(prop.Name, $"unknown field (known: {string.Join(", ", Known)})");

        if (!root.TryGetProperty("widths", out var widthsEl)) throw Bad("widths", "missing");
        if (widthsEl.ValueKind != JsonValueKind.Array) throw Bad("widths", "must be an array of positive integers");
        var widths = new List<int>();
        int idx = 0;
        foreach (var w in widthsEl.EnumerateArray())
        {
            if (w.ValueKind != JsonValueKind.Number || !w.TryGetInt32(out int v)) throw Bad($"widths[{idx}]", $"not an integer: {w.GetRawText()}");
            if (v < 1 || v > MaxWidth) throw Bad($"widths[{idx}]", $"must be between 1 and {MaxWidth}, got {v}");
            widths.Add(v);
            idx++;
        }
        if (widths.Count < 2) throw Bad("widths", "needs at least an input and an output width");
        int depth = widths.Count - 1;

        bool bias = true;
        if (root.TryGetProperty("bias", out var biasEl))
        {
            if (biasEl.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Bad("bias", "must be true or false");
            bias = biasEl.GetBoolean();
        }
        bool outputBias = true;
        if (root.TryGetProperty("outputBias", out var outputBiasEl))
        {
            if (outputBiasEl.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Bad("outputBias", "must be true or false");
            outputBias = outputBiasEl.GetBoolean();
        }
        var skip = root.TryGetProperty("skip", out var skipEl) ? ReadSkip(skipEl, widths, file) : null;
        var reads = root.TryGetProperty("reads", out var readsEl) ? ReadReads(readsEl, widths, file) : null;
        long parameters = 0;
        for (int k = 1; k <= depth; k++)
            parameters += (long)widths[k] * (k == depth && skip is not null ? skip.Length : reads?[k] is { } list ? list.Length : widths[k - 1])
                          + (bias && (k < depth || outputBias) ? widths[k] : 0);
        if (parameters > MaxParameters) throw Bad("widths", $"{parameters} parameters is more than the limit {MaxParameters}");

        Activation hidden = Activation.Tanh;
        Activation[]? perLayer = null;
        if (root.TryGetProperty("activation", out var actEl)) hidden = ParseActivation(actEl, file, "activation");
        if (root.TryGetProperty("activations", out var actsEl))
        {
            if (actsEl.ValueKind != JsonValueKind.Array) throw Bad("activations", "must be an array, one activation per hidden layer");
            perLayer = actsEl.EnumerateArray().Select((a, i) => ParseActivation(a, file, $"activations[{i}]")).ToArray();
            if (perLayer.Length != depth - 1) throw Bad("activations", $"has {perLayer.Length} entries, the network has {depth - 1} hidden layers");
        }
        var output = root.TryGetProperty("outputActivation", out var outEl) ? ParseActivation(outEl, file, "outputActivation") : Activation.Identity;

        var loss = LossKind.Sse;
        if (root.TryGetProperty("loss", out var lossEl))
        {
            loss = (lossEl.ValueKind == JsonValueKind.String ? lossEl.GetString() : null) switch
            {
                "sse" => LossKind.Sse,
                "half-mse" => LossKind.HalfMse,
                "half-sse" => LossKind.HalfSse,
                "cross-entropy" => LossKind.CrossEntropy,
                "mse" => LossKind.Mse,
                "mae" => LossKind.Mae,
                _ => throw Bad("loss", $"unknown loss {lossEl.GetRawText()} (known: sse, half-sse, half-mse, mse, mae, cross-entropy)"),
            };
        }
        var decay = root.TryGetProperty("weightDecay", out var wdEl) ? ReadNumber(wdEl, file, "weightDecay") : Rational.Zero;
        if (decay.Sign < 0) throw Bad("weightDecay", "must not be negative");
        var l1 = Rational.Zero;
        if (root.TryGetProperty("penalty", out var penaltyEl))
        {
            // Freeman–Bruna's κR(θ): {"l2": κ} is κ‖W‖² (weight decay λ = 2κ), {"l1": κ} is κ‖W‖₁; weights only.
            if (penaltyEl.ValueKind != JsonValueKind.Object) throw Bad("penalty", "must be an object {\"l1\": κ} or {\"l2\": κ}");
            foreach (var prop in penaltyEl.EnumerateObject())
            {
                if (prop.Name is not ("l1" or "l2")) throw Bad("penalty." + prop.Name, "unknown penalty (known: l1, l2)");
                var kappa = ReadNumber(prop.Value, file, "penalty." + prop.Name);
                if (kappa.Sign < 0) throw Bad("penalty." + prop.Name, "must not be negative");
                if (prop.Name == "l1") l1 = kappa;
                else if (!decay.IsZero) throw Bad("penalty.l2", "weightDecay is given too (give one: weightDecay λ is penalty.l2 κ = λ/2)");
                else decay = 2 * kappa;
            }
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            throw Bad("data", "missing, or not an object with fields x and y");
        foreach (var prop in data.EnumerateObject())
            if (prop.Name is not ("x" or "y")) throw Bad("data." + prop.Name, "unknown field (known: x, y)");
        var x = ReadMatrix(data, "x", widths[0], file);
        int m = widths[^1];
        var y = ReadMatrix(data, "y", null, file);
        if (x.Length != y.Length) throw Bad("data.y", $"has {y.Length} rows, data.x has {x.Length}");
        if (x.Length == 0) throw Bad("data.x", "needs at least one sample");
        for (int i = 0; i < y.Length; i++)
        {
            if (loss == LossKind.CrossEntropy && m > 1 && y[i].Length == 1)
            {
                // A class label: one-hot it.
                var label = y[i][0];
                if (!label.IsInteger || label.Sign < 0 || label >= m) throw Bad($"data.y[{i}][0]", $"class label must be an integer in 0..{m - 1}, got {label}");
                var oneHot = new Rational[m];
                oneHot[(int)label.Numerator] = 1;
                y[i] = oneHot;
            }
            else if (y[i].Length != m) throw Bad($"data.y[{i}]", $"has {y[i].Length} entries, the output width is {m}");
            if (loss == LossKind.CrossEntropy && y[i].Any(v => v.Sign < 0)) throw Bad($"data.y[{i}]", "cross-entropy targets must be non-negative");
        }
        var spec = new NetworkSpec
        {
            Reads = reads,
            Shared = root.TryGetProperty("shared", out var sharedEl) ? ReadShared(sharedEl, file) : null,
            Frozen = root.TryGetProperty("frozen", out var frozenEl) ? ReadFrozen(frozenEl, file) : null,
            Widths = widths.ToArray(),
            HiddenActivations = perLayer ?? Enumerable.Repeat(hidden, depth - 1).ToArray(),
            OutputActivation = output,
            Bias = bias,
            OutputBias = outputBias,
            Skip = skip,
            Loss = loss,
            WeightDecay = decay,
            L1Penalty = l1,
            OutputScale = root.TryGetProperty("outputScale", out var scaleEl) ? ReadOutputScale(scaleEl, widths, file) : Rational.One,
            X = x,
            Y = y,
        };
        if (spec.IsTied) CheckTies(spec, file);
        return spec;
    }

    /// <summary>
    /// "outputScale": a positive rational s, or "1/sqrt(m)" (Du et al.'s m^{−1/2}, m the width the output reads), which
    /// is rational only when m is a perfect square: the exact engine has no square roots, so other m are refused.
    /// </summary>
    private static Rational ReadOutputScale(JsonElement el, List<int> widths, string file)
    {
        if (el.ValueKind == JsonValueKind.String && el.GetString()!.Replace(" ", "") == "1/sqrt(m)")
        {
            int m = widths[^2];
            int root = (int)Math.Round(Math.Sqrt(m));
            if (root * root != m)
                throw new InputException(file, "outputScale", $"1/sqrt(m) = 1/sqrt({m}) is irrational; exact specs need a square width m (1, 4, 9, …) or a rational scale");
            return Rational.Create(1, root);
        }
        var s = ReadNumber(el, file, "outputScale");
        if (s.Sign <= 0) throw new InputException(file, "outputScale", $"must be positive, got {s}");
        return s;
    }

    /// <summary>Every shared or frozen name is a weight or bias of this wiring, tied once; a group is all weights or all biases.</summary>
    private static void CheckTies(NetworkSpec spec, string file)
    {
        var untied = spec.With(shared: [], frozen: []).Layout;
        var seen = new HashSet<string>();
        void Check(string name, string field)
        {
            if (!untied.TryIndexOf(name, out int p))
                throw new InputException(file, field, $"'{name}' is not a weight or bias of this network (names as vl derive prints them: W1[0,0], b1[0])");
            if (!seen.Add(untied.Name(p))) throw new InputException(file, field, $"{untied.Name(p)} is shared or frozen twice");
        }
        var groups = spec.Shared ?? [];
        for (int g = 0; g < groups.Length; g++)
        {
            for (int i = 0; i < groups[g].Length; i++) Check(groups[g][i], $"shared[{g}][{i}]");
            if (groups[g].Select(n => untied.IsWeight(untied.TryIndexOf(n, out int p) ? p : 0)).Distinct().Count() > 1)
                throw new InputException(file, $"shared[{g}]", "mixes weights and biases");
        }
        foreach (var (name, _) in spec.Frozen ?? []) Check(name, "frozen." + name);
    }

    /// <summary>"reads": {"k": [[layer, unit], ...]}, the units hidden layer k reads (layer 0..k−1, 0 = the inputs), each once.</summary>
    private static HiddenUnit[]?[] ReadReads(JsonElement el, List<int> widths, string file)
    {
        int depth = widths.Count - 1;
        if (el.ValueKind != JsonValueKind.Object) throw new InputException(file, "reads", "must be an object {\"layer\": [[layer, unit], ...]} for hidden layers");
        var reads = new HiddenUnit[]?[depth];
        foreach (var prop in el.EnumerateObject())
        {
            string field = "reads." + prop.Name;
            if (!int.TryParse(prop.Name, out int k) || k < 1 || k > depth - 1)
                throw new InputException(file, field, $"'{prop.Name}' is not a hidden layer (1..{depth - 1}); the output's list is \"skip\"");
            reads[k] = ReadUnits(prop.Value, field, 0, k - 1, widths, file);
        }
        return reads;
    }

    /// <summary>"shared": [["W1[0,0]", "W1[1,1]"], ["b1[0]", "b1[1]"]], groups of two or more names sharing one value.</summary>
    private static string[][] ReadShared(JsonElement el, string file)
    {
        if (el.ValueKind != JsonValueKind.Array) throw new InputException(file, "shared", "must be an array of groups of parameter names");
        var groups = new List<string[]>();
        int g = 0;
        foreach (var group in el.EnumerateArray())
        {
            string field = $"shared[{g++}]";
            if (group.ValueKind != JsonValueKind.Array || group.GetArrayLength() < 2 || group.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(n.GetString())))
                throw new InputException(file, field, $"must be an array of two or more parameter names, got {group.GetRawText()}");
            groups.Add(group.EnumerateArray().Select(n => n.GetString()!).ToArray());
        }
        return groups.ToArray();
    }

    /// <summary>"frozen": {"W2[0,0]": "1/2", ...}, parameters held at a value.</summary>
    private static KeyValuePair<string, Rational>[] ReadFrozen(JsonElement el, string file)
    {
        if (el.ValueKind != JsonValueKind.Object) throw new InputException(file, "frozen", "must be an object {\"parameter name\": value}");
        return el.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, ReadNumber(p.Value, file, "frozen." + p.Name))).ToArray();
    }

    /// <summary>"skip": [[layer, unit], ...], the hidden units the output reads (layer 1..ℓ−1, unit from 0), each once.</summary>
    private static HiddenUnit[] ReadSkip(JsonElement el, List<int> widths, string file)
    {
        int depth = widths.Count - 1;
        if (depth < 2) throw new InputException(file, "skip", "needs a hidden layer (at least three widths)");
        return ReadUnits(el, "skip", 1, depth - 1, widths, file);
    }

    private static HiddenUnit[] ReadUnits(JsonElement el, string name, int lowest, int highest, List<int> widths, string file)
    {
        if (el.ValueKind != JsonValueKind.Array || el.GetArrayLength() == 0)
            throw new InputException(file, name, "must be a non-empty array of [layer, unit] pairs");
        var units = new List<HiddenUnit>();
        int i = 0;
        foreach (var pair in el.EnumerateArray())
        {
            string field = $"{name}[{i++}]";
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out _)))
                throw new InputException(file, field, $"must be a pair of integers [layer, unit], got {pair.GetRawText()}");
            int layer = pair[0].GetInt32(), unit = pair[1].GetInt32();
            if (layer < lowest || layer > highest)
                throw new InputException(file, field, $"layer {layer} cannot be read here (layers {lowest}..{highest}{(lowest == 0 ? ", 0 = the inputs" : "")})");
            if (unit < 0 || unit >= widths[layer]) throw new InputException(file, field, $"unit {unit} is not in layer {layer} (0..{widths[layer] - 1})");
            var u = new HiddenUnit(layer, unit);
            if (units.Contains(u)) throw new InputException(file, field, $"unit {u} is listed twice");
            units.Add(u);
        }
        return units.ToArray();
    }

    private static Rational[][] ReadMatrix(JsonElement data, string name, int? columns, string file)
    {
        string field = "data." + name;
        if (!data.TryGetProperty(name, out var el)) throw new InputException(file, field, "missing");
        if (el.ValueKind != JsonValueKind.Array) throw new InputException(file, field, "must be an array of rows");
        if (el.GetArrayLength() > MaxSamples) throw new InputException(file, field, $"more than {MaxSamples} rows");
        var rows = new List<Rational[]>();
        int i = 0;
        foreach (var row in el.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array) throw new InputException(file, $"{field}[{i}]", "must be an array of numbers");
            var values = row.EnumerateArray().Select((v, j) => ReadNumber(v, file, $"{field}[{i}][{j}]")).ToArray();
            if (columns is { } c && values.Length != c)
                throw new InputException(file, $"{field}[{i}]", $"has {values.Length} entries, the input width is {c}");
            rows.Add(values);
            i++;
        }
        return rows.ToArray();
    }

    /// <summary>A number written "3/7", "-0.25" (read exactly as 1/4) or a JSON number (read exactly as the decimal it prints as).</summary>
    public static Rational ReadNumber(JsonElement el, string file, string field)
    {
        string? text = el.ValueKind switch
        {
            JsonValueKind.String => el.GetString(),
            JsonValueKind.Number => el.GetRawText(),
            _ => null,
        };
        if (text is null) throw new InputException(file, field, $"expected a number, got {el.ValueKind.ToString().ToLowerInvariant()}");
        if (!Rational.TryParse(text, out var q)) throw new InputException(file, field, $"cannot parse '{text}' as an exact number (write 3/7, -0.25 or 1e-3)");
        return q;
    }

    public static Activation ParseActivation(JsonElement el, string file, string field)
    {
        string? name;
        JsonElement? obj = null;
        if (el.ValueKind == JsonValueKind.String) name = el.GetString();
        else if (el.ValueKind == JsonValueKind.Object)
        {
            obj = el;
            name = el.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (name is null) throw new InputException(file, field + ".name", "missing");
            foreach (var prop in el.EnumerateObject())
                if (prop.Name is not ("name" or "alpha" or "beta" or "coefficients"))
                    throw new InputException(file, $"{field}.{prop.Name}", "unknown field (known: name, alpha, beta, coefficients)");
        }
        else throw new InputException(file, field, "must be a name or an object with a name");

        Rational Param(string key, Rational fallback) =>
            obj is { } o && o.TryGetProperty(key, out var v) ? ReadNumber(v, file, $"{field}.{key}") : fallback;

        switch (name)
        {
            case "identity" or "linear": return Activation.Identity;
            case "relu": return Activation.Relu;
            case "leaky-relu": return new LeakyRelu(Param("alpha", Rational.Create(1, 100)));
            case "tanh": return Activation.Tanh;
            case "sigmoid": return Activation.Sigmoid;
            case "swish": return Activation.Swish;
            case "softplus":
                var beta = Param("beta", Rational.One);
                if (beta.Sign <= 0) throw new InputException(file, field + ".beta", "must be positive");
                return new Softplus(beta);
            case "polynomial":
                if (obj is not { } po || !po.TryGetProperty("coefficients", out var cs) || cs.ValueKind != JsonValueKind.Array)
                    throw new InputException(file, field + ".coefficients", "missing: a polynomial needs [c0, c1, ...]");
                var coefficients = cs.EnumerateArray().Select((c, i) => ReadNumber(c, file, $"{field}.coefficients[{i}]")).ToArray();
                if (coefficients.Length == 0 || coefficients.Length > 32) throw new InputException(file, field + ".coefficients", "needs 1 to 32 coefficients");
                return new PolynomialActivation(coefficients);
            default:
                throw new InputException(file, field, $"unknown activation '{name}' (known: identity, relu, leaky-relu, tanh, sigmoid, softplus, swish, polynomial)");
        }
    }
}
