/**
 * A box in normalised frame coordinates: x from 0 (left) to 1 (right), y from 0 (top) to 1 (bottom).
 * Independent of the stream's resolution and of the model's input size.
 */
export interface NormalizedBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** One object found by a detector in one frame. No identity, no biometric attribute: a class and a box. */
export interface Detection {
  /** Class name from the model's class list, e.g. `person`, `backpack`. */
  label: string;
  /** Class index in the model's class list. */
  classId: number;
  /** Detector confidence, 0..1. */
  score: number;
  box: NormalizedBox;
}
