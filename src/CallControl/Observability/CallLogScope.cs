using System.Collections;

namespace CallControl.Observability;

/// <summary>
/// A logging scope naming a call: <c>CallId</c> and <c>RoomId</c>, and the <c>LegUuid</c> when a leg's event is being
/// handled. Structured loggers (the JSON console formatter with <c>IncludeScopes</c>) write them as properties of every
/// line logged inside the scope; the plain formatter writes <see cref="ToString"/>.
/// </summary>
public sealed class CallLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _items;

    private CallLogScope(KeyValuePair<string, object?>[] items) => _items = items;

    /// <summary>A call's scope.</summary>
    public static CallLogScope ForCall(Guid callId, string roomId) =>
        new([new("CallId", callId), new("RoomId", roomId)]);

    /// <summary>A leg's scope (its call not known yet).</summary>
    public static CallLogScope ForLeg(string legUuid) => new([new("LegUuid", legUuid)]);

    public int Count => _items.Length;

    public KeyValuePair<string, object?> this[int index] => _items[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", _items.Select(i => $"{i.Key}:{i.Value}"));
}
