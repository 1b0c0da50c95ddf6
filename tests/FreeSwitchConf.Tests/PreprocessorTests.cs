using FreeSwitchConf.Tests.Support;

namespace FreeSwitchConf.Tests;

/// <summary>
/// The preprocessor model against what switch_xml.c does (1.10.12): if the model were wrong, every other test
/// here would check a document FreeSWITCH never sees.
/// </summary>
public sealed class PreprocessorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fsconf-pp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private PreprocessResult Run(string root, Dictionary<string, string>? env = null, Dictionary<string, string>? core = null)
    {
        File.WriteAllText(Path.Combine(_dir, "root.xml"), root);
        return FreeSwitchPreprocessor.Run(Path.Combine(_dir, "root.xml"), core ?? new(), env ?? new());
    }

    [Fact]
    public void Set_trims_spaces_around_the_equals_sign_and_later_lines_see_the_value()
    {
        var r = Run("<X-PRE-PROCESS cmd=\"set\" data=\"a = one two \"/>\n<x v=\"$${a}\"/>\n");

        Assert.Equal("one two ", r.Globals["a"]);
        Assert.Equal("<x v=\"one two \"/>\n", r.Text);
    }

    [Fact]
    public void Env_set_takes_the_environment_value_only_when_the_variable_exists()
    {
        var r = Run(
            "<X-PRE-PROCESS cmd=\"set\" data=\"a=default\"/>\n<X-PRE-PROCESS cmd=\"set\" data=\"b=default\"/>\n" +
            "<X-PRE-PROCESS cmd=\"env-set\" data=\"a=$A_ENV\"/>\n<X-PRE-PROCESS cmd=\"env-set\" data=\"b=$B_ENV\"/>\n",
            env: new() { ["A_ENV"] = "from-env" });

        Assert.Equal("from-env", r.Globals["a"]);
        Assert.Equal("default", r.Globals["b"]);
    }

    [Fact]
    public void An_undefined_variable_expands_to_nothing_and_is_reported_as_such()
    {
        var r = Run("<x v=\"[$${nope}]\"/>\n");

        Assert.Equal("<x v=\"[]\"/>\n", r.Text);
        Assert.Contains(r.Uses, u => u.Name == "nope" && !u.Defined);
    }

    [Fact]
    public void Include_lines_and_xml_declarations_are_dropped_and_includes_glob_in_sorted_order()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "parts"));
        File.WriteAllText(Path.Combine(_dir, "parts", "b.xml"), "<include>\n  <b/>\n</include>\n");
        File.WriteAllText(Path.Combine(_dir, "parts", "a.xml"), "<?xml version=\"1.0\"?>\n<include>\n  <a/>\n</include>\n");
        File.WriteAllText(Path.Combine(_dir, "parts", "c.txt"), "<c/>\n");

        var r = Run("<doc>\n<X-PRE-PROCESS cmd=\"include\" data=\"parts/*.xml\"/>\n<X-PRE-PROCESS cmd=\"include\" data=\"missing.xml\"/>\n</doc>\n");

        Assert.Equal("<doc>\n  <a/>\n  <b/>\n</doc>\n", r.Text);
        Assert.Empty(r.Problems);
    }

    [Fact]
    public void A_line_mentioning_the_directive_is_dropped_even_inside_a_comment_and_a_commented_directive_still_runs()
    {
        var r = Run("<!-- first\n the X-PRE-PROCESS word here -->\n<!-- <X-PRE-PROCESS cmd=\"set\" data=\"a=ran\"/> -->\n<x/>\n");

        Assert.Equal("<!-- first\n<x/>\n", r.Text);
        Assert.Equal("ran", r.Globals["a"]);
    }

    [Fact]
    public void Commands_that_run_programs_are_reported()
    {
        var r = Run("<X-PRE-PROCESS cmd=\"exec-set\" data=\"a=echo hi\"/>\n");

        Assert.Single(r.Problems);
        Assert.False(r.Globals.ContainsKey("a"));
    }
}
