using System.Reflection;

namespace Versioning.Core.Tests;

/// <summary>X6: one base type for every domain refusal, with its data as properties.</summary>
public class VersioningExceptionTests
{
    private static readonly Type[] Refusals =
    [
        typeof(VersioningRuleException),
        typeof(EntityNotFoundException),
        typeof(VersioningAccessDeniedException),
        typeof(ConcurrencyConflictException),
    ];

    [Fact]
    public void EveryRefusal_DerivesFromVersioningException_IsSealedAndInTheKernelNamespace_X6()
    {
        foreach (var type in Refusals)
        {
            Assert.True(type.IsSubclassOf(typeof(VersioningException)), type.Name);
            Assert.True(type.IsSealed, type.Name);
            Assert.Equal("Versioning.Core", type.Namespace);
        }

        // Nobody outside the library can add a kind of refusal that the HTTP mapping would not know.
        Assert.DoesNotContain(typeof(VersioningException).GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance), c => c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly);
        var others = typeof(VersioningException).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(VersioningException)));
        Assert.Equal(Refusals.OrderBy(t => t.Name), others.OrderBy(t => t.Name));
    }

    [Fact]
    public void Refusals_AreNotTheBclTypesTheyUsedToBe_X6()
    {
        Assert.False(typeof(InvalidOperationException).IsAssignableFrom(typeof(VersioningRuleException)));
        Assert.False(typeof(KeyNotFoundException).IsAssignableFrom(typeof(EntityNotFoundException)));
        Assert.False(typeof(UnauthorizedAccessException).IsAssignableFrom(typeof(VersioningAccessDeniedException)));
        Assert.False(typeof(ArgumentException).IsAssignableFrom(typeof(VersioningException)));
    }

    [Fact]
    public void ErrorCode_IsStableAndDistinctPerKind_X6()
    {
        VersioningException[] refusals =
        [
            new VersioningRuleException("Z12", "too soon", "Integration", "i", "version 1.0.0", "Available", ["a", "b"]),
            new EntityNotFoundException("Version", "1.0.0", "integration i"),
            new VersioningAccessDeniedException(new ActorId("mallory"), "Integration", "i", "PromoteVersion"),
            new ConcurrencyConflictException("Integration", "i", 3, 4, new InvalidOperationException("23505")),
        ];

        Assert.Equal(["rule-violation", "not-found", "access-denied", "concurrency-conflict"], refusals.Select(r => r.ErrorCode));
        var rule = (VersioningRuleException)refusals[0];
        Assert.Equal(("Z12", "Integration", "i", "version 1.0.0", "Available"), (rule.RuleId, rule.AggregateKind, rule.AggregateId, rule.Subject, rule.State));
        Assert.Equal(["a", "b"], rule.Problems);
        var conflict = (ConcurrencyConflictException)refusals[3];
        Assert.Equal((3L, 4L, "23505"), (conflict.ExpectedRevision, conflict.ActualRevision, conflict.InnerException!.Message));
    }

    [Fact]
    public void ErrorsDoc_ListsEveryRefusalWithItsErrorCode_X6()
    {
        var doc = File.ReadAllText(Path.Combine(Docs.RepositoryRoot.Path, "docs", "errors.md"));
        foreach (var (type, code) in new (Type, string)[]
        {
            (typeof(VersioningRuleException), "rule-violation"),
            (typeof(EntityNotFoundException), "not-found"),
            (typeof(VersioningAccessDeniedException), "access-denied"),
            (typeof(ConcurrencyConflictException), "concurrency-conflict"),
        })
        {
            Assert.Contains($"| `{type.Name}` | `{code}` |", doc, StringComparison.Ordinal);
        }
    }
}
