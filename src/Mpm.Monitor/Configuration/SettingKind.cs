namespace Mpm.Monitor.Configuration;

/// <summary>The shape a configuration key must have.</summary>
internal enum SettingKind
{
    Section,
    Boolean,
    Integer,
    Text,
    TextList,
}
