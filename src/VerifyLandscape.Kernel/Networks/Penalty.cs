using VerifyLandscape.Exact;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Networks;

/// <summary>
/// The regulariser on the free weights (biases are not regularised), in any number type, so both engines add the same:
/// (λ/2)‖W‖² (weight decay; Freeman–Bruna's ridge κ‖W‖² is λ = 2κ) and κ₁‖W‖₁. The ℓ1 term has gradient κ₁ sign(w) and
/// no Hessian; a weight exactly 0 is its kink, reported as a non-smooth point.
/// </summary>
public static class Penalty
{
    /// <summary>The penalty's value at θ (|w| = 0 at a zero weight: a value needs no derivative).</summary>
    public static T Value<T>(NetworkSpec spec, ParameterLayout layout, IReadOnlyList<T> theta) where T : IScalar<T>
    {
        T value = T.Zero, half = T.FromRational(spec.WeightDecay * Rational.Half), kappa = T.FromRational(spec.L1Penalty);
        for (int p = 0; p < theta.Count; p++)
        {
            if (!layout.IsWeight(p)) continue;
            if (!spec.WeightDecay.IsZero) value += half * theta[p] * theta[p];
            if (!spec.L1Penalty.IsZero) value += Sign(theta[p], layout, p) >= 0 ? kappa * theta[p] : -(kappa * theta[p]);
        }
        return value;
    }

    /// <summary>Adds the penalty's value to <paramref name="loss"/> and its gradient to <paramref name="gradient"/> (both over θ).</summary>
    public static T Add<T>(NetworkSpec spec, ParameterLayout layout, IReadOnlyList<T> theta, T loss, T[] gradient) where T : IScalar<T>
    {
        T lambda = T.FromRational(spec.WeightDecay), kappa = T.FromRational(spec.L1Penalty);
        for (int p = 0; p < theta.Count; p++)
        {
            if (!layout.IsWeight(p)) continue;
            if (!spec.WeightDecay.IsZero) gradient[p] += lambda * theta[p];
            if (spec.L1Penalty.IsZero) continue;
            int sign = Sign(theta[p], layout, p);
            if (sign == 0) throw new NonSmoothPointException($"ℓ1 penalty: {layout.Name(p)} is exactly 0 (|·| has a kink there)");
            gradient[p] += sign > 0 ? kappa : -kappa;
        }
        return loss + Value(spec, layout, theta);
    }

    private static int Sign<T>(T w, ParameterLayout layout, int p) where T : IScalar<T> =>
        T.SignOf(w) ?? throw new UndecidedException($"ℓ1 penalty: the sign of {layout.Name(p)} is undecided");
}
