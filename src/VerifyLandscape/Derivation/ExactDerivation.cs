using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Derivation;

/// <summary>The exact loss, gradient and (optionally) Hessian of a network at a point, with the Hessian's inertia when it is decided.</summary>
public sealed class ExactDerivation
{
    public required NetworkSpec Network { get; init; }
    public required Point Point { get; init; }
    public required Sym Loss { get; init; }
    public required Sym[] Gradient { get; init; }
    public Sym[,]? Hessian { get; init; }
    public Inertia? Inertia { get; init; }
    /// <summary>Why the inertia is not decided (null when it is, or when no Hessian was asked for).</summary>
    public string? InertiaUndecided { get; init; }

    public static ExactDerivation Compute(NetworkSpec net, Point point, bool hessian, IProgress<int>? progress = null)
    {
        var d = new NetworkDerivatives<Sym>(net, point.Values);
        Sym[,]? h = hessian ? d.Hessian(progress) : null;
        Inertia? inertia = null;
        string? why = null;
        if (h is not null)
        {
            var rational = ToRational(h, out var firstSymbolic);
            if (rational is not null) inertia = ExactLinearAlgebra.InertiaOf(rational);
            else why = $"entry H[{net.Layout.Name(firstSymbolic.Row)}, {net.Layout.Name(firstSymbolic.Col)}] is not a rational number " +
                       "(it depends on free symbols or atoms), so the signs of the eigenvalues are not decided exactly";
        }
        return new ExactDerivation { Network = net, Point = point, Loss = d.Loss, Gradient = d.Gradient, Hessian = h, Inertia = inertia, InertiaUndecided = why };
    }

    /// <summary>The matrix as rationals, or null (with the first non-constant entry) if some entry is not constant.</summary>
    public static Rational[,]? ToRational(Sym[,] m, out (int Row, int Col) firstSymbolic)
    {
        int n = m.GetLength(0), c = m.GetLength(1);
        var r = new Rational[n, c];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
            {
                if (!m[i, j].IsConstant) { firstSymbolic = (i, j); return null; }
                r[i, j] = m[i, j].Constant;
            }
        firstSymbolic = (-1, -1);
        return r;
    }
}
