namespace VerifyLandscape.Experiments.Dss;

/// <summary>
/// Greedy Dynamic String Sampling as the authors ran it (notes §2.3, "A-DSS as actually run"), every parameter exposed
/// and defaulted as run. The printed pseudo-code's early return is not reproduced: every failing pair is refined.
/// </summary>
public sealed record DssSettings
{
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>New beads are trained to Alpha·L0.</summary>
    public double Alpha { get; init; } = 0.95;
    /// <summary>A segment is accepted when its grid maximum is below Multiplier·L0.</summary>
    public double Multiplier { get; init; } = 1.1;
    /// <summary>Grid points t = 0, 1/G, …, (G−1)/G (t = 1 is not evaluated, as run).</summary>
    public int Grid { get; init; } = 100;
    public int MaxDepth { get; init; } = 10;
    /// <summary>Training samples drawn afresh at every Adam step (and the size of the fixed test sample).</summary>
    public int Samples { get; init; } = 10_000;
    /// <summary>Not in the authors' scripts (they train until the threshold is met): a bead or model that has not met its
    /// threshold after this many Adam steps ends its string as "not converged".</summary>
    public int MaxSteps { get; init; } = 100_000;
}

/// <summary>One string between two models at one threshold.</summary>
public sealed record DssString(double Threshold, string Outcome, int Depth, double[][] Beads, double NormalisedLength, double[] SegmentMaxima, long AdamSteps)
{
    public bool Connected => Outcome == "connected";
    public int BeadCount => Beads.Length;
}

public sealed class StringSampler(DssTask task, DssSettings settings)
{
    private readonly DssTask _task = task;
    public DssSettings Settings { get; } = settings;

    /// <summary>Per worker: the network with its buffers, the fixed test batch and a training batch.</summary>
    public sealed class Worker
    {
        public BatchNetwork Network { get; }
        public BatchNetwork.Batch Test { get; }
        public BatchNetwork.Batch Train { get; }
        public SampleStream Rng { get; }

        public Worker(DssTask task, BatchNetwork.Batch test, int samples, int seed)
        {
            Test = test;
            Network = new BatchNetwork(task.Architecture);
            Train = task.IsRegression
                ? new BatchNetwork.Batch([new float[samples]], [new float[samples]], samples)
                : test;
            Rng = new SampleStream((ulong)seed);
        }
    }

    public double TestLoss(Worker w, ReadOnlySpan<double> theta) => w.Network.Loss(theta, w.Test);

    /// <summary>
    /// Adam (β = 0.9, 0.999, ε = 1e-8, fresh moments) on fresh samples at every step until the test loss is below the
    /// last of <paramref name="stops"/> (descending); calls <paramref name="reached"/> with each stop the first time the test
    /// loss falls below it. Returns the steps taken, or −1 when MaxSteps ran out.
    /// The test loss is evaluated whenever the step's training loss is below 1.1 times the next stop: the two are means
    /// over 10,000 samples of the same distribution, whose relative standard deviation is about 1% (the spread of |r|
    /// over √10,000), so a test loss below the stop with a training loss 10% above it does not happen in practice; and
    /// were it to, training would only go on until the next step that passes the gate.
    /// </summary>
    public long Train(Worker w, double[] theta, double[] stops, Action<int, double[]>? reached = null)
    {
        const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        int p = theta.Length, next = 0;
        var m = new double[p];
        var v = new double[p];
        var g = new double[p];
        double b1t = 1, b2t = 1;
        for (long step = 0; step <= Settings.MaxSteps; step++)
        {
            if (_task.IsRegression) _task.Draw(w.Rng, w.Train);
            double train = w.Network.LossAndGradient(theta, w.Train, g);
            if (train < 1.1 * stops[next])
            {
                double test = _task.IsRegression ? TestLoss(w, theta) : train;
                while (next < stops.Length && test < stops[next])
                {
                    reached?.Invoke(next, (double[])theta.Clone());
                    next++;
                }
                if (next == stops.Length) return step;
            }
            if (step == Settings.MaxSteps) break;
            // The gradient above was taken at θ on the training batch: one Adam step.
            b1t *= b1;
            b2t *= b2;
            double rate = Settings.LearningRate * Math.Sqrt(1 - b2t) / (1 - b1t);
            for (int i = 0; i < p; i++)
            {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                theta[i] -= rate * m[i] / (Math.Sqrt(v[i]) + eps);
            }
        }
        return -1;
    }

