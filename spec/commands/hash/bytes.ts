/**
 * Byte-exact differential runs for the hash and list specs: the same
 * commands, pipelined on a fresh connection to rivulet and to redis-server
 * (after FLUSHALL, in RESP2 or after HELLO 3), must produce the same bytes.
 */
import net from 'node:net';
import { expect } from 'chai';
import { encodeCommand } from '../../helpers.js';

export type Cmd = (string | number | Buffer)[];

/** Sends FLUSHALL, optionally HELLO 3, then the commands; resolves with the raw reply bytes after the preamble. */
export async function transcript(port: number, proto: 2 | 3, cmds: Cmd[]): Promise<string> {
  const pre: Cmd[] = [['FLUSHALL'], ['PING', 'start']];
  if (proto === 3) pre.push(['HELLO', 3], ['PING', 'start']);
  const marker = '$5\r\nstart\r\n';
  const end = '$13\r\nend-of-script\r\n';
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no end marker; got ${JSON.stringify(data.slice(-500))}`));
    }, 15000);
    sock.on('error', reject);
    sock.on('data', (d) => {
      data += d.toString('latin1');
      if (data.endsWith(end)) {
        clearTimeout(timer);
        sock.destroy();
        const at = data.lastIndexOf(marker);
        resolve(data.slice(at + marker.length, data.length - end.length));
      }
    });
    sock.write(Buffer.concat([...pre, ...cmds, ['PING', 'end-of-script']].map((c) => encodeCommand(c))));
  });
}

/** Splits a transcript at each top-level reply start for readable failures (approximate: by lines). */
function lines(s: string): string[] {
  return s.split('\r\n');
}

/** Runs cmds on both servers in RESP2 and RESP3 and requires identical bytes. */
export async function sameBytes(ours: number, theirs: number, cmds: Cmd[], protos: (2 | 3)[] = [2, 3]): Promise<void> {
  for (const proto of protos) {
    const a = await transcript(ours, proto, cmds);
    const b = await transcript(theirs, proto, cmds);
    if (a !== b) {
      const label = cmds.map((c) => c.map((x) => String(x).slice(0, 20)).join(' ')).join(' | ');
      // Show the replies around the first difference (whole transcripts can be huge).
      const la = lines(a);
      const lb = lines(b);
      let i = 0;
      while (i < la.length && la[i] === lb[i]) i++;
      const from = Math.max(0, i - 6);
      expect(la.slice(from, i + 6).map((x) => x.slice(0, 80)), `RESP${proto} line ${i} of ${label.slice(0, 300)}`).to.deep.equal(lb.slice(from, i + 6).map((x) => x.slice(0, 80)));
      expect(la).to.deep.equal(lb);
    }
  }
}
