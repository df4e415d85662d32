import { createServer, type Server, type Socket } from 'node:net';

/**
 * A stand-in for an XProtect Generic Event data source. `compatible` (port 1234 style): the client sends one
 * string per connection and the server echoes every byte. `international` (port 1235 style): CR LF separated UTF-8
 * records on one connection, each answered `<req#>,<chars>,<matches>,<names>` where matches counts the Generic
 * Events whose expression (here: a substring) the record contains.
 */
export class GenericEventServer {
  readonly received: string[] = [];
  connections = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    readonly format: 'compatible' | 'international',
    /** Generic Event name → substring its expression matches. */
    readonly expressions: Map<string, string> = new Map(),
  ) {}

  get url(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  matched(): string[] {
    return this.received.filter((r) => [...this.expressions.values()].some((e) => r.includes(e)));
  }

  async start(): Promise<this> {
    this.server = createServer((socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      if (this.format === 'compatible') {
        const chunks: Buffer[] = [];
        socket.on('data', (d: Buffer) => {
          chunks.push(d);
          socket.write(d);
        });
        socket.on('end', () => {
          this.received.push(Buffer.concat(chunks).toString('latin1'));
          socket.end();
        });
      } else {
        let pending = '';
        socket.setEncoding('utf8');
        socket.on('data', (d: string) => {
          pending += d;
          let cut: number;
          while ((cut = pending.indexOf('\r\n')) >= 0) {
            const record = pending.slice(0, cut);
            pending = pending.slice(cut + 2);
            this.received.push(record);
            const names = [...this.expressions].filter(([, e]) => record.includes(e)).map(([n]) => n);
            socket.write(`${this.received.length},${record.length},${names.length}${names.length ? `,${names.join(',')}` : ''}\r\n`);
          }
        });
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
