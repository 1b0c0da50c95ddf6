using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using FreeSwitchSim.Core;
using Microsoft.AspNetCore.Http;

namespace FreeSwitchSim.Http;

/// <summary>
/// <c>GET /events?names=A,B&amp;headers=H1,H2</c>: a light feed of the events the switch fires, for a harness that
/// needs to know when things happen (the load benchmark's clock) without being an ESL listener, whose every event
/// carries all of the channel's variables. One line per event, in firing order:
/// <c>name TAB unique-id TAB h1 TAB h2 ...</c>, each value percent-encoded, empty when absent or empty. The response starts
/// (headers flushed) once the subscription is in place, and lasts until the client goes away.
/// </summary>
public static partial class ControlApi
{
    private const int MaxFeedNames = 64;
    private const int MaxFeedHeaders = 16;

    [GeneratedRegex("^[A-Za-z0-9_:-]{1,64}$")]
    private static partial Regex FeedToken();

    private static async Task StreamEventsAsync(HttpContext http, ISwitchControl sw, string? names, string? headers)
    {
        var wanted = Tokens(names);
        var fields = Tokens(headers);
        if (wanted.Length is 0 or > MaxFeedNames || fields.Length > MaxFeedHeaders || !wanted.Concat(fields).All(FeedToken().IsMatch))
        {
            await Bad($"names: 1-{MaxFeedNames} event names, headers: up to {MaxFeedHeaders} header names, comma-separated (letters, digits, _ : -)")
                .ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        var wantedNames = new HashSet<string>(wanted, StringComparer.Ordinal);
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        void OnEvent(SimEvent e)
        {
            if (wantedNames.Contains(e.Name))
            {
                lines.Writer.TryWrite(Line(e, fields));
            }
        }

        // Only the named events need building for this feed (ISelectiveEventSource).
        IDisposable? selective = null;
        if (sw is ISelectiveEventSource source)
        {
            selective = source.Listen((name, _) => wantedNames.Contains(name), OnEvent);
        }
        else
        {
            sw.EventFired += OnEvent;
        }
        try
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.StartAsync(http.RequestAborted).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            var reader = lines.Reader;
            while (await reader.WaitToReadAsync(http.RequestAborted).ConfigureAwait(false))
            {
                while (reader.TryRead(out var line))
                {
                    await http.Response.WriteAsync(line, http.RequestAborted).ConfigureAwait(false);
                }

                await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            if (selective is not null)
            {
                selective.Dispose();
            }
            else
            {
                sw.EventFired -= OnEvent;
            }
        }
    }

    private static string[] Tokens(string? list) =>
        string.IsNullOrEmpty(list) ? [] : list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Line(SimEvent e, string[] fields)
    {
        var line = new StringBuilder(64 + (fields.Length * 40));
        line.Append(e.Name).Append('\t').Append(Field(e.UniqueId));
        foreach (var name in fields)
        {
            line.Append('\t').Append(Field(e.Get(name)));
        }

        return line.Append('\n').ToString();
    }

    private static string Field(string? value) => string.IsNullOrEmpty(value) ? "" : Uri.EscapeDataString(value);
}
