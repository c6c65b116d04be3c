using VerifyLandscape.Exact;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Networks;

public enum LossKind { Sse, HalfMse, CrossEntropy, Mse, Mae, HalfSse }

/// <summary>How far a network is from a plain layered one; claims and certificate formats say which they speak about.</summary>
public enum Wiring
{
    /// <summary>Every layer reads the layer below, the output has its bias (if any), nothing tied.</summary>
    Plain,
    /// <summary>The output reads a list of hidden units or has no bias; the hidden layers are plain.</summary>
    Skip,
    /// <summary>Hidden layers read lists of earlier units (a layered DAG), or parameters are shared or frozen.</summary>
    General,
}

/// <summary>
/// A fully connected network with its data and loss: layers A_k(a) = W_k a + b_k,
/// k = 1..ℓ, hidden activations after A_1..A_{ℓ-1}, an output activation after A_ℓ
/// (identity unless the spec says otherwise). The loss is
///   sse:           L = Σ_i ‖f(x_i) − y_i‖²
///   half-sse:      L = ½ Σ_i ‖f(x_i) − y_i‖²                (Golikov's eqs. 2, 3, 7 and Du et al.)
///   half-mse:      L = (1/2N) Σ_i ‖f(x_i) − y_i‖²
///   cross-entropy: L = (1/N) Σ_i Σ_o y_io (logsumexp(f(x_i)) − f_o(x_i))
///   mse:           L = (1/N) Σ_i ‖f(x_i) − y_i‖²          (Freeman–Bruna's F_e, no ½)
///   mae:           L = (1/(N m)) Σ_i Σ_o |f_o(x_i) − y_io| (the mean over every entry, as their experiments ran)
/// plus (λ/2)‖W‖² + κ₁‖W‖₁ over the free weights (biases are not regularised). Freeman–Bruna's ridge κ‖W‖² is λ = 2κ.
///
/// Skip wiring (Nguyen–Mukkamala–Hein's setting, optional): the output layer reads a chosen list of hidden units
/// ψ = (a_{k_1}[u_1], …, a_{k_M}[u_M]) instead of a_{ℓ−1}, so A_ℓ(ψ) = W_ℓ ψ + b_ℓ with W_ℓ of size m × M, and the
/// output bias can be switched off. Without a list the output reads all of layer ℓ−1 (the plain network).
///
/// Layered DAG wiring (001's setting, optional): a hidden layer k may read a list of earlier units (layer 0..k−1,
/// layer 0 being the input coordinates) instead of all of layer k−1; then W_k is n_k × (the list's length).
/// Tied parameters (optional): groups of weights or biases that share one value (convolution-style weight sharing,
/// with or without a shared bias) and frozen entries held at a given value (missing arcs are entries frozen at 0).
/// The point θ holds the free parameters only; see <see cref="ParameterLayout"/>.
/// Output scale (optional): f = s·σ_ℓ(A_ℓ(…)) with a rational s > 0, e.g. Du et al.'s m^{−1/2} for a square width m.
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
    /// <summary>κ₁ of the ℓ1 penalty κ₁ Σ |w| over the free weights (0: none). Not smooth where a weight is 0.</summary>
    public Rational L1Penalty { get; init; } = Rational.Zero;
    public required Rational[][] X { get; init; }
    public required Rational[][] Y { get; init; }
    /// <summary>The hidden units the output layer reads, in order, as (layer 1..ℓ−1, unit); null: all of layer ℓ−1.</summary>
    public HiddenUnit[]? Skip { get; init; }
    /// <summary>Whether the output layer has a bias (only with <see cref="Bias"/>; the paper's outputs have none).</summary>
    public bool OutputBias { get; init; } = true;
    /// <summary>Index k = 1..ℓ−1: the units hidden layer k reads (layer 0..k−1), or null for all of layer k−1. Null: every layer plain.</summary>
    public HiddenUnit[]?[]? Reads { get; init; }
    /// <summary>Groups of parameter names (W2[0,1], b1[3], …) that share one value; null: none.</summary>
    public string[][]? Shared { get; init; }
    /// <summary>Parameters held at a value and not part of θ; null: none.</summary>
    public KeyValuePair<string, Rational>[]? Frozen { get; init; }
    /// <summary>s in f = s·σ_ℓ(A_ℓ(…)); 1 unless the spec says otherwise.</summary>
    public Rational OutputScale { get; init; } = Rational.One;

    /// <summary>A layered network in the plain sense: every layer reads the one below, the output has its bias (if any), nothing tied.</summary>
    public bool IsPlain => Skip is null && (OutputBias || !Bias) && !HasReads && !IsTied;
    public Wiring Wiring => IsPlain ? Wiring.Plain : HasReads || IsTied ? Wiring.General : Wiring.Skip;
    public static string Describe(Wiring w) => w switch
    {
        Wiring.Plain => "plain layered networks (the output reads the last hidden layer and has its bias)",
        Wiring.Skip => "layered networks whose output may read a list of hidden units and have no bias (nothing tied)",
        _ => "layered DAG networks with shared or frozen parameters",
    };
    /// <summary>Whether some hidden layer reads a list of units (layered DAG wiring).</summary>
    public bool HasReads => Reads is { } r && r.Any(l => l is not null);
    /// <summary>Whether some parameters are shared or frozen (θ is then shorter than the list of weights and biases).</summary>
    public bool IsTied => Shared is { Length: > 0 } || Frozen is { Length: > 0 };
    /// <summary>What layer k reads: a list of units, or null for all of layer k−1.</summary>
    public HiddenUnit[]? Sources(int layer) => layer == Depth ? Skip : Reads is { } r && layer < r.Length ? r[layer] : null;
    /// <summary>The units the output layer reads (the last hidden layer when there is no skip list).</summary>
    public HiddenUnit[] OutputSources => Skip ?? Enumerable.Range(0, Widths[^2]).Select(u => new HiddenUnit(Depth - 1, u)).ToArray();
    /// <summary>Every hidden unit, layer by layer.</summary>
    public HiddenUnit[] HiddenUnits => Enumerable.Range(1, Depth - 1).SelectMany(k => Enumerable.Range(0, Widths[k]).Select(u => new HiddenUnit(k, u))).ToArray();
    /// <summary>How many values layer k reads: n_{k−1}, or M for the output layer of a skip network.</summary>
    public int FanIn(int layer) => Sources(layer) is { } list ? list.Length : Widths[layer - 1];
    /// <summary>Whether layer k has a bias vector.</summary>
    public bool HasBias(int layer) => Bias && (layer < Depth || OutputBias);

    /// <summary>ℓ, the number of affine layers.</summary>
    public int Depth => Widths.Length - 1;
    public int InputWidth => Widths[0];
    public int OutputWidth => Widths[^1];
    public int SampleCount => X.Length;

    private ParameterLayout? _layout;
    public ParameterLayout Layout => _layout ??= new ParameterLayout(Widths,
        Enumerable.Range(0, Depth + 1).Select(k => k == 0 ? 0 : FanIn(k)).ToArray(),
        Enumerable.Range(0, Depth + 1).Select(k => k > 0 && HasBias(k)).ToArray(), Shared, Frozen);
    public int ParameterCount => Layout.Count;

    /// <summary>σ_k for k = 1..ℓ (the output activation at k = ℓ, times the output scale where there is one).</summary>
    public Activation ActivationOf(int layer) => layer < Depth ? HiddenActivations[layer - 1]
        : OutputScale.IsOne ? OutputActivation : new ScaledActivation(OutputActivation, OutputScale);

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

    /// <summary>
    /// A copy with some fields replaced (the rest shared: specs are never mutated). DAG lists and tied parameters are
    /// kept as far as they still name units and parameters of the copy (new widths may drop some; a shrunk candidate
    /// is decided afresh anyway); <paramref name="plain"/> drops the skip list, the DAG lists and the ties.
    /// </summary>
    public NetworkSpec With(int[]? widths = null, Activation[]? hidden = null, Activation? output = null,
        Rational[][]? x = null, Rational[][]? y = null, Rational? decay = null, bool? bias = null, LossKind? loss = null,
        HiddenUnit[]? skip = null, bool? outputBias = null, bool plain = false,
        HiddenUnit[]?[]? reads = null, string[][]? shared = null, KeyValuePair<string, Rational>[]? frozen = null, Rational? l1 = null, Rational? outputScale = null) => new NetworkSpec
    {
        OutputScale = outputScale ?? OutputScale,
        L1Penalty = l1 ?? L1Penalty,
        Skip = plain ? null : skip ?? Skip,
        OutputBias = plain || (outputBias ?? OutputBias),
        Reads = plain ? null : reads ?? Reads,
        Shared = plain ? null : shared ?? Shared,
        Frozen = plain ? null : frozen ?? Frozen,
        Widths = widths ?? Widths,
        HiddenActivations = hidden ?? HiddenActivations,
        OutputActivation = output ?? OutputActivation,
        Bias = bias ?? Bias,
        Loss = loss ?? Loss,
        WeightDecay = decay ?? WeightDecay,
        X = x ?? X,
        Y = y ?? Y,
    }.Pruned();

    /// <summary>This spec less the DAG list entries and tied names that do not name a unit or parameter of it.</summary>
    private NetworkSpec Pruned()
    {
        if (Reads is null && !IsTied) return this;
        var reads = Reads is null ? null : Enumerable.Range(0, Depth).Select(k =>
            k >= 1 && k < Reads.Length && Reads[k] is { } list && list.Where(u => u.Layer < k && u.Unit < Widths[u.Layer]).ToArray() is { Length: > 0 } kept
                ? kept : null).ToArray();
        NetworkSpec Copy(string[][]? shared, KeyValuePair<string, Rational>[]? frozen) => new()
        {
            Widths = Widths, HiddenActivations = HiddenActivations, OutputActivation = OutputActivation, Bias = Bias, Loss = Loss,
            WeightDecay = WeightDecay, L1Penalty = L1Penalty, OutputScale = OutputScale, X = X, Y = Y, Skip = Skip, OutputBias = OutputBias, Reads = reads, Shared = shared, Frozen = frozen,
        };
        var untied = Copy(null, null);
        if (!IsTied) return untied;
        bool Known(string name) => untied.Layout.TryIndexOf(name, out _);
        return Copy(Shared?.Select(g => g.Where(Known).ToArray()).Where(g => g.Length >= 2).ToArray(), Frozen?.Where(f => Known(f.Key)).ToArray());
    }

    public string Describe() =>
        $"widths {string.Join("-", Widths)}, {string.Join("/", HiddenActivations.Select(a => a.Name).Distinct())}" +
        (OutputActivation is IdentityActivation ? "" : $", output {OutputActivation.Name}") +
        (OutputScale.IsOne ? "" : $", output scale {OutputScale}") +
        $", {(Bias ? "biases" : "no biases")}" + (Skip is { } k ? $", output reads {k.Length} skip units" : "") +
        (HasReads ? ", DAG wiring" : "") + (Shared is { Length: > 0 } sh ? $", {sh.Length} shared groups" : "") +
        (Frozen is { Length: > 0 } fr ? $", {fr.Length} frozen" : "") +
        (Bias && !OutputBias ? ", no output bias" : "") + $", loss {LossName(Loss)}, N = {SampleCount}, P = {ParameterCount}" +
        (WeightDecay.IsZero ? "" : $", λ = {WeightDecay}") + (L1Penalty.IsZero ? "" : $", ℓ1 κ = {L1Penalty}");

    public static string LossName(LossKind k) => k switch
    {
        LossKind.Sse => "sse",
        LossKind.HalfMse => "half-mse",
        LossKind.HalfSse => "half-sse",
        LossKind.Mse => "mse",
        LossKind.Mae => "mae",
        _ => "cross-entropy",
    };
}

