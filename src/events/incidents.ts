import type { EventState } from '../sdk/index.js';
import type { Observation } from '../rules/index.js';
import { uuidv7 } from './uuid.js';

/** One message an incident produces on a frame. */
export interface IncidentTransition {
  state: EventState;
  incidentId: string;
  key: string;
  observation: Observation;
}

export interface IncidentTiming {
  debounceSeconds: number;
  cooldownSeconds: number;
}

interface KeyState {
  phase: 'pending' | 'open' | 'cooldown';
  since: number;
  lastTrue: number;
  incidentId: string;
  last: Observation;
  signature: string;
}

function signature(o: Observation): string {
  return `${o.objects.map((t) => t.trackId).sort((a, b) => a - b).join(',')}|${JSON.stringify(o.counts)}`;
}

/**
 * Turns a rule's observations, frame after frame, into incidents: a condition must hold `debounceSeconds` before
 * an incident starts, and be gone as long before it ends; an update is sent when its objects or counts change;
 * after an end, the same key raises nothing for `cooldownSeconds`. Pulses (line crossings) start and end on the
 * frame they happen. Times are the frames' capture times, so replays and live streams behave alike.
 */
export class IncidentTracker {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly timing: IncidentTiming) {}

  step(time: number, observations: readonly Observation[]): IncidentTransition[] {
    const debounce = this.timing.debounceSeconds * 1000;
    const out: IncidentTransition[] = [];
    const present = new Set<string>();
    for (const o of observations) {
      present.add(o.key);
      let s = this.keys.get(o.key);
      if (s?.phase === 'cooldown') {
        if (time < s.since) continue;
        this.keys.delete(o.key);
        s = undefined;
      }
      if (o.pulse) {
        if (s) continue;
        const incidentId = uuidv7(time);
        out.push({ state: 'start', incidentId, key: o.key, observation: o }, { state: 'end', incidentId, key: o.key, observation: o });
        this.keys.set(o.key, { phase: 'cooldown', since: time + this.timing.cooldownSeconds * 1000, lastTrue: time, incidentId, last: o, signature: '' });
        continue;
      }
      if (!s) {
        s = { phase: 'pending', since: time, lastTrue: time, incidentId: '', last: o, signature: signature(o) };
        this.keys.set(o.key, s);
      }
      s.lastTrue = time;
      s.last = o;
      if (s.phase === 'pending' && time - s.since >= debounce) {
        s.phase = 'open';
        s.incidentId = uuidv7(time);
        s.signature = signature(o);
        out.push({ state: 'start', incidentId: s.incidentId, key: o.key, observation: o });
      } else if (s.phase === 'open') {
        const sig = signature(o);
        if (sig !== s.signature) {
          s.signature = sig;
          out.push({ state: 'update', incidentId: s.incidentId, key: o.key, observation: o });
        }
      }
    }
    for (const [key, s] of this.keys) {
      if (present.has(key)) continue;
      if (s.phase === 'pending') this.keys.delete(key);
      else if (s.phase === 'open' && time - s.lastTrue >= debounce) {
        out.push({ state: 'end', incidentId: s.incidentId, key, observation: s.last });
        this.keys.set(key, { ...s, phase: 'cooldown', since: time + this.timing.cooldownSeconds * 1000 });
      } else if (s.phase === 'cooldown' && time >= s.since) this.keys.delete(key);
    }
    return out;
  }

  /** Ends every open incident (the rule is removed or the camera stops). */
  closeAll(): IncidentTransition[] {
    const out: IncidentTransition[] = [];
    for (const [key, s] of this.keys) if (s.phase === 'open') out.push({ state: 'end', incidentId: s.incidentId, key, observation: s.last });
    this.keys.clear();
    return out;
  }
}
