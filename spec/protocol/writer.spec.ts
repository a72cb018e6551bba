/**
 * The reply writer's encodings for both protocols, byte for byte (doubles
 * have no rivulet command that emits them over the wire yet, so they are
 * checked here against the RESP3 specification's examples).
 */
import { expect } from 'chai';
import { ReplyWriter, Proto } from '../../lib/resp/writer.js';

function encode(proto: Proto, write: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.proto = proto;
  write(w);
  return w.take().toString('latin1');
}

describe('reply writer', () => {
  it('null bulk and null array are $-1 / *-1 in RESP2 and _ in RESP3', () => {
    expect(encode(Proto.RESP2, (w) => w.nullBulk())).to.equal('$-1\r\n');
    expect(encode(Proto.RESP2, (w) => w.nullArray())).to.equal('*-1\r\n');
    expect(encode(Proto.RESP3, (w) => w.nullBulk())).to.equal('_\r\n');
    expect(encode(Proto.RESP3, (w) => w.nullArray())).to.equal('_\r\n');
  });

  it('maps are %n in RESP3 and flat arrays of 2n in RESP2; sets are ~n or *n', () => {
    const map = (w: ReplyWriter): void => {
      w.map(1);
      w.bulk('k');
      w.int(1);
    };
    expect(encode(Proto.RESP3, map)).to.equal('%1\r\n$1\r\nk\r\n:1\r\n');
    expect(encode(Proto.RESP2, map)).to.equal('*2\r\n$1\r\nk\r\n:1\r\n');
    expect(encode(Proto.RESP3, (w) => w.set(2))).to.equal('~2\r\n');
    expect(encode(Proto.RESP2, (w) => w.set(2))).to.equal('*2\r\n');
    expect(encode(Proto.RESP3, (w) => w.push(3))).to.equal('>3\r\n');
  });

  it('doubles are ,x in RESP3 (inf, -inf, nan spelled as in the spec) and bulk strings in RESP2', () => {
    expect(encode(Proto.RESP3, (w) => w.double(1.5))).to.equal(',1.5\r\n');
    expect(encode(Proto.RESP3, (w) => w.double(3))).to.equal(',3\r\n');
    expect(encode(Proto.RESP3, (w) => w.double(Infinity))).to.equal(',inf\r\n');
    expect(encode(Proto.RESP3, (w) => w.double(-Infinity))).to.equal(',-inf\r\n');
    expect(encode(Proto.RESP3, (w) => w.double(NaN))).to.equal(',nan\r\n');
    expect(encode(Proto.RESP2, (w) => w.double(1.5))).to.equal('$3\r\n1.5\r\n');
    expect(encode(Proto.RESP2, (w) => w.double(-Infinity))).to.equal('$4\r\n-inf\r\n');
  });

  it('booleans are #t/#f in RESP3 and :1/:0 in RESP2', () => {
    expect(encode(Proto.RESP3, (w) => w.bool(true))).to.equal('#t\r\n');
    expect(encode(Proto.RESP3, (w) => w.bool(false))).to.equal('#f\r\n');
    expect(encode(Proto.RESP2, (w) => w.bool(true))).to.equal(':1\r\n');
  });

  it('verbatim text is =n with the txt: prefix in RESP3 and a bulk string in RESP2, lengths in bytes', () => {
    expect(encode(Proto.RESP3, (w) => w.verbatim('é\n'))).to.equal('=7\r\ntxt:' + Buffer.from('é\n').toString('latin1') + '\r\n');
    expect(encode(Proto.RESP2, (w) => w.verbatim('é\n'))).to.equal('$3\r\n' + Buffer.from('é\n').toString('latin1') + '\r\n');
  });

  it('error lines never contain newlines (Redis flattens them to spaces)', () => {
    expect(encode(Proto.RESP2, (w) => w.error('ERR a\r\nb'))).to.equal('-ERR a  b\r\n');
  });

  it('rewind drops a half-written reply; large replies grow the buffer without losing bytes', () => {
    const w = new ReplyWriter();
    w.ok();
    const mark = w.mark();
    w.array(3);
    w.bulk('x');
    w.rewind(mark);
    const big = Buffer.alloc(100_000, 0x61);
    w.bulk(big);
    const out = w.take();
    expect(out.subarray(0, 5).toString()).to.equal('+OK\r\n');
    expect(out.length).to.equal(5 + '$100000\r\n'.length + 100_000 + 2);
    expect(w.size).to.equal(0);
  });

  it('integers and headers carry exact decimal digits, from 0 to 2^53-1, negatives and 64-bit bigints', () => {
    expect(encode(Proto.RESP2, (w) => w.int(0))).to.equal(':0\r\n');
    expect(encode(Proto.RESP2, (w) => w.int(9))).to.equal(':9\r\n');
    expect(encode(Proto.RESP2, (w) => w.int(10))).to.equal(':10\r\n');
    expect(encode(Proto.RESP2, (w) => w.int(-1))).to.equal(':-1\r\n');
    expect(encode(Proto.RESP2, (w) => w.int(-1234567))).to.equal(':-1234567\r\n');
    expect(encode(Proto.RESP2, (w) => w.int(9007199254740991))).to.equal(':9007199254740991\r\n');
    expect(encode(Proto.RESP2, (w) => w.int(-9007199254740991))).to.equal(':-9007199254740991\r\n');
    expect(encode(Proto.RESP2, (w) => w.int(18446744073709551615n))).to.equal(':18446744073709551615\r\n');
    expect(encode(Proto.RESP2, (w) => w.array(100))).to.equal('*100\r\n');
    expect(encode(Proto.RESP2, (w) => w.map(5))).to.equal('*10\r\n');
  });

  it('bulk strings: short ASCII, non-ASCII UTF-8 (length in bytes), latin1 keys and Buffers of every size', () => {
    expect(encode(Proto.RESP2, (w) => w.bulk('hello'))).to.equal('$5\r\nhello\r\n');
    expect(encode(Proto.RESP2, (w) => w.bulk(''))).to.equal('$0\r\n\r\n');
    expect(encode(Proto.RESP2, (w) => w.bulk('é'))).to.equal('$2\r\n' + Buffer.from('é').toString('latin1') + '\r\n');
    expect(encode(Proto.RESP2, (w) => w.bulkLatin1('\xff\x00k'))).to.equal('$3\r\n\xff\x00k\r\n');
    const long = 'x'.repeat(40);
    expect(encode(Proto.RESP2, (w) => w.bulkLatin1(long))).to.equal(`$40\r\n${long}\r\n`);
    expect(encode(Proto.RESP2, (w) => w.bulk(Buffer.from([0, 255, 13, 10])))).to.equal('$4\r\n\x00\xff\r\n\r\n');
    expect(encode(Proto.RESP2, (w) => w.bulk(Buffer.from(long)))).to.equal(`$40\r\n${long}\r\n`);
  });

  it('a stream ID is written as the bulk string ms-seq', () => {
    expect(encode(Proto.RESP2, (w) => w.bulkDecimalPair(0, 0))).to.equal('$3\r\n0-0\r\n');
    expect(encode(Proto.RESP2, (w) => w.bulkDecimalPair(1700000000123, 45))).to.equal('$16\r\n1700000000123-45\r\n');
    expect(encode(Proto.RESP2, (w) => w.bulkDecimalPair(9007199254740991, 10))).to.equal('$19\r\n9007199254740991-10\r\n');
    for (const n of [2147483647, 2147483648, 3000000000, 1000000000005, 1e15, 4294967296123]) {
      expect(encode(Proto.RESP2, (w) => w.bulkDecimalPair(n, 0))).to.equal(`$${String(n).length + 2}\r\n${n}-0\r\n`);
      expect(encode(Proto.RESP2, (w) => w.int(n))).to.equal(`:${n}\r\n`);
    }
  });

  it('many small writes grow the buffer without losing or reordering bytes', () => {
    const w = new ReplyWriter();
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      w.array(2);
      w.bulkDecimalPair(i, i * 7);
      w.int(i * 1000003);
      expected += `*2\r\n$${`${i}-${i * 7}`.length}\r\n${i}-${i * 7}\r\n:${i * 1000003}\r\n`;
    }
    expect(w.take().toString('latin1')).to.equal(expected);
  });

  it('an array header inserted after its elements comes out in front of them, whatever its width', () => {
    const w = new ReplyWriter();
    w.ok();
    const at = w.mark();
    const src = Buffer.from('..abc..' + 'q'.repeat(50));
    for (let i = 0; i < 12; i++) w.bulkBytes(src, 2, 5);
    w.bulkBytes(src, 7, 57);
    w.insertArrayHeader(at, 13);
    w.int(7);
    expect(w.take().toString('latin1')).to.equal('+OK\r\n*13\r\n' + '$3\r\nabc\r\n'.repeat(12) + `$50\r\n${'q'.repeat(50)}\r\n:7\r\n`);
    const empty = new ReplyWriter();
    empty.insertArrayHeader(empty.mark(), 0);
    expect(empty.take().toString('latin1')).to.equal('*0\r\n');
  });
});
