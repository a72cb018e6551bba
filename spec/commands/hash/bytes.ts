/**
 * Byte-exact runs for the hash and list specs: sameBytes() is the shared raw
 * differential (helpers.ts) in RESP2 and RESP3; transcript() gives
 * rivulet's own pipelined reply bytes for literal assertions.
 */
import net from 'node:net';
import { encodeCommand, differential } from '../../helpers.js';

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

/** Runs cmds on both servers in RESP2 and RESP3 and requires identical reply frames (the shared raw differential). */
export async function sameBytes(ours: number, theirs: number, cmds: Cmd[], protos: (2 | 3)[] = [2, 3]): Promise<void> {
  await differential(ours, theirs, cmds, { protocols: protos });
}
