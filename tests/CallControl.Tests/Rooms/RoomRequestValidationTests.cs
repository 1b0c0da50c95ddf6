using CallControl.Calls;
using CallControl.Rooms;

namespace CallControl.Tests.Rooms;

/// <summary>The room API's allow-lists, field by field.</summary>
public sealed class RoomRequestValidationTests
{
    [Theory]
    [InlineData("bob", null, null, null)]
    [InlineData(null, "+15551230001", "video", "symmetric")]
    [InlineData("b.o_b-1", null, "audio", "port-restricted-cone")]
    public void Validate_accepts_well_formed_requests(string? callee, string? number, string? media, string? natType)
    {
        var errors = RoomRequestValidation.Validate(new CreateRoomRequest(callee, number, media, null, natType), out var parsed);
        Assert.Empty(errors);
        Assert.Equal(media == "video" ? CallMedia.Video : CallMedia.Audio, parsed);
    }

    [Theory]
    [InlineData(null, null, null, null, "callee")]
    [InlineData("bob", "+15551230001", null, null, "callee")]
    [InlineData("bob,x", null, null, null, "callee")]
    [InlineData("", null, null, null, "callee")]
    [InlineData("bob", null, "Audio", null, "media")]
    [InlineData("bob", null, "audio|video", null, "media")]
    [InlineData("bob", null, null, "Symmetric", "natType")]
    [InlineData("bob", null, null, "symmetric\n", "natType")]
    public void Validate_names_the_offending_field(string? callee, string? number, string? media, string? natType, string field)
    {
        var errors = RoomRequestValidation.Validate(new CreateRoomRequest(callee, number, media, null, natType), out _);
        Assert.Equal([field], errors.Keys);
    }

    [Theory]
    [InlineData("0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF", false)]
    [InlineData("0123456789abcde", false)]
    [InlineData("0123456789abcdeg", false)]
    [InlineData("room-0123456789a", false)]
    [InlineData(null, false)]
    public void IsRoomId_accepts_only_what_RoomStore_issues(string? id, bool expected) =>
        Assert.Equal(expected, RoomRequestValidation.IsRoomId(id));

    [Fact]
    public void Validate_join_checks_natType_only()
    {
        Assert.Empty(RoomRequestValidation.Validate(new JoinRoomRequest(null)));
        Assert.Empty(RoomRequestValidation.Validate((JoinRoomRequest?)null));
        Assert.Equal(["natType"], RoomRequestValidation.Validate(new JoinRoomRequest("sofia/x")).Keys);
    }
}
