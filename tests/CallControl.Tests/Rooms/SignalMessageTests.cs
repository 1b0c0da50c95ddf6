using System.Text.Json;
using CallControl.Calls.Router;
using CallControl.Rooms;

namespace CallControl.Tests.Rooms;

/// <summary>The signal bus's wire format: what goes out comes back the same; what anyone NOTIFYs is judged, never trusted.</summary>
public sealed class SignalMessageTests
{
    private static long _sequence;

    private static SignalMessage New(SignalKind kind) => new(kind, "instance-a", "0a1b2c", Interlocked.Increment(ref _sequence));

    public static TheoryData<string> Kinds() => [.. Enum.GetNames<SignalKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_round_trips(string kindName)
    {
        var kind = Enum.Parse<SignalKind>(kindName);
        var message = kind switch
        {
            SignalKind.Presence => New(kind) with { User = "bob-1", Online = false },
            SignalKind.Snapshot => New(kind) with { SnapshotId = 7, Chunk = 1, Chunks = 3, Users = ["a", "b\"c", "ü"] },
            SignalKind.SyncRequest => New(kind) with { Target = "instance-b" },
            SignalKind.RoomEvent => New(kind) with
            {
                User = "bob-1",
                Event = new RoomEvent("invite", "0123456789abcdef", Guid.NewGuid(), "ringing", "alice-1", "video"),
            },
            SignalKind.RoomAction => New(kind) with { Room = "0123456789abcdef", Action = RoomAction.Join, Request = "9f8e7d6c5b4a3210" },
            SignalKind.ActionTaken => New(kind) with { Target = "instance-b", Request = "9f8e7d6c5b4a3210" },
            _ => New(kind),
        };

        var payload = message.Encode();
        var back = SignalMessage.TryDecode(payload, out var error);

        Assert.Null(error);
        Assert.NotNull(back);
        Assert.Equal(message.Kind, back.Kind);
        Assert.Equal((message.Instance, message.Incarnation, message.Sequence), (back.Instance, back.Incarnation, back.Sequence));
        Assert.Equal((message.User, message.Online, message.Target, message.Event), (back.User, back.Online, back.Target, back.Event));
        Assert.Equal((message.SnapshotId, message.Chunk, message.Chunks), (back.SnapshotId, back.Chunk, back.Chunks));
        Assert.Equal(message.Users ?? [], back.Users ?? []);
        Assert.Equal((message.Room, message.Action, message.Request), (back.Room, back.Action, back.Request));
    }

    [Fact]
    public void A_large_snapshot_is_cut_into_chunks_under_the_payload_limit_that_add_up_to_every_user()
    {
        // 3000 users with long ids, some with characters JSON escapes: far more than one NOTIFY can carry.
        var users = Enumerable.Range(0, 3000).Select(i => $"user-{i:D5}-" + new string(i % 7 == 0 ? '"' : 'x', 40)).ToList();

        var chunks = SignalMessage.SnapshotChunksOf("instance-a", "0a1b2c", () => Interlocked.Increment(ref _sequence), 4, users);

        Assert.True(chunks.Count > 10, $"{chunks.Count} chunks");
        var seal = SignalSeal.FromSigningKey("deployment-a-signing-key-0123456789abcdef");
        Assert.All(chunks, c => Assert.True(SignalMessage.Size(seal.Seal(c.Encode())) <= SignalMessage.MaxPayloadBytes, $"{SignalMessage.Size(seal.Seal(c.Encode()))} bytes sealed"));
        Assert.All(chunks, c => Assert.True(SignalMessage.Size(c.Encode()) <= SignalSeal.MaxJsonBytes, $"{SignalMessage.Size(c.Encode())} bytes"));
        Assert.All(chunks, c => Assert.Equal((4L, chunks.Count), (c.SnapshotId, c.Chunks)));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Chunk));
        Assert.Equal(users, chunks.SelectMany(c => SignalMessage.TryDecode(c.Encode(), out _)!.Users!));
        Assert.Equal(chunks.Count, chunks.Select(c => c.Sequence).Distinct().Count());
    }

    [Fact]
    public void An_empty_snapshot_is_one_chunk_saying_so()
    {
        var chunks = SignalMessage.SnapshotChunksOf("instance-a", "0a1b2c", () => 1, 1, []);
        var only = Assert.Single(chunks);
        Assert.Equal((0, 1), (only.Chunk, only.Chunks));
        Assert.Empty(SignalMessage.TryDecode(only.Encode(), out _)!.Users!);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not a signal message")]
    [InlineData("[1,2]", "not a signal message")]
    [InlineData("null", "not a signal message")]
    [InlineData("""{"v":2,"k":"hb","i":"a","n":"b","q":1}""", "unknown version")]
    [InlineData("""{"v":1,"k":"hb","n":"b","q":1}""", "no valid instance")]
    [InlineData("""{"v":1,"k":"shout","i":"a","n":"b","q":1}""", "unknown kind")]
    [InlineData("""{"v":1,"k":"p","i":"a","n":"b","q":1,"o":true}""", "presence without")]
    [InlineData("""{"v":1,"k":"p","i":"a","n":"b","q":1,"u":"bob"}""", "presence without")]
    [InlineData("""{"v":1,"k":"s","i":"a","n":"b","q":1,"sid":1,"c":0,"t":1}""", "snapshot without a valid user list")]
    [InlineData("""{"v":1,"k":"s","i":"a","n":"b","q":1,"sid":1,"c":1,"t":1,"us":[]}""", "snapshot without a valid id")]
    [InlineData("""{"v":1,"k":"s","i":"a","n":"b","q":1,"sid":1,"c":0,"t":1,"us":[""]}""", "snapshot without a valid user list")]
    [InlineData("""{"v":1,"k":"e","i":"a","n":"b","q":1,"u":"bob"}""", "room event without")]
    [InlineData("""{"v":1,"k":"e","i":"a","n":"b","q":1,"u":"bob","e":{"type":"invite","roomId":"r","callId":"00000000-0000-0000-0000-000000000000","status":"ringing"}}""", "room event without")]
    [InlineData("""{"v":1,"k":"e","i":"a","n":"b","q":1,"u":"bob","e":{"type":"invite","roomId":"r","callId":"nope","status":"ringing"}}""", "not a signal message")]
    [InlineData("""{"v":1,"k":"hb","i":"a","n":"b","q":99999999999999999999}""", "not a signal message")]
    [InlineData("""{"v":1,"k":"a","i":"a","n":"b","q":1,"r":"0123456789abcdef","a":"hangup"}""", "room action without")]
    [InlineData("""{"v":1,"k":"a","i":"a","n":"b","q":1,"r":"room-1; uuid_kill","a":"join"}""", "room action without")]
    [InlineData("""{"v":1,"k":"a","i":"a","n":"b","q":1,"r":"0123456789abcdef","a":"join","rq":""}""", "room action without")]
    [InlineData("""{"v":1,"k":"ok","i":"a","n":"b","q":1,"rq":"abc"}""", "action answer without")]
    [InlineData("""{"v":1,"k":"ok","i":"a","n":"b","q":1,"to":"b"}""", "action answer without")]
    public void Garbage_is_refused_with_a_reason_not_thrown(string payload, string reason)
    {
        Assert.Null(SignalMessage.TryDecode(payload, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversize_payload_is_refused_before_parsing()
    {
        var user = new string('u', 8000);
        var payload = JsonSerializer.Serialize(new { v = 1, k = "p", i = "a", n = "b", q = 1, u = user, o = true });

        Assert.Null(SignalMessage.TryDecode(payload, out var error));
        Assert.Contains("over 7999 bytes", error, StringComparison.Ordinal);
        // Under the limit but with a user id longer than any the bus sends: refused too.
        var longUser = JsonSerializer.Serialize(new { v = 1, k = "p", i = "a", n = "b", q = 1, u = new string('u', 300), o = true });
        Assert.Null(SignalMessage.TryDecode(longUser, out _));
    }

    [Theory]
    [InlineData("callcontrol", "callcontrol_signal")]
    public void The_default_namespace_uses_the_plain_channel(string leaseNamespace, string channel) =>
        Assert.Equal(channel, SignalBus.ChannelFor(leaseNamespace));

    [Fact]
    public void Other_namespaces_get_their_own_channel_a_valid_identifier()
    {
        var a = SignalBus.ChannelFor("cluster-" + new string('x', 200));
        var b = SignalBus.ChannelFor("cluster-y");
        Assert.NotEqual(a, b);
        Assert.Matches("^callcontrol_signal_[0-9a-f]{16}$", a);
        Assert.Equal(a, SignalBus.ChannelFor("cluster-" + new string('x', 200)));
    }

    [Fact]
    public void A_sealed_payload_opens_only_unaltered_and_under_the_same_key_and_hides_what_it_carries()
    {
        var seal = SignalSeal.FromSigningKey("deployment-a-signing-key-0123456789abcdef");
        var json = new SignalMessage(SignalKind.Presence, "i1", "n1", 7) { User = "bob-the-callee", Online = true, SentAt = DateTimeOffset.UtcNow }.Encode();
        var payload = seal.Seal(json);

        Assert.Equal(SignalSeal.SealedLength(json.Length), payload.Length);
        Assert.Matches("^s2\\.[A-Za-z0-9_-]+$", payload);
        Assert.DoesNotContain("bob-the-callee", payload, StringComparison.Ordinal);
        Assert.NotEqual(payload, seal.Seal(json)); // a fresh nonce each time: equal messages do not look equal
        Assert.Equal(json, seal.Open(payload, out var none));
        Assert.Null(none);

        // One bit flipped anywhere (nonce, ciphertext or tag) and it no longer opens.
        var box = System.Buffers.Text.Base64Url.DecodeFromChars(payload.AsSpan(3));
        for (var i = 0; i < box.Length; i += 7)
        {
            var flipped = (byte[])box.Clone();
            flipped[i] ^= 0x01;
            Assert.Null(seal.Open("s2." + System.Buffers.Text.Base64Url.EncodeToString(flipped), out var altered));
            Assert.StartsWith("seal does not match", altered);
        }

        Assert.Null(SignalSeal.FromSigningKey("deployment-b-signing-key-0123456789abcdef").Open(payload, out var otherKey));
        Assert.StartsWith("seal does not match", otherKey);
        Assert.Null(seal.Open(json, out var unsealed));
        Assert.Equal("not sealed", unsealed);
        Assert.Null(seal.Open("s2." + new string('!', 40), out _));
        Assert.Null(seal.Open("s2.AAAA", out _)); // shorter than a nonce and a tag
        Assert.Null(seal.Open("s2." + new string('A', SignalMessage.MaxPayloadBytes), out _));
        Assert.Null(seal.Open("", out _));
        Assert.Null(seal.Open(null, out _));
        // The longest JSON that fits is exactly what MaxJsonBytes says.
        Assert.InRange(SignalSeal.SealedLength(SignalSeal.MaxJsonBytes), 0, SignalMessage.MaxPayloadBytes);
        Assert.True(SignalSeal.SealedLength(SignalSeal.MaxJsonBytes + 1) > SignalMessage.MaxPayloadBytes);
    }
}
