/**
 * Known-answer and property tests of the RDB building blocks: CRC-64 (Jones,
 * as Redis), LZF (byte-exact with Redis's liblzf settings), the length and
 * string encodings, and listpacks.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { crc64 } from '../../lib/rdb/crc64.js';
import { lzfCompress, lzfDecompress } from '../../lib/rdb/lzf.js';
import { RdbReader, RdbWriter, RdbError } from '../../lib/rdb/encoding.js';
import { ListpackWriter, parseListpack, lpStringSize, lpIntSize } from '../../lib/rdb/listpack.js';
import { createDumpPayload, parseDumpPayload } from '../../lib/rdb/payload.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('RDB building blocks', () => {
  describe('CRC-64', () => {
    it('gives Redis crc64.c test vectors', () => {
      // From Redis's crc64.c self test (crc64Test): "123456789", and the Lorem ipsum text with its NUL (sizeof).
      expect(crc64(Buffer.from('123456789')).value()).to.equal(0xe9c6d914c4b8d9can);
      const li =
        'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.\0';
      expect(crc64(Buffer.from(li)).value()).to.equal(0xc7794709e69683b3n);
      expect(crc64(Buffer.alloc(0)).value()).to.equal(0n);
    });

    it('accumulates across updates like one pass', () => {
      const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff));
      const whole = crc64(data).value();
      const c = crc64(data, 0, 333);
      c.update(data, 333, 1000);
      expect(c.value()).to.equal(whole);
    });
  });

  describe('LZF', () => {
    // DUMP bodies written by redis-server 7.0 for SET of these strings (type 0, 0xC3 LZF string, RDB 10 footer).
    const known: [string, string][] = [
      ['a'.repeat(100), '00c3094064016161e057000161610a00e8a3b507b06df271'],
      ['hello hello hello hello hello world', '00c311230668656c6c6f2068e00e0504776f726c640a00acddbd8094c8f3dd'],
      [
        'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz',
        '00c33040581a6162636465666768696a6b6c6d6e6f707172737475767778797a61e010190930313233343536373839e00f2301797a0a00d6dc007ff15337d1',
      ],
    ];

    it('compresses exactly as redis-server does (known DUMP payloads)', () => {
      for (const [s, expected] of known) {
        expect(hex(createDumpPayload(Buffer.from(s), true, 10))).to.equal(expected);
      }
    });

    it('decompresses the known payloads back', () => {
      for (const [s, expected] of known) {
        expect(parseDumpPayload(Buffer.from(expected, 'hex'))).to.deep.equal(Buffer.from(s));
      }
    });

    it('round-trips arbitrary bytes, and refuses to expand', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.integer({ min: 0, max: 8 }), (arr, rep) => {
          const input = Buffer.concat(Array.from({ length: rep + 1 }, () => Buffer.from(arr)));
          const c = lzfCompress(input, input.length - 1);
          if (c === null) return;
          expect(c.length).to.be.lessThan(input.length);
          expect(lzfDecompress(c, input.length)).to.deep.equal(input);
        }),
        { numRuns: 300 },
      );
    });

    it('rejects malformed input instead of reading out of bounds', () => {
      expect(lzfDecompress(Buffer.from([0x05, 0x61]), 6)).to.equal(null); // literal run past the input
      expect(lzfDecompress(Buffer.from([0x00, 0x61, 0x20, 0x05]), 10)).to.equal(null); // reference before the start
      expect(lzfDecompress(Buffer.from([0x00, 0x61]), 2)).to.equal(null); // shorter than announced
    });
  });

  describe('lengths and strings', () => {
    it('writes the 6/14/32/64-bit length forms and reads them back', () => {
      const cases: [number | bigint, string][] = [
        [0, '00'],
        [63, '3f'],
        [64, '4040'],
        [16383, '7fff'],
        [16384, '8000004000'],
        [0xffffffff, '80ffffffff'],
        [0x100000000, '810000000100000000'],
        [18446744073709551615n, '81ffffffffffffffff'],
      ];
      for (const [v, h] of cases) {
        const w = new RdbWriter();
        w.len(v);
        expect(hex(w.result())).to.equal(h);
        expect(new RdbReader(Buffer.from(h, 'hex')).lenAny('x')).to.equal(v);
      }
    });

    it('stores canonical 32-bit integers in the int encodings, anything else verbatim', () => {
      const enc = (s: string): string => {
        const w = new RdbWriter();
        w.string(Buffer.from(s), true);
        return hex(w.result());
      };
      expect(enc('12')).to.equal('c00c');
      expect(enc('-1')).to.equal('c0ff');
      expect(enc('1000')).to.equal('c1e803');
      expect(enc('70000')).to.equal('c270110100');
      expect(enc('012')).to.equal('03303132'); // leading zero: not canonical
      expect(enc('-0')).to.equal('022d30');
      expect(enc('4294967296')).to.equal('0a34323934393637323936'); // beyond int32
      const r = new RdbReader(Buffer.from('c270110100', 'hex'));
      expect(r.string('x').toString()).to.equal('70000');
    });

    it('refuses truncated input and unknown encodings with RdbError', () => {
      expect(() => new RdbReader(Buffer.from('05616263', 'hex')).string('x')).to.throw(RdbError);
      expect(() => new RdbReader(Buffer.from('c4', 'hex')).string('x')).to.throw(RdbError);
      expect(() => new RdbReader(Buffer.from('8000', 'hex')).lenAny('x')).to.throw(RdbError);
      expect(() => new RdbReader(Buffer.from('c3050a', 'hex')).string('x')).to.throw(RdbError);
    });
  });

  describe('listpacks', () => {
    it('encodes integers and strings as lpAppend does', () => {
      const lp = new ListpackWriter();
      for (const v of [0, 127, 128, -1, 4095, -4096, 4096, 32767, 40000, -8388608, 2147483647, 2147483648]) lp.int(v);
      lp.string(Buffer.from('hello'));
      lp.string(Buffer.from('123')); // canonical digits become an integer
      lp.string(Buffer.from('x'.repeat(64)));
      const buf = lp.finish();
      expect(buf.readUInt32LE(0)).to.equal(buf.length);
      expect(buf.readUInt16LE(4)).to.equal(15);
      expect(hex(buf.subarray(6, 6 + 2))).to.equal('0001'); // 0 and its backlen
      expect(hex(buf.subarray(8, 10))).to.equal('7f01'); // 127
      expect(hex(buf.subarray(10, 13))).to.equal('c08002'); // 128 as 13-bit int
      const els = parseListpack(buf);
      expect(els.slice(0, 12)).to.deep.equal([0, 127, 128, -1, 4095, -4096, 4096, 32767, 40000, -8388608, 2147483647, 2147483648]);
      expect((els[12] as Buffer).toString()).to.equal('hello');
      expect(els[13]).to.equal(123);
      expect((els[14] as Buffer).length).to.equal(64);
    });

    it('predicts element sizes exactly', () => {
      for (const s of ['', 'a', '123', '-5', '99999999999999999999', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(4095), 'x'.repeat(4096)]) {
        const lp = new ListpackWriter();
        lp.string(Buffer.from(s));
        expect(lp.finish().length - 7, s.slice(0, 5)).to.equal(lpStringSize(Buffer.from(s)));
      }
      for (const v of [0, 200, -200, 70000, 2 ** 40]) {
        const lp = new ListpackWriter();
        lp.int(v);
        expect(lp.finish().length - 7).to.equal(lpIntSize(v));
      }
    });

    it('rejects a damaged listpack', () => {
      const lp = new ListpackWriter();
      lp.string(Buffer.from('hello'));
      const good = lp.finish();
      const bad1 = Buffer.from(good);
      bad1[good.length - 1] = 0; // no terminator
      expect(() => parseListpack(bad1)).to.throw(RdbError);
      const bad2 = Buffer.from(good);
      bad2[6] = 0x85 + 10; // string longer than the listpack
      expect(() => parseListpack(bad2)).to.throw(RdbError);
      const bad3 = Buffer.from(good);
      bad3[4] = 7; // wrong element count
      expect(() => parseListpack(bad3)).to.throw(RdbError);
    });
  });
});
