import { expect } from 'chai';
import { useServers, resp3Replies } from './fixture.js';
import { normalise } from '../../helpers.js';

describe('OBJECT', () => {
  const s = useServers();

  it('ENCODING reports int, embstr and raw as Redis chooses them', async () => {
    const long = 'x'.repeat(45);
    await s.diff([
      ['SET', 'i', '12345'],
      ['OBJECT', 'ENCODING', 'i'],
      ['SET', 'neg', '-9223372036854775808'],
      ['OBJECT', 'ENCODING', 'neg'],
      ['SET', 'big', '9223372036854775808'],
      ['OBJECT', 'ENCODING', 'big'],
      ['SET', 'lead', '012'],
      ['OBJECT', 'ENCODING', 'lead'],
      ['SET', 'e', 'x'.repeat(44)],
      ['OBJECT', 'ENCODING', 'e'],
      ['SET', 'r', long],
      ['OBJECT', 'ENCODING', 'r'],
      ['SET', 'a', '1'],
      ['APPEND', 'a', '2'],
      ['OBJECT', 'ENCODING', 'a'],
      ['SETRANGE', 'sr', 0, '5'],
      ['OBJECT', 'ENCODING', 'sr'],
      ['INCR', 'c'],
      ['OBJECT', 'ENCODING', 'c'],
      ['SET', 'f', '1.5'],
      ['INCRBYFLOAT', 'f', '1.5'],
      ['OBJECT', 'ENCODING', 'f'],
      ['MSET', 'm', '7'],
      ['OBJECT', 'ENCODING', 'm'],
      ['OBJECT', 'ENCODING', 'missing'],
    ]);
  });

  it('ENCODING of a stream is stream', async () => {
    await s.diff([['XADD', 's', '1-1', 'f', 'v'], ['OBJECT', 'ENCODING', 's']]);
  });

  it('REFCOUNT reports shared small integers like Redis', async () => {
    await s.diff([
      ['SET', 'small', '100'],
      ['OBJECT', 'REFCOUNT', 'small'],
      ['SET', 'large', '100000'],
      ['OBJECT', 'REFCOUNT', 'large'],
      ['SET', 's', 'abc'],
      ['OBJECT', 'REFCOUNT', 's'],
      ['OBJECT', 'REFCOUNT', 'missing'],
    ]);
  });

  it('FREQ needs an LFU policy, and the subcommand errors match Redis', async () => {
    await s.diff([
      ['SET', 'k', 'v'],
      ['OBJECT', 'FREQ', 'k'],
      ['OBJECT', 'IDLETIME', 'k'],
      ['OBJECT', 'NOPE', 'k'],
      ['OBJECT', 'ENCODING'],
      ['OBJECT', 'ENCODING', 'k', 'extra'],
      ['OBJECT'],
      ['OBJECT', 'HELP', 'x'],
    ]);
  });

  it('FREQ and IDLETIME of a missing key are nil whatever the policy (the key is looked up before the policy check)', async () => {
    for (const policy of ['noeviction', 'allkeys-lfu']) {
      const script = [
        ['CONFIG', 'SET', 'maxmemory-policy', policy],
        ['OBJECT', 'FREQ', 'missing'],
        ['OBJECT', 'IDLETIME', 'missing'],
        ['SET', 'k', 'v'],
        ['OBJECT', policy === 'noeviction' ? 'FREQ' : 'IDLETIME', 'k'],
        ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
      ];
      const ours = [];
      for (const cmd of script) ours.push(normalise(await s.raw.call(...cmd)));
      expect(ours.slice(1, 3), policy).to.deep.equal([null, null]);
      expect(ours[4]).to.have.property('error').that.matches(policy === 'noeviction' ? /^ERR An LFU maxmemory policy is not selected/ : /^ERR An LFU maxmemory policy is selected/);
      await s.diff(script);
    }
  });

  it('missing keys are the RESP3 null', async () => {
    expect(await resp3Replies(s.port, [['OBJECT', 'ENCODING', 'missing']])).to.equal('_\r\n');
  });
});
