using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Versioning.Core.Content;
using Versioning.Core.Installations;
using Versioning.Core.Integrations;
using Versioning.Core.Templates;

namespace Versioning.Core.Persistence;

/// <summary>
/// The JSON forms the durable stores use for the parts of an aggregate that are not columns: release and version
/// records, an integration's header, installation settings and migration jobs. Public so a plugin author's store can
/// store exactly what the built-in stores store. Hand-written over <see cref="Utf8JsonWriter"/> and
/// <see cref="JsonDocument"/>: no reflection, stable property names, instants as unix ticks (100 ns precision).
/// </summary>
public static class StoreJson
{
    /// <summary>Serializes a template release, with its content when it has it (<see cref="TemplateRelease.HasContent"/>).</summary>
    /// <param name="release">The release.</param>
    /// <returns>The JSON text.</returns>
    public static string Write(TemplateRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Write(release, release.HasContent);
    }

    /// <summary>
    /// Serializes a template release without its content: the release row of a store that keeps content apart (P8), so a
    /// command that does not read the content never reads its bytes. <see cref="ReadRelease"/> reads it back as a release
    /// without content; <see cref="WriteContent(WorkflowDefinition)"/> writes the content.
    /// </summary>
    /// <param name="release">The release (with or without content).</param>
    /// <returns>The JSON text.</returns>
    public static string WriteWithoutContent(TemplateRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Write(release, withContent: false);
    }

    /// <summary>Serializes a version's or release's content alone (P8: what the durable stores keep apart from the item's row): an object with its <c>steps</c>.</summary>
    /// <param name="content">The content.</param>
    /// <returns>The JSON text.</returns>
    public static string WriteContent(WorkflowDefinition content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return WriteJson(w => WriteContent(w, content));
    }

    /// <summary>Reads content written by <see cref="WriteContent(WorkflowDefinition)"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The content.</returns>
    public static WorkflowDefinition ReadContent(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        return ReadContent(doc.RootElement);
    }

    private static string Write(TemplateRelease release, bool withContent)
    {
        return WriteJson(w =>
        {
            w.WriteNumber("number", release.Number.Value);
            w.WriteString("state", release.State.ToString());
            w.WriteString("run", release.RunStatus.ToString());
            w.WriteString("notes", release.Notes);
            w.WriteString("createdBy", release.CreatedBy.Value);
            w.WriteNumber("createdAt", release.CreatedAt.ToUnixTimeTicks());
            w.WriteNumber("updatedAt", release.UpdatedAt.ToUnixTimeTicks());
            if (release.PromotedBy is { } pb)
            {
                w.WriteString("promotedBy", pb.Value);
            }

            WriteInstant(w, "promotedAt", release.PromotedAt);
            WriteInstant(w, "deprecatedAt", release.DeprecatedAt);
            if (release.CopiedFrom is { } from)
            {
                w.WriteString("copiedFromTemplate", from.TemplateId.ToString());
                w.WriteNumber("copiedFromRelease", from.ReleaseNumber.Value);
            }

            if (withContent)
            {
                WriteContent(w, release.Content);
            }
        });
    }

