/** A box in model-input pixels with its best class, before suppression. */
export interface Candidate {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classId: number;
}

export function iou(a: Candidate, b: Candidate): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Class-wise non-maximum suppression: within each class, the best-scoring box wins and every box of the same
 * class overlapping it by more than `iouThreshold` is dropped; boxes of different classes never suppress each
 * other (a person and the backpack they carry both stay). Result sorted by score, best first, at most `limit`.
 */
export function nmsPerClass(candidates: readonly Candidate[], iouThreshold: number, limit = Infinity): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const keptByClass = new Map<number, Candidate[]>();
  const kept: Candidate[] = [];
  for (const candidate of sorted) {
    if (kept.length >= limit) break;
    let same = keptByClass.get(candidate.classId);
    if (!same) keptByClass.set(candidate.classId, (same = []));
    if (same.some((k) => iou(k, candidate) > iouThreshold)) continue;
    same.push(candidate);
    kept.push(candidate);
  }
  return kept;
}
