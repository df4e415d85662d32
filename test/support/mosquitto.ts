import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { connectAsync, type MqttClient, type IPublishPacket } from 'mqtt';
import { closedPort } from '../contract/vms-sink-conformance.js';
import { tempDir } from './temp.js';

/** The Mosquitto every test machine runs (README, .ci/run). */
export const MOSQUITTO = { host: '127.0.0.1', port: 1883 };

export interface ReceivedMessage {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
  userProperties: Record<string, string | string[]>;
}

/** A subscriber on `filter` collecting messages (MQTT 5, so user properties are seen). */
export async function subscriber(t: TestContext, filter: string, port = MOSQUITTO.port): Promise<{ messages: ReceivedMessage[]; client: MqttClient }> {
  const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, clean: true, reconnectPeriod: 0 });
  const messages: ReceivedMessage[] = [];
  client.on('message', (topic, payload, packet: IPublishPacket) => {
    messages.push({ topic, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain, userProperties: (packet.properties?.userProperties ?? {}) });
  });
  await client.subscribeAsync(filter, { qos: 1 });
  t.after(() => client.endAsync());
  return { messages, client };
}

/** A private Mosquitto on an ephemeral port that refuses anonymous clients and knows one user. */
export async function privateMosquitto(t: TestContext, user: { username: string; password: string }): Promise<{ port: number }> {
  const dir = await tempDir(t, 'vigie-mosquitto-');
  const port = await closedPort();
  await writeFile(join(dir, 'passwd'), '');
  await promisify(execFile)('mosquitto_passwd', ['-b', join(dir, 'passwd'), user.username, user.password]);
  await writeFile(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${join(dir, 'passwd')}\npersistence false\nuser ${userInfo().username}\n`);
  // `user`: mosquitto started as root would otherwise switch to the mosquitto user, who cannot read the temp dir
  const child: ChildProcess = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  t.after(() => {
    child.kill('SIGTERM');
  });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return { port };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('private mosquitto did not start');
}
