namespace Inferd.Monitoring.Fairness;

/// <summary>Group fairness over a set of predictions.</summary>
/// <param name="Groups">Per group, ordered by name (ordinal).</param>
/// <param name="ReferenceGroup">The group the disparate impact ratio divides by: the configured privileged group when present, else the group of highest positive rate; null without groups.</param>
/// <param name="DemographicParityDifference">Highest minus lowest positive rate; null with fewer than two groups.</param>
/// <param name="DisparateImpactRatio">Lowest ratio of a group's positive rate to the reference group's; null with fewer than two groups or a reference rate of 0.</param>
/// <param name="EqualOpportunityDifference">Highest minus lowest true positive rate over groups with actual positives; null with fewer than two such groups.</param>
internal sealed record FairnessReport(
    IReadOnlyList<FairnessGroup> Groups,
    string? ReferenceGroup,
    double? DemographicParityDifference,
    double? DisparateImpactRatio,
    double? EqualOpportunityDifference)
{
    /// <summary>Rows counted.</summary>
    public int Rows => Groups.Sum(g => g.Rows);

    /// <summary>Rows with feedback.</summary>
    public int RowsWithTruth => Groups.Sum(g => g.WithTruth);
}
