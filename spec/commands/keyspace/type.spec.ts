import { expect } from 'chai';
import { useServers } from './fixture.js';

describe('TYPE', () => {
  const s = useServers();

  it('answers string, none, and checks arity like Redis', async () => {
    await s.diff([['SET', 'a', '1'], ['TYPE', 'a'], ['TYPE', 'nope'], ['TYPE'], ['TYPE', 'a', 'b']]);
  });

  it('is a status reply', async () => {
    await s.raw.call('SET', 'a', '1');
    expect(await s.raw.call('TYPE', 'a')).to.equal('string');
  });
});
