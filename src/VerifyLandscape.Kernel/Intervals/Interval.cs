using VerifyLandscape.Exact;

namespace VerifyLandscape.Intervals;

/// <summary>
/// A closed interval [Lo, Hi] of reals with outward rounding: every operation's
/// result encloses the exact real result for all reals in the operands.
/// Rounding: hardware arithmetic is round-to-nearest (error at most half an ulp),
/// so moving each bound one ulp outward is enough. Library functions (exp, log,
/// tanh) are not correctly rounded; glibc documents errors of at most a few ulps
/// for them, so their bounds are moved <see cref="LibmUlps"/> ulps outward.
/// </summary>
public readonly partial record struct Interval(double Lo, double Hi)
{
    public const int LibmUlps = 4;

    public static readonly Interval Zero = new(0, 0);
    public static readonly Interval One = new(1, 1);
    public static readonly Interval Entire = new(double.NegativeInfinity, double.PositiveInfinity);

    public static Interval Point(double x) => new(x, x);

    public bool IsEmpty => !(Lo <= Hi);
    public bool Contains(double x) => Lo <= x && x <= Hi;
    public bool ContainsZero => Lo <= 0 && 0 <= Hi;
    public double Width => Hi - Lo;
    public double Mid => 0.5 * Lo + 0.5 * Hi;

    /// <summary>An enclosure of an exact rational (conversion error is at most ~1.5 ulp, widened by 2).</summary>
    public static Interval FromRational(Rational q)
    {
        double d = q.ToDouble();
        if (q.IsInteger && Math.Abs(d) < 9007199254740992.0) return Point(d);
        return new Interval(Down(Down(d)), Up(Up(d)));
    }

    internal static double Down(double x) => double.IsNegativeInfinity(x) || double.IsNaN(x) ? x : Math.BitDecrement(x);
    internal static double Up(double x) => double.IsPositiveInfinity(x) || double.IsNaN(x) ? x : Math.BitIncrement(x);
    private static double DownN(double x, int n) { for (int i = 0; i < n; i++) x = Down(x); return x; }
    private static double UpN(double x, int n) { for (int i = 0; i < n; i++) x = Up(x); return x; }

    public static Interval operator +(Interval a, Interval b) => new(Down(a.Lo + b.Lo), Up(a.Hi + b.Hi));
    public static Interval operator -(Interval a, Interval b) => new(Down(a.Lo - b.Hi), Up(a.Hi - b.Lo));
    public static Interval operator -(Interval a) => new(-a.Hi, -a.Lo);

    public static Interval operator *(Interval a, Interval b)
    {
        if ((a.Lo == 0 && a.Hi == 0) || (b.Lo == 0 && b.Hi == 0)) return Zero;
        double p1 = a.Lo * b.Lo, p2 = a.Lo * b.Hi, p3 = a.Hi * b.Lo, p4 = a.Hi * b.Hi;
        // 0 * inf is NaN; for closed bounded enclosures the product is 0 there.
        p1 = double.IsNaN(p1) ? 0 : p1; p2 = double.IsNaN(p2) ? 0 : p2;
        p3 = double.IsNaN(p3) ? 0 : p3; p4 = double.IsNaN(p4) ? 0 : p4;
        double lo = Math.Min(Math.Min(p1, p2), Math.Min(p3, p4));
        double hi = Math.Max(Math.Max(p1, p2), Math.Max(p3, p4));
        return new(Down(lo), Up(hi));
    }

    public Interval Square()
    {
        double lo2 = Lo * Lo, hi2 = Hi * Hi;
        if (ContainsZero) return new(0, Up(Math.Max(lo2, hi2)));
        return new(Down(Math.Min(lo2, hi2)), Up(Math.Max(lo2, hi2)));
    }

    public Interval Reciprocal()
    {
        if (ContainsZero) throw new ArithmeticException("reciprocal of an interval containing 0");
        return new(Down(1 / Hi), Up(1 / Lo));
    }

    public static Interval operator /(Interval a, Interval b) => a * b.Reciprocal();

    public Interval Abs() => Lo >= 0 ? this : Hi <= 0 ? -this : new(0, Math.Max(-Lo, Hi));

    public Interval Sqrt()
    {
        if (Hi < 0) throw new ArithmeticException("square root of a negative interval");
        return new(Lo <= 0 ? 0 : Down(Math.Sqrt(Lo)), Up(Math.Sqrt(Hi))); // sqrt is correctly rounded (IEEE 754)
    }

    public Interval Hull(Interval o) => new(Math.Min(Lo, o.Lo), Math.Max(Hi, o.Hi));
    public Interval Intersect(Interval o) => new(Math.Max(Lo, o.Lo), Math.Min(Hi, o.Hi));

    private static Interval Monotone(Interval a, Func<double, double> f, double min, double max) =>
        new(Math.Max(min, DownN(f(a.Lo), LibmUlps)), Math.Min(max, UpN(f(a.Hi), LibmUlps)));

    public Interval Exp() => Monotone(this, Math.Exp, 0, double.PositiveInfinity);
    public Interval Tanh() => Monotone(this, Math.Tanh, -1, 1);
    public Interval Log()
    {
        if (Lo <= 0) throw new ArithmeticException("log of an interval reaching 0 or below");
        return Monotone(this, Math.Log, double.NegativeInfinity, double.PositiveInfinity);
    }
    /// <summary>π: Math.PI is the double just below it.</summary>
    public static readonly Interval Pi = new(Math.PI, Up(Math.PI));

    /// <summary>arccos over the interval ∩ [−1, 1] (decreasing, values in [0, π]; bounds widened like exp's).</summary>
    public Interval Acos()
    {
        if (Hi < -1 || Lo > 1) throw new ArithmeticException("arccos of an interval outside [−1, 1]");
        double lo = Math.Min(1, Hi), hi = Math.Max(-1, Lo);
        return new(Math.Max(0, DownN(Math.Acos(lo), LibmUlps)), Math.Min(Pi.Hi, UpN(Math.Acos(hi), LibmUlps)));
    }

    /// <summary>cos over the interval: the end values (widened like exp's) and ±1 wherever an extremum kπ may lie inside.</summary>
    public Interval Cos() => Trigonometric(this, Math.Cos, 0);
    /// <summary>sin over the interval: the end values and ±1 wherever an extremum π/2 + kπ may lie inside.</summary>
    public Interval Sin() => Trigonometric(this, Math.Sin, 0.5);

    /// <summary>
    /// f = cos (shift 0) or sin (shift ½) has its extrema at (k + shift)π, +1 for even k and −1 for odd k. An extremum
    /// is included when it lies within the interval widened by a relative 1e-12, which can only widen the answer.
    /// </summary>
    private static Interval Trigonometric(Interval a, Func<double, double> f, double shift)
    {
        if (a.IsEmpty || double.IsInfinity(a.Lo) || double.IsInfinity(a.Hi) || a.Width > 7) return new(-1, 1);
        double slack = 1e-12 * Math.Max(1, Math.Max(Math.Abs(a.Lo), Math.Abs(a.Hi)));
        double lo = Math.Min(f(a.Lo), f(a.Hi)), hi = Math.Max(f(a.Lo), f(a.Hi));
        lo = Math.Max(-1, DownN(lo, LibmUlps)); hi = Math.Min(1, UpN(hi, LibmUlps));
        for (long k = (long)Math.Floor((a.Lo - slack) / Math.PI - shift); k <= (long)Math.Ceiling((a.Hi + slack) / Math.PI - shift); k++)
        {
            double x = (k + shift) * Math.PI;
            if (x < a.Lo - slack || x > a.Hi + slack) continue;
            if (k % 2 == 0) hi = 1; else lo = -1;
        }
        return new(lo, hi);
    }

    /// <summary>1/(1+e^{-t}), increasing, in (0,1).</summary>
    public Interval Sigmoid() => (One + (-this).Exp()).Reciprocal().Intersect(new Interval(0, 1));

    /// <summary>log(1+e^{t}), increasing and positive.</summary>
    public Interval Log1pExp() => new(Math.Max(0, Log1pExpBounds(Lo).Lo), Log1pExpBounds(Hi).Hi);

    private static Interval Log1pExpBounds(double t)
    {
        if (t > 30) return new(Down(t), UpN(t + UpN(Math.Exp(-t), LibmUlps), 2));   // t < log(1+e^t) < t + e^{-t}
        if (t < -30)
        {
            var u = Point(t).Exp();                                                    // u - u^2/2 < log(1+u) < u
            return new(Math.Max(0, (u - u.Square() * new Interval(0.5, 0.5)).Lo), u.Hi);
        }
        // |1+e^t| < 1e14 here: fl(1+fl(e^t)) has relative error below 1e-15, so log of it is off by
        // below 1e-15 absolutely, plus log's own few ulps.
        double v = Math.Log(1 + Math.Exp(t));
        return new(Math.Max(0, DownN(v - 2e-15, LibmUlps)), UpN(v + 2e-15, LibmUlps));
    }

    public override string ToString() => $"[{Lo:R}, {Hi:R}]";
}
