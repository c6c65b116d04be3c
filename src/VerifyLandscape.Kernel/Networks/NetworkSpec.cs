using VerifyLandscape.Exact;

namespace VerifyLandscape.Networks;

public enum LossKind { Sse, HalfMse, CrossEntropy }

/// <summary>
/// A fully connected network with its data and loss: layers A_k(a) = W_k a + b_k,
/// k = 1..ℓ, hidden activations after A_1..A_{ℓ-1}, an output activation after A_ℓ
/// (identity unless the spec says otherwise). The loss is
///   sse:           L = Σ_i ‖f(x_i) − y_i‖²
///   half-mse:      L = (1/2N) Σ_i ‖f(x_i) − y_i‖²
///   cross-entropy: L = (1/N) Σ_i Σ_o y_io (logsumexp(f(x_i)) − f_o(x_i))
/// plus (λ/2)‖W‖² over the weight matrices (biases are not regularised).
///
/// Skip wiring (Nguyen–Mukkamala–Hein's setting, optional): the output layer reads a chosen list of hidden units
/// ψ = (a_{k_1}[u_1], …, a_{k_M}[u_M]) instead of a_{ℓ−1}, so A_ℓ(ψ) = W_ℓ ψ + b_ℓ with W_ℓ of size m × M, and the
/// output bias can be switched off. Without a list the output reads all of layer ℓ−1 (the plain network).
/// </summary>
public sealed class NetworkSpec
{
    public required int[] Widths { get; init; }
    /// <summary>σ_k after A_k for k = 1..ℓ−1 (index k−1).</summary>
    public required Activation[] HiddenActivations { get; init; }
    public required Activation OutputActivation { get; init; }
    public required bool Bias { get; init; }
    public required LossKind Loss { get; init; }
    public required Rational WeightDecay { get; init; }
    public required Rational[][] X { get; init; }
    public required Rational[][] Y { get; init; }
    /// <summary>The hidden units the output layer reads, in order, as (layer 1..ℓ−1, unit); null: all of layer ℓ−1.</summary>
    public HiddenUnit[]? Skip { get; init; }
    /// <summary>Whether the output layer has a bias (only with <see cref="Bias"/>; the paper's outputs have none).</summary>
    public bool OutputBias { get; init; } = true;

    /// <summary>A layered network in the plain sense: the output reads the last hidden layer and has its bias (if any).</summary>
    public bool IsPlain => Skip is null && (OutputBias || !Bias);
    /// <summary>The units the output layer reads (the last hidden layer when there is no skip list).</summary>
    public HiddenUnit[] OutputSources => Skip ?? Enumerable.Range(0, Widths[^2]).Select(u => new HiddenUnit(Depth - 1, u)).ToArray();
    /// <summary>Every hidden unit, layer by layer.</summary>
    public HiddenUnit[] HiddenUnits => Enumerable.Range(1, Depth - 1).SelectMany(k => Enumerable.Range(0, Widths[k]).Select(u => new HiddenUnit(k, u))).ToArray();
    /// <summary>How many values layer k reads: n_{k−1}, or M for the output layer of a skip network.</summary>
    public int FanIn(int layer) => layer == Depth && Skip is { } skip ? skip.Length : Widths[layer - 1];
    /// <summary>Whether layer k has a bias vector.</summary>
    public bool HasBias(int layer) => Bias && (layer < Depth || OutputBias);

    /// <summary>ℓ, the number of affine layers.</summary>
    public int Depth => Widths.Length - 1;
    public int InputWidth => Widths[0];
    public int OutputWidth => Widths[^1];
    public int SampleCount => X.Length;

    private ParameterLayout? _layout;
    public ParameterLayout Layout => _layout ??= new ParameterLayout(Widths, Bias, FanIn(Depth), OutputBias);
    public int ParameterCount => Layout.Count;

    /// <summary>σ_k for k = 1..ℓ (the output activation at k = ℓ).</summary>
    public Activation ActivationOf(int layer) => layer == Depth ? OutputActivation : HiddenActivations[layer - 1];

    /// <summary>ȳ = (1/N) Σ_i y_i.</summary>
    public Rational[] MeanTarget()
    {
        var mean = new Rational[OutputWidth];
        for (int o = 0; o < OutputWidth; o++)
        {
            Rational s = 0;
            foreach (var y in Y) s += y[o];
            mean[o] = s / SampleCount;
        }
        return mean;
    }