    /// <summary>
    /// Reads a template release written by <see cref="Write(TemplateRelease)"/> or <see cref="WriteWithoutContent"/>: with
    /// its content when the text holds it, else without (<see cref="TemplateRelease.HasContent"/> false).
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The release.</returns>
    public static TemplateRelease ReadRelease(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var hasContent = r.TryGetProperty("steps", out _);
        var release = new TemplateRelease
        {
            Number = new ReleaseNumber(r.GetProperty("number").GetInt32()),
            State = Enum.Parse<ReleaseState>(r.GetProperty("state").GetString()!),
            RunStatus = Enum.Parse<RunStatus>(r.GetProperty("run").GetString()!),
            Notes = r.GetProperty("notes").GetString()!,
            CreatedBy = ActorId.FromStored(r.GetProperty("createdBy").GetString()!),
            CreatedAt = Instant.FromUnixTimeTicks(r.GetProperty("createdAt").GetInt64()),
            UpdatedAt = Instant.FromUnixTimeTicks(r.GetProperty("updatedAt").GetInt64()),
            PromotedBy = r.TryGetProperty("promotedBy", out var pb) ? ActorId.FromStored(pb.GetString()!) : null,
            PromotedAt = ReadInstant(r, "promotedAt"),
            DeprecatedAt = ReadInstant(r, "deprecatedAt"),
            CopiedFrom = r.TryGetProperty("copiedFromTemplate", out var ct)
                ? new ReleaseProvenance(TemplateId.Parse(ct.GetString()!), new ReleaseNumber(r.GetProperty("copiedFromRelease").GetInt32()))
                : null,
            Content = hasContent ? ReadContent(r) : WorkflowDefinition.Empty,
        };
        return hasContent ? release : release.WithoutContent();
    }

    /// <summary>
    /// Serializes an integration version: with its content (<c>steps</c>) when it has it, without when it was loaded
    /// without it (<see cref="IntegrationVersion.HasContent"/>); the built-in durable stores keep the content apart
    /// (<see cref="WriteContent(WorkflowDefinition)"/>) and write the version without it.
    /// </summary>
    /// <param name="version">The version.</param>
    /// <returns>The JSON text.</returns>
    public static string Write(IntegrationVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteJson(w =>
        {
            w.WriteString("number", version.Number.ToString());
            w.WriteString("state", version.StoredState.ToString());
            w.WriteString("notes", version.Notes);
            w.WriteString("createdBy", version.CreatedBy.Value);
            w.WriteNumber("createdAt", version.CreatedAt.ToUnixTimeTicks());
            w.WriteNumber("updatedAt", version.UpdatedAt.ToUnixTimeTicks());
            if (version.ClonedFrom is { } c)
            {
                w.WriteString("clonedFrom", c.ToString());
            }

            WriteInstant(w, "promotedAt", version.PromotedAt);
            WriteInstant(w, "legacyAt", version.LegacyAt);
            if (version.Deprecation is { } d)
            {
                w.WriteStartObject("deprecation");
                w.WriteString("date", LocalDatePattern.Iso.Format(d.Date));
                w.WriteNumber("effectiveAt", d.EffectiveAt.ToUnixTimeTicks());
                w.WriteString("reason", d.Reason.ToString());
                if (d.OtherText is not null)
                {
                    w.WriteString("otherText", d.OtherText);
                }

                w.WriteNumber("scheduledAt", d.ScheduledAt.ToUnixTimeTicks());
                w.WriteString("scheduledBy", d.ScheduledBy.Value);
                w.WriteEndObject();
            }

            WriteStrings(w, "sharedWith", version.SharedWith.Select(u => u.Value));
            if (version.SharedWithAccounts.Count > 0)
            {
                WriteStrings(w, "sharedWithAccounts", version.SharedWithAccounts);
            }

            WriteWarnings(w, version.PromotionWarnings);
            if (version.HasContent)
            {
                WriteContent(w, version.Content);
            }
        });
    }

