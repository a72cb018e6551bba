/**
 * The differential helper itself: its frame scanner, and that it tells
 * apart replies which decode alike (a status and a bulk, a null bulk and a
 * null array, an attribute or a push more) in either protocol. Two scripted
 * fake servers stand in for rivulet and redis-server.
 */
import net from 'node:net';
import { expect } from 'chai';
import { differential, scanFrame, encodeFrame, sortDeep, escapeFrame, textOf, type Step } from '../helpers.js';

/** A fake server: answers each request with `answer(argv, proto)` (raw bytes), HELLO/FLUSHALL/PING as a server would. */
async function fake(answer: (argv: string[], proto: 2 | 3) => string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    let proto: 2 | 3 = 2;
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const r = scanFrame(buf);
        if (!r) break;
        buf = buf.subarray(r.end);
        const argv = 'items' in r.frame && r.frame.items ? r.frame.items.map((i) => textOf(i) ?? '') : [];
        const name = argv[0].toUpperCase();
        if (name === 'HELLO') {
          proto = argv[1] === '3' ? 3 : 2;
          sock.write(proto === 3 ? '%1\r\n$6\r\nserver\r\n$4\r\nfake\r\n' : '*2\r\n$6\r\nserver\r\n$4\r\nfake\r\n');
        } else if (name === 'FLUSHALL') sock.write('+OK\r\n');
        else if (name === 'PING') sock.write(`$${argv[1].length}\r\n${argv[1]}\r\n`);
        else sock.write(answer(argv, proto));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

/** Runs `script` between two fakes; resolves with the failure message, or null when the run passed. */
async function verdict(a: (argv: string[], proto: 2 | 3) => string, b: (argv: string[], proto: 2 | 3) => string, script: Step[]): Promise<string | null> {
  const x = await fake(a);
  const y = await fake(b);
  try {
    await differential(x.port, y.port, script);
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await x.close();
    await y.close();
  }
}

describe('differential helper (raw frames)', () => {
  it('the scanner cuts each RESP2/RESP3 frame exactly and re-encodes it to the same bytes', () => {
    const frames = [
      '+OK\r\n', '-ERR no\r\n', ':-12\r\n', '$-1\r\n', '*-1\r\n', '$0\r\n\r\n', '$5\r\na\r\nb\0\r\n', '*0\r\n', '_\r\n', ',1.5\r\n', ',inf\r\n',
      '#t\r\n', '(123456789012345678901234567890\r\n', '!9\r\nERR oops!\r\n', '=7\r\ntxt:abc\r\n', '%1\r\n$1\r\nk\r\n*2\r\n:1\r\n_\r\n',
      '~2\r\n$1\r\na\r\n$1\r\nb\r\n', '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n', '|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n',
    ];
    const stream = Buffer.from(frames.join(''), 'latin1');
    let at = 0;
    for (const f of frames) {
      const r = scanFrame(stream, at);
      expect(r, f).to.not.equal(null);
      expect(stream.subarray(at, r!.end).toString('latin1'), f).to.equal(f);
      expect(encodeFrame(r!.frame).toString('latin1'), f).to.equal(f);
      at = r!.end;
    }
    expect(at).to.equal(stream.length);
    // An attribute is not a reply of its own: it rides on the frame after it.
    expect(scanFrame(Buffer.from('|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n'))!.frame).to.have.property('type', '$');
    // Incomplete frames wait for more bytes; non-RESP bytes are refused.
    for (const part of ['$5\r\nab', '*2\r\n:1\r\n', '%1\r\n+k\r\n', '|1\r\n+a\r\n+b\r\n', '+OK']) expect(scanFrame(Buffer.from(part)), part).to.equal(null);
    for (const bad of ['?1\r\n', '$x\r\n', '$2\r\nabc\r\n', '%-1\r\n', '$01\r\na\r\n']) expect(() => scanFrame(Buffer.from(bad)), bad).to.throw();
  });

  it('passes identical replies, in RESP2 and RESP3', async () => {
    const same = (_: string[], p: 2 | 3) => (p === 3 ? '%1\r\n$1\r\nf\r\n$1\r\nv\r\n' : '*2\r\n$1\r\nf\r\n$1\r\nv\r\n');
    expect(await verdict(same, same, [['HGETALL', 'h'], ['HGETALL', 'h']])).to.equal(null);
  });

  it('tells +OK from $2 OK and names the step and both frames, escaped', async () => {
    const msg = await verdict(() => '+OK\r\n', () => '$2\r\nOK\r\n', [['SET', 'k', 'v']]);
    expect(msg).to.equal('RESP2 step 1 `SET k v` differs\n      rivulet:      "+OK\\r\\n"\n      redis-server: "$2\\r\\nOK\\r\\n"');
  });

  it('tells a null bulk from a null array, and reports the first differing command', async () => {
    const msg = await verdict((a) => (a[0] === 'GET' ? '$-1\r\n' : ':1\r\n'), (a) => (a[0] === 'GET' ? '*-1\r\n' : ':1\r\n'), [['DEL', 'k'], ['GET', 'k'], ['GET', 'k']]);
    expect(msg).to.match(/^RESP2 step 2 `GET k` differs\n.*"\$-1\\r\\n"\n.*"\*-1\\r\\n"$/);
  });

  it('checks RESP3 separately: a map where the other sends a flat array fails only there', async () => {
    const msg = await verdict(
      (_, p) => (p === 3 ? '%1\r\n$1\r\nf\r\n$1\r\nv\r\n' : '*2\r\n$1\r\nf\r\n$1\r\nv\r\n'),
      () => '*2\r\n$1\r\nf\r\n$1\r\nv\r\n',
      [['HGETALL', 'h']],
    );
    expect(msg).to.match(/^RESP3 step 1 `HGETALL h` differs/);
  });

  it('fails on an attribute or a push frame only one side sends', async () => {
    expect(await verdict(() => '|1\r\n+ttl\r\n:3\r\n:1\r\n', () => ':1\r\n', [['EXISTS', 'k']])).to.match(/^RESP2 step 1 `EXISTS k` differs\n.*\|1/);
    const pushed = await verdict(() => ':1\r\n>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n', () => ':1\r\n', [['PUBLISH', 'c', 'm']]);
    expect(pushed).to.match(/^RESP2: after the script rivulet sent a frame more: ">3/);
    // Declared as two frames, the push is compared like any reply.
    const both = () => ':1\r\n>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n';
    expect(await verdict(both, both, [{ cmd: ['PUBLISH', 'c', 'm'], replies: 2 }])).to.equal(null);
  });

  it('applies a step normaliser to both sides before comparing, and only there', async () => {
    const a = () => '*2\r\n$1\r\na\r\n$1\r\nb\r\n';
    const b = () => '*2\r\n$1\r\nb\r\n$1\r\na\r\n';
    expect(await verdict(a, b, [{ cmd: ['SMEMBERS', 's'], normalise: sortDeep }])).to.equal(null);
    expect(await verdict(a, b, [['SMEMBERS', 's']])).to.match(/^RESP2 step 1 `SMEMBERS s` differs/);
  });

  it('escapes binary bytes in its report', () => {
    expect(escapeFrame(Buffer.from([0x24, 0x31, 0x0d, 0x0a, 0xff, 0x0d, 0x0a]))).to.equal('"$1\\r\\nÿ\\r\\n"');
  });
});
