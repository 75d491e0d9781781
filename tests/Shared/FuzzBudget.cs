namespace Mpm.Monitor.Testing;

/// <summary>
/// Seed and running time of a fuzz test: short in CI, longer locally. MPM_FUZZ_SEED replays a run (the seed
/// is printed by every run); MPM_FUZZ_SECONDS scales each fuzz test's running time. Linked into every test
/// project that fuzzes, so the variables mean the same everywhere.
/// </summary>
internal sealed class FuzzBudget
{
    public const string SeedVariable = "MPM_FUZZ_SEED";
    public const string SecondsVariable = "MPM_FUZZ_SECONDS";

    private readonly DateTime _deadline;

    public FuzzBudget(double defaultSeconds)
    {
        Seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var seed) ? seed : Random.Shared.Next();
        Seconds = double.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : defaultSeconds;
        _deadline = DateTime.UtcNow.AddSeconds(Seconds);
        Random = new Random(Seed);
    }

    public int Seed { get; }

    public double Seconds { get; }

    public Random Random { get; }

    public bool Running => DateTime.UtcNow < _deadline;

    public string Replay => $"replay with {SeedVariable}={Seed} {SecondsVariable}={Seconds}";
}
