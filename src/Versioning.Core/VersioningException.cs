namespace Versioning.Core;

/// <summary>
/// The base of every domain refusal: a broken rule (<see cref="VersioningRuleException"/>), something that does not
/// exist (<see cref="EntityNotFoundException"/>), an actor the access policy refused
/// (<see cref="VersioningAccessDeniedException"/>) and a concurrent change (<see cref="ConcurrencyConflictException"/>).
/// Nothing was changed when one of them is thrown. Malformed arguments are not refusals: they stay
/// <see cref="ArgumentException"/>s (and <see cref="FormatException"/> for unparsable text).
/// </summary>
/// <remarks>
/// Catch this type at an application's edge to turn every refusal into one response; docs/errors.md maps each
/// subtype to an HTTP status code and an RFC 9457 problem details object. The subtypes are sealed, carry their data
/// as properties and their messages say what was attempted, why it was refused and what to do instead.
/// </remarks>
/// <threadsafety>Instances are immutable once thrown and can be read from any thread.</threadsafety>
public abstract class VersioningException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was attempted, why it was refused and what to do instead.</param>
    /// <param name="innerException">The underlying error, if any (for example a store's unique violation).</param>
    private protected VersioningException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// A short, stable, machine-readable name of the kind of refusal: <c>"rule-violation"</c>, <c>"not-found"</c>,
    /// <c>"access-denied"</c> or <c>"concurrency-conflict"</c>. It ends the problem type URI in docs/errors.md.
    /// </summary>
    public abstract string ErrorCode { get; }
}
