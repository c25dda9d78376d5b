using NodaTime;

namespace Versioning.Core;

/// <summary>
/// Options for both lifecycles. Validated once, at registration (<see cref="Validate"/>), with one message that
/// lists every problem.
/// </summary>
public sealed class VersioningOptions
{
    /// <summary>How many times a service retries a command after a <see cref="ConcurrencyConflictException"/> (0–100; default 20) (X3, X10).</summary>
    public int MaxConflictRetries { get; set; } = 20;

    /// <summary>
    /// The first retry's backoff window after a conflict (X10; 0–10 s; default 5 ms; zero retries at once). Retry n waits
    /// between half and all of min(<see cref="ConflictRetryBaseDelay"/> × 2ⁿ, <see cref="ConflictRetryMaxDelay"/>),
    /// chosen at random, so writers that collided spread out instead of colliding again.
    /// </summary>
    public TimeSpan ConflictRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The largest backoff window of one retry (X10; <see cref="ConflictRetryBaseDelay"/>–60 s; default 1 s).</summary>
    public TimeSpan ConflictRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether new integration version numbers must follow a predecessor (Z2; default true).</summary>
    public bool SequentialVersionNumbers { get; set; } = true;

    /// <summary>A Private version's content can be changed only while fewer installations than this use it (Z4; 1–1 000 000; default 5).</summary>
    public int EditInstallationLimit { get; set; } = 5;

    /// <summary>The earliest deprecation date, in days after now (Z12; default 21).</summary>
    public int MinimumDeprecationDays { get; set; } = 21;

    /// <summary>The latest deprecation date, in days after now (Z12; default 365).</summary>
    public int MaximumDeprecationDays { get; set; } = 365;

    /// <summary>How many days before the deprecation date a notice falls due (Z13; default 14).</summary>
    public int DeprecationNoticeDays { get; set; } = 14;

    /// <summary>The zone whose start of day is the deprecation instant (Z12; default UTC).</summary>
    public DateTimeZone DeprecationTimeZone { get; set; } = DateTimeZone.Utc;

    /// <summary>Whether migrations must stay within one MAJOR version (M3; default true).</summary>
    public bool MigrationsWithinMajorOnly { get; set; } = true;

    /// <summary>How many installations one migration batch scans (1–100 000; default 1 000) (M5).</summary>
    public int MigrationBatchSize { get; set; } = 1_000;

    /// <summary>
    /// The largest content of one release or version, in UTF-8 bytes as stored (its JSON <c>steps</c> array) (X11;
    /// 1 KiB–64 MiB; default 1 MiB). Creating or editing larger content is refused with an <see cref="ArgumentException"/>
    /// naming the content parameter and this option; nothing is saved.
    /// </summary>
    public int MaxContentBytes { get; set; } = 1 << 20;

    /// <summary>The most settings one installation may have (X11; 1–200; default 200).</summary>
    public int MaxInstallationSettings { get; set; } = Installations.Installation.MaxSettings;

    /// <summary>The longest installation setting key, in characters after trimming (X11; 1–200; default 200).</summary>
    public int MaxSettingKeyLength { get; set; } = Content.Step.MaxSettingKeyLength;

    /// <summary>The longest installation setting value, in characters (X11; 1–10 000; default 10 000).</summary>
    public int MaxSettingValueLength { get; set; } = Content.Step.MaxSettingValueLength;

    /// <summary>The largest settings of one installation, in UTF-8 bytes as stored (a JSON object) (X11; 1 KiB–16 MiB; default 64 KiB).</summary>
    public int MaxSettingsBytes { get; set; } = 64 << 10;

    /// <summary>Checks every option and lists every problem in one message.</summary>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists them all.</exception>
    public void Validate()
    {
        var problems = new List<string>();
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

        if (MinimumDeprecationDays < 1)
        {
            problems.Add($"MinimumDeprecationDays must be at least 1 (was {MinimumDeprecationDays})");
        }

        if (MaximumDeprecationDays < MinimumDeprecationDays || MaximumDeprecationDays > 3650)
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

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid VersioningOptions: {string.Join("; ", problems)}.");
        }
    }

    /// <summary>Copies these options (so a registered instance cannot be changed afterwards).</summary>
    /// <returns>A copy.</returns>
    public VersioningOptions Clone() => (VersioningOptions)MemberwiseClone();
}
