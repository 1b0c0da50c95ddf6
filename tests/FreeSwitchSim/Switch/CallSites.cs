namespace FreeSwitchSim.Switch;

/// <summary>Where in FreeSWITCH 1.10.12 each event is fired from, as the captures show it.</summary>
internal static class CallSites
{
    public static readonly CallSite State = new("switch_channel.c", "switch_channel_perform_set_running_state", 2408);
    public static readonly CallSite CallState = new("switch_channel.c", "switch_channel_perform_set_callstate", 301);
    public static readonly CallSite Create = new("switch_core_state_machine.c", "switch_core_session_run", 626);
    public static readonly CallSite Originate = new("switch_core_state_machine.c", "switch_core_session_run", 632);
    public static readonly CallSite Outgoing = new("switch_core_session.c", "switch_core_session_outgoing_channel", 768);
    public static readonly CallSite Execute = new("switch_core_session.c", "switch_core_session_exec", 2944);
    public static readonly CallSite ExecuteComplete = new("switch_core_session.c", "switch_core_session_exec", 2967);
    public static readonly CallSite UuidBridgeExecuteA = new("switch_ivr_bridge.c", "uuid_bridge_on_soft_execute", 1236);
    public static readonly CallSite UuidBridgeExecuteB = new("switch_ivr_bridge.c", "uuid_bridge_on_soft_execute", 1243);
    public static readonly CallSite Park = new("switch_ivr.c", "switch_ivr_park", 1002);
    public static readonly CallSite Unpark = new("switch_ivr.c", "switch_ivr_park", 1213);
    public static readonly CallSite Answer = new("switch_channel.c", "switch_channel_perform_mark_answered", 3846);
    public static readonly CallSite Progress = new("switch_channel.c", "switch_channel_perform_mark_ring_ready_value", 3505);
    public static readonly CallSite ProgressMedia = new("switch_channel.c", "switch_channel_perform_mark_pre_answered", 3560);
    public static readonly CallSite Hangup = new("switch_channel.c", "switch_channel_perform_hangup", 3445);
    public static readonly CallSite HangupComplete = new("switch_core_state_machine.c", "switch_core_session_reporting_state", 943);
    public static readonly CallSite Destroy = new("switch_core_session.c", "switch_core_session_perform_destroy", 1584);
    public static readonly CallSite Bridge = new("switch_ivr_bridge.c", "switch_ivr_multi_threaded_bridge", 1689);
    public static readonly CallSite Unbridge = new("switch_ivr_bridge.c", "switch_ivr_multi_threaded_bridge", 1879);
    public static readonly CallSite CallUpdateSofia = new("mod_sofia.c", "sofia_receive_message", 2100);
    public static readonly CallSite CallUpdateFlip = new("switch_channel.c", "switch_channel_flip_cid", 3277);
    public static readonly CallSite CodecReadReal = new("switch_core_codec.c", "switch_core_session_set_real_read_codec", 168);
    public static readonly CallSite CodecWrite = new("switch_core_codec.c", "switch_core_session_set_write_codec", 450);
    public static readonly CallSite Dtmf = new("switch_channel.c", "switch_channel_dequeue_dtmf", 677);
    public static readonly CallSite RecordStart = new("switch_ivr_async.c", "record_callback", 1481);
    public static readonly CallSite RecordStop = new("switch_ivr_async.c", "send_record_stop_event", 1240);
    public static readonly CallSite MediaBugStart = new("switch_core_media_bug.c", "switch_core_media_bug_add", 1014);
    public static readonly CallSite MediaBugStop = new("switch_core_media_bug.c", "switch_core_media_bug_destroy", 84);
    public static readonly CallSite PresenceIn = new("switch_channel.c", "switch_channel_perform_presence", 805);
    public static readonly CallSite Api = new("switch_loadable_module.c", "switch_api_execute", 2954);
    public static readonly CallSite Heartbeat = new("switch_core.c", "send_heartbeat", 95);
    public static readonly CallSite ReSchedule = new("switch_scheduler.c", "switch_scheduler_execute", 73);
    public static readonly CallSite VertoConnect = new("mod_verto.c", "start_jsock", 4730);
    public static readonly CallSite VertoLogin = new("mod_verto.c", "login_fire_custom_event", 937);
    public static readonly CallSite VertoDisconnect = new("mod_verto.c", "client_thread", 2187);
    public static readonly CallSite ConferenceNew = new("mod_conference.c", "conference_new", 3848);
    public static readonly CallSite ConferenceMemberAdd = new("conference_member.c", "conference_member_add", 962);
    public static readonly CallSite ConferenceMemberDel = new("conference_member.c", "conference_member_del", 1355);
    public static readonly CallSite ConferenceFloor = new("conference_member.c", "conference_member_set_floor_holder", 1158);
    public static readonly CallSite ConferenceMute = new("conference_api.c", "conference_api_sub_mute", 339);
    public static readonly CallSite ConferenceHup = new("conference_api.c", "conference_api_sub_hup", 871);
}
