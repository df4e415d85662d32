import type { VigieConfig } from '../config/index.js';
import type { Frame } from '../frames/index.js';
import { cameraLogger, type Logger } from '../logging/index.js';
import type { Registry } from '../metrics/index.js';
import { newNodeId, openTransport, type FrameResult, type FrameTransport } from '../queue/index.js';
import type { FrameDetections } from '../sdk/index.js';
import { CameraFlow, type CameraFlowStats } from './camera-flow.js';
import { startInferenceWorker, type InferenceWorker, type InferenceWorkerStats } from './inference-worker.js';
import { PipelineMetrics } from './pipeline-metrics.js';
import type { CameraIngestLike, CameraIngestOverrides, FrameDetector, IngestFactory, IngestStatsLike, ModelInputFormat, PipelineSource } from './stages.js';

export type DetectionListener = (detections: FrameDetections, frame: Frame | undefined) => void;

export interface CameraPipelineStats extends CameraFlowStats {
  cameraId: string;
  name: string;
  ingest: IngestStatsLike;
}

export interface PipelineStats {
  mode: 'embedded' | 'redis';
  /** This process's node id (names its result stream). */
  owner: string;
  transport: string;
  cameras: CameraPipelineStats[];
  /** The in-process worker (embedded mode). */
  worker?: InferenceWorkerStats;
}

/** Section 3 of the stage contracts: cameras in, detections out, in the process that owns the cameras. */
export interface Pipeline {
  readonly mode: 'embedded' | 'redis';
  addCamera(source: PipelineSource, overrides?: CameraIngestOverrides): Promise<void>;
  removeCamera(cameraId: string): Promise<void>;
  /**
   * Every frame's detections, with its pixels (kept by the owner while the frame is in flight). The pixel buffer
   * is reused for a later frame once the listeners return: copy what you keep.
   */
  onDetections(listener: DetectionListener): () => void;
  stats(): PipelineStats;
  stop(): Promise<void>;
}

export interface PipelineOptions {
  config: Pick<VigieConfig, 'queue'>;
  logger: Logger;
  metrics?: Registry;
  /** The model input frames are letterboxed to. */
  input: ModelInputFormat;
  createIngest: IngestFactory;
  /** Embedded mode runs inference in this process with this detector (required without REDIS_URL). */
  detector?: FrameDetector;
  /** A transport opened by the caller (tests); default: from config.queue. */
  transport?: FrameTransport;
}

interface Running {
  source: PipelineSource;
  ingest: CameraIngestLike;
  flow: CameraFlow;
}

/**
 * Starts the pipeline of this process. Embedded (no REDIS_URL): frames go through the in-process queue to a
 * detector in this process. Distributed: frames go to Redis (pixels as keys with a TTL, a reference in BullMQ) and
 * `vigie worker` processes anywhere analyse them; results come back on this process's result stream.
 */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { config, logger } = options;
  const transport = options.transport ?? (await openTransport(config.queue, logger.child({ component: 'queue' }), 'pipeline'));
  const owner = newNodeId();
  const metrics = new PipelineMetrics(options.metrics, () => transport.queue.depth());
  const cameras = new Map<string, Running>();
  const flows = new Map<string, CameraFlow>();
  const listeners = new Set<DetectionListener>();
  let counter = 0;
  let worker: InferenceWorker | undefined;

  if (transport.mode === 'embedded') {
    if (!options.detector) {
      await transport.close();
      throw new Error('embedded pipeline without a detector (a bug in the composition root)');
    }
    worker = startInferenceWorker({ transport, detector: options.detector, logger: logger.child({ component: 'inference-worker' }), metrics: options.metrics, name: 'embedded' });
  }

  const emit = (detections: FrameDetections, frame: Frame) => {
    for (const listener of listeners) {
      try {
        listener(detections, frame);
      } catch (error) {
        logger.error({ err: error, camera: detections.cameraId }, 'a detections listener threw');
      }
    }
  };
  const onResult = (result: FrameResult) => flows.get(result.cameraId)?.settle(result);
  const unsubscribe = await transport.results.subscribe(owner, onResult);
  const ttlMs = Math.round(config.queue.frameTtlSeconds * 1000);
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const flow of flows.values()) flow.expire(now);
  }, Math.min(1000, ttlMs / 2));
  sweep.unref();
  logger.info({ mode: transport.mode, transport: transport.where, owner, maxFramesInFlight: config.queue.maxFramesInFlight }, 'analytics pipeline started');

  const removeCamera = async (cameraId: string) => {
    const running = cameras.get(cameraId);
    if (!running) return;
    cameras.delete(cameraId);
    await running.ingest.stop();
    flows.delete(cameraId);
    await running.flow.stop();
  };

  let stopped = false;
  return {
    mode: transport.mode,
    async addCamera(source, overrides) {
      if (stopped) return;
      await removeCamera(source.cameraId);
      const log = cameraLogger(logger, source.cameraId);
      const flow = new CameraFlow({
        cameraId: source.cameraId,
        owner,
        transport,
        maxInFlight: config.queue.maxFramesInFlight,
        ttlMs,
        metrics,
        logger: log,
        nextRef: () => `${owner}-${++counter}`,
        emit,
      });
      const ingest = options.createIngest({ source, overrides, input: options.input, logger: log, metrics: options.metrics, onFrame: (frame) => flow.offer(frame), frameBuffers: (bytes) => flow.frameBuffer(bytes) });
      flows.set(source.cameraId, flow);
      cameras.set(source.cameraId, { source, ingest, flow });
      ingest.start();
    },
    removeCamera,
    onDetections(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({
      mode: transport.mode,
      owner,
      transport: transport.where,
      cameras: [...cameras.values()].map((c) => ({ cameraId: c.source.cameraId, name: c.source.name, ingest: c.ingest.stats(), ...c.flow.snapshot() })),
      ...(worker ? { worker: worker.stats() } : {}),
    }),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(sweep);
      await Promise.allSettled([...cameras.keys()].map((id) => removeCamera(id)));
      await worker?.stop();
      await unsubscribe();
      if (!options.transport) await transport.close();
      listeners.clear();
      logger.info('analytics pipeline stopped');
    },
  };
}