/// <summary>
/// The parameters: every weight and bias the wiring has (a *slot*), in the order W1 (row-major, W1[i,j] maps what
/// layer 1 reads at j to unit i), b1, W2, b2, …, and the free parameters θ, the slots that are neither frozen nor a
/// later member of a shared group, in slot order, each named after its first slot. Without tied parameters slots and
/// free parameters coincide. Weight(k, i, j), BiasIndex, WeightsOf and BiasesOf give slots; Count, Names, Name,
/// TryIndexOf and IsWeight speak of θ. Indices start at 0, layers at 1.
/// </summary>
public sealed class ParameterLayout
{
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    private readonly string[] _slotNames;
    private readonly int[] _freeOfSlot;        // slot → its free parameter, −1 when frozen
    private readonly Rational[] _frozenValue;  // slot → its value (frozen slots only)
    private readonly int[] _firstSlot;         // free parameter → its first slot
    private readonly int[] _slotsOfFree;       // free parameter → how many slots take its value
    private readonly Dictionary<string, int> _index;
    private readonly int[] _fanIn;
    private readonly bool[] _hasBias;
    public int[] Widths { get; }

    /// <summary>The layout of a plain network.</summary>
    public ParameterLayout(int[] widths, bool bias)
        : this(widths, widths.Select((_, k) => k == 0 ? 0 : widths[k - 1]).ToArray(), widths.Select((_, k) => k > 0 && bias).ToArray()) { }

