/**
 * Raw-byte sessions for the operator-command specs: several connections to
 * one server, commands sent by index, and everything each connection received
 * (replies, pushes, MONITOR lines) taken as text once the server is quiet.
 * The same script run on rivulet and on redis-server gives byte streams to
 * compare (differential), RESP3 pushes included.
 */
import net from 'node:net';
import { encodeCommand, sleep } from '../../helpers.js';

/** How long call() waits for a reply that may never come. */
const NO_REPLY_MS = 400;

export class Session {
  private readonly socks: net.Socket[] = [];
  private readonly bufs: string[] = [];
  /** Bytes received per connection since it opened. */
  private readonly received: number[] = [];
  private lastData = Date.now();

  static async open(port: number, n: number): Promise<Session> {
    const s = new Session();
    for (let i = 0; i < n; i++) {
      const sock = await new Promise<net.Socket>((resolve, reject) => {
        const c = net.connect(port, '127.0.0.1', () => resolve(c));
        c.once('error', reject);
      });
      sock.on('error', () => {});
      const idx = i;
      s.bufs.push('');
      s.received.push(0);
      sock.on('data', (d) => {
        s.bufs[idx] += d.toString('latin1');
        s.received[idx] += d.length;
        s.lastData = Date.now();
      });
      s.socks.push(sock);
    }
    return s;
  }

  send(i: number, ...args: (string | number | Buffer)[]): void {
    this.socks[i].write(encodeCommand(args));
  }

  /** Waits until nothing arrived for `quietMs` (at most `maxMs`). */
  async settle(quietMs = 80, maxMs = 3000): Promise<void> {
    const start = Date.now();
    await sleep(quietMs);
    while (Date.now() - this.lastData < quietMs && Date.now() - start < maxMs) await sleep(20);
  }

  /** What connection i received since the last take. */
  take(i: number): string {
    const s = this.bufs[i];
    this.bufs[i] = '';
    return s;
  }

  /**
   * Sends and returns what came back once quiet: waits for the connection's
   * first reply byte (up to `NO_REPLY_MS` for commands that answer nothing,
   * such as those under CLIENT REPLY OFF or held by CLIENT PAUSE), then for
   * every connection to be quiet. A slow server under load therefore cannot
   * push a reply into the next step.
   */
  async call(i: number, ...args: (string | number | Buffer)[]): Promise<string> {
    await this.step(i, ...args);
    return this.take(i);
  }

  /** call() without taking: what arrives stays in the connections' buffers. */
  async step(i: number, ...args: (string | number | Buffer)[]): Promise<void> {
    const before = this.received[i];
    this.send(i, ...args);
    const start = Date.now();
    while (this.received[i] === before && Date.now() - start < NO_REPLY_MS) await sleep(5);
    await this.settle();
  }

  /** Closes one connection (the others stay). */
  closeOne(i: number): void {
    this.socks[i].destroy();
  }

  close(): void {
    for (const s of this.socks) s.destroy();
  }
}

/** A RESP integer reply's value. */
export function intOf(reply: string): number {
  const m = /^:(-?\d+)\r\n$/.exec(reply);
  if (!m) throw new Error(`not an integer reply: ${JSON.stringify(reply)}`);
  return Number(m[1]);
}