    /// <summary>A copy with some fields replaced (the rest shared: specs are never mutated).</summary>
    public NetworkSpec With(int[]? widths = null, Activation[]? hidden = null, Activation? output = null,
        Rational[][]? x = null, Rational[][]? y = null, Rational? decay = null, bool? bias = null, LossKind? loss = null,
        HiddenUnit[]? skip = null, bool? outputBias = null, bool plain = false) => new()
    {
        Skip = plain ? null : skip ?? Skip,
        OutputBias = plain || (outputBias ?? OutputBias),
        Widths = widths ?? Widths,
        HiddenActivations = hidden ?? HiddenActivations,
        OutputActivation = output ?? OutputActivation,
        Bias = bias ?? Bias,
        Loss = loss ?? Loss,
        WeightDecay = decay ?? WeightDecay,
        X = x ?? X,
        Y = y ?? Y,
    };

    public string Describe() =>
        $"widths {string.Join("-", Widths)}, {string.Join("/", HiddenActivations.Select(a => a.Name).Distinct())}" +
        (OutputActivation is IdentityActivation ? "" : $", output {OutputActivation.Name}") +
        $", {(Bias ? "biases" : "no biases")}" + (Skip is { } k ? $", output reads {k.Length} skip units" : "") +
        (Bias && !OutputBias ? ", no output bias" : "") + $", loss {LossName(Loss)}, N = {SampleCount}, P = {ParameterCount}" +
        (WeightDecay.IsZero ? "" : $", λ = {WeightDecay}");

    public static string LossName(LossKind k) => k switch
    {
        LossKind.Sse => "sse",
        LossKind.HalfMse => "half-mse",
        _ => "cross-entropy",
    };
}

/// <summary>
/// The order and names of the parameters: W1 (row-major, W1[i,j] maps input j to unit i), b1, W2, b2, ...
/// Indices start at 0, layers at 1.
/// </summary>
public sealed class ParameterLayout
{
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    private readonly string[] _names;
    private readonly Dictionary<string, int> _index;
    private readonly int[] _fanIn;
    private readonly bool[] _hasBias;
    public int[] Widths { get; }
    public bool Bias { get; }

    /// <summary>The layout of a plain network.</summary>
    public ParameterLayout(int[] widths, bool bias) : this(widths, bias, widths[^2], true) { }

    /// <summary>The output layer reads <paramref name="outputFanIn"/> values and has a bias only if both flags say so.</summary>
    public ParameterLayout(int[] widths, bool bias, int outputFanIn, bool outputBias)
    {
        Widths = widths;
        Bias = bias;
        int depth = widths.Length - 1;
        _fanIn = new int[depth + 1];
        _hasBias = new bool[depth + 1];
        for (int k = 1; k <= depth; k++)
        {
            _fanIn[k] = k == depth ? outputFanIn : widths[k - 1];
            _hasBias[k] = bias && (k < depth || outputBias);
        }
        _weightOffset = new int[depth + 1];
        _biasOffset = new int[depth + 1];
        var names = new List<string>();
        for (int k = 1; k <= depth; k++)
        {
            _weightOffset[k] = names.Count;
            for (int i = 0; i < widths[k]; i++)
                for (int j = 0; j < _fanIn[k]; j++)
                    names.Add($"W{k}[{i},{j}]");
            _biasOffset[k] = names.Count;
            if (_hasBias[k])
                for (int i = 0; i < widths[k]; i++) names.Add($"b{k}[{i}]");
        }
        _names = names.ToArray();
        _index = new Dictionary<string, int>(_names.Length);
        for (int p = 0; p < _names.Length; p++) _index[_names[p]] = p;
    }

    public int Count => _names.Length;
    public IReadOnlyList<string> Names => _names;
    public string Name(int p) => _names[p];
    public bool TryIndexOf(string name, out int p) => _index.TryGetValue(name.Replace(" ", ""), out p);
    public int FanIn(int layer) => _fanIn[layer];
    public bool HasBias(int layer) => _hasBias[layer];
    public int Weight(int layer, int i, int j) => _weightOffset[layer] + i * _fanIn[layer] + j;
    public int BiasIndex(int layer, int i) => _hasBias[layer] ? _biasOffset[layer] + i : throw new InvalidOperationException($"layer {layer} has no bias");
    public bool IsWeight(int p) => _names[p][0] == 'W';

    /// <summary>Indices of all entries of W_k.</summary>
    public IEnumerable<int> WeightsOf(int layer) => Enumerable.Range(_weightOffset[layer], Widths[layer] * _fanIn[layer]);
    /// <summary>Indices of all entries of b_k (none without biases).</summary>
    public IEnumerable<int> BiasesOf(int layer) => _hasBias[layer] ? Enumerable.Range(_biasOffset[layer], Widths[layer]) : [];
}

/// <summary>A hidden unit: layer 1..ℓ−1 and its index in the layer (from 0).</summary>
public readonly record struct HiddenUnit(int Layer, int Unit)
{
    public override string ToString() => $"[{Layer},{Unit}]";
}
