import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { SHARED_DIR } from '../paths.js';

export const MILESTONE_VALIDATE = join(SHARED_DIR, 'schemas', 'milestone', 'validate');

export interface MilestoneDocument {
  xml: string;
  valid: boolean;
  /** xmllint's complaint when invalid. */
  errors: string;
  message: string | undefined;
  contentType: string | undefined;
  /** Turned into an event: valid, and its name was defined when it arrived. */
  raised: boolean;
}

/** Validates one document with ../shared/schemas/milestone/validate (xmllint against Milestone's AnalyticsEvent.xsd). */
export function validateAnalyticsEvent(xml: string): Promise<{ valid: boolean; errors: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(MILESTONE_VALIDATE, ['-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ valid: code === 0, errors: errors.trim() }));
    child.stdin.end(xml);
  });
}

/**
 * A stand-in for the XProtect Event Server's Analytics Events port. Like the real one it validates every document
 * against the XSD (400 with the reason when invalid), refuses addresses not allowed (403 when `allowed` is false),
 * and answers 200 "Warning: Event message not known" for an event name no Analytics Event has in the Management
 * Client (the `defined` set).
 */
export class MilestoneEventServer {
  readonly documents: MilestoneDocument[] = [];
  readonly defined: Set<string>;
  allowed = true;
  connections = 0;
  private server: Server | undefined;
  port = 0;

  constructor(definedEventNames: Iterable<string>) {
    this.defined = new Set(definedEventNames);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Documents valid against the XSD whose event name was known: what XProtect turned into events. */
  raised(): MilestoneDocument[] {
    return this.documents.filter((d) => d.raised);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.answer(Buffer.concat(chunks).toString('utf8'), req.headers['content-type'], req.method, req.url).then(([status, body]) => {
          res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
        });
      });
    });
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async answer(xml: string, contentType: string | undefined, method: string | undefined, path: string | undefined): Promise<[number, string]> {
    if (!this.allowed) return [403, 'Forbidden'];
    if (method !== 'POST' || path !== '/') return [404, 'Not found'];
    const { valid, errors } = await validateAnalyticsEvent(xml);
    const message = /<EventHeader>[\s\S]*?<Message>([^<]*)<\/Message>/.exec(xml)?.[1]?.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
    const known = message !== undefined && this.defined.has(message);
    this.documents.push({ xml, valid, errors, message, contentType, raised: valid && known });
    if (!valid) return [400, `Error: ${errors.split('\n')[0]}`];
    if (!known) return [200, 'Warning: Event message not known'];
    return [200, 'OK'];
  }
}
