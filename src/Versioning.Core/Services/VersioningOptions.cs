using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using NodaTime;

namespace Versioning.Core.Services;

/// <summary>
/// Options for both lifecycles: plain data, validated once with one message that lists every problem
/// (<see cref="Validate"/>), then frozen.
/// </summary>
/// <remarks>
/// <para>
/// With dependency injection, configure them in <c>AddVersioning(options => …)</c> or bind them from configuration with
/// <c>AddVersioning(configuration.GetSection("Versioning"))</c>; they are validated when registered and again when first
/// resolved (<c>IOptions&lt;VersioningOptions&gt;</c>, or a host's start-up validation). The instance the container hands
/// out is frozen: setting any property on it throws <see cref="InvalidOperationException"/>.
/// </para>
/// <para>
/// A service constructed by hand validates the instance it is given and keeps a frozen copy, so changing that instance
/// afterwards has no effect on the service.
/// </para>
/// </remarks>
/// <threadsafety>A frozen instance is immutable and safe to share between threads; an unfrozen one is not.</threadsafety>
public sealed class VersioningOptions
{
    private bool _frozen;

    /// <summary>How many times a service retries a command after a <see cref="ConcurrencyConflictException"/> (X3, X10).</summary>
    /// <value>0–100. Default: 20.</value>
    [Range(0, 100)]
    public int MaxConflictRetries { get; set => field = Unfrozen(value); } = 20;

    /// <summary>
    /// The first retry's backoff window after a conflict (X10; zero retries at once). Retry n waits between half and all
    /// of min(<see cref="ConflictRetryBaseDelay"/> × 2ⁿ, <see cref="ConflictRetryMaxDelay"/>), chosen at random, so
    /// writers that collided spread out instead of colliding again.
    /// </summary>
    /// <value>0–10 s. Default: 5 ms.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan ConflictRetryBaseDelay { get; set => field = Unfrozen(value); } = TimeSpan.FromMilliseconds(5);

    /// <summary>The largest backoff window of one retry (X10).</summary>
    /// <value><see cref="ConflictRetryBaseDelay"/>–60 s. Default: 1 s.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ConflictRetryMaxDelay { get; set => field = Unfrozen(value); } = TimeSpan.FromSeconds(1);

    /// <summary>Whether new integration version numbers must follow a predecessor (Z2).</summary>
    /// <value>Default: true.</value>
    public bool SequentialVersionNumbers { get; set => field = Unfrozen(value); } = true;

    /// <summary>A Private version's content can be changed only while fewer installations than this use it (Z4).</summary>
    /// <value>1–1 000 000. Default: 5.</value>
    [Range(1, 1_000_000)]
    public int EditInstallationLimit { get; set => field = Unfrozen(value); } = 5;

    /// <summary>The earliest deprecation date, in days after now (Z12).</summary>
    /// <value>1–3650. Default: 21.</value>
    [Range(1, 3650)]
    public int MinimumDeprecationDays { get; set => field = Unfrozen(value); } = 21;

    /// <summary>The latest deprecation date, in days after now (Z12).</summary>
    /// <value><see cref="MinimumDeprecationDays"/>–3650. Default: 365.</value>
    [Range(1, 3650)]
    public int MaximumDeprecationDays { get; set => field = Unfrozen(value); } = 365;

    /// <summary>How many days before the deprecation date a notice falls due (Z13).</summary>
    /// <value>0–<see cref="MinimumDeprecationDays"/>. Default: 14.</value>
    [Range(0, 3650)]
    public int DeprecationNoticeDays { get; set => field = Unfrozen(value); } = 14;

    /// <summary>
    /// The zone whose start of day is the deprecation instant (Z12). In configuration, a TZDB id such as
    /// <c>Europe/London</c>.
    /// </summary>
    /// <value>Not null. Default: UTC.</value>
    [Required]
    public DateTimeZone DeprecationTimeZone { get; set => field = Unfrozen(value); } = DateTimeZone.Utc;

    /// <summary>Whether migrations must stay within one MAJOR version (M3).</summary>
    /// <value>Default: true.</value>
    public bool MigrationsWithinMajorOnly { get; set => field = Unfrozen(value); } = true;

    /// <summary>How many installations one migration batch scans (M5).</summary>
    /// <value>1–100 000. Default: 1 000.</value>
    [Range(1, 100_000)]
    public int MigrationBatchSize { get; set => field = Unfrozen(value); } = 1_000;

    /// <summary>
    /// The largest content of one release or version, in UTF-8 bytes as stored (its JSON <c>steps</c> array) (X11).
    /// Creating or editing larger content is refused with an <see cref="ArgumentException"/> naming the content parameter
    /// and this option; nothing is saved.
    /// </summary>
    /// <value>1 KiB–64 MiB. Default: 1 MiB.</value>
    [Range(1 << 10, 64 << 20)]
    public int MaxContentBytes { get; set => field = Unfrozen(value); } = 1 << 20;

    /// <summary>The most settings one installation may have (X11).</summary>
    /// <value>1–200. Default: 200.</value>
    [Range(1, Installations.Installation.MaxSettings)]
    public int MaxInstallationSettings { get; set => field = Unfrozen(value); } = Installations.Installation.MaxSettings;

    /// <summary>The longest installation setting key, in characters after trimming (X11).</summary>
    /// <value>1–200. Default: 200.</value>
    [Range(1, Content.Step.MaxSettingKeyLength)]
    public int MaxSettingKeyLength { get; set => field = Unfrozen(value); } = Content.Step.MaxSettingKeyLength;

