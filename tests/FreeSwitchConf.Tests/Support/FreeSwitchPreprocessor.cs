using System.Text;

namespace FreeSwitchConf.Tests.Support;

/// <summary>One <c>$${name}</c> in a file: where, and whether a global variable of that name existed then.</summary>
public sealed record VariableUse(string Name, string File, int Line, bool Defined);

/// <summary>The preprocessed document and what happened on the way.</summary>
public sealed record PreprocessResult(
    string Text,
    IReadOnlyDictionary<string, string> Globals,
    IReadOnlyList<VariableUse> Uses,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Problems);

/// <summary>
/// FreeSWITCH's configuration preprocessor, written from its behaviour in <c>switch_xml.c</c> (1.10.12,
/// <c>preprocess()</c>, <c>expand_vars()</c>, <c>preprocess_env_set()</c>, <c>preprocess_glob()</c>), so the tests see
/// the document FreeSWITCH would parse:
/// <list type="bullet">
/// <item>files are read line by line; on every line (comments included) each <c>$${name}</c> is replaced by the
/// global variable's value, or by nothing when there is none;</item>
/// <item>a line containing <c>&lt;include&gt;</c>, <c>&lt;/include&gt;</c> or <c>&lt;?</c> is dropped whole;</item>
/// <item>a line mentioning X-PRE-PROCESS runs it when the word follows <c>&lt;</c>, and is dropped either way;</item>
/// <item><c>set</c> stores <c>name=value</c> (spaces around <c>=</c> trimmed); <c>env-set</c> stores
/// <c>name=$ENV</c> only when that environment variable exists; <c>include</c> globs relative to the including
/// file's folder, in sorted order, and a pattern matching nothing is no error.</item>
/// </list>
/// Commands that run programs at start (<c>exec</c>, <c>exec-set</c>, <c>stun-set</c>) and the <c>&lt;!--#</c> form are
/// reported as problems: this configuration must not need them.
/// </summary>
public sealed class FreeSwitchPreprocessor
{
    private const int MaxDepth = 100;
    private readonly Dictionary<string, string> _globals;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly List<VariableUse> _uses = [];
    private readonly List<string> _files = [];
    private readonly List<string> _problems = [];
    private readonly StringBuilder _output = new();

    private FreeSwitchPreprocessor(IReadOnlyDictionary<string, string> coreVariables, IReadOnlyDictionary<string, string> environment)
    {
        _globals = new Dictionary<string, string>(coreVariables, StringComparer.Ordinal);
        _environment = environment;
    }

    /// <summary>Preprocesses <paramref name="rootFile"/> with the core's variables and a process environment.</summary>
    public static PreprocessResult Run(
        string rootFile, IReadOnlyDictionary<string, string> coreVariables, IReadOnlyDictionary<string, string> environment)
    {
        var p = new FreeSwitchPreprocessor(coreVariables, environment);
        p.Process(Path.GetFullPath(rootFile), 0);
        return new PreprocessResult(p._output.ToString(), p._globals, p._uses, p._files, p._problems);
    }

    private void Process(string file, int depth)
    {
        if (depth > MaxDepth)
        {
            _problems.Add($"{file}: includes nest deeper than {MaxDepth}");
            return;
        }

        _files.Add(file);
        var cwd = Path.GetDirectoryName(file)!;
        var lineNumber = 0;
        foreach (var raw in ReadLines(file))
        {
            lineNumber++;
            var line = Expand(raw, file, lineNumber);
            if (line.Contains("<include>", StringComparison.Ordinal) || line.Contains("</include>", StringComparison.Ordinal) ||
                line.Contains("<?", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.Contains("<!--#", StringComparison.Ordinal))
            {
                _problems.Add($"{file}:{lineNumber}: the <!--# preprocessor form is not used by this configuration");
                continue;
            }

            var at = line.IndexOf("X-pre-process", StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                if (at > 0 && line[at - 1] == '<')
                {
                    Command(line[at..], cwd, file, lineNumber, depth);
                }

                // FreeSWITCH drops the whole line in both cases (a mention in a comment included).
                continue;
            }

            _output.Append(line);
        }
    }

    private void Command(string tag, string cwd, string file, int lineNumber, int depth)
    {
        var command = QuotedAfter(tag, "cmd", out var rest);
        var data = command is null ? null : QuotedAfter(rest, "data", out _);
        if (command is null || data is null)
        {
            _problems.Add($"{file}:{lineNumber}: a preprocessor line without cmd and data");
            return;
        }

        switch (command.ToUpperInvariant())
        {
            case "SET":
                Set(data);
                break;
            case "ENV-SET":
                EnvSet(data);
                break;
            case "INCLUDE":
                foreach (var match in Glob(cwd, data))
                {
                    Process(match, depth + 1);
                }

                break;
            default:
                _problems.Add($"{file}:{lineNumber}: preprocessor command '{command}' runs a program at start; not allowed here");
                break;
        }
    }

    // set name = value: FreeSWITCH trims spaces before '=' and after it; without '=' it sets nothing.
    private void Set(string data)
    {
        var eq = data.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            return;
        }

        _globals[data[..eq].TrimEnd(' ')] = data[(eq + 1)..].TrimStart(' ');
    }