    /// <summary>Layer k reads fanIn[k] values and has a bias if hasBias[k]; shared and frozen name slots (ArgumentException when a name is unknown or used twice).</summary>
    public ParameterLayout(int[] widths, int[] fanIn, bool[] hasBias, string[][]? shared = null, KeyValuePair<string, Rational>[]? frozen = null)
    {
        Widths = widths;
        int depth = widths.Length - 1;
        _fanIn = fanIn;
        _hasBias = hasBias;
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
        _slotNames = names.ToArray();
        var slotOf = new Dictionary<string, int>(_slotNames.Length);
        for (int q = 0; q < _slotNames.Length; q++) slotOf[_slotNames[q]] = q;
        int Slot(string name) => slotOf.TryGetValue(name.Replace(" ", ""), out int q) ? q
            : throw new ArgumentException($"'{name}' is not a weight or bias of this network");

        // leader[q]: the slot whose value slot q takes (itself when not shared); frozen slots get −1.
        var leader = Enumerable.Range(0, _slotNames.Length).ToArray();
        var claimed = new HashSet<int>();
        _frozenValue = new Rational[_slotNames.Length];
        foreach (var group in shared ?? [])
        {
            var slots = group.Select(Slot).ToArray();
            foreach (var q in slots)
                if (!claimed.Add(q)) throw new ArgumentException($"{_slotNames[q]} is tied twice");
            int first = slots.Min();
            foreach (var q in slots) leader[q] = first;
        }
        foreach (var (name, value) in frozen ?? [])
        {
            int q = Slot(name);
            if (!claimed.Add(q)) throw new ArgumentException($"{_slotNames[q]} is tied twice");
            leader[q] = -1;
            _frozenValue[q] = value;
        }
        _freeOfSlot = new int[_slotNames.Length];
        var firstSlots = new List<int>();
        for (int q = 0; q < _slotNames.Length; q++)
        {
            if (leader[q] < 0) _freeOfSlot[q] = -1;
            else if (leader[q] == q) { _freeOfSlot[q] = firstSlots.Count; firstSlots.Add(q); }
            else _freeOfSlot[q] = _freeOfSlot[leader[q]];
        }
        _firstSlot = firstSlots.ToArray();
        _slotsOfFree = new int[_firstSlot.Length];
        foreach (int f in _freeOfSlot) if (f >= 0) _slotsOfFree[f]++;
        IsTied = _firstSlot.Length != _slotNames.Length;
        _index = new Dictionary<string, int>(_firstSlot.Length);
        for (int p = 0; p < _firstSlot.Length; p++) _index[_slotNames[_firstSlot[p]]] = p;
    }