    /// <summary>The longest installation setting value, in characters (X11).</summary>
    /// <value>1–10 000. Default: 10 000.</value>
    [Range(1, Content.Step.MaxSettingValueLength)]
    public int MaxSettingValueLength { get; set => field = Unfrozen(value); } = Content.Step.MaxSettingValueLength;

    /// <summary>The largest settings of one installation, in UTF-8 bytes as stored (a JSON object) (X11).</summary>
    /// <value>1 KiB–16 MiB. Default: 64 KiB.</value>
    [Range(1 << 10, 16 << 20)]
    public int MaxSettingsBytes { get; set => field = Unfrozen(value); } = 64 << 10;

    /// <summary>Whether these options are frozen: validated for a container or a service, and no longer changeable.</summary>
    /// <value>True once frozen; setting a property then throws <see cref="InvalidOperationException"/>.</value>
    public bool IsFrozen => _frozen;

    /// <summary>Problems met while binding from configuration (for example an unknown time zone id), reported by validation.</summary>
    internal List<string> BindingProblems { get; private set; } = [];

    /// <summary>Checks every option and lists every problem in one message.</summary>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists them all.</exception>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(Describe(problems));
        }
    }

    /// <summary>Copies these options; the copy is not frozen, so it can be changed and validated on its own.</summary>
    /// <returns>A copy.</returns>
    public VersioningOptions Clone()
    {
        var copy = (VersioningOptions)MemberwiseClone();
        copy._frozen = false;
        copy.BindingProblems = [.. BindingProblems];
        return copy;
    }

    /// <summary>The one message listing every problem.</summary>
    internal static string Describe(IEnumerable<string> problems) => $"Invalid VersioningOptions: {string.Join("; ", problems)}.";

    /// <summary>Freezes these options: every setter throws from now on.</summary>
    internal void Freeze() => _frozen = true;

    /// <summary>These options if frozen; otherwise a validated, frozen copy (what a service keeps).</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    internal VersioningOptions Snapshot()
    {
        if (_frozen)
        {
            return this;
        }

        var copy = Clone();
        copy.Validate();
        copy.Freeze();
        return copy;
    }

    /// <summary>Every problem with these options; empty when they are valid.</summary>
    internal List<string> Problems()
    {
        var problems = new List<string>(BindingProblems);
        if (MaxConflictRetries is < 0 or > 100)
        {
            problems.Add($"MaxConflictRetries must be 0–100 (was {MaxConflictRetries})");
        }

        if (ConflictRetryBaseDelay < TimeSpan.Zero || ConflictRetryBaseDelay > TimeSpan.FromSeconds(10))
        {
            problems.Add($"ConflictRetryBaseDelay must be 0–10 s (was {ConflictRetryBaseDelay})");
        }

        if (ConflictRetryMaxDelay < ConflictRetryBaseDelay || ConflictRetryMaxDelay > TimeSpan.FromSeconds(60))
        {
            problems.Add($"ConflictRetryMaxDelay must be between ConflictRetryBaseDelay and 60 s (was {ConflictRetryMaxDelay})");
        }

        if (EditInstallationLimit is < 1 or > 1_000_000)
        {
            problems.Add($"EditInstallationLimit must be 1–1000000 (was {EditInstallationLimit})");
        }

        if (MinimumDeprecationDays is < 1 or > 3650)
        {
            problems.Add($"MinimumDeprecationDays must be 1–3650 (was {MinimumDeprecationDays})");
        }

        if (MaximumDeprecationDays < MinimumDeprecationDays || MaximumDeprecationDays is < 1 or > 3650)
        {
            problems.Add($"MaximumDeprecationDays must be between MinimumDeprecationDays and 3650 (was {MaximumDeprecationDays})");
        }

        if (DeprecationNoticeDays < 0 || DeprecationNoticeDays > MinimumDeprecationDays)
        {
            problems.Add($"DeprecationNoticeDays must be 0–MinimumDeprecationDays (was {DeprecationNoticeDays})");
        }

        if (DeprecationTimeZone is null)
        {
            problems.Add("DeprecationTimeZone must not be null");
        }

        if (MigrationBatchSize is < 1 or > 100_000)
        {
            problems.Add($"MigrationBatchSize must be 1–100000 (was {MigrationBatchSize})");
        }

        if (MaxContentBytes is < 1 << 10 or > 64 << 20)
        {
            problems.Add($"MaxContentBytes must be 1024–67108864 (was {MaxContentBytes})");
        }

        if (MaxInstallationSettings is < 1 or > Installations.Installation.MaxSettings)
        {
            problems.Add($"MaxInstallationSettings must be 1–{Installations.Installation.MaxSettings} (was {MaxInstallationSettings})");
        }

        if (MaxSettingKeyLength is < 1 or > Content.Step.MaxSettingKeyLength)
        {
            problems.Add($"MaxSettingKeyLength must be 1–{Content.Step.MaxSettingKeyLength} (was {MaxSettingKeyLength})");
        }

        if (MaxSettingValueLength is < 1 or > Content.Step.MaxSettingValueLength)
        {
            problems.Add($"MaxSettingValueLength must be 1–{Content.Step.MaxSettingValueLength} (was {MaxSettingValueLength})");
        }

        if (MaxSettingsBytes is < 1 << 10 or > 16 << 20)
        {
            problems.Add($"MaxSettingsBytes must be 1024–16777216 (was {MaxSettingsBytes})");
        }

        return problems;
    }

    private T Unfrozen<T>(T value, [CallerMemberName] string option = "")
        => _frozen
            ? throw new InvalidOperationException($"VersioningOptions.{option} cannot be changed: the options were validated and frozen. Configure them in AddVersioning(...) or on a fresh instance (Clone()) before handing them to a service.")
            : value;
}
