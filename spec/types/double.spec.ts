/**
 * Score formatting and parsing (lib/types/double.ts) against values
 * redis-server 7.4 printed and accepted (recorded from the oracle build),
 * so the Grisu2 digits and fpconv's layout are checked without a server.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { cachedPowers, formatScore, parseScore, parseRangeDouble } from '../../lib/types/double.js';

describe('score doubles (Redis 7.2+ d2string / string2d)', () => {
  it('the cached powers of ten match Grisu\'s table (10^-348 and 10^20 entries)', () => {
    expect(cachedPowers).to.have.length(87);
    expect(cachedPowers[0]).to.deep.equal({ f: 18054884314459144840n, e: -1220 });
    expect(cachedPowers[46]).to.deep.equal({ f: 12500000000000000000n, e: 3 });
    expect(cachedPowers[86]).to.deep.equal({ f: 12648080533535911531n, e: 1066 });
  });

  it('prints scores exactly as redis-server 7.4 printed them', () => {
    const seen: [number, string][] = [
      [1.1, '1.1'], [1e20, '1e+20'], [1.5e-7, '1.5e-7'], [123456789012345678, '123456789012345680'], [0.1, '0.1'],
      [3, '3'], [1e21, '1e+21'], [2.5e-5, '0.000025'], [1e-5, '0.00001'], [1e16, '10000000000000000'], [1e17, '100000000000000000'],
      [12345.678, '12345.678'], [1e18, '1000000000000000000'], [1e19, '1e+19'], [1.5e20, '1.5e+20'], [1.2345e19, '1.2345e+19'],
      [1e-6, '0.000001'], [1e-7, '1e-7'], [1.5e-6, '1.5e-6'], [1.234e-5, '1.234e-5'], [0.001234567, '0.001234567'],
      [123.456e-10, '1.23456e-8'], [1.7976931348623157e308, '1.7976931348623157e+308'], [5e-324, '5e-324'],
      [12345678901234567e3, '12345678901234567000'], [1.25e-3, '0.00125'], [0.5e-4, '0.00005'], [123456e-11, '1.23456e-6'],
      [1234567e-11, '1.234567e-5'], [-1.5e-6, '-1.5e-6'], [-123456789012345678e5, '-12345678901234568000000'],
      [9007199254740993, '9007199254740992'], [123e18, '1.23e+20'], [4611686018427387904, '4611686018427387904'],
      [9223372036854775807, '9223372036854776000'], [Infinity, 'inf'], [-Infinity, '-inf'], [0, '0'], [-0, '-0'],
    ];
    for (const [d, s] of seen) expect(formatScore(d), String(d)).to.equal(s);
  });

  it('every finite double prints as text that reads back as the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const back = parseScore(Buffer.from(formatScore(d)));
        expect(Object.is(back, d) || (d === 0 && back === 0)).to.equal(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('parses as Redis 7.4: decimal or inf, overflow to inf, no spaces, no hex, no NaN', () => {
    const ok: [string, number][] = [['1', 1], ['+5', 5], ['.5', 0.5], ['5.', 5], ['-.5e1', -5], ['1E5', 1e5], ['inf', Infinity],
      ['-Infinity', -Infinity], ['inFinity', Infinity], ['1e400', Infinity], ['1e-400', 0]];
    for (const [s, v] of ok) expect(parseScore(Buffer.from(s)), s).to.equal(v);
    for (const s of ['', ' 1', '1 ', '1e', '0x10', 'nan', '-nan', 'infinit', '1_0', 'abc']) expect(parseScore(Buffer.from(s)), s).to.equal(null);
    expect(parseRangeDouble('')).to.equal(0);
    expect(parseRangeDouble(' 2')).to.equal(null);
  });
});
