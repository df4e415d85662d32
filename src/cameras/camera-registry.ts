import { EventEmitter } from 'node:events';
import type { CameraEntry } from './camera-entry.js';

export interface CameraRegistryEvents {
  /** A camera can be analysed now: it became online, or its stream changed while online. Start (or restart) ingest. */
  online: [camera: CameraEntry];
  /** A camera stopped being analysable (Bye, failed health check, refused credentials). Stop its ingest. */
  offline: [camera: CameraEntry];
  /** Any change of a camera (state, name, device details), including the two above. */
  changed: [camera: CameraEntry];
}

function sameStream(a: CameraEntry | undefined, b: CameraEntry): boolean {
  return a?.stream?.url === b.stream?.url && a?.stream?.profileToken === b.stream?.profileToken;
}

/**
 * The cameras Vigie knows and their state: the one place the composition root learns which cameras to analyse.
 * Configured RTSP cameras are online from the start; ONVIF cameras (configured or discovered) become online once
 * onboarded to a stream, and go offline on Bye, failed health checks or refused credentials. Listeners get
 * `online` / `offline` transitions (and `changed` for everything); a listener that throws does not stop the others.
 */
export class CameraRegistry extends EventEmitter<CameraRegistryEvents> {
  private readonly cameras = new Map<string, CameraEntry>();

  constructor(private readonly onListenerError: (error: unknown, camera: CameraEntry) => void = () => undefined) {
    super();
  }

  list(): CameraEntry[] {
    return [...this.cameras.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): CameraEntry | undefined {
    return this.cameras.get(id);
  }

  /** Cameras with a stream to analyse now. */
  online(): CameraEntry[] {
    return this.list().filter((c) => c.state === 'online' && c.stream);
  }

  counts(): Record<CameraEntry['state'], number> {
    const out = { pending: 0, online: 0, offline: 0, unauthorized: 0, failed: 0 };
    for (const c of this.cameras.values()) out[c.state] += 1;
    return out;
  }

  /** Adds or replaces a camera, emitting the transitions this causes. */
  set(camera: CameraEntry): void {
    const before = this.cameras.get(camera.id);
    this.cameras.set(camera.id, camera);
    const wasOnline = before?.state === 'online' && before.stream !== undefined;
    const isOnline = camera.state === 'online' && camera.stream !== undefined;
    if (isOnline && (!wasOnline || !sameStream(before, camera))) this.fire('online', camera);
    if (wasOnline && !isOnline) this.fire('offline', camera);
    this.fire('changed', camera);
  }

  /** Removes a camera (offline first if it was online). */
  delete(id: string): void {
    const before = this.cameras.get(id);
    if (!before) return;
    this.cameras.delete(id);
    if (before.state === 'online' && before.stream) this.fire('offline', { ...before, state: 'offline', reason: 'removed' });
  }

  private fire(event: keyof CameraRegistryEvents, camera: CameraEntry): void {
    for (const listener of this.listeners(event)) {
      try {
        (listener)(camera);
      } catch (error) {
        this.onListenerError(error, camera);
      }
    }
  }
}
