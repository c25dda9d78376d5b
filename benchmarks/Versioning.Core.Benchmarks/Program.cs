using BenchmarkDotNet.Running;

namespace Versioning.Core.Benchmarks;

/// <summary>
/// Entry point: pick suites with <c>--filter</c> (for example <c>--filter '*LifecycleEngine*' --job short</c>), or
/// <c>contention [rounds] [--immediate]</c> for the X10 contention figures (<see cref="ContentionMeasurement"/>), or
/// <c>p10 sqlite|postgres [installations] [batch] [rounds]</c> for the P10 profile (<see cref="MigrationProfile"/>).
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    /// <param name="args">BenchmarkDotNet arguments.</param>
    public static void Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "contention")
        {
            var rounds = args.Length > 1 && args[1] != "--immediate" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
            ContentionMeasurement.RunAsync(rounds, args.Contains("--immediate")).GetAwaiter().GetResult();
            return;
        }

        if (args.Length > 0 && args[0] == "p10")
        {
            MigrationProfile.Run(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
