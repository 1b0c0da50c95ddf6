using System.Xml.Linq;
using FreeSwitchConf.Tests.Support;

namespace FreeSwitchConf.Tests;

public sealed class ConfigurationParsesTests
{
    public static TheoryData<string> XmlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in ConfTree.XmlFiles())
        {
            data.Add(Path.GetRelativePath(ConfTree.Folder, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(XmlFiles))]
    public void Every_file_is_well_formed_xml_on_its_own(string relative)
    {
        var document = XDocument.Load(ConfTree.PathOf(relative));

        Assert.NotNull(document.Root);
    }

    [Fact]
    public void The_preprocessed_document_parses_with_its_three_sections_and_no_preprocessor_problem()
    {
        var result = ConfTree.Preprocess();
        var document = XDocument.Parse(result.Text);

        Assert.Empty(result.Problems);
        Assert.Equal("document", document.Root!.Name.LocalName);
        Assert.Equal("freeswitch/xml", (string?)document.Root.Attribute("type"));
        Assert.Equal(
            ["configuration", "dialplan", "directory"],
            document.Root.Elements("section").Select(s => (string)s.Attribute("name")!).ToArray());
        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName.StartsWith("X-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_file_is_read_by_freeswitch_once_and_only_the_example_is_left_out()
    {
        var read = ConfTree.Preprocess().Files.Select(Path.GetFullPath).ToArray();
        var onDisk = ConfTree.XmlFiles().Where(f => Path.GetFileName(f) != "vars.local.xml").Select(Path.GetFullPath);

        Assert.Equal(read.Length, read.Distinct().Count());
        Assert.Equal(onDisk.Order(StringComparer.Ordinal), read.Where(f => Path.GetFileName(f) != "vars.local.xml").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_autoload_file_holds_the_configuration_it_is_named_after_and_no_name_repeats()
    {
        var document = ConfTree.Document();
        var names = document.Root!.Elements("section").Single(s => (string?)s.Attribute("name") == "configuration")
            .Elements("configuration").Select(c => (string)c.Attribute("name")!).ToArray();
        var files = Directory.GetFiles(ConfTree.PathOf("autoload_configs"), "*.xml")
            .Select(f => Path.GetFileName(f)[..^".xml".Length]).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(files, names.Order(StringComparer.Ordinal).ToArray());
    }
}
