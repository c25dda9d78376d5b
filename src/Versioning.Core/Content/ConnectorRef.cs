namespace Versioning.Core.Content;

/// <summary>A connector a step uses: its name (for example "Salesforce") and the connector's own version.</summary>
public sealed class ConnectorRef : IEquatable<ConnectorRef>
{
    /// <summary>The longest connector name accepted.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The longest connector version accepted.</summary>
    public const int MaxVersionLength = 50;

    /// <summary>Creates a connector reference.</summary>
    /// <param name="name">1–100 characters after trimming, no control characters.</param>
    /// <param name="version">1–50 characters after trimming, no control characters.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is blank, too long or has control characters.</exception>
    public ConnectorRef(string name, string version)
    {
        Name = Preconditions.Text(name, nameof(name), MaxNameLength);
        Version = Preconditions.Text(version, nameof(version), MaxVersionLength);
    }

    /// <summary>The connector's name; compared ordinally.</summary>
    public string Name { get; }

    /// <summary>The connector's version.</summary>
    public string Version { get; }

    /// <inheritdoc />
    public bool Equals(ConnectorRef? other)
        => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(Version, other.Version, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ConnectorRef);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), StringComparer.Ordinal.GetHashCode(Version));

    /// <summary>Returns <c>{Name}@{Version}</c> (for example <c>Salesforce@2.0</c>); stable, for people and audit details.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name}@{Version}";
}
