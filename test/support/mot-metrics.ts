/**
 * CLEAR MOT (MOTA, ID switches) and identity (IDF1) metrics of a tracker's output against ground truth, with
 * IoU >= 0.5 as a match, as in the MOTChallenge evaluation.
 */
import { assign, iou } from '../../src/tracking/index.js';
import type { NormalizedBox } from '../../src/sdk/index.js';

export interface Labelled {
  id: number;
  box: NormalizedBox;
}

export interface MotFrame {
  truth: Labelled[];
  hypotheses: Labelled[];
}

export interface MotResult {
  mota: number;
  idf1: number;
  idSwitches: number;
  falseNegatives: number;
  falsePositives: number;
  groundTruth: number;
  /** Distinct ground-truth objects and distinct track ids. */
  truthIds: number;
  trackIds: number;
}

const MIN_IOU = 0.5;

export function evaluateMot(frames: readonly MotFrame[]): MotResult {
  let fn = 0;
  let fp = 0;
  let idsw = 0;
  let gt = 0;
  const lastMatch = new Map<number, number>();
  const pairCounts = new Map<string, number>();
  const truthCount = new Map<number, number>();
  const hypCount = new Map<number, number>();
  for (const f of frames) {
    gt += f.truth.length;
    for (const t of f.truth) truthCount.set(t.id, (truthCount.get(t.id) ?? 0) + 1);
    for (const h of f.hypotheses) hypCount.set(h.id, (hypCount.get(h.id) ?? 0) + 1);
    // identity co-occurrences (IDF1): every pair over the IoU threshold on this frame, one-to-one per frame
    const idCost = f.truth.map((t) => f.hypotheses.map((h) => 1 - iou(t.box, h.box)));
    for (const [ti, hi] of assign(idCost, 1 - MIN_IOU)) {
      const key = `${f.truth[ti]!.id}:${f.hypotheses[hi]!.id}`;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
    }
    // CLEAR MOT: keep last frame's correspondences when still valid, assign the rest
    const pairs = new Map<number, number>(); // truth index -> hypothesis index
    const usedH = new Set<number>();
    f.truth.forEach((t, ti) => {
      const prev = lastMatch.get(t.id);
      if (prev === undefined) return;
      const hi = f.hypotheses.findIndex((h) => h.id === prev);
      if (hi >= 0 && !usedH.has(hi) && iou(t.box, f.hypotheses[hi]!.box) >= MIN_IOU) {
        pairs.set(ti, hi);
        usedH.add(hi);
      }
    });
    const restT = f.truth.map((_, i) => i).filter((i) => !pairs.has(i));
    const restH = f.hypotheses.map((_, i) => i).filter((i) => !usedH.has(i));
    const cost = restT.map((ti) => restH.map((hi) => 1 - iou(f.truth[ti]!.box, f.hypotheses[hi]!.box)));
    for (const [a, b] of assign(cost, 1 - MIN_IOU)) {
      const ti = restT[a]!;
      const hi = restH[b]!;
      const prev = lastMatch.get(f.truth[ti]!.id);
      if (prev !== undefined && prev !== f.hypotheses[hi]!.id) idsw++;
      pairs.set(ti, hi);
      usedH.add(hi);
    }
    for (const [ti, hi] of pairs) lastMatch.set(f.truth[ti]!.id, f.hypotheses[hi]!.id);
    const matchedT = pairs;
    const matchedH = usedH;
    fn += f.truth.length - matchedT.size;
    fp += f.hypotheses.length - matchedH.size;
  }
  // IDF1: one-to-one mapping of truth ids to track ids maximising co-occurrences
  const truthIds = [...truthCount.keys()];
  const hypIds = [...hypCount.keys()];
  const maxPair = Math.max(1, ...pairCounts.values());
  const idCost = truthIds.map((t) => hypIds.map((h) => maxPair - (pairCounts.get(`${t}:${h}`) ?? 0)));
  let idtp = 0;
  for (const [a, b] of assign(idCost, maxPair - 1)) idtp += pairCounts.get(`${truthIds[a]}:${hypIds[b]}`) ?? 0;
  const totalTruth = [...truthCount.values()].reduce((s, v) => s + v, 0);
  const totalHyp = [...hypCount.values()].reduce((s, v) => s + v, 0);
  const idf1 = totalTruth + totalHyp > 0 ? (2 * idtp) / (totalTruth + totalHyp) : 1;
  return {
    mota: gt > 0 ? 1 - (fn + fp + idsw) / gt : 1,
    idf1,
    idSwitches: idsw,
    falseNegatives: fn,
    falsePositives: fp,
    groundTruth: gt,
    truthIds: truthIds.length,
    trackIds: hypIds.length,
  };
}
