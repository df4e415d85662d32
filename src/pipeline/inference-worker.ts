import type { Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';
import type { FrameJob, FrameTransport } from '../queue/index.js';
import { WorkerMetrics } from './pipeline-metrics.js';
import type { FrameDetector } from './stages.js';

export interface InferenceWorkerOptions {
  transport: FrameTransport;
  detector: FrameDetector;
  logger: Logger;
  metrics?: Registry;
  /** Names this worker in results ("embedded", or host:pid). */
  name: string;
  /** Jobs taken at once; default: three per detector worker thread: the one it runs, the next already posted to it, and one waiting in the detector, so no thread waits for the hop back through the queue. */
  concurrency?: number;
}

export interface InferenceWorkerStats {
  name: string;
  detected: number;
  expired: number;
  failed: number;
}

export interface InferenceWorker {
  stats(): InferenceWorkerStats;
  stop(): Promise<void>;
}

/**
 * The worker side of the pipeline, the same embedded and in `vigie worker`: takes frame jobs, reads the pixels
 * from the frame store (removing them), runs the detector and sends the result back to the frame's owner. A
 * frame whose pixels are gone (expired, Redis restarted) and a detector failure are reported too, so the owner
 * frees the slot at once.
 */
export function startInferenceWorker(options: InferenceWorkerOptions): InferenceWorker {
  const { transport, detector, logger, name } = options;
  const metrics = new WorkerMetrics(options.metrics);
  const stats: InferenceWorkerStats = { name, detected: 0, expired: 0, failed: 0 };
  const consumer = transport.consumer();

  const handle = async (job: FrameJob): Promise<void> => {
    const base = { ref: job.ref, cameraId: job.cameraId, sequence: job.sequence, worker: name };
    const data = await transport.store.take(job.ref);
    if (!data) {
      stats.expired++;
      await transport.results.publish(job.owner, { ...base, outcome: 'expired' });
      return;
    }
    const started = performance.now();
    try {
      const detections = await detector.detect({ cameraId: job.cameraId, sequence: job.sequence, captureTime: job.captureTime, geometry: job.geometry, data });
      const inferenceMs = performance.now() - started;
      metrics.inference.observe({ outcome: 'detected' }, inferenceMs / 1000);
      stats.detected++;
      await transport.results.publish(job.owner, { ...base, outcome: 'detected', detections, inferenceMs });
    } catch (error) {
      metrics.inference.observe({ outcome: 'failed' }, (performance.now() - started) / 1000);
      stats.failed++;
      logger.error({ err: error, camera: job.cameraId, sequence: job.sequence }, 'the detector failed on a frame');
      await transport.results.publish(job.owner, { ...base, outcome: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const concurrency = options.concurrency ?? Math.max(1, detector.workerCount) * 3;
  consumer.start(handle, concurrency);
  logger.info({ worker: name, transport: transport.where, concurrency, model: detector.model.id }, 'inference worker taking frames');
  return {
    stats: () => ({ ...stats }),
    async stop() {
      await consumer.close();
    },
  };
}
