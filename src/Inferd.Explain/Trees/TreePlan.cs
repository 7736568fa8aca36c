using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Trees;

/// <summary>
/// How Tree SHAP explains one request: the trees, the explained score and how a row of the model's inputs becomes the
/// trees' input columns, each column owned by one player (a tabular feature of <see cref="ExplanationContext.Layout"/>;
/// the one-hot columns of a category field share its player).
/// </summary>
/// <param name="Ensemble">The trees.</param>
/// <param name="Output">The explained score of the ensemble (target or class index).</param>
/// <param name="PlayerOfColumn">Per input column of the trees, the player that owns it.</param>
/// <param name="Columns">Encodes a row into the trees' input columns.</param>
/// <param name="File">The model file the trees were read from, for messages.</param>
internal sealed record TreePlan(TreeEnsemble Ensemble, int Output, int[] PlayerOfColumn, Func<InputRow, double[]> Columns, string File);
