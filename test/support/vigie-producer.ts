/**
 * A Vigie process for delivery tests: the real composition root (startVigie) with a configuration file, fed by a
 * synthetic event producer standing in for the rules stage. It prints one JSON line per event once
 * `events.publish()` has resolved (the acknowledgement), so a test knows what Vigie promised to deliver before it
 * was killed. Per-camera sequence numbers resume from the database after a restart.
 *   node --import tsx test/support/vigie-producer.ts CONFIG CAMERAS INTERVAL_MS
 */
import { startVigie } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logging/index.js';
import type { SqliteStore } from '../../src/store/index.js';
import { makeEvent } from './events.js';

const [configFile, cameraCount = '3', intervalMs = '100'] = process.argv.slice(2);
const { config, file } = await loadConfig({ file: configFile });
const vigie = await startVigie({ config, logger: createLogger({ level: 'warn' }), configFile: file });
const rows = (vigie.store as SqliteStore).database.prepare('SELECT camera_id AS camera, MAX(sequence) AS sequence FROM events GROUP BY camera_id').all() as { camera: string; sequence: number }[];
const sequences = new Map(rows.map((r) => [r.camera, r.sequence]));
const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
write({ ready: true, port: vigie.http.port, resumed: Object.fromEntries(sequences) });

let n = 0;
let producing = true;
const timer = setInterval(() => {
  if (!producing) return;
  const cameraId = `cam-${(n++ % Number(cameraCount)) + 1}`;
  const sequence = (sequences.get(cameraId) ?? 0) + 1;
  sequences.set(cameraId, sequence);
  const event = makeEvent({ cameraId, cameraName: cameraId, sequence });
  vigie.events.publish(event).then(
    () => write({ published: event.id, cameraId, sequence }),
    (error: unknown) => write({ error: String(error) }),
  );
}, Number(intervalMs));

process.stdin.setEncoding('utf8').on('data', (command: string) => {
  if (command.includes('pause')) {
    producing = false;
    write({ paused: n });
  }
});
process.on('SIGTERM', () => {
  clearInterval(timer);
  void vigie.stop().then(() => process.exit(0));
});
