namespace Versioning.Core.Installations;

/// <summary>How many installations are pinned to one release or version, by run status (T16, Z16).</summary>
/// <param name="Running">Installations that are Running.</param>
/// <param name="Paused">Installations that are Paused.</param>
public readonly record struct InstallationCounts(long Running, long Paused)
{
    /// <summary>All installations, whatever their status.</summary>
    public long Total => Running + Paused;
}
