using System.Runtime.CompilerServices;

// The CLI's commands are internal; the ESL tests run `esl decode` in-process through them.
[assembly: InternalsVisibleTo("CallControl.Esl.Tests")]
