/**
 * Minimum-cost assignment of rows to columns (Hungarian algorithm with potentials, O(n^2 m)), for the tracker's
 * track-to-detection matching. Pairs whose cost exceeds `maxCost` are never matched.
 */
export function assign(cost: readonly (readonly number[])[], maxCost: number): Array<[row: number, col: number]> {
  const rows = cost.length;
  const cols = rows > 0 ? cost[0]!.length : 0;
  if (rows === 0 || cols === 0) return [];
  // Square matrix padded with "unmatched" cells that cost maxCost: a pair above maxCost is never better than
  // leaving both unmatched.
  const n = Math.max(rows, cols);
  const big = maxCost + 1e-6;
  const at = (i: number, j: number) => (i < rows && j < cols ? Math.min(cost[i]![j]!, big) : big);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const pairs: Array<[number, number]> = [];
  for (let j = 1; j <= n; j++) {
    const i = p[j]! - 1;
    const c = j - 1;
    if (i >= 0 && i < rows && c < cols && cost[i]![c]! <= maxCost) pairs.push([i, c]);
  }
  return pairs;
}
