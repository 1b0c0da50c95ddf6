using System.Globalization;
using System.Text.RegularExpressions;

namespace CallControl.Esl.Tests.Captures;

/// <summary>One channel as the captures README describes it: its events in order and how it hung up.</summary>
internal sealed record ReadmeChannel(
    string ChannelName,
    string UniqueId,
    IReadOnlyList<string> Events,
    string HangupCause,
    string SipTermStatus,
    string Billsec,
    string Disposition);

/// <summary>A BACKGROUND_JOB line: the job, the start of its command, the start of its result.</summary>
internal sealed record ReadmeJob(string JobUuid, string CommandPrefix, string BodyPrefix);

/// <summary>What the captures README says about one scenario (written by the people who recorded the captures).</summary>
internal sealed record ReadmeScenario(
    string Name,
    long Bytes,
    int Frames,
    IReadOnlyDictionary<string, int> FramesByContentType,
    IReadOnlyList<string> Replies,
    IReadOnlyList<ReadmeChannel> Channels,
    IReadOnlyList<ReadmeJob> Jobs,
    IReadOnlyDictionary<string, int> EventsWithoutChannel);

/// <summary>Parses <c>esl-captures/README.md</c>, so the tests check every scenario against the recorders' own account.</summary>
internal static partial class CaptureReadme
{
    private static readonly Lazy<IReadOnlyDictionary<string, ReadmeScenario>> Parsed = new(Parse);

    public static IReadOnlyDictionary<string, ReadmeScenario> Scenarios => Parsed.Value;

    private static Dictionary<string, ReadmeScenario> Parse()
    {
        var text = File.ReadAllText(Path.Combine(CaptureFiles.Directory, "README.md"));
        var result = new Dictionary<string, ReadmeScenario>(StringComparer.Ordinal);
        foreach (var section in text.Split("\n### ").Skip(1))
        {
            var lines = section.Split('\n');
            var name = lines[0].Trim();
            long bytes = -1;
            var frames = -1;
            var byType = new Dictionary<string, int>(StringComparer.Ordinal);
            var replies = new List<string>();
            var channels = new List<ReadmeChannel>();
            var jobs = new List<ReadmeJob>();
            var noChannel = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var line in lines.Skip(1))
            {
                if (FramesLine().Match(line) is { Success: true } f)
                {
                    bytes = long.Parse(f.Groups["bytes"].Value, CultureInfo.InvariantCulture);
                    frames = int.Parse(f.Groups["frames"].Value, CultureInfo.InvariantCulture);
                    Counts(f.Groups["types"].Value, byType);
                }
                else if (line.StartsWith("Replies in order: `", StringComparison.Ordinal))
                {
                    var list = line["Replies in order: `".Length..].TrimEnd();
                    replies.AddRange(list[..^1].Split("`; `"));
                }
                else if (ChannelLine().Match(line) is { Success: true } c)
                {
                    channels.Add(new ReadmeChannel(
                        c.Groups["name"].Value,
                        c.Groups["id"].Value,
                        c.Groups["events"].Value.Split(" → "),
                        c.Groups["cause"].Value,
                        c.Groups["sip"].Value,
                        c.Groups["billsec"].Value,
                        c.Groups["disp"].Value));
                }
                else if (JobLine().Match(line) is { Success: true } j)
                {
                    jobs.Add(new ReadmeJob(j.Groups["id"].Value, j.Groups["cmd"].Value, j.Groups["body"].Value));
                }
                else if (line.StartsWith("Events without a channel: ", StringComparison.Ordinal))
                {
                    Counts(line["Events without a channel: ".Length..].TrimEnd().TrimEnd('.'), noChannel);
                }
            }

            result[name] = new ReadmeScenario(name, bytes, frames, byType, replies, channels, jobs, noChannel);
        }

        return result;
    }

    private static void Counts(string list, Dictionary<string, int> into)
    {
        foreach (var item in list.Split(", "))
        {
            var times = item.LastIndexOf(" ×", StringComparison.Ordinal);
            into[item[..times]] = int.Parse(item[(times + 2)..], CultureInfo.InvariantCulture);
        }
    }

    [GeneratedRegex(@"^Bytes: (?<bytes>\d+)\. Frames: (?<frames>\d+) — (?<types>.*)\.\s*$")]
    private static partial Regex FramesLine();

    [GeneratedRegex(@"^Channel \d+ \(`(?<name>[^`]*)`, Unique-ID `(?<id>[^`]+)`\): (?<events>.*?)\. Hangup: `(?<cause>[^`]*)`, sip_term_status `(?<sip>[^`]*)`, billsec `(?<billsec>[^`]*)`, disposition `(?<disp>[^`]*)`\.\s*$")]
    private static partial Regex ChannelLine();

    [GeneratedRegex(@"^BACKGROUND_JOB `(?<id>[^`]+)` `(?<cmd>[^`]*)` → `(?<body>[^`]*)`\s*$")]
    private static partial Regex JobLine();
}
