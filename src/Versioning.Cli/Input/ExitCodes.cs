namespace Versioning.Cli.Input;

/// <summary>The tool's exit codes (docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>The command succeeded.</summary>
    public const int Ok = 0;

    /// <summary>A domain rule, the access policy or a concurrent change refused the command; nothing was changed.</summary>
    public const int Refused = 1;

    /// <summary>Bad usage: a parse error, a malformed argument, or an identifier that does not exist.</summary>
    public const int Usage = 2;

    /// <summary>Anything else (the store could not be reached, an I/O error, a bug).</summary>
    public const int Failure = 3;
}
