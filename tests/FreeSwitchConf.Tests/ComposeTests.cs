using System.Reflection;
using System.Xml.Linq;
using CallControl.Auth;
using CallControl.Recording;
using CallControl.Rooms;
using CallControl.Switch;
using FreeSwitchConf.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace FreeSwitchConf.Tests;

public sealed class ComposeTests
{
    private static readonly string ComposePath = ConfTree.PathOf("compose.yaml");
    private static readonly ComposeFile Compose = new(ComposePath);
    private static readonly IReadOnlyDictionary<string, string> Service = Compose.Environment("callcontrol");
    private static readonly IReadOnlyDictionary<string, string> FreeSwitch = Compose.Environment("freeswitch");

    private static readonly string[] Secrets =
        ["POSTGRES_PASSWORD", "AUTH_SIGNING_KEY", "FS_ESL_PASSWORD", "CALLCONTROL_CALLBACK_SECRET", "TURN_SECRET", "CARRIER_PASSWORD"];

    private static string VariableOf(string value) => ComposeFile.Variables(value).Single().Name;

    // Sample values for every interpolated variable, as an operator's .env would give them.
    private static readonly Dictionary<string, string> Sample = ComposeFile.AllVariables(File.ReadAllText(ComposePath))
        .Select(v => v.Name).Distinct()
        .ToDictionary(n => n, n => n switch
        {
            "VERTO_URL" => "wss://fs1.example.net:8082",
            "PUBLIC_HOST" => "fs1.example.net",
            "PUBLIC_IP" => "203.0.113.10",
            _ when n.EndsWith("PORT", StringComparison.Ordinal) => "8082",
            _ => "x" + n.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-0123456789abcdef0123456789abcdef",
        }, StringComparer.Ordinal);

    [Fact]
    public void The_file_is_yaml_with_freeswitch_postgresql_coturn_and_the_service()
    {
        Assert.Equal(["callcontrol", "coturn", "freeswitch", "postgres"], Compose.Services.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("postgres:15", Compose.Scalar("postgres", "image"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_service_setting_is_a_configuration_key_the_service_binds()
    {
        foreach (var key in Service.Keys.Where(k => !k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)))
        {
            var path = key.Split("__");
            var bound = path[0] switch
            {
                "ConnectionStrings" => path is [_, "CallControl"],
                FreeSwitchOptions.Section => Resolves(typeof(FreeSwitchOptions), path.AsSpan(1)) || Resolves(typeof(FreeSwitchCallbackOptions), path.AsSpan(1)),
                AuthOptions.SectionName => Resolves(typeof(AuthOptions), path.AsSpan(1)),
                IceServersOptions.SectionName => Resolves(typeof(IceServersOptions), path.AsSpan(1)),
                RecordingOptions.SectionName => Resolves(typeof(RecordingOptions), path.AsSpan(1)),
                _ => false,
            };
            Assert.True(bound, $"{key} is not a setting the service reads");
        }
    }

    [Fact]
    public void The_services_settings_bind_and_validate()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Service.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)ComposeFile.Interpolate(kv.Value, Sample)))
            .Build();
        var nodes = new FreeSwitchOptions();
        configuration.GetSection(FreeSwitchOptions.Section).Bind(nodes);
        var ice = configuration.GetSection(IceServersOptions.SectionName).Get<IceServersOptions>()!;

