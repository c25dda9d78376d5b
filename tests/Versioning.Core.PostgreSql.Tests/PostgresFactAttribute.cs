namespace Versioning.Core.PostgreSql.Tests;

/// <summary>
/// A [Fact] that needs the PostgreSQL server: skipped, with the reason, when VERSIONING_TEST_POSTGRES is unset — except
/// when CI=true, where it runs and fails saying what to set. (xunit 2 has no dynamic skip inside a test.)
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A [Theory] that needs the PostgreSQL server, skipped or failing exactly like <see cref="PostgresFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
