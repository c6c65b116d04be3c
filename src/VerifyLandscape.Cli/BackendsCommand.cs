using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Numerics.Gpu;

namespace VerifyLandscape.Cli;

/// <summary>vl backends: the derivative backends and the ILGPU devices this machine has, found at run time.</summary>
public static class BackendsCommand
{
    public static int Run(Arguments a)
    {
        var format = a.Format("text", "json");
        var devices = Devices.List();
        bool gpu = Devices.HasGpu();
        string gpuRunsOn = gpu ? devices.First(d => d.Type is "cuda" or "opencl").Name : "ILGPU's CPU accelerator (no CUDA or OpenCL device found)";
        if (format == "json")
        {
            var json = new JsonObject
            {
                ["backends"] = new JsonObject
                {
                    ["cpu"] = "the CPU engine (float64, SIMD, threads)",
                    ["gpu"] = gpuRunsOn,
                    ["auto"] = gpu ? "gpu" : "cpu",
                },
                ["devices"] = new JsonArray(devices.Select(d => (JsonNode)new JsonObject { ["type"] = d.Type, ["name"] = d.Name, ["memoryBytes"] = d.Memory }).ToArray()),
            };
            Console.Out.Write(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return 0;
        }
        var s = new StringBuilder();
        s.AppendLine("backends:");
        s.AppendLine("  cpu   the CPU engine (float64)");
        s.AppendLine($"  gpu   ILGPU kernels (float64 or float32) on {gpuRunsOn}");
        s.AppendLine($"  auto  {(gpu ? "gpu" : "cpu (no GPU found)")}");
        s.AppendLine("ILGPU devices:");
        foreach (var d in devices) s.AppendLine($"  {d.Type,-16} {d.Name}{(d.Type == "cpu-accelerator" ? " (host memory)" : $" ({d.Memory / (1L << 20)} MiB)")}");
        Console.Out.Write(s.ToString());
        return 0;
    }
}
