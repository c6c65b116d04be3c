using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Exact
{
    /// <summary>Rationals in the engine: exact, and they refuse (NotExactException) any value that is irrational.</summary>
    public readonly partial struct Rational : IScalar<Rational>
    {
        static Rational IScalar<Rational>.Zero => Zero;
        static Rational IScalar<Rational>.One => One;
        public static Rational FromRational(Rational q) => q;
        public static bool IsExactZero(Rational a) => a.IsZero;
        public static int? SignOf(Rational a) => a.Sign;
        public static Jet<Rational> Smooth(SmoothActivation f, Rational z)
        {
            Rational Order(int k) => f.Exact(k, z) ?? throw new NotExactException($"{f.OrderName(k)}({z}) is not rational");
            return new(Order(0), Order(1), Order(2));
        }
        public static Rational Exp(Rational a) => a.IsZero ? One : throw new NotExactException($"exp({a}) is not rational");
        public static Rational Log(Rational a) => a.IsOne ? Zero : throw new NotExactException($"log({a}) is not rational");
        public static Rational Reciprocal(Rational a) => a.Reciprocal();
    }
}

namespace VerifyLandscape.Intervals
{
    /// <summary>Intervals in the engine: every result encloses the true real.</summary>
    public readonly partial record struct Interval : IScalar<Interval>
    {
        static Interval IScalar<Interval>.Zero => Zero;
        static Interval IScalar<Interval>.One => One;
        public static bool IsExactZero(Interval a) => a.Lo == 0 && a.Hi == 0;
        public static int? SignOf(Interval a) => a.Lo > 0 ? 1 : a.Hi < 0 ? -1 : a.Lo == 0 && a.Hi == 0 ? 0 : null;
        public static Jet<Interval> Smooth(SmoothActivation f, Interval z) => new(f.Enclose(0, z), f.Enclose(1, z), f.Enclose(2, z));
        public static Interval Exp(Interval a) => a.Exp();
        public static Interval SmoothValue(SmoothActivation f, Interval z) => f.Enclose(0, z);
        public static Interval UndecidedMax(Interval a, Interval b) => new(Math.Max(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi));
        public static Interval Log(Interval a) => a.Log();
        public static Interval Reciprocal(Interval a) => a.Reciprocal();
    }
}

namespace VerifyLandscape.Symbolic
{
    /// <summary>
    /// The exact ring in the engine. A smooth activation at a constant argument where its
    /// value is rational (tanh at 0, say) gives that value; anywhere else it gives an atom.
    /// </summary>
    public readonly partial struct Sym : IScalar<Sym>
    {
        static Sym IScalar<Sym>.Zero => Zero;
        static Sym IScalar<Sym>.One => One;
        public static Sym FromRational(Exact.Rational q) => new(q);
        public static bool IsExactZero(Sym a) => a.IsZero;
        public static int? SignOf(Sym a) => a.IsConstant ? a.Constant.Sign : null;
        public static Jet<Sym> Smooth(SmoothActivation f, Sym z) => new(Order(f, 0, z), Order(f, 1, z), Order(f, 2, z));

        private static Sym Order(SmoothActivation f, int k, Sym z)
        {
            if (z.IsConstant && f.Exact(k, z.Constant) is { } exact) return exact;
            return Variable(Symbols.Atom(f.OrderName(k), z, t => f.Enclose(k, t), a => Order(f, k, a)));
        }

        public static Sym Exp(Sym a) =>
            a.IsZero ? One : Variable(Symbols.Atom("exp", a, t => t.Exp(), Exp));
        public static Sym Log(Sym a) =>
            a.IsConstant && a.Constant.IsOne ? Zero : Variable(Symbols.Atom("log", a, t => t.Log(), Log));
        public static Sym Reciprocal(Sym a) =>
            a.IsConstant ? new Sym(a.Constant.Reciprocal()) : Variable(Symbols.Atom("recip", a, t => t.Reciprocal(), Reciprocal));
    }
}
