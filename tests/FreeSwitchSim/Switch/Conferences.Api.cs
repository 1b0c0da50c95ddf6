using System.Globalization;
using System.Text;

namespace FreeSwitchSim.Switch;

internal sealed partial class Conferences
{
    /// <summary>The <c>conference</c> API: <c>&lt;name&gt; list|json_list|mute|unmute|kick|hup &lt;id|all&gt;</c>.</summary>
    public string Api(string args)
    {
        var parts = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return "-ERR Conference not specified\n";
        }
        if (!_rooms.TryGetValue(parts[0], out var room))
        {
            return $"-ERR Conference {parts[0]} not found\n";
        }
        var target = parts.Length > 2 ? parts[2] : null;
        switch (parts[1])
        {
            case "list":
                return List(room);
            case "json_list":
                return JsonList(room);
            case "mute":
                return ForMembers(room, target, "mute", m => SetSpeak(room, m, false, CallSites.ConferenceMute, "mute-member"));
            case "unmute":
                return ForMembers(room, target, "unmute", m => SetSpeak(room, m, true, new CallSite("conference_api.c", "conference_api_sub_unmute", 425), "unmute-member"));
            case "kick":
                return ForMembers(room, target, "kick", m => Remove(room, m, new CallSite("conference_api.c", "conference_api_sub_kick", 744), "kick-member"));
            case "hup":
                return ForMembers(room, target, "hup", m => Remove(room, m, CallSites.ConferenceHup, "hup-member"));
            default:
                return "-ERR Unsupported command\n";
        }
    }

    private string ForMembers(Room room, string? target, string verb, Action<Member> act)
    {
        // conference_api_member_cmd_all walks the member list newest first.
        var members = target == "all" ? room.Members.AsEnumerable().Reverse().ToArray()
            : room.Members.Where(m => m.Id.ToString(CultureInfo.InvariantCulture) == target || m.Leg.Uuid == target).ToArray();
        if (members.Length == 0)
        {
            return "Non-Existent ID " + (target ?? "") + "\n";
        }
        var sb = new StringBuilder();
        foreach (var m in members)
        {
            act(m);
            sb.Append(CultureInfo.InvariantCulture, $"+OK {verb} {m.Id}\n");
        }
        // Members told to leave go once the command is done (their threads leave after the api returns).
        foreach (var (r, m) in _leaving.ToArray())
        {
            // The member leaves the conference (del-member) before its channel hangs up.
            Leave(r, m);
            _engine.Hangup(m.Leg, "NORMAL_CLEARING", remote: false);
        }
        _leaving.Clear();
        return sb.ToString();
    }

    private void SetSpeak(Room room, Member m, bool speak, CallSite site, string action)
    {
        m.Speak = speak;
        Fire(room, site, action, m);
    }

    private void Remove(Room room, Member m, CallSite site, string action)
    {
        Fire(room, site, action, m);
        _leaving.Add((room, m));
    }

    private static string List(Room room)
    {
        var sb = new StringBuilder();
        foreach (var m in room.Members.AsEnumerable().Reverse())
        {
            var flags = "hear" + (m.Speak ? "|speak" : "") + (room.Floor == m ? "|floor" : "");
            sb.Append(CultureInfo.InvariantCulture,
                $"{m.Id};{m.Leg.Name};{m.Leg.Uuid};{m.Leg.Profile.CallerIdName};{m.Leg.Profile.CallerIdNumber};{flags};0;0;100\n");
        }
        return sb.ToString();
    }

    private string JsonList(Room room)
    {
        var now = _engine.NowUs();
        var members = room.Members.AsEnumerable().Reverse().Select(m => (object)new List<KeyValuePair<string, object?>>
        {
            new("type", "caller"), new("id", m.Id),
            new("flags", new List<KeyValuePair<string, object?>>
            {
                new("can_hear", true), new("can_see", true), new("can_speak", m.Speak), new("hold", false),
                new("mute_detect", false), new("talking", false), new("has_video", false), new("video_bridge", false),
                new("has_floor", room.Floor == m), new("is_moderator", false), new("end_conference", false),
                new("mandatory_member_end_conference", false), new("pass_digits", false),
            }),
            new("uuid", m.Leg.Uuid), new("caller_id_name", m.Leg.Profile.CallerIdName),
            new("caller_id_number", m.Leg.Profile.CallerIdNumber), new("join_time", (now - m.JoinedUs) / 1_000_000),
            new("last_talking", 0), new("energy", 100), new("volume_in", 0), new("volume_out", 0),
            new("output-volume", 0), new("input-volume", 0),
        }).ToList();
        var conf = new List<KeyValuePair<string, object?>>
        {
            new("conference_name", room.Name), new("member_count", room.Members.Count), new("ghost_count", 0),
            new("rate", 8000), new("run_time", (now - room.StartedUs) / 1_000_000), new("conference_uuid", room.Uuid),
            new("canvas_count", 0), new("max_bw_in", 0), new("force_bw_in", 0), new("video_floor_packets", 0),
            new("locked", false), new("destruct", false), new("wait_mod", false), new("audio_always", false),
            new("running", true), new("answered", true), new("enforce_min", true), new("bridge_to", false),
            new("dynamic", true), new("exit_sound", true), new("enter_sound", true), new("recording", false),
            new("video_bridge", false), new("video_floor_only", false), new("video_rfc4579", false),
            new("variables", new List<KeyValuePair<string, object?>>()), new("members", members),
        };
        return CJson.Print(new List<object> { conf });
    }
}
