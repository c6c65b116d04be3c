using VerifyLandscape.Exact;

namespace VerifyLandscape.Intervals;

/// <summary>
/// A closed interval [Lo, Hi] with exact rational ends: interval arithmetic without rounding, for boxes of a
/// branch-and-bound and the enclosures a certificate checker recomputes.
/// </summary>
public readonly record struct RationalInterval(Rational Lo, Rational Hi)
{
    public static RationalInterval Of(Rational c) => new(c, c);
    public static RationalInterval operator +(RationalInterval a, RationalInterval b) => new(a.Lo + b.Lo, a.Hi + b.Hi);
    public static RationalInterval operator -(RationalInterval a, RationalInterval b) => new(a.Lo - b.Hi, a.Hi - b.Lo);
    public static RationalInterval operator -(RationalInterval a) => new(-a.Hi, -a.Lo);
    public static RationalInterval operator *(RationalInterval a, RationalInterval b)
    {
        Rational p1 = a.Lo * b.Lo, p2 = a.Lo * b.Hi, p3 = a.Hi * b.Lo, p4 = a.Hi * b.Hi;
        return new(Rational.Min(Rational.Min(p1, p2), Rational.Min(p3, p4)), Rational.Max(Rational.Max(p1, p2), Rational.Max(p3, p4)));
    }
    public static RationalInterval operator *(Rational c, RationalInterval a) => c.Sign >= 0 ? new(c * a.Lo, c * a.Hi) : new(c * a.Hi, c * a.Lo);
    /// <summary>{x² : x in the interval}: tighter than a·a when the interval contains 0.</summary>
    public RationalInterval Square() =>
        Lo.Sign >= 0 ? new(Lo * Lo, Hi * Hi) : Hi.Sign <= 0 ? new(Hi * Hi, Lo * Lo) : new(Rational.Zero, Rational.Max(Lo * Lo, Hi * Hi));
    public bool ContainsZero => Lo.Sign <= 0 && Hi.Sign >= 0;
    public bool IsEmpty => Hi < Lo;
    public Rational MaxAbs => Rational.Max(Lo.Abs(), Hi.Abs());
    /// <summary>The smallest |x| over the interval (0 when it contains 0).</summary>
    public Rational MinAbs => Lo.Sign > 0 ? Lo : Hi.Sign < 0 ? -Hi : Rational.Zero;
    public override string ToString() => $"[{Lo}, {Hi}]";
}
