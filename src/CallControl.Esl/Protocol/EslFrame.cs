using System.Buffers;
using System.Text;

namespace CallControl.Esl.Protocol;

/// <summary>What a frame is, from its <c>Content-Type</c>; decided from the bytes without allocating.</summary>
public enum EslFrameKind
{
    /// <summary>A Content-Type this client does not know (kept, not dropped).</summary>
    Unknown,

    /// <summary><c>auth/request</c>.</summary>
    AuthRequest,

    /// <summary><c>command/reply</c>.</summary>
    CommandReply,

    /// <summary><c>api/response</c>.</summary>
    ApiResponse,

    /// <summary><c>text/event-plain</c>.</summary>
    EventPlain,

    /// <summary><c>text/event-json</c>.</summary>
    EventJson,

    /// <summary><c>text/event-xml</c>.</summary>
    EventXml,

    /// <summary><c>text/disconnect-notice</c>.</summary>
    DisconnectNotice,

    /// <summary><c>log/data</c>.</summary>
    LogData,

    /// <summary><c>text/rude-rejection</c>.</summary>
    RudeRejection,

    /// <summary>A header block without Content-Type: the outbound <c>connect</c> reply starts with
    /// <c>Event-Name: CHANNEL_DATA</c> and carries its Content-Type among percent-encoded headers.</summary>
    None,
}

/// <summary>
/// One Event Socket frame, owned: its envelope headers and exactly <c>Content-Length</c> bytes of body, copied out
/// of the socket buffer into one pooled array. Disposing returns that array to the pool; a frame that is never
/// disposed is simply collected.
/// </summary>
public sealed class EslFrame : IDisposable
{
    private byte[] _buffer;
    private readonly HeaderTable _headers;

    internal EslFrame(byte[] buffer, int length, HeaderTable headers, int bodyOffset, int bodyLength, EslFrameKind kind)
    {
        _buffer = buffer;
        Length = length;
        _headers = headers;
        BodyOffset = bodyOffset;
        BodyLength = bodyLength;
        Kind = kind;
    }

    /// <summary>The frame's kind, from its Content-Type.</summary>
    public EslFrameKind Kind { get; }

    /// <summary>Size of the whole frame on the wire, in bytes.</summary>
    public int Length { get; }

    /// <summary>Offset of the frame in its stream (set by the reader's owner; 0 when unknown).</summary>
    public long StreamOffset { get; internal set; }

    internal int BodyOffset { get; }

    internal int BodyLength { get; }

    internal byte[] Buffer => _buffer;

    internal HeaderTable HeaderTable => _headers;

    /// <summary>
    /// Whether the frame carries an event that <see cref="Events.EslEvent.FromFrame"/> can parse: a
    /// <c>text/event-plain</c> or <c>text/event-json</c> frame, or the outbound <c>connect</c> reply (its envelope is
    /// CHANNEL_DATA itself, starting with <c>Event-Name</c>, with <c>Content-Type: command/reply</c> among its headers).
    /// </summary>
    public bool CarriesEvent => Kind switch
    {
        EslFrameKind.EventPlain or EslFrameKind.EventJson => true,
        EslFrameKind.None or EslFrameKind.CommandReply => _headers.Find("Event-Name") >= 0,
        _ => false,
    };

    /// <summary>The envelope's Content-Type, or null (the outbound connect reply has it among its encoded headers).</summary>
    public string? ContentType => _headers.Get("Content-Type");

    /// <summary>The Reply-Text of a command/reply (e.g. <c>+OK accepted</c>).</summary>
    public string? ReplyText => _headers.Get("Reply-Text");

    /// <summary>The envelope headers, in wire order, values as sent (envelope values are not percent-encoded,
    /// except in the outbound connect reply, which <see cref="Events.EslEvent"/> decodes).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers
    {
        get
        {
            var list = new List<KeyValuePair<string, string>>(_headers.Count);
            for (var i = 0; i < _headers.Count; i++)
            {
                list.Add(new(_headers.Name(i), _headers.Value(i)));
            }

            return list;
        }
    }

    /// <summary>The first envelope header with this name (case-insensitive), or null.</summary>
    public string? GetHeader(string name) => _headers.Get(name);

    /// <summary>The body bytes (exactly Content-Length of them).</summary>
    public ReadOnlySpan<byte> BodySpan => _buffer.AsSpan(BodyOffset, BodyLength);

    /// <summary>The body bytes as memory (valid until the frame is disposed).</summary>
    public ReadOnlyMemory<byte> Body => _buffer.AsMemory(BodyOffset, BodyLength);

    /// <summary>The body as text (UTF-8, invalid bytes replaced), or an empty string.</summary>
    public string BodyText => BodyLength == 0 ? string.Empty : Encoding.UTF8.GetString(BodySpan);

    /// <summary>Returns the buffers to the pool. The frame must not be used afterwards.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _headers.Release();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static EslFrameKind KindOf(ReadOnlySpan<byte> contentType) => contentType switch
    {
        _ when contentType.SequenceEqual("text/event-plain"u8) => EslFrameKind.EventPlain,
        _ when contentType.SequenceEqual("command/reply"u8) => EslFrameKind.CommandReply,
        _ when contentType.SequenceEqual("api/response"u8) => EslFrameKind.ApiResponse,
        _ when contentType.SequenceEqual("text/event-json"u8) => EslFrameKind.EventJson,
        _ when contentType.SequenceEqual("auth/request"u8) => EslFrameKind.AuthRequest,
        _ when contentType.SequenceEqual("text/disconnect-notice"u8) => EslFrameKind.DisconnectNotice,
        _ when contentType.SequenceEqual("log/data"u8) => EslFrameKind.LogData,
        _ when contentType.SequenceEqual("text/event-xml"u8) => EslFrameKind.EventXml,
        _ when contentType.SequenceEqual("text/rude-rejection"u8) => EslFrameKind.RudeRejection,
        _ => EslFrameKind.Unknown,
    };
}
