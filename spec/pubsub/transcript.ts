/**
 * Byte-exact differential scripts for Pub/Sub, where one command may produce
 * several replies and messages arrive on other connections.
 *
 * After every step each connection is synchronised with `PING <marker>`
 * (answered in order after everything already queued for it: a published
 * message is in the subscriber's buffer before its PING is read), and the
 * marker's reply is cut out. What remains per connection is its transcript:
 * every byte the server sent it, in order. Both servers must produce the
 * same transcripts.
 */
import net from 'node:net';
import { expect } from 'chai';
import { encodeCommand } from '../helpers.js';

type Arg = string | Buffer | number;
/** [connection index, ...command]; [-1, ms] pauses the script. */
export type ScriptStep = [number, ...Arg[]];

const MARKER = '__sync__';
/** The marker's reply in each shape it can take: RESP2/3 bulk, or a RESP2 subscribed-context `pong` array. */
const SYNC_REPLIES = [
  Buffer.from(`*2\r\n$4\r\npong\r\n$${MARKER.length}\r\n${MARKER}\r\n`),
  Buffer.from(`$${MARKER.length}\r\n${MARKER}\r\n`),
];

class Conn {
  private sock!: net.Socket;
  private buf = Buffer.alloc(0);
  transcript = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  closed = false;

  static async open(port: number): Promise<Conn> {
    const c = new Conn();
    await new Promise<void>((resolve, reject) => {
      c.sock = net.connect(port, '127.0.0.1', resolve);
      c.sock.once('error', reject);
    });
    c.sock.on('data', (d) => {
      c.buf = Buffer.concat([c.buf, d]);
      c.wake?.();
    });
    c.sock.on('close', () => {
      c.closed = true;
      c.wake?.();
    });
    return c;
  }

  send(args: Arg[]): void {
    this.sock.write(encodeCommand(args));
  }

  /** Sends the marker and moves everything before its reply into the transcript. */
  async sync(): Promise<void> {
    if (this.closed) return;
    this.send(['PING', MARKER]);
    const deadline = Date.now() + 5000;
    for (;;) {
      for (const r of SYNC_REPLIES) {
        if (this.buf.length >= r.length && this.buf.subarray(this.buf.length - r.length).equals(r)) {
          this.transcript = Buffer.concat([this.transcript, this.buf.subarray(0, this.buf.length - r.length)]);
          this.buf = Buffer.alloc(0);
          return;
        }
      }
      if (this.closed) {
        this.transcript = Buffer.concat([this.transcript, this.buf]);
        this.buf = Buffer.alloc(0);
        return;
      }
      if (Date.now() > deadline) throw new Error(`no sync reply; got ${JSON.stringify(this.buf.toString('latin1'))}`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 50);
      });
      this.wake = null;
    }
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Runs `script` against a server and returns each connection's transcript (latin1, so bytes stay visible). */
export async function runScript(port: number, conns: number, script: ScriptStep[]): Promise<string[]> {
  const cs = await Promise.all(Array.from({ length: conns }, () => Conn.open(port)));
  try {
    for (const [i, ...cmd] of script) {
      if (i === -1) {
        await new Promise((r) => setTimeout(r, Number(cmd[0])));
        continue;
      }
      cs[i].send(cmd);
      await cs[i].sync();
      for (const c of cs) if (c !== cs[i]) await c.sync();
    }
    return cs.map((c) => c.transcript.toString('latin1'));
  } finally {
    for (const c of cs) c.close();
  }
}

/** HELLO replies carry the connection id, which differs between servers. */
export function maskIds(t: string): string {
  return t
    .replace(/\$2\r\nid\r\n:\d+\r\n/g, '$2\r\nid\r\n:<id>\r\n')
    .replace(/\$7\r\nversion\r\n\$\d+\r\n[^\r]*\r\n/g, '$7\r\nversion\r\n<version>\r\n');
}

/** Runs the script on both servers and requires identical transcripts on every connection. */
export async function sameTranscripts(ourPort: number, redisPort: number, conns: number, script: ScriptStep[]): Promise<string[]> {
  const ours = (await runScript(ourPort, conns, script)).map(maskIds);
  const theirs = (await runScript(redisPort, conns, script)).map(maskIds);
  for (let i = 0; i < conns; i++) expect(ours[i], `connection ${i}`).to.equal(theirs[i]);
  return ours;
}