    /// <summary>
    /// Reads an integration version written by <see cref="Write(IntegrationVersion)"/>: with its content when the JSON
    /// holds it, else without it (<see cref="IntegrationVersion.HasContent"/> false; give it content with
    /// <c>version with { Content = … }</c>).
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The version.</returns>
    public static IntegrationVersion ReadVersion(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        DeprecationSchedule? deprecation = null;
        if (r.TryGetProperty("deprecation", out var d))
        {
            deprecation = new DeprecationSchedule(
                LocalDatePattern.Iso.Parse(d.GetProperty("date").GetString()!).Value,
                Instant.FromUnixTimeTicks(d.GetProperty("effectiveAt").GetInt64()),
                Enum.Parse<DeprecationReason>(d.GetProperty("reason").GetString()!),
                d.TryGetProperty("otherText", out var ot) ? ot.GetString() : null,
                Instant.FromUnixTimeTicks(d.GetProperty("scheduledAt").GetInt64()),
                ActorId.FromStored(d.GetProperty("scheduledBy").GetString()!));
        }

        var hasContent = r.TryGetProperty("steps", out _);
        var version = new IntegrationVersion
        {
            Number = VersionNumber.Parse(r.GetProperty("number").GetString()!),
            StoredState = Enum.Parse<VersionState>(r.GetProperty("state").GetString()!),
            Notes = r.GetProperty("notes").GetString()!,
            CreatedBy = ActorId.FromStored(r.GetProperty("createdBy").GetString()!),
            CreatedAt = Instant.FromUnixTimeTicks(r.GetProperty("createdAt").GetInt64()),
            UpdatedAt = Instant.FromUnixTimeTicks(r.GetProperty("updatedAt").GetInt64()),
            ClonedFrom = r.TryGetProperty("clonedFrom", out var c) ? VersionNumber.Parse(c.GetString()!) : null,
            PromotedAt = ReadInstant(r, "promotedAt"),
            LegacyAt = ReadInstant(r, "legacyAt"),
            Deprecation = deprecation,
            SharedWith = ReadStrings(r, "sharedWith").Select(ActorId.FromStored).ToImmutableSortedSet(),
            SharedWithAccounts = ReadStrings(r, "sharedWithAccounts").ToImmutableSortedSet(StringComparer.Ordinal),
            PromotionWarnings = ReadWarnings(r),
            Content = hasContent ? ReadContent(r) : WorkflowDefinition.Empty,
        };
        return hasContent ? version : version.WithoutContent();
    }

