import { startAnalytics, type AnalyticsHub } from '../analytics/index.js';
import { loadManifests } from '../assets/index.js';
import type { VigieConfig } from '../config/index.js';
import { openEventsFile, type EventsFile } from '../events/index.js';
import type { Logger } from '../logging/index.js';
import type { Frame } from '../frames/index.js';
import type { EventSink, FrameDetections, SnapshotSource } from '../sdk/index.js';
import type { Store } from '../store/index.js';
import { vigieVersion } from './version.js';

/** What feeds the hub: the pipeline's detections of each analysed frame, with its pixels when still available. */
export interface DetectionSource {
  onDetections(listener: (d: FrameDetections, frame: Frame | undefined) => void): () => void;
}

export interface AnalyticsStage {
  hub: AnalyticsHub;
  eventsFile: EventsFile | undefined;
  /** Feeds the hub from a detection source (the pipeline); frames of one camera are processed in order. */
  connect(source: DetectionSource): void;
  describe(): string;
  stop(): Promise<void>;
}

/**
 * A SnapshotSource that reads the hub's evidence store once the hub exists (delivery starts first, the hub
 * publishes into it).
 */
export function lateSnapshots(get: () => AnalyticsHub | undefined): SnapshotSource {
  return { loadSnapshot: (id) => get()?.snapshots?.loadSnapshot(id) ?? Promise.resolve(undefined) };
}

/**
 * Tracking, rules and events: the hub publishing into delivery, evidence in the store, and with `eventsFile`
 * every event also written as a JSON line (a file, or `-` for standard output).
 */
export async function startAnalyticsStage(options: { config: VigieConfig; logger: Logger; store: Store; sink: EventSink; eventsFile?: string }): Promise<AnalyticsStage> {
  const { config, logger } = options;
  const manifests = await loadManifests(config.models.manifestDir);
  const model = manifests.find((m) => m.id === config.inference.model);
  const classes = model && model.kind === 'model' ? model.classes : [];
  const hub = startAnalytics({ config, logger: logger.child({ component: 'analytics' }), store: options.store, sink: options.sink, models: [{ id: config.inference.model, classes }], software: vigieVersion() });
  const eventsFile = options.eventsFile ? openEventsFile(options.eventsFile, logger) : undefined;
  if (eventsFile) hub.onEvent((e) => eventsFile.write(e));
  const ruleCount = config.cameras.reduce((n, c) => n + c.rules.length, 0);
  const log = logger.child({ component: 'analytics' });
  const unsubscribe: Array<() => void> = [];
  return {
    hub,
    eventsFile,
    connect(source) {
      unsubscribe.push(
        source.onDetections((d, frame) => {
          try {
            hub.process(d, frame).catch((error: unknown) => log.error({ err: error, camera: d.cameraId }, 'analytics failed on a frame'));
          } catch (error) {
            log.error({ err: error, camera: d.cameraId }, 'analytics failed on a frame');
          }
        }),
      );
    },
    describe: () =>
      `analytics: tracker and ${ruleCount} rule(s) on ${config.cameras.filter((c) => c.rules.length > 0).length} camera(s), mode ${config.rules.mode}, evidence ${config.rules.evidence.snapshot ? `snapshots kept ${config.rules.evidence.retentionHours} h` : 'off'}${eventsFile ? `, events also to ${eventsFile.target === '-' ? 'standard output' : eventsFile.target} (JSON lines)` : ''}`,
    async stop() {
      for (const u of unsubscribe.splice(0)) u();
      await hub.stop();
      await eventsFile?.close();
    },
  };
}
