/**
 * lib/resp/packed.ts on its own: the Buffer[] view of a packed request, and
 * the packed argv XADD logs (a rewritten head before the request's packed
 * fields). The server-level behaviour is in bigargs.spec.ts.
 */
import { expect } from 'chai';
import { PackedBuilder, packedArgv, packedOf, packedWithHead, type PackedArgs } from '../../lib/resp/packed.js';
import { encodeCommand as encodeForAof } from '../../lib/persistence/resp.js';
import { encodeCommand } from '../helpers.js';

function pack(args: string[]): PackedArgs {
  const b = new PackedBuilder(args.length);
  for (const a of args) {
    const buf = Buffer.from(a);
    b.add(buf, 0, buf.length);
  }
  return b.finish();
}

const words = (n: number): string[] => Array.from({ length: n }, (_, i) => (i % 5 === 0 ? '' : `w${i}-${'x'.repeat(i % 40)}`));

describe('packed requests (lib/resp/packed.ts)', () => {
  it('packedArgv reads as the Buffer[] of its arguments, and packedOf gives the packed form until it is written to', () => {
    const args = ['XADD', 'k', '*', ...words(300)];
    const argv = packedArgv(pack(args));
    expect(argv.length).to.equal(args.length);
    expect(Array.isArray(argv)).to.equal(true);
    expect(argv.map((b) => b.toString())).to.deep.equal(args);
    expect(argv[7]).to.equal(argv[7]); // made once, then kept
    expect(packedOf(argv)).to.not.equal(null);
    expect(packedOf(args.map((a) => Buffer.from(a)))).to.equal(null);
    argv[3] = Buffer.from('changed');
    expect(packedOf(argv), 'a written argv no longer matches its packed bytes').to.equal(null);
    expect(argv[3].toString()).to.equal('changed');
    const pushed = packedArgv(pack(args));
    pushed.push(Buffer.from('more'));
    expect(packedOf(pushed)).to.equal(null);
    expect(pushed.length).to.equal(args.length + 1);
  });

  it('packedWithHead puts new head arguments before the packed tail; the AOF encodes it as the plain command', () => {
    const args = ['XADD', 'key', 'MAXLEN', '~', '10', '*', ...words(500)];
    const p = pack(args);
    const head = ['XADD', 'key', 'MAXLEN', '=', '12', '1700000000000-3'].map((s) => Buffer.from(s));
    const out = packedWithHead(head, p, 6);
    const want = ['XADD', 'key', 'MAXLEN', '=', '12', '1700000000000-3', ...args.slice(6)];
    expect(packedOf(out)).to.not.equal(null);
    expect(encodeForAof(out).equals(encodeCommand(want)), 'AOF record of the packed argv').to.equal(true);
    expect(out.map((b) => b.toString())).to.deep.equal(want);
    // A written packed argv is encoded from its elements, writes included.
    const written = packedArgv(pack(args));
    written[5] = Buffer.from('1-1');
    expect(encodeForAof(written).equals(encodeCommand([...args.slice(0, 5), '1-1', ...args.slice(6)]))).to.equal(true);
  });
});