    /// <summary>max over t = 0, 1/G, …, (G−1)/G of the test loss at (1 − t)a + t b.</summary>
    public double GridMaximum(Worker w, double[] a, double[] b)
    {
        var point = new double[a.Length];
        double max = double.NegativeInfinity;
        for (int k = 0; k < Settings.Grid; k++)
        {
            double t = (double)k / Settings.Grid;
            for (int i = 0; i < a.Length; i++) point[i] = (1 - t) * a[i] + t * b[i];
            max = Math.Max(max, TestLoss(w, point));
        }
        return max;
    }

    /// <summary>DSS between two models that already meet the threshold (as run: a midpoint bead to start, refine every failing pair).</summary>
    public DssString Connect(Worker w, double[] a, double[] b, double threshold)
    {
        var beads = new List<double[]> { a, Midpoint(a, b), b };
        var converged = new List<bool> { true, false, true };
        var maxima = new List<double> { double.NaN, double.NaN }; // grid maximum of segment k, NaN until checked
        var pairs = new List<int> { 0, 1 };
        long steps = 0;
        for (int depth = 0; ; depth++)
        {
            for (int i = 0; i < beads.Count; i++)
            {
                if (converged[i]) continue;
                long used = Train(w, beads[i], [Settings.Alpha * threshold]);
                if (used < 0) return Finish(threshold, "not converged", depth, beads, maxima, w, steps + Settings.MaxSteps);
                steps += used;
                converged[i] = true;
            }
            foreach (var k in pairs) maxima[k] = GridMaximum(w, beads[k], beads[k + 1]);
            var failing = pairs.Where(k => maxima[k] >= Settings.Multiplier * threshold).ToList();
            if (failing.Count == 0) return Finish(threshold, "connected", depth, beads, maxima, w, steps);
            if (depth + 1 >= Settings.MaxDepth) return Finish(threshold, "not connected within d_max", depth, beads, maxima, w, steps);
            var next = new List<int>();
            foreach (var k in failing.OrderByDescending(k => k)) // right to left, so the indices to the left stay valid
            {
                beads.Insert(k + 1, Midpoint(beads[k], beads[k + 1]));
                converged.Insert(k + 1, false);
                maxima[k] = double.NaN; // segment k is now two, both checked next round
                maxima.Insert(k + 1, double.NaN);
                for (int j = 0; j < next.Count; j++) next[j] += 1;
                next.Add(k);
                next.Add(k + 1);
            }
            pairs = next;
        }
    }

    /// <summary>The string as it stands; segments not checked yet (a bead did not converge) get their grid maximum now.</summary>
    private DssString Finish(double threshold, string outcome, int depth, List<double[]> beads, List<double> maxima, Worker w, long steps)
    {
        var all = maxima.Select((m, k) => double.IsNaN(m) ? GridMaximum(w, beads[k], beads[k + 1]) : m).ToArray();
        return new(threshold, outcome, depth, beads.ToArray(), NormalisedLength(beads), all, steps);
    }

    private static double[] Midpoint(double[] a, double[] b) => a.Select((x, i) => 0.5 * (x + b[i])).ToArray();

    /// <summary>Σ ‖w_{k+1} − w_k‖ / ‖w_last − w_first‖ over the weights only (biases excluded), as run.</summary>
    public double NormalisedLength(IReadOnlyList<double[]> beads)
    {
        var layout = _task.Architecture.Layout;
        double Distance(double[] u, double[] v) => Math.Sqrt(Enumerable.Range(0, u.Length).Where(layout.IsWeight).Sum(i => (u[i] - v[i]) * (u[i] - v[i])));
        double path = 0;
        for (int k = 0; k + 1 < beads.Count; k++) path += Distance(beads[k], beads[k + 1]);
        double chord = Distance(beads[0], beads[^1]);
        return chord == 0 ? double.NaN : path / chord;
    }
}