    /// <summary>The number of free parameters (the length of θ).</summary>
    public int Count => _firstSlot.Length;
    /// <summary>The number of weights and biases of the wiring, tied or not.</summary>
    public int SlotCount => _slotNames.Length;
    /// <summary>Whether some slots are shared or frozen, so that θ is shorter than the list of slots.</summary>
    public bool IsTied { get; }
    public IReadOnlyList<string> Names => _firstSlot.Select(q => _slotNames[q]).ToArray();
    public string Name(int p) => _slotNames[_firstSlot[p]];
    public string SlotName(int q) => _slotNames[q];
    /// <summary>The free parameter a slot takes its value from, or −1 when the slot is frozen.</summary>
    public int FreeOf(int slot) => _freeOfSlot[slot];
    /// <summary>The value of a frozen slot (null when the slot is free).</summary>
    public Rational? FrozenValue(int slot) => _freeOfSlot[slot] < 0 ? _frozenValue[slot] : null;
    /// <summary>Whether a slot is free and shares its value with no other slot.</summary>
    public bool IsOwn(int slot) => _freeOfSlot[slot] >= 0 && _slotsOfFree[_freeOfSlot[slot]] == 1;
    public bool TryIndexOf(string name, out int p) => _index.TryGetValue(name.Replace(" ", ""), out p);
    public int FanIn(int layer) => _fanIn[layer];
    public bool HasBias(int layer) => _hasBias[layer];
    /// <summary>The slot of W_k[i, j].</summary>
    public int Weight(int layer, int i, int j) => _weightOffset[layer] + i * _fanIn[layer] + j;
    /// <summary>The slot of b_k[i].</summary>
    public int BiasIndex(int layer, int i) => _hasBias[layer] ? _biasOffset[layer] + i : throw new InvalidOperationException($"layer {layer} has no bias");
    /// <summary>Whether free parameter p is a weight (weight decay applies to it once, however many slots share it).</summary>
    public bool IsWeight(int p) => _slotNames[_firstSlot[p]][0] == 'W';