    /// <summary>Serializes the parts of an integration that are not versions, history or columns.</summary>
    /// <param name="integration">The integration.</param>
    /// <returns>The JSON text.</returns>
    public static string WriteHeader(IntegrationSnapshot integration)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return WriteJson(w =>
        {
            w.WriteString("createdBy", integration.CreatedBy.Value);
            w.WriteNumber("createdAt", integration.CreatedAt.ToUnixTimeTicks());
            w.WriteBoolean("hasPromoted", integration.HasPromoted);
            WriteStrings(w, "team", integration.Team.Select(m => m.Value));
            WriteStrings(w, "sharedWithAll", integration.SharedWithAllVersions.Select(u => u.Value));
            WriteStrings(w, "usedNumbers", integration.UsedNumbers.Select(n => n.ToString()));
            if (!integration.Canaries.IsDefaultOrEmpty)
            {
                WriteCanaries(w, integration.Canaries);
            }
        });
    }

    /// <summary>Rebuilds an integration snapshot from its columns, its header JSON, its versions and its history.</summary>
    /// <param name="id">The id column.</param>
    /// <param name="name">The name column.</param>
    /// <param name="revision">The revision column.</param>
    /// <param name="headerJson">The header written by <see cref="WriteHeader"/>.</param>
    /// <param name="versions">The versions, in any order.</param>
    /// <param name="history">The history, oldest first.</param>
    /// <returns>The snapshot.</returns>
    public static IntegrationSnapshot ReadIntegration(IntegrationId id, string name, long revision, string headerJson, IEnumerable<IntegrationVersion> versions, IEnumerable<Auditing.AuditEntry> history)
    {
        using var doc = JsonDocument.Parse(headerJson);
        var r = doc.RootElement;
        return new IntegrationSnapshot
        {
            Id = id,
            Name = name,
            Revision = revision,
            CreatedBy = ActorId.FromStored(r.GetProperty("createdBy").GetString()!),
            CreatedAt = Instant.FromUnixTimeTicks(r.GetProperty("createdAt").GetInt64()),
            HasPromoted = r.GetProperty("hasPromoted").GetBoolean(),
            Team = ReadStrings(r, "team").Select(ActorId.FromStored).ToImmutableSortedSet(),
            SharedWithAllVersions = ReadStrings(r, "sharedWithAll").Select(ActorId.FromStored).ToImmutableSortedSet(),
            UsedNumbers = ReadStrings(r, "usedNumbers").Select(VersionNumber.Parse).ToImmutableSortedSet(),
            Versions = [.. versions.OrderBy(v => v.Number)],
            AuditTrail = [.. history],
            Canaries = ReadCanaries(r),
        };
    }

    /// <summary>Serializes a team (template or integration, X7) as a JSON array of actor ids.</summary>
    /// <param name="team">The members.</param>
    /// <returns>The JSON text.</returns>
    public static string WriteTeam(IEnumerable<ActorId> team)
    {
        ArgumentNullException.ThrowIfNull(team);
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var member in team)
            {
                w.WriteStringValue(member.Value);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a team written by <see cref="WriteTeam"/>; null or blank text (rows stored before teams) reads as empty.</summary>
    /// <param name="json">The JSON text, or null.</param>
    /// <returns>The members (read with <see cref="ActorId.FromStored"/>), sorted ordinally.</returns>
    public static ImmutableSortedSet<ActorId> ReadTeam(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => ActorId.FromStored(e.GetString()!)).ToImmutableSortedSet();
    }

    /// <summary>Serializes installation settings as a JSON object.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The JSON text.</returns>
    public static string WriteSettings(IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return WriteJson(w => WriteSettingsBody(w, settings));
    }

    /// <summary>Reads settings written by <see cref="WriteSettings"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The settings, sorted by key.</returns>
    public static ImmutableSortedDictionary<string, string> ReadSettings(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    /// <summary>Serializes a migration job.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The JSON text.</returns>
    public static string Write(MigrationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return WriteJson(w =>
        {
            w.WriteString("id", job.Id.ToString());
            w.WriteString("productKind", job.Product.Kind.ToString());
            w.WriteString("productId", job.Product.Id.ToString("D"));
            if (job.From is { } from)
            {
                w.WriteString("from", from.Value);
            }

            w.WriteString("to", job.To.Value);
            if (job.Scope.Owner is { } owner)
            {
                w.WriteString("ownerKind", owner.Kind.ToString());
                w.WriteString("ownerId", owner.Id);
            }
            else
            {
                w.WriteNumber("percent", job.Scope.Percent);
            }

            w.WriteString("state", job.State.ToString());
            w.WriteNumber("batchSize", job.BatchSize);
            if (job.Checkpoint is { } cp)
            {
                w.WriteString("checkpoint", cp.ToString());
            }

            w.WriteNumber("total", job.Total);
            w.WriteNumber("scanned", job.Scanned);
            w.WriteNumber("moved", job.Moved);
            w.WriteNumber("batches", job.Batches);
            w.WriteString("requestedBy", job.RequestedBy.Value);
            w.WriteNumber("requestedAt", job.RequestedAt.ToUnixTimeTicks());
            w.WriteNumber("updatedAt", job.UpdatedAt.ToUnixTimeTicks());
            if (job.FailureReason is not null)
            {
                w.WriteString("failureReason", job.FailureReason);
            }
        });
    }

    /// <summary>Reads a migration job written by <see cref="Write(MigrationJob)"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="revision">The revision column.</param>
    /// <returns>The job.</returns>
    public static MigrationJob ReadJob(string json, long revision)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var scope = r.TryGetProperty("ownerKind", out var ok)
            ? MigrationScope.ForOwner(new OwnerRef(Enum.Parse<OwnerKind>(ok.GetString()!), r.GetProperty("ownerId").GetString()!))
            : MigrationScope.Percentage(r.GetProperty("percent").GetInt32());
        return new MigrationJob
        {
            Id = MigrationId.Parse(r.GetProperty("id").GetString()!),
            Product = new ProductRef(Enum.Parse<ProductKind>(r.GetProperty("productKind").GetString()!), Guid.Parse(r.GetProperty("productId").GetString()!)),
            From = r.TryGetProperty("from", out var f) ? VersionKey.FromStored(f.GetString()!) : null,
            To = VersionKey.FromStored(r.GetProperty("to").GetString()!),
            Scope = scope,
            State = Enum.Parse<MigrationState>(r.GetProperty("state").GetString()!),
            BatchSize = r.GetProperty("batchSize").GetInt32(),
            Checkpoint = r.TryGetProperty("checkpoint", out var cp) ? InstallationId.Parse(cp.GetString()!) : null,
            Total = r.GetProperty("total").GetInt64(),
            Scanned = r.GetProperty("scanned").GetInt64(),
            Moved = r.GetProperty("moved").GetInt64(),
            Batches = r.GetProperty("batches").GetInt32(),
            RequestedBy = ActorId.FromStored(r.GetProperty("requestedBy").GetString()!),
            RequestedAt = Instant.FromUnixTimeTicks(r.GetProperty("requestedAt").GetInt64()),
            UpdatedAt = Instant.FromUnixTimeTicks(r.GetProperty("updatedAt").GetInt64()),
            FailureReason = r.TryGetProperty("failureReason", out var fr) ? fr.GetString() : null,
            Revision = revision,
        };
    }

    private static void WriteContent(Utf8JsonWriter w, WorkflowDefinition content)
    {
        w.WriteStartArray("steps");
        foreach (var step in content.Steps)
        {
            w.WriteStartObject();
            w.WriteString("name", step.Name);
            w.WriteString("connector", step.Connector.Name);
            w.WriteString("connectorVersion", step.Connector.Version);
            w.WriteString("operation", step.Operation);
            w.WriteStartObject("settings");
            foreach (var (key, value) in step.Settings)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static WorkflowDefinition ReadContent(JsonElement r)
    {
        var steps = r.GetProperty("steps");
        if (steps.GetArrayLength() == 0)
        {
            return WorkflowDefinition.Empty;
        }

        return new WorkflowDefinition(steps.EnumerateArray().Select(s => new Step(
            s.GetProperty("name").GetString()!,
            new ConnectorRef(s.GetProperty("connector").GetString()!, s.GetProperty("connectorVersion").GetString()!),
            s.GetProperty("operation").GetString()!,
            s.GetProperty("settings").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)))).ToList());
    }

    // Canaries (K1) live in the integration's header: a store written before canaries existed reads as "none", and no
    // schema changes for them.
    private static void WriteCanaries(Utf8JsonWriter w, ImmutableArray<Canary> canaries)
    {
        w.WriteStartArray("canaries");
        foreach (var c in canaries)
        {
            w.WriteStartObject();
            w.WriteString("id", c.Id.ToString());
            w.WriteString("from", c.From.ToString());
            w.WriteString("to", c.To.ToString());
            w.WriteNumber("percent", c.Percent);
            if (c.Scope.User is { } user)
            {
                w.WriteString("user", user);
            }

            if (c.Scope.Account is { } account)
            {
                w.WriteString("account", account);
            }

            w.WriteString("startedBy", c.StartedBy.Value);
            w.WriteNumber("startedAt", c.StartedAt.ToUnixTimeTicks());
            w.WriteNumber("endsAt", c.EndsAt.ToUnixTimeTicks());
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static ImmutableArray<Canary> ReadCanaries(JsonElement r)
        => r.TryGetProperty("canaries", out var a)
            ? [.. a.EnumerateArray().Select(c => new Canary(
                CanaryId.Parse(c.GetProperty("id").GetString()!),
                VersionNumber.Parse(c.GetProperty("from").GetString()!),
                VersionNumber.Parse(c.GetProperty("to").GetString()!),
                c.GetProperty("percent").GetInt32(),
                CanaryScope.Of(c.TryGetProperty("user", out var u) ? u.GetString() : null, c.TryGetProperty("account", out var acc) ? acc.GetString() : null),
                new ActorId(c.GetProperty("startedBy").GetString()!),
                Instant.FromUnixTimeTicks(c.GetProperty("startedAt").GetInt64()),
                Instant.FromUnixTimeTicks(c.GetProperty("endsAt").GetInt64())))]
            : [];

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    /// <summary>Promotion warnings as <c>[{"check":…,"message":…}]</c>, so the check that raised each survives a reload.</summary>
    private static void WriteWarnings(Utf8JsonWriter w, ImmutableArray<PromotionFinding> warnings)
    {
        w.WriteStartArray("warnings");
        foreach (var warning in warnings)
        {
            w.WriteStartObject();
            w.WriteString("check", warning.Check);
            w.WriteString("message", warning.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// Reads what <see cref="WriteWarnings"/> wrote, and the rows written before it: a plain array of messages, whose
    /// check is unknown (empty).
    /// </summary>
    private static ImmutableArray<PromotionFinding> ReadWarnings(JsonElement r)
    {
        if (!r.TryGetProperty("warnings", out var array))
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<PromotionFinding>(array.GetArrayLength());
        foreach (var e in array.EnumerateArray())
        {
            builder.Add(e.ValueKind == JsonValueKind.String
                ? new PromotionFinding(string.Empty, PromotionSeverity.Warning, e.GetString()!)
                : new PromotionFinding(e.GetProperty("check").GetString()!, PromotionSeverity.Warning, e.GetProperty("message").GetString()!));
        }

        return builder.MoveToImmutable();
    }

    private static List<string> ReadStrings(JsonElement r, string name)
        => r.TryGetProperty(name, out var a) ? a.EnumerateArray().Select(e => e.GetString()!).ToList() : [];

    private static void WriteInstant(Utf8JsonWriter w, string name, Instant? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v.ToUnixTimeTicks());
        }
    }

    private static Instant? ReadInstant(JsonElement r, string name)
        => r.TryGetProperty(name, out var v) ? Instant.FromUnixTimeTicks(v.GetInt64()) : null;

    /// <summary>The size in UTF-8 bytes of content as the stores serialize it (the <c>steps</c> array), for the X11 limit.</summary>
    internal static long ContentSize(WorkflowDefinition content) => JsonSize(w => WriteContent(w, content));

    /// <summary>The size in UTF-8 bytes of installation settings as the stores serialize them, for the X11 limit.</summary>
    internal static long SettingsSize(IEnumerable<KeyValuePair<string, string>> settings) => JsonSize(w => WriteSettingsBody(w, settings));

    private static void WriteSettingsBody(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (key, value) in settings)
        {
            w.WriteString(key, value);
        }
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One buffer and one writer per thread, reset for each document: a save writes a few documents, and allocating a
    // growing buffer and a writer for each was most of what the JSON cost (only the resulting string is allocated now).
    // Not re-entrant, and nothing a body calls writes another document. A buffer grown past LargeBuffer (a large
    // content) is dropped after use rather than kept by the thread.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private const int LargeBuffer = 64 * 1024;

    private static long JsonSize(Action<Utf8JsonWriter> body) => Write(body, static b => (long)b.WrittenCount);

    private static string WriteJson(Action<Utf8JsonWriter> body) => Write(body, static b => Encoding.UTF8.GetString(b.WrittenSpan));

    private static T Write<T>(Action<Utf8JsonWriter> body, Func<ArrayBufferWriter<byte>, T> result)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        var w = t_writer;
        t_buffer = null;
        t_writer = null;
        buffer.ResetWrittenCount();
        if (w is null)
        {
            w = new Utf8JsonWriter(buffer, WriterOptions);
        }
        else
        {
            w.Reset(buffer);
        }

        w.WriteStartObject();
        body(w);
        w.WriteEndObject();
        w.Flush();
        var value = result(buffer);
        if (buffer.Capacity <= LargeBuffer)
        {
            (t_buffer, t_writer) = (buffer, w);
        }

        return value;
    }
}
