import { createRequire } from 'node:module';

/** The parts of the npm `onvif` (agsh) 0.8.3 client the tests use. */
export interface AgshCam {
  profiles: Array<{ $: { token: string }; name: string; videoEncoderConfiguration?: { resolution?: { width: number; height: number } } }>;
  media2Support: boolean;
  getDeviceInformation(cb: (err: Error | null, info: Record<string, string>) => void): void;
  getStreamUri(options: { protocol?: string; profileToken?: string }, cb: (err: Error | null, stream: { uri: string }) => void): void;
  getSnapshotUri(options: { profileToken?: string }, cb: (err: Error | null, snap: { uri: string }) => void): void;
  getSystemDateAndTime(cb: (err: Error | null, date: Date) => void): void;
  on(event: 'warning', listener: (message: string) => void): void;
}

interface CamConstructor {
  new (options: Record<string, unknown>, callback: (this: AgshCam, err: Error | null) => void): AgshCam;
}

const require = createRequire(import.meta.url);
const { Cam } = require('onvif') as { Cam: CamConstructor };

export interface ConnectOptions {
  url: string;
  username: string;
  password: string;
  /** false forces HTTP Digest (agsh `useWSSecurity`). */
  useWSSecurity?: boolean;
}

/** Connects the npm `onvif` client to a device service URL, as an application would. */
export function connectAgsh(options: ConnectOptions): Promise<AgshCam> {
  const u = new URL(options.url);
  return new Promise((resolve, reject) => {
    const warnings: string[] = [];
    const cam = new Cam(
      { hostname: u.hostname, port: Number(u.port), path: u.pathname, username: options.username, password: options.password, timeout: 15_000, useWSSecurity: options.useWSSecurity ?? true },
      function (err) {
        if (err) reject(err);
        else resolve(Object.assign(this, { warnings }));
      },
    );
    cam.on('warning', (w) => warnings.push(w));
  });
}

/** An agsh callback method as a promise. */
export function agsh<T>(fn: (cb: (err: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}