    /// <summary>Slots of all entries of W_k.</summary>
    public IEnumerable<int> WeightsOf(int layer) => Enumerable.Range(_weightOffset[layer], Widths[layer] * _fanIn[layer]);
    /// <summary>Slots of all entries of b_k (none without biases).</summary>
    public IEnumerable<int> BiasesOf(int layer) => _hasBias[layer] ? Enumerable.Range(_biasOffset[layer], Widths[layer]) : [];

    /// <summary>The value of every slot at the point θ (frozen slots at their value).</summary>
    public T[] Expand<T>(IReadOnlyList<T> theta) where T : IScalar<T> => Slots(theta, q => T.FromRational(_frozenValue[q]));
    /// <summary>A direction of θ as a direction of the slots (frozen slots do not move).</summary>
    public T[] ExpandDirection<T>(IReadOnlyList<T> v) where T : IScalar<T> => Slots(v, _ => T.Zero);
    /// <summary>A derivative with respect to the slots as one with respect to θ: each free parameter collects its slots.</summary>
    public T[] Reduce<T>(T[] perSlot) where T : IScalar<T>
    {
        if (!IsTied) return perSlot;
        var free = new T[Count];
        Array.Fill(free, T.Zero);
        for (int q = 0; q < perSlot.Length; q++)
            if (_freeOfSlot[q] >= 0 && !T.IsExactZero(perSlot[q])) free[_freeOfSlot[q]] += perSlot[q];
        return free;
    }

    private T[] Slots<T>(IReadOnlyList<T> free, Func<int, T> frozen) where T : IScalar<T>
    {
        var slots = new T[SlotCount];
        for (int q = 0; q < slots.Length; q++) slots[q] = _freeOfSlot[q] >= 0 ? free[_freeOfSlot[q]] : frozen(q);
        return slots;
    }
}

/// <summary>A hidden unit: layer 1..ℓ−1 and its index in the layer (from 0); layer 0 names an input coordinate in a DAG list.</summary>
public readonly record struct HiddenUnit(int Layer, int Unit)
{
    public override string ToString() => $"[{Layer},{Unit}]";
}
