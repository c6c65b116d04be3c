using System.Collections.Concurrent;
using VerifyLandscape.Intervals;

namespace VerifyLandscape.Symbolic;

/// <summary>
/// A variable of the exact ring: either a free network parameter (kept as a
/// symbol, e.g. W3[0,1]) or an atom f(arg) standing for a real number we cannot
/// write exactly, such as tanh''(W3[0,1]) or tanh(1/2). Atoms are treated as
/// independent variables, so a polynomial that is zero in the ring is zero
/// whatever real values the atoms take: a proof, not a guess.
/// </summary>
public sealed class Symbol
{
    public int Id { get; }
    public string Name { get; }
    /// <summary>For an atom: the function's name, e.g. "tanh''"; null for a parameter symbol.</summary>
    public string? Function { get; }
    public Sym Argument { get; }
    /// <summary>For an atom: a rigorous enclosure of the function on an enclosure of its argument.</summary>
    public Func<Interval, Interval>? Enclose { get; }
    /// <summary>For an atom: the same function applied in the ring to a new argument (used by substitution).</summary>
    public Func<Sym, Sym>? Reapply { get; }
    public bool IsAtom => Function is not null;

    internal Symbol(int id, string name, string? function, Sym argument, Func<Interval, Interval>? enclose, Func<Sym, Sym>? reapply)
    { Id = id; Name = name; Function = function; Argument = argument; Enclose = enclose; Reapply = reapply; }

    public override string ToString() => Name;
}

/// <summary>Hash-consed table of all symbols: equal names mean the same symbol id.</summary>
public static class Symbols
{
    private static readonly ConcurrentDictionary<string, Symbol> ByName = new();
    private static readonly List<Symbol> ById = [];
    private static readonly object Gate = new();

    public static Symbol Get(int id) { lock (Gate) return ById[id]; }

    /// <summary>The symbol of a free parameter, e.g. "W2[0,1]".</summary>
    public static Symbol Parameter(string name) => Intern(name, () => (null, Sym.Zero, null, null));

    /// <summary>The atom function(argument); its name is its canonical text, e.g. "tanh'(2*W3[0,0])".</summary>
    public static Symbol Atom(string function, Sym argument, Func<Interval, Interval> enclose, Func<Sym, Sym> reapply) =>
        Intern(function + "(" + argument + ")", () => (function, argument, enclose, reapply));

    private static Symbol Intern(string name, Func<(string?, Sym, Func<Interval, Interval>?, Func<Sym, Sym>?)> make)
    {
        if (ByName.TryGetValue(name, out var s)) return s;
        lock (Gate)
        {
            if (ByName.TryGetValue(name, out s)) return s;
            var (f, arg, enc, re) = make();
            s = new Symbol(ById.Count, name, f, arg, enc, re);
            ById.Add(s);
            ByName[name] = s;
            return s;
        }
    }
}
