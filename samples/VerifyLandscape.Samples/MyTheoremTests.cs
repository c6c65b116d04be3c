using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Samples;

/// <summary>A claim of your own, checked exactly on random networks: relu networks without biases are positively homogeneous.</summary>
public class MyTheoremTests
{
    /// <summary>Random relu networks without biases, at least one hidden layer, identity output (so every value is rational).</summary>
    public static class ReluNets
    {
        public static Arbitrary<NetworkCase> NetworkCase() =>
            NetworkCases.Arbitrary(Gen.Constant(Activation.Relu), minDepth: 2, bias: false, outputs: Gen.Constant(Activation.Identity));
    }

    /// <summary>
    /// Scaling W1 by c &gt; 0 and W2 by 1/c leaves the loss unchanged, exactly (rational arithmetic, no tolerance).
    /// Hypotheses: relu hidden layers, no biases, no weight decay, at least one hidden layer (and no pre-activation at
    /// relu's kink, where the engine, which also differentiates, stops). Cases outside them pass
    /// vacuously, so shrinking stays inside them (drop `WeightDecay.IsZero` and FsCheck shrinks a counterexample).
    /// </summary>
    [Property(Arbitrary = [typeof(ReluNets)], Replay = VlArbitraries.Replay, MaxTest = 100)]
    public bool RescalingTwoLayersKeepsTheLoss(NetworkCase net, PositiveInt scale)
    {
        var s = net.Spec;
        if (s.Depth < 2 || s.Bias || !s.WeightDecay.IsZero || s.HiddenActivations.Any(a => a != Activation.Relu)) return true;
        var c = Rational.Create(scale.Get, 3);
        var theta = net.Point;
        var moved = (Rational[])theta.Clone();
        foreach (var p in net.Spec.Layout.WeightsOf(1)) moved[p] = theta[p] * c;
        foreach (var p in net.Spec.Layout.WeightsOf(2)) moved[p] = theta[p] / c;
        try { return new NetworkDerivatives<Rational>(net.Spec, theta).Loss == new NetworkDerivatives<Rational>(net.Spec, moved).Loss; }
        catch (Scalars.NonSmoothPointException) { return true; } // the engine also differentiates, and relu has no derivative at its kink
    }
}
