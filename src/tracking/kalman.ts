/**
 * Constant-velocity Kalman filter of one box, in normalised picture coordinates: state (cx, cy, w, h) and their
 * velocities per second. The motion model moves each coordinate with its own velocity and the detector measures
 * the four coordinates independently, so the 8-dimensional filter of SORT/ByteTrack is exactly four independent
 * 2-state filters (position, velocity) when started with a block-diagonal covariance, as here. Noise scales with
 * the box height, as in ByteTrack, so small (far) objects are not over-smoothed.
 */
export interface BoxState {
  cx: number;
  cy: number;
  w: number;
  h: number;
}

/** Noise standard deviations relative to the box height: process noise per square-root second, measurement per box. */
// Tuned on the synthetic benchmark (bench/tracker.ts): a low velocity noise keeps the prediction of an object
// hidden behind another for a second or two close enough to pick it up again under the same id.
const POSITION_NOISE = 0.02;
const VELOCITY_NOISE = 0.05;
const MEASUREMENT_NOISE = 0.05;
const INITIAL_VELOCITY = 0.5;

interface Axis {
  /** Position and velocity. */
  x: number;
  v: number;
  /** Covariance [[pp, pv], [pv, vv]]. */
  pp: number;
  pv: number;
  vv: number;
}

export class BoxKalman {
  private readonly axes: [Axis, Axis, Axis, Axis];

  constructor(box: BoxState) {
    const h = Math.max(box.h, 1e-3);
    const values = [box.cx, box.cy, box.w, box.h];
    this.axes = values.map((x) => ({
      x,
      v: 0,
      pp: (MEASUREMENT_NOISE * h) ** 2,
      pv: 0,
      vv: (INITIAL_VELOCITY * h) ** 2,
    })) as [Axis, Axis, Axis, Axis];
  }

  get state(): BoxState {
    return { cx: this.axes[0].x, cy: this.axes[1].x, w: Math.max(this.axes[2].x, 1e-4), h: Math.max(this.axes[3].x, 1e-4) };
  }

  /** Velocity of the box centre, normalised units per second. */
  get velocity(): { x: number; y: number } {
    return { x: this.axes[0].v, y: this.axes[1].v };
  }

  /** The state `dt` seconds ahead, without changing the filter. */
  peek(dt: number): BoxState {
    return { cx: this.axes[0].x + this.axes[0].v * dt, cy: this.axes[1].x + this.axes[1].v * dt, w: Math.max(this.axes[2].x + this.axes[2].v * dt, 1e-4), h: Math.max(this.axes[3].x + this.axes[3].v * dt, 1e-4) };
  }

  /** Moves the filter `dt` seconds ahead. */
  predict(dt: number): void {
    if (dt <= 0) return;
    const h = Math.max(this.axes[3].x, 1e-3);
    // process noise grows with the interval (random walk of position and velocity)
    const qp = (POSITION_NOISE * h) ** 2 * dt;
    const qv = (VELOCITY_NOISE * h) ** 2 * dt;
    for (const a of this.axes) {
      a.x += a.v * dt;
      const pp = a.pp + 2 * dt * a.pv + dt * dt * a.vv + qp;
      const pv = a.pv + dt * a.vv;
      a.pp = pp;
      a.pv = pv;
      a.vv += qv;
    }
    // the size must not run away while an object is unseen
    for (const i of [2, 3]) if (this.axes[i]!.x < 1e-3) this.axes[i]!.v = 0;
  }

  /** Corrects the filter with a measured box. */
  update(box: BoxState): void {
    const h = Math.max(box.h, 1e-3);
    const r = (MEASUREMENT_NOISE * h) ** 2;
    const z = [box.cx, box.cy, box.w, box.h];
    this.axes.forEach((a, i) => {
      const s = a.pp + r;
      const kp = a.pp / s;
      const kv = a.pv / s;
      const innovation = z[i]! - a.x;
      a.x += kp * innovation;
      a.v += kv * innovation;
      const pp = (1 - kp) * a.pp;
      const pv = (1 - kp) * a.pv;
      const vv = a.vv - kv * a.pv;
      a.pp = pp;
      a.pv = pv;
      a.vv = vv;
    });
  }
}
