import type { Logger } from '../logging/index.js';
import type { CameraEntry } from './camera-entry.js';
import type { CameraRegistry } from './camera-registry.js';

/** What analyses cameras (the ingest pipeline): started with a camera's stream, stopped by id. */
export interface CameraConsumer {
  start(camera: CameraEntry): Promise<void>;
  stop(cameraId: string): Promise<void>;
}

export interface CameraFollower {
  /** Cameras the consumer runs now. */
  running(): string[];
  /** Stops following (no more start/stop calls once the ones in progress end); the consumer keeps what it runs. */
  close(): Promise<void>;
}

/**
 * Keeps a consumer in step with the registry: every online camera started (those online already, at once), a
 * camera whose stream changed restarted, an offline one stopped. Calls for one camera never overlap (a chain per
 * camera), so a quick offline/online cannot start it twice. A consumer that fails is logged and tried again at the
 * camera's next transition; it never breaks the registry or the other cameras.
 */
export function followCameras(registry: CameraRegistry, consumer: CameraConsumer, logger: Logger): CameraFollower {
  const chains = new Map<string, Promise<void>>();
  const running = new Set<string>();
  let closed = false;

  const enqueue = (id: string, work: () => Promise<void>) => {
    const next = (chains.get(id) ?? Promise.resolve())
      .then(() => (closed ? undefined : work()))
      .catch((error: unknown) => logger.error({ err: error, camera: id }, 'starting or stopping the analysis of a camera failed'));
    chains.set(id, next);
    void next.finally(() => {
      if (chains.get(id) === next) chains.delete(id);
    });
  };

  const start = (camera: CameraEntry) =>
    enqueue(camera.id, async () => {
      if (running.has(camera.id)) {
        running.delete(camera.id);
        await consumer.stop(camera.id);
      }
      await consumer.start(camera);
      running.add(camera.id);
      logger.info({ camera: camera.id, stream: camera.stream?.uri }, 'camera analysis started');
    });
  const stop = (camera: CameraEntry) =>
    enqueue(camera.id, async () => {
      if (!running.has(camera.id)) return;
      running.delete(camera.id);
      await consumer.stop(camera.id);
      logger.info({ camera: camera.id, reason: camera.reason }, 'camera analysis stopped');
    });

  registry.on('online', start);
  registry.on('offline', stop);
  for (const camera of registry.online()) start(camera);

  return {
    running: () => [...running].sort(),
    async close() {
      closed = true;
      registry.off('online', start);
      registry.off('offline', stop);
      await Promise.allSettled([...chains.values()]);
    },
  };
}
