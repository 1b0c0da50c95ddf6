using System.Globalization;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

/// <summary>mod_conference, as far as this product uses it: rooms, members, list / json_list / mute / unmute /
/// kick / hup, and the conference::maintenance events (conference.server.raw).</summary>
internal sealed partial class Conferences
{
    private readonly CallEngine _engine;
    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly List<(Room Room, Member Member)> _leaving = new();

    public Conferences(CallEngine engine)
    {
        _engine = engine;
    }

    private sealed class Room
    {
        public required string Name { get; init; }
        public string Uuid { get; } = Guid.NewGuid().ToString();
        public long StartedUs { get; init; }
        public int NextId { get; set; } = 1;
        public List<Member> Members { get; } = new();
        public Member? Floor { get; set; }
    }

    private sealed class Member
    {
        public required int Id { get; init; }
        public required Channel Leg { get; init; }
        public required RunningApp App { get; init; }
        public long JoinedUs { get; init; }
        public bool Speak { get; set; } = true;
    }

    /// <summary>The conference app: joins (creating the room on first use) and runs until the member leaves.</summary>
    public void Join(Channel c, RunningApp run, string data)
    {
        var name = data.Split('@')[0];
        if (!_rooms.TryGetValue(name, out var room))
        {
            room = new Room { Name = name, StartedUs = _engine.NowUs() };
            _rooms[name] = room;
            Fire(room, CallSites.ConferenceNew, "conference-create", null);
        }
        var m = new Member { Id = room.NextId++, Leg = c, App = run, JoinedUs = _engine.NowUs() };
        room.Members.Add(m);
        Fire(room, CallSites.ConferenceMemberAdd, "add-member", m);
        if (room.Floor is null)
        {
            room.Floor = m;
            FireFloor(room, m);
        }
        c.HangupHooks.Add(_ => Leave(room, m));
    }

    private void Leave(Room room, Member m)
    {
        if (!room.Members.Remove(m))
        {
            return;
        }
        Fire(room, CallSites.ConferenceMemberDel, "del-member", m);
        if (room.Floor == m)
        {
            room.Floor = null;
            FireFloor(room, null);
        }
        if (room.Members.Count == 0)
        {
            _rooms.Remove(room.Name);
            Fire(room, new CallSite("mod_conference.c", "conference_thread_run", 863), "conference-destroy", null);
        }
    }

    private void FireFloor(Room room, Member? m) =>
        _engine.Bus.Fire("CUSTOM", "conference::maintenance", CallSites.ConferenceFloor, e =>
        {
            RoomHeaders(e, room);
            e.Add("Old-ID", "none");
            if (m is not null)
            {
                MemberHeaders(e, room, m);
            }
            e.Add("New-ID", m is null ? "none" : m.Id.ToString(CultureInfo.InvariantCulture));
            e.Add("Action", "floor-change");
        });

    private void Fire(Room room, CallSite site, string action, Member? m) =>
        _engine.Bus.Fire("CUSTOM", "conference::maintenance", site, e =>
        {
            RoomHeaders(e, room);
            if (m is not null)
            {
                MemberHeaders(e, room, m);
            }
            e.Add("Action", action);
        });

    private void RoomHeaders(SimEvent e, Room room) => e
        .Add("Conference-Name", room.Name)
        .Add("Conference-Domain", _engine.Options.VertoDomain)
        .Add("Conference-Size", room.Members.Count.ToString(CultureInfo.InvariantCulture))
        .Add("Conference-Ghosts", "0")
        .Add("Conference-Profile-Name", "default")
        .Add("Conference-Unique-ID", room.Uuid);

    private static void MemberHeaders(SimEvent e, Room room, Member m)
    {
        e.Add("Floor", room.Floor == m ? "true" : "false");
        ChannelEvents.AppendChannelData(e, m.Leg, vars: false);
        e.Add("Video", "false").Add("Hear", "true").Add("See", "true").Add("Speak", m.Speak ? "true" : "false")
            .Add("Talking", "false").Add("Mute-Detect", "false").Add("Hold", "false")
            .Add("Member-ID", m.Id.ToString(CultureInfo.InvariantCulture))
            .Add("Member-Type", "member").Add("Member-Ghost", "false").Add("Energy-Level", "100").Add("Current-Energy", "0");
    }
}
