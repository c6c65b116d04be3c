using System.Diagnostics;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Numerics.Gpu;

namespace VerifyLandscape.Benchmarks;

/// <summary>
/// The ILGPU backend's routes side by side on the device ILGPU finds (here: its CPU accelerator, since no GPU is lent to
/// this project, so these figures show how much work each route does, not how fast a GPU is):
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- gpu [--widths 5,32,32,2] [--samples 64] [--steps 60]
/// The full Hessian by the structured kernels against P products H e_p on the same device and against the CPU engine;
/// Lanczos with its basis on the device against the host recurrence over the device's H v. Each result is compared
/// with the CPU engine's (max |difference| / max |entry|), so every route provably computed the same thing.
/// </summary>
public static class GpuBackendBenchmark
{
    public static void Run(string[] args)
    {
        string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        int[] widths = Option("--widths", "5,32,32,2").Split(',').Select(int.Parse).ToArray();
        int samples = int.Parse(Option("--samples", "64")), steps = int.Parse(Option("--steps", "60"));
        var (spec, theta) = RandomNetworks.Create(widths, Activation.Tanh, samples, seed: 42);
        int p = spec.ParameterCount;
        var sw = Stopwatch.StartNew();
        var cpu = new DenseNetwork(spec, theta);
        var gpu = new GpuNetwork(spec, theta);
        Console.WriteLine($"{string.Join("-", widths)} tanh, N = {samples}: P = {p}; {gpu.Name}; start-up (point, kernels) {sw.Elapsed.TotalSeconds:0.00} s");
        gpu.Hessian(); // compiles the Hessian kernels
        gpu.Lanczos(Enumerable.Repeat(1.0, p).ToArray(), 2);

        sw.Restart();
        var reference = cpu.Hessian();
        double cpuSeconds = sw.Elapsed.TotalSeconds;
        double scale = reference.Max(Math.Abs);
        string Against(double[] h) => $"max |Δ| / max |H| = {h.Zip(reference).Max(d => Math.Abs(d.First - d.Second)) / scale:G2}";

        sw.Restart();
        var structured = gpu.Hessian();
        double structuredSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var columns = new double[(long)p * p];
        var e = new double[p];
        for (int c = 0; c < p; c++) { e[c] = 1; gpu.HessianVector(e).CopyTo(columns, (long)c * p); e[c] = 0; }
        double columnsSeconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"full Hessian: device structured {structuredSeconds:0.000} s ({Against(structured)}); device P products H e_p {columnsSeconds:0.000} s ({Against(columns)}); CPU engine {cpuSeconds:0.000} s");

        var start = Enumerable.Range(0, p).Select(i => Math.Sin(i + 1.0)).ToArray();
        sw.Restart();
        var (deviceAlpha, _) = gpu.Lanczos(start, steps);
        double deviceSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var (hostAlpha, _) = Spectrum.LanczosCoefficients(gpu.HessianVector, start, steps);
        double hostSeconds = sw.Elapsed.TotalSeconds;
        var (cpuAlpha, _) = Spectrum.LanczosCoefficients(cpu.HessianVector, start, steps);
        double Gap(double[] a) => a.Zip(cpuAlpha).Max(d => Math.Abs(d.First - d.Second)) / scale;
        Console.WriteLine($"Lanczos, {steps} steps: basis on the device {deviceSeconds:0.000} s (max |Δα| / max |H| = {Gap(deviceAlpha):G2}); host recurrence over the device's H v {hostSeconds:0.000} s ({Gap(hostAlpha):G2})");
    }
}
