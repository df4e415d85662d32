import type { FrameResult } from './frame-job.js';

/** Carries results from workers back to the process that owns the camera (named by its node id). */
export interface ResultBus {
  publish(owner: string, result: FrameResult): Promise<void>;
  /** Delivers every result sent to `owner` until the returned function is called. */
  subscribe(owner: string, listener: (result: FrameResult) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Embedded: a direct call in this process. */
export class MemoryResultBus implements ResultBus {
  private readonly listeners = new Map<string, (result: FrameResult) => void>();

  publish(owner: string, result: FrameResult): Promise<void> {
    this.listeners.get(owner)?.(result);
    return Promise.resolve();
  }

  subscribe(owner: string, listener: (result: FrameResult) => void): Promise<() => Promise<void>> {
    this.listeners.set(owner, listener);
    return Promise.resolve(() => {
      this.listeners.delete(owner);
      return Promise.resolve();
    });
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
