using System.Reflection;
using Versioning.Core.Testing.Conformance;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Versioning.Core.PostgreSql.Tests.PostgresTestFramework", "Versioning.Core.PostgreSql.Tests")]

namespace Versioning.Core.PostgreSql.Tests;

/// <summary>
/// The conformance suite's tests are plain [Fact]s declared in <see cref="StoreConformanceTests"/>, whose attributes this
/// project cannot change to <see cref="PostgresFactAttribute"/>. This framework gives them the same rule at discovery:
/// without a server (and outside CI) each is reported as skipped with <see cref="PostgresServer.SkipReason"/>. It also
/// prints the reason once, so a local run says why its PostgreSQL tests were skipped.
/// </summary>
public sealed class PostgresTestFramework : XunitTestFramework
{
    public PostgresTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            // Printed once per run (xunit.runner.json turns diagnostic messages on), since `dotnet test` shows skip
            // reasons only at normal verbosity.
            messageSink.OnMessage(new DiagnosticMessage("PostgreSQL tests skipped: " + reason));
        }
    }

    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo)
        => new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var type = testMethod.TestClass.Class.ToRuntimeType();
            var inherited = typeof(StoreConformanceTests).IsAssignableFrom(type) || typeof(Versioning.Core.Tests.Shared.StoreRoundTripProperties).IsAssignableFrom(type);
            var fact = testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).FirstOrDefault();
            if (PostgresServer.SkipReason is null || !inherited || fact is null || fact.GetNamedArgument<string>(nameof(FactAttribute.Skip)) is not null
                || testMethod.Method.GetCustomAttributes(typeof(TheoryAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            var testCase = new NoServerTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
            return ReportDiscoveredTestCase(testCase, includeSourceInformation, messageBus);
        }
    }
}

/// <summary>A conformance [Fact] reported as skipped because no PostgreSQL server is configured.</summary>
public sealed class NoServerTestCase : XunitTestCase
{
    /// <summary>For the de-serializer.</summary>
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public NoServerTestCase()
    {
    }

    public NoServerTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => PostgresServer.SkipReason ?? base.GetSkipReason(factAttribute);
}
