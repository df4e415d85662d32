import type { Command } from 'commander';
import { WorkerNeedsRedisError } from '../../errors/index.js';
import { openDetector } from '../../inference/index.js';
import { createMetricsRegistry } from '../../metrics/index.js';
import { startInferenceWorker } from '../../pipeline/index.js';
import { redisTransport, workerName } from '../../queue/index.js';
import { startHttpServer, type HttpServerHandle } from '../../server/index.js';
import { commandContext } from '../context.js';
import { untilSignal } from '../until-signal.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run an inference worker: takes frames from the Redis frame queue (REDIS_URL) and sends detections back to the `vigie run` that owns each camera; start any number, on any machine')
    .option('-c, --config <file>', 'configuration file, for the inference, models and queue sections (default: VIGIE_CONFIG, then ./vigie.yaml, else defaults)')
    .option('--metrics-port <port>', 'serve /health and /metrics on this port (0 = a free port); default: none', (v) => Number.parseInt(v, 10))
    .option('--host <address>', 'address for --metrics-port', '127.0.0.1')
    .action(async (options: { config?: string; metricsPort?: number; host: string }) => {
      const { config, logger } = await commandContext(options.config);
      if (!config.queue.redisUrl) throw new WorkerNeedsRedisError();
      const metrics = createMetricsRegistry();
      const transport = await redisTransport(config.queue, logger.child({ component: 'queue' }), 'vigie worker');
      let detector;
      try {
        detector = await openDetector({ inference: config.inference, models: config.models, logger: logger.child({ component: 'inference' }), metrics, defaultScoreAtMost: config.tracking.lowScore });
      } catch (error) {
        await transport.close();
        throw error;
      }
      const name = workerName();
      const worker = startInferenceWorker({ transport, detector, logger: logger.child({ component: 'inference-worker' }), metrics, name });
      let http: HttpServerHandle | undefined;
      if (options.metricsPort !== undefined) {
        http = await startHttpServer({ host: options.host, port: options.metricsPort, logger: logger.child({ component: 'http' }), metrics, health: () => ({ role: 'worker', worker: worker.stats(), redis: transport.up() ? 'up' : 'down' }) });
      }
      // Listen for Ctrl-C before saying we run: a signal sent as soon as the line appears must stop us cleanly.
      const stopSignal = untilSignal();
      process.stderr.write(
        `inference worker ${name} running: model ${detector.model.id}, ${detector.workerCount} thread(s), frames from ${transport.where}${http ? `, /metrics on ${options.host}:${http.port}` : ''}; stop with Ctrl-C\n`,
      );
      const signal = await stopSignal;
      logger.info({ signal, ...worker.stats() }, 'stopping the inference worker');
      await worker.stop();
      await http?.close();
      await detector.close();
      await transport.close();
    });
}