    // env-set name=$VARIABLE: only a value starting with '$' is looked up, and only an existing one is stored.
    private void EnvSet(string data)
    {
        var eq = data.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0 || eq + 1 >= data.Length || data[eq + 1] != '$')
        {
            return;
        }

        if (_environment.TryGetValue(data[(eq + 2)..], out var value))
        {
            _globals[data[..eq]] = value;
        }
    }

    private string Expand(string line, string file, int lineNumber)
    {
        if (!line.Contains("$${", StringComparison.Ordinal))
        {
            return line;
        }

        var sb = new StringBuilder(line.Length);
        var i = 0;
        while (i < line.Length)
        {
            if (i + 2 < line.Length && line[i] == '$' && line[i + 1] == '$' && line[i + 2] == '{')
            {
                var end = EndBrace(line, i + 2);
                if (end > 0)
                {
                    var name = line[(i + 3)..end];
                    var defined = _globals.TryGetValue(name, out var value);
                    _uses.Add(new VariableUse(name, file, lineNumber, defined));
                    sb.Append(value);
                    i = end + 1;
                    continue;
                }

                _problems.Add($"{file}:{lineNumber}: unterminated variable");
            }

            sb.Append(line[i]);
            i++;
        }

        return sb.ToString();
    }

    // The matching '}' for the '{' at open, counting nested braces (switch_find_end_paren); -1 when unterminated.
    private static int EndBrace(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            if (s[i] == '{')
            {
                depth++;
            }
            else if (s[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    // FreeSWITCH's attribute scan: the word, then '=', then a '"', then everything up to the next '"'.
    private static string? QuotedAfter(string s, string word, out string rest)
    {
        rest = "";
        var at = s.IndexOf(word, StringComparison.OrdinalIgnoreCase);
        var eq = at < 0 ? -1 : s.IndexOf('=', at);
        var open = eq < 0 ? -1 : s.IndexOf('"', eq);
        if (open < 0)
        {
            return null;
        }

        var close = s.IndexOf('"', open + 1);
        if (close < 0)
        {
            rest = "";
            return s[(open + 1)..];
        }

        rest = s[(close + 1)..];
        return s[(open + 1)..close];
    }

    // glob(3) over one folder: wildcards only in the file name; results sorted as glob sorts them.
    private static string[] Glob(string cwd, string pattern)
    {
        var full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(cwd, pattern);
        var dir = Path.GetFullPath(Path.GetDirectoryName(full)!);
        var name = Path.GetFileName(full);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        return Directory.GetFiles(dir, name, SearchOption.TopDirectoryOnly)
            .Where(f => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(name, Path.GetFileName(f), ignoreCase: false))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    // Lines with their line ends, as switch_fp_read_dline returns them.
    private static IEnumerable<string> ReadLines(string file)
    {
        var text = File.ReadAllText(file, Encoding.UTF8);
        var start = 0;
        while (start < text.Length)
        {
            var nl = text.IndexOf('\n', start);
            var end = nl < 0 ? text.Length : nl + 1;
            yield return text[start..end];
            start = end;
        }
    }
}
