using NodaTime;

namespace Versioning.Core.Integrations;

/// <summary>When and why a version is deprecated (Z12). Fixed once set: the date can't be changed.</summary>
/// <param name="Date">The deprecation date.</param>
/// <param name="EffectiveAt">The start of <paramref name="Date"/> in the configured zone: the version is Deprecated from this instant.</param>
/// <param name="Reason">The reason.</param>
/// <param name="OtherText">The text for <see cref="DeprecationReason.Other"/>; null otherwise.</param>
/// <param name="ScheduledAt">When the deprecation was scheduled.</param>
/// <param name="ScheduledBy">Who scheduled it.</param>
public sealed record DeprecationSchedule(LocalDate Date, Instant EffectiveAt, DeprecationReason Reason, string? OtherText, Instant ScheduledAt, ActorId ScheduledBy)
{
    /// <summary>The longest text for <see cref="DeprecationReason.Other"/>.</summary>
    public const int MaxOtherTextLength = 50;

    /// <summary>The reason as people read it.</summary>
    public string ReasonText => Reason == DeprecationReason.Other ? $"Other: {OtherText}" : Reason.ToString();
}
