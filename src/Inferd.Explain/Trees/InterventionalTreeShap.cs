namespace Inferd.Explain.Trees;

/// <summary>
/// Exact interventional Tree SHAP of one row x against one reference row b: the Shapley values of
/// v(S) = f(x on S, b elsewhere), which averaged over the background equal exact Kernel SHAP with the same background.
/// <para>
/// A leaf is reached by the hybrid row iff at every split on its path the branch taken is the one the split's source
/// (x when the split's player is in S, b otherwise) takes. Per player on the path, x either goes that way at all of the
/// player's splits or not, and so does b. Players where neither does make the leaf unreachable (the walk prunes them);
/// players where both do impose nothing; A = players where only x does (must be in S) and B = players where only b does
/// (must be out of S). The leaf's game g(S) = 1[A ⊆ S, B ∩ S = ∅] has Shapley values w·(|A|−1)!·|B|!/(|A|+|B|)! for
/// i ∈ A and −w·|A|!·(|B|−1)!/(|A|+|B|)! for i ∈ B. The walk follows a child only while the leaf below can still be
/// reached, so it costs O(reachable leaves × depth) per tree and reference row.
/// </para>
/// </summary>
internal sealed class InterventionalTreeShap
{
    private readonly TreeEnsemble _trees;
    private readonly int _output;
    private readonly int[] _playerOf;
    private readonly bool[] _xOk;
    private readonly bool[] _bOk;
    private readonly int[] _mark;
    private readonly int[] _path;
    private readonly double[,] _weightA;
    private readonly double[,] _weightB;
    private int _stamp;
    private int _inA;
    private int _inB;

    /// <param name="trees">The ensemble.</param>
    /// <param name="output">The explained score.</param>
    /// <param name="playerOfColumn">Per input column, its player (0 .. <paramref name="players"/> − 1).</param>
    /// <param name="players">Player count.</param>
    public InterventionalTreeShap(TreeEnsemble trees, int output, int[] playerOfColumn, int players)
    {
        _trees = trees;
        _output = output;
        _playerOf = playerOfColumn;
        _xOk = new bool[players];
        _bOk = new bool[players];
        _mark = new int[players];
        _path = new int[trees.MaxDepth + 1];
        (_weightA, _weightB) = Weights(Math.Min(trees.MaxDepth, players));
    }

    /// <summary>Adds the Shapley values of x against b, times <paramref name="factor"/>, to <paramref name="phi"/> (one entry per player).</summary>
    public void Add(double[] x, double[] b, double factor, double[] phi)
    {
        Array.Fill(_xOk, true);
        Array.Fill(_bOk, true);
        _inA = 0;
        _inB = 0;
        foreach (var root in _trees.Roots)
        {
            Walk(root, 0, x, b, factor * _trees.Scale, phi);
        }
    }

    private void Walk(int node, int depth, double[] x, double[] b, double factor, double[] phi)
    {
        if (_trees.IsLeaf(node))
        {
            Leaf(node, depth, factor, phi);
            return;
        }

        var column = _trees.Feature(node);
        var p = _playerOf[column];
        var xTrue = _trees.GoesTrue(node, x[column]);
        var bTrue = _trees.GoesTrue(node, b[column]);
        var (xOk, bOk) = (_xOk[p], _bOk[p]);
        for (var branch = 0; branch < 2; branch++)
        {
            var toTrue = branch == 0;
            var nx = xOk && xTrue == toTrue;
            var nb = bOk && bTrue == toTrue;
            if (!nx && !nb)
            {
                continue;
            }

            Count(xOk, bOk, -1);
            Count(nx, nb, +1);
            (_xOk[p], _bOk[p]) = (nx, nb);
            _path[depth] = p;
            Walk(toTrue ? _trees.TrueChild(node) : _trees.FalseChild(node), depth + 1, x, b, factor, phi);
            (_xOk[p], _bOk[p]) = (xOk, bOk);
            Count(nx, nb, -1);
            Count(xOk, bOk, +1);
        }
    }

    private void Leaf(int node, int depth, double factor, double[] phi)
    {
        var w = _trees.LeafValue(node, _output) * factor;
        if (w == 0 || _inA + _inB == 0)
        {
            // g(S) is constant: the leaf adds the same to every coalition and nothing to any player.
            return;
        }

        var toA = w * _weightA[_inA, _inB];
        var toB = w * _weightB[_inA, _inB];
        _stamp++;
        for (var i = 0; i < depth; i++)
        {
            var p = _path[i];
            if (_mark[p] == _stamp)
            {
                continue;
            }

            _mark[p] = _stamp;
            if (_xOk[p] && !_bOk[p])
            {
                phi[p] += toA;
            }
            else if (_bOk[p] && !_xOk[p])
            {
                phi[p] -= toB;
            }
        }
    }

    /// <summary>Keeps |A| and |B| as a player's flags change.</summary>
    private void Count(bool xOk, bool bOk, int delta)
    {
        if (xOk && !bOk)
        {
            _inA += delta;
        }
        else if (bOk && !xOk)
        {
            _inB += delta;
        }
    }

    /// <summary>(a−1)!·b!/(a+b)! and a!·(b−1)!/(a+b)! for a + b ≤ <paramref name="most"/> (distinct players on a path), as 1/(a·C(a+b, a)) and 1/(b·C(a+b, b)).</summary>
    private static (double[,] A, double[,] B) Weights(int most)
    {
        var n = most + 1;
        var a = new double[n, n];
        var b = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var choose = Choose(i + j, i);
                a[i, j] = i > 0 ? 1 / (i * choose) : 0;
                b[i, j] = j > 0 ? 1 / (j * choose) : 0;
            }
        }

        return (a, b);
    }

    private static double Choose(int n, int k)
    {
        var result = 1.0;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
