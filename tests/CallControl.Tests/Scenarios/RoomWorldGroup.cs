namespace CallControl.Tests.Scenarios;

/// <summary>The scenario and room API tests share one <see cref="RoomWorld"/> and run one at a time (the carrier
/// gateway's number rules and the ring clock are shared).</summary>
[CollectionDefinition(Name)]
public sealed class RoomWorldGroup : ICollectionFixture<RoomWorld>
{
    public const string Name = "room world";
}
