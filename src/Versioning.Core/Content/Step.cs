using System.Collections.Immutable;

namespace Versioning.Core.Content;

/// <summary>One step of a workflow: a named operation of a connector, with its settings. Immutable.</summary>
public sealed class Step : IEquatable<Step>
{
    /// <summary>The longest step name or operation accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest setting key accepted.</summary>
    public const int MaxSettingKeyLength = 200;

    /// <summary>The longest setting value accepted.</summary>
    public const int MaxSettingValueLength = 10_000;

    /// <summary>Creates a step.</summary>
    /// <param name="name">The step's display name (1–200 characters).</param>
    /// <param name="connector">The connector the step calls.</param>
    /// <param name="operation">The connector operation (1–200 characters), for example "CreateContact".</param>
    /// <param name="settings">Key/value settings; keys 1–200 characters, values up to 10 000 characters. Null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/>, <paramref name="connector"/> or <paramref name="operation"/> is null.</exception>
    /// <exception cref="ArgumentException">A text is blank, too long, or has control characters.</exception>
    public Step(string name, ConnectorRef connector, string operation, IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        Name = Preconditions.Text(name, nameof(name), MaxNameLength);
        Connector = Preconditions.NotNull(connector, nameof(connector));
        Operation = Preconditions.Text(operation, nameof(operation), MaxNameLength);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (settings is not null)
        {
            foreach (var (key, value) in settings)
            {
                var checkedKey = Preconditions.Text(key, nameof(settings), MaxSettingKeyLength);
                if (!builder.TryAdd(checkedKey, Preconditions.FreeText(value, nameof(settings), MaxSettingValueLength)))
                {
                    throw new ArgumentException($"settings has the key '{checkedKey}' twice.", nameof(settings));
                }
            }
        }

        Settings = builder.ToImmutable();
    }

    /// <summary>The step's display name.</summary>
    public string Name { get; }

    /// <summary>The connector the step calls.</summary>
    public ConnectorRef Connector { get; }

    /// <summary>The connector operation.</summary>
    public string Operation { get; }

    /// <summary>The step's settings, sorted by key (ordinal).</summary>
    public ImmutableSortedDictionary<string, string> Settings { get; }

    /// <summary>Returns a copy that calls <paramref name="connector"/> instead, keeping name, operation and settings.</summary>
    /// <param name="connector">The replacement connector.</param>
    /// <returns>The new step.</returns>
    public Step WithConnector(ConnectorRef connector) => new(Name, connector, Operation, Settings);

    /// <inheritdoc />
    public bool Equals(Step? other)
        => other is not null
           && string.Equals(Name, other.Name, StringComparison.Ordinal)
           && Connector.Equals(other.Connector)
           && string.Equals(Operation, other.Operation, StringComparison.Ordinal)
           && Settings.Count == other.Settings.Count
           && Settings.All(kv => other.Settings.TryGetValue(kv.Key, out var v) && string.Equals(v, kv.Value, StringComparison.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Step);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), Connector, StringComparer.Ordinal.GetHashCode(Operation), Settings.Count);

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Connector}.{Operation}";
}
