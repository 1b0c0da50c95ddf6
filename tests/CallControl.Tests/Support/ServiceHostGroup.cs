namespace CallControl.Tests.Support;

/// <summary>Service-host tests run one at a time: each starts a Kestrel host, simulators and PostgreSQL work, and a
/// 2-core machine runs them more reliably in sequence.</summary>
[CollectionDefinition(Name)]
public sealed class ServiceHostGroup
{
    public const string Name = "service host";
}
