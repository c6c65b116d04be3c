using ILGPU;
using ILGPU.Runtime;

namespace VerifyLandscape.Numerics.Gpu;

/// <summary>
/// The ILGPU devices this process can see, found at run time: CUDA and OpenCL GPUs where their drivers are present,
/// and always ILGPU's CPU accelerator, which runs the same kernels on the host's cores (slowly, but for real: it is what
/// tests and CI run). One context and one accelerator per process, created on first use.
/// </summary>
public static class Devices
{
    private static readonly Lazy<Context> SharedContext = new(() => Context.Create(b => b.Default()), isThreadSafe: true);
    private static readonly object Gate = new();
    private static Accelerator? _accelerator;

    /// <summary>Each device as (type, name, memory in bytes), GPUs first.</summary>
    public static IReadOnlyList<(string Type, string Name, long Memory)> List()
    {
        try
        {
            return SharedContext.Value.Devices.OrderBy(d => d.AcceleratorType == AcceleratorType.CPU)
                .Select(d => (Kind(d.AcceleratorType), d.Name, d.MemorySize)).ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException) { return [("none", $"ILGPU could not start: {e.Message}", 0)]; }
    }

    /// <summary>Whether a CUDA or OpenCL device is present.</summary>
    public static bool HasGpu() => List().Any(d => d.Type is "cuda" or "opencl");

    /// <summary>The accelerator the GPU backend runs on: the first CUDA device, else OpenCL, else the CPU accelerator.</summary>
    public static Accelerator Accelerator
    {
        get
        {
            lock (Gate)
            {
                if (_accelerator is not null) return _accelerator;
                var devices = SharedContext.Value.Devices;
                var device = devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.Cuda)
                    ?? devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.OpenCL)
                    ?? devices.First(d => d.AcceleratorType == AcceleratorType.CPU);
                return _accelerator = device.CreateAccelerator(SharedContext.Value);
            }
        }
    }

    /// <summary>"cuda", "opencl" or "cpu-accelerator".</summary>
    public static string Kind(AcceleratorType type) => type switch
    {
        AcceleratorType.Cuda => "cuda",
        AcceleratorType.OpenCL => "opencl",
        _ => "cpu-accelerator",
    };
}
