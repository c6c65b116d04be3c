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
    /// <summary>Adds the penalty's value to <paramref name="loss"/> and its gradient to <paramref name="gradient"/> (both over θ).</summary>
    public static T Add<T>(NetworkSpec spec, ParameterLayout layout, IReadOnlyList<T> theta, T loss, T[] gradient) where T : IScalar<T>
    {
        if (!spec.WeightDecay.IsZero)
        {
            T lambda = T.FromRational(spec.WeightDecay), half = T.FromRational(spec.WeightDecay * Rational.Half);
            for (int p = 0; p < theta.Count; p++)
                if (layout.IsWeight(p))
                {
                    loss += half * theta[p] * theta[p];
                    gradient[p] += lambda * theta[p];
                }
        }
        if (!spec.L1Penalty.IsZero)
        {
            T kappa = T.FromRational(spec.L1Penalty);
            for (int p = 0; p < theta.Count; p++)
                if (layout.IsWeight(p))
                {
                    int sign = T.SignOf(theta[p]) ?? throw new UndecidedException($"ℓ1 penalty: the sign of {layout.Name(p)} is undecided");
                    if (sign == 0) throw new NonSmoothPointException($"ℓ1 penalty: {layout.Name(p)} is exactly 0 (|·| has a kink there)");
                    loss += sign > 0 ? kappa * theta[p] : -(kappa * theta[p]);
                    gradient[p] += sign > 0 ? kappa : -kappa;
                }
        }
        return loss;
    }
}