        Assert.Empty(nodes.Problems());
        Assert.Equal("fs1", Assert.Single(nodes.Nodes).Name);
        Assert.Equal(2, ice.TurnUrls!.Length);
        Assert.Equal(Sample["TURN_SECRET"], ice.TurnSecret);
        Assert.True(configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()!.SigningKey.Length >= AuthOptions.MinimumKeyBytes);
    }

    [Fact]
    public void The_shared_secrets_are_one_variable_on_both_sides()
    {
        Assert.Equal(VariableOf(FreeSwitch["FS_ESL_PASSWORD"]), VariableOf(Service["FreeSwitch__Nodes__0__Password"]));
        Assert.Equal(VariableOf(FreeSwitch["CALLCONTROL_CALLBACK_SECRET"]), VariableOf(Service["FreeSwitch__CallbackSecret"]));
        Assert.Equal(VariableOf(FreeSwitch["CALLCONTROL_CALLBACK_USER"]), VariableOf(Service["FreeSwitch__CallbackUser"]));
        var turn = Compose.List("coturn", "command").Single(c => c.StartsWith("--static-auth-secret=", StringComparison.Ordinal));
        Assert.Equal(VariableOf(turn), VariableOf(Service["IceServers__TurnSecret"]));
        Assert.Contains("--use-auth-secret", Compose.List("coturn", "command"));
        Assert.Contains(
            ComposeFile.Variables(Service["ConnectionStrings__CallControl"]),
            v => v.Name == VariableOf(Compose.Environment("postgres")["POSTGRES_PASSWORD"]));
    }

    [Fact]
    public void Addresses_and_ports_line_up_between_freeswitch_and_the_service()
    {
        string Ip(string service) => Compose.Scalar(service, "networks", "callcontrol", "ipv4_address");
        var serviceUrl = new Uri(Service["ASPNETCORE_URLS"]);

        Assert.Equal(Ip("freeswitch"), Service["FreeSwitch__Nodes__0__Host"]);
        Assert.Equal(FreeSwitch["FS_ESL_PORT"], Service["FreeSwitch__Nodes__0__Port"]);
        Assert.Equal(Ip("callcontrol") + "/32", FreeSwitch["FS_ESL_SERVICE_NETWORK"]);
        Assert.Equal($"http://{Ip("callcontrol")}:{serviceUrl.Port}", FreeSwitch["CALLCONTROL_URL"]);
        Assert.Contains(Compose.List("callcontrol", "ports"), p => p.EndsWith(":" + serviceUrl.Port, StringComparison.Ordinal));
        Assert.Contains("Host=" + Ip("postgres") + ";", Service["ConnectionStrings__CallControl"], StringComparison.Ordinal);
        var verto = new Uri(ComposeFile.Interpolate(Service["FreeSwitch__Nodes__0__VertoUrl"], Sample));
        Assert.Equal("wss", verto.Scheme);
    }

    [Fact]
    public void The_service_reads_recordings_where_freeswitch_writes_them()
    {
        var folder = Service["Recording__Folder"];
        string? VolumeAt(string service, string path) => Compose.List(service, "volumes")
            .Select(v => v.Split(':')).SingleOrDefault(p => p[1] == path)?[0];

        Assert.Equal(FreeSwitch["FS_RECORDINGS_DIR"], folder);
        Assert.NotNull(VolumeAt("callcontrol", folder));
        Assert.Equal(VolumeAt("freeswitch", folder), VolumeAt("callcontrol", folder));
    }

    [Fact]
    public void The_published_rtp_range_is_the_range_freeswitch_is_told_to_use()
    {
        // The same expressions (variable and default) on both sides of the mapping and in FreeSWITCH's environment.
        var range = FreeSwitch["FS_RTP_START_PORT"] + "-" + FreeSwitch["FS_RTP_END_PORT"];

        Assert.Contains(range + ":" + range + "/udp", Compose.List("freeswitch", "ports"));
        Assert.All(ComposeFile.Variables(range), v => Assert.StartsWith("FS_RTP_", v.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_freeswitch_variable_is_one_vars_xml_reads_from_the_environment()
    {
        var envNames = XDocument.Load(ConfTree.PathOf("vars.xml")).Root!.Elements("X-PRE-PROCESS")
            .Where(e => (string?)e.Attribute("cmd") == "env-set")
            .Select(e => ((string)e.Attribute("data")!).Split("=$")[1]).ToHashSet(StringComparer.Ordinal);

        Assert.All(FreeSwitch.Keys, k => Assert.Contains(k, envNames));
    }

    [Fact]
    public void Freeswitch_gets_every_configuration_file_it_reads()
    {
        var mounts = Compose.List("freeswitch", "volumes").Select(v => v.Split(':')).Where(p => p[0].StartsWith("./", StringComparison.Ordinal)).ToArray();
        string[] read = ["freeswitch.xml", "vars.xml", "autoload_configs", "dialplan", "directory", "sip_profiles"];

        Assert.Equal(read.Order(StringComparer.Ordinal), mounts.Select(m => m[0][2..]).Order(StringComparer.Ordinal));
        Assert.All(mounts, m => Assert.Equal("/etc/freeswitch/" + m[0][2..], m[1]));
        Assert.All(mounts, m => Assert.True(Path.Exists(ConfTree.PathOf(m[0][2..])), m[0]));
    }

    [Fact]
    public void Secrets_have_no_defaults_and_every_variable_is_in_the_env_example()
    {
        var all = ComposeFile.AllVariables(File.ReadAllText(ComposePath));
        var example = File.ReadAllLines(ConfTree.PathOf(".env.example"))
            .Select(l => l.TrimStart('#', ' ')).Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=')[0]).ToHashSet(StringComparer.Ordinal);

        Assert.All(all.Where(v => Secrets.Contains(v.Name)), v => Assert.Equal(":?", v.Operator));
        Assert.All(Secrets, s => Assert.Contains(all, v => v.Name == s));
        Assert.All(all, v => Assert.Contains(v.Name, example));
    }

    [Fact]
    public void The_service_image_builds_the_service_project_in_two_stages()
    {
        var dockerfile = Compose.Scalar("callcontrol", "build", "dockerfile");
        var context = Path.GetFullPath(Path.Combine(ConfTree.Folder, Compose.Scalar("callcontrol", "build", "context")));
        var lines = File.ReadAllLines(Path.Combine(context, dockerfile));

        Assert.Equal(ConfTree.RepoRoot.TrimEnd('/'), context.TrimEnd('/'));
        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        var publish = lines.Single(l => l.Contains("dotnet publish", StringComparison.Ordinal)).Split(' ').Single(w => w.EndsWith(".csproj", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(context, publish)), publish);
        foreach (var copy in lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)))
        {
            var sources = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            Assert.All(sources, s => Assert.True(Path.Exists(Path.Combine(context, s)), s));
        }
    }

    // A configuration path (Nodes, 0, Password) names a property chain the binder can fill.
    private static bool Resolves(Type type, ReadOnlySpan<string> path)
    {
        if (path.IsEmpty)
        {
            return true;
        }

        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null)
        {
            return false;
        }

        var next = property.PropertyType;
        var element = next.IsArray ? next.GetElementType()
            : next.IsGenericType && next.GetGenericArguments() is [var t] && typeof(System.Collections.IEnumerable).IsAssignableFrom(next) && next != typeof(string) ? t
            : null;
        if (element is null)
        {
            return Resolves(next, path[1..]);
        }

        return path.Length > 1 && int.TryParse(path[1], out _) && Resolves(element, path[2..]);
    }
}
