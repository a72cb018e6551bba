/**
 * Byte-exact differential scripts for Pub/Sub, where one command may produce
 * several replies and messages arrive on other connections.
 *
 * After every step each connection is synchronised with `PING <marker>`
 * (answered in order after everything already queued for it: a published
 * message is in the subscriber's buffer before its PING is read), and the
 * marker's reply is cut out. What remains per connection is its transcript:
 * every byte the server sent it, in order. Both servers must send each
 * connection the same frames at every step, in RESP2 and in RESP3.
 */
import net from 'node:net';
import { AssertionError } from 'chai';
import { encodeCommand, scanFrame, escapeFrame } from '../helpers.js';

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

/** What one run produced: per connection the whole transcript, and per step what each connection received. */
interface Run {
  transcripts: string[];
  /** chunks[step][connection]: the bytes that connection received while the step ran (before its sync marker). */
  chunks: Buffer[][];
}

/**
 * Runs `script` against a server (after HELLO 3 on every connection when
 * `proto` is 3; that reply is not part of the transcript).
 */
async function run(port: number, conns: number, script: ScriptStep[], proto: 2 | 3): Promise<Run> {
  const cs = await Promise.all(Array.from({ length: conns }, () => Conn.open(port)));
  try {
    if (proto === 3) {
      for (const c of cs) {
        c.send(['HELLO', '3']);
        await c.sync();
        c.transcript = Buffer.alloc(0);
      }
    }
    const chunks: Buffer[][] = [];
    for (const [i, ...cmd] of script) {
      const before = cs.map((c) => c.transcript.length);
      if (i === -1) {
        await new Promise((r) => setTimeout(r, Number(cmd[0])));
      } else {
        cs[i].send(cmd);
        await cs[i].sync();
        for (const c of cs) if (c !== cs[i]) await c.sync();
      }
      chunks.push(cs.map((c, k) => c.transcript.subarray(before[k])));
    }
    return { transcripts: cs.map((c) => c.transcript.toString('latin1')), chunks };
  } finally {
    for (const c of cs) c.close();
  }
}

/** Runs `script` against a server in RESP2 and returns each connection's transcript (latin1, so bytes stay visible). */
export async function runScript(port: number, conns: number, script: ScriptStep[]): Promise<string[]> {
  return (await run(port, conns, script, 2)).transcripts;
}

/** HELLO replies carry the connection id and the server version, which differ between servers. */
export function maskIds(t: string): string {
  return t
    .replace(/\$2\r\nid\r\n:\d+\r\n/g, '$2\r\nid\r\n:<id>\r\n')
    .replace(/\$7\r\nversion\r\n\$\d+\r\n[^\r]*\r\n/g, '$7\r\nversion\r\n$9\r\n<version>\r\n');
}

/** Cuts a chunk of reply bytes into top-level frames (escaped); a cut frame is reported whole as what remains. */
function framesOf(chunk: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < chunk.length) {
    const r = scanFrame(chunk, at);
    if (!r) {
      out.push(`${escapeFrame(chunk.subarray(at))} (incomplete)`);
      break;
    }
    out.push(escapeFrame(chunk.subarray(at, r.end), 4000));
    at = r.end;
  }
  return out;
}

/**
 * Runs the script on both servers, in RESP2 and then in RESP3 (HELLO 3 on
 * every connection first), and requires that after every step each
 * connection received the same frames, byte for byte. A failure names the
 * protocol, the step, the connection and both frames, escaped. Resolves with
 * rivulet's RESP2 transcripts (HELLO ids masked).
 */
export async function sameTranscripts(ourPort: number, redisPort: number, conns: number, script: ScriptStep[], protos: (2 | 3)[] = [2, 3]): Promise<string[]> {
  let first: string[] | null = null;
  for (const proto of protos) {
    const ours = await run(ourPort, conns, script, proto);
    const theirs = await run(redisPort, conns, script, proto);
    for (const [k, step] of script.entries()) {
      for (let i = 0; i < conns; i++) {
        const a = framesOf(Buffer.from(maskIds(ours.chunks[k][i].toString('latin1')), 'latin1'));
        const b = framesOf(Buffer.from(maskIds(theirs.chunks[k][i].toString('latin1')), 'latin1'));
        const label = `RESP${proto} step ${k + 1} \`[${step[0]}] ${step.slice(1).map((x) => String(x).slice(0, 40)).join(' ')}\`, connection ${i}`;
        for (let j = 0; j < Math.max(a.length, b.length); j++) {
          if (a[j] !== b[j]) {
            throw new AssertionError(`${label}, frame ${j + 1}: rivulet sent ${a[j] ?? 'nothing'}, redis-server sent ${b[j] ?? 'nothing'}`);
          }
        }
      }
    }
    first ??= ours.transcripts.map(maskIds);
  }
  return first ?? [];
}
