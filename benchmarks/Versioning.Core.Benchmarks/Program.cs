using BenchmarkDotNet.Running;

namespace Versioning.Core.Benchmarks;

/// <summary>Entry point: pick suites with <c>--filter</c> (for example <c>--filter '*LifecycleEngine*' --job short</c>).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    /// <param name="args">BenchmarkDotNet arguments.</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
