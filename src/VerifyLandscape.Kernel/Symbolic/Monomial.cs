namespace VerifyLandscape.Symbolic;

/// <summary>A product of symbol powers x_{v1}^{e1} ... x_{vk}^{ek}, symbol ids increasing. Immutable.</summary>
public sealed class Monomial : IEquatable<Monomial>, IComparable<Monomial>
{
    // Pairs (symbol id, exponent), ids strictly increasing, exponents positive.
    private readonly int[] _pairs;
    private readonly int _hash;

    public static readonly Monomial Unit = new([]);

    private Monomial(int[] pairs)
    {
        _pairs = pairs;
        var h = new HashCode();
        foreach (var p in pairs) h.Add(p);
        _hash = h.ToHashCode();
    }

    public static Monomial Of(int symbolId, int exponent = 1) => new([symbolId, exponent]);

    public bool IsUnit => _pairs.Length == 0;
    public int Count => _pairs.Length / 2;
    public int SymbolAt(int i) => _pairs[2 * i];
    public int ExponentAt(int i) => _pairs[2 * i + 1];
    public int Degree { get { int d = 0; for (int i = 1; i < _pairs.Length; i += 2) d += _pairs[i]; return d; } }

    public static Monomial operator *(Monomial a, Monomial b)
    {
        if (a.IsUnit) return b;
        if (b.IsUnit) return a;
        var r = new int[a._pairs.Length + b._pairs.Length];
        int i = 0, j = 0, k = 0;
        while (i < a._pairs.Length && j < b._pairs.Length)
        {
            int va = a._pairs[i], vb = b._pairs[j];
            if (va == vb) { r[k++] = va; r[k++] = a._pairs[i + 1] + b._pairs[j + 1]; i += 2; j += 2; }
            else if (va < vb) { r[k++] = va; r[k++] = a._pairs[i + 1]; i += 2; }
            else { r[k++] = vb; r[k++] = b._pairs[j + 1]; j += 2; }
        }
        while (i < a._pairs.Length) r[k++] = a._pairs[i++];
        while (j < b._pairs.Length) r[k++] = b._pairs[j++];
        if (k < r.Length) Array.Resize(ref r, k);
        return new Monomial(r);
    }

    public bool Equals(Monomial? other) =>
        other is not null && (ReferenceEquals(this, other) || (_hash == other._hash && _pairs.AsSpan().SequenceEqual(other._pairs)));
    public override bool Equals(object? obj) => Equals(obj as Monomial);
    public override int GetHashCode() => _hash;

    /// <summary>Canonical order: higher degree first, then by symbol ids; the unit monomial last.</summary>
    public int CompareTo(Monomial? other)
    {
        if (other is null) return 1;
        int c = other.Degree.CompareTo(Degree);
        if (c != 0) return c;
        int n = Math.Min(_pairs.Length, other._pairs.Length);
        for (int i = 0; i < n; i++)
        {
            c = _pairs[i].CompareTo(other._pairs[i]);
            if (c != 0) return (i % 2 == 0) ? c : -c;
        }
        return _pairs.Length.CompareTo(other._pairs.Length);
    }

    public override string ToString()
    {
        if (IsUnit) return "1";
        var parts = new List<string>(Count);
        for (int i = 0; i < Count; i++)
        {
            string name = Symbols.Get(SymbolAt(i)).Name;
            parts.Add(ExponentAt(i) == 1 ? name : name + "^" + ExponentAt(i));
        }
        return string.Join("*", parts);
    }
}
