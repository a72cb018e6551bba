/**
 * What INFO and CLIENT LIST report about Pub/Sub: distinct channels,
 * patterns and shard channels (INFO stats), subscribed clients (INFO
 * clients, Redis 7.4's pubsub_clients), and per-client sub/psub/ssub counts
 * with the P flag.
 */
import { expect } from 'chai';
import { startRivulet, RawConnection } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)\\r$`, 'm').exec(info)?.[1];
}

describe('Pub/Sub in INFO and CLIENT LIST', () => {
  let riv: RivuletServer;
  before(async () => {
    riv = await startRivulet();
  });
  after(async () => {
    await riv?.close();
  });

  it('INFO counts distinct channels, patterns, shard channels and subscribed clients, and forgets them on unsubscribe', async () => {
    const a = await RawConnection.open(riv.port);
    const b = await RawConnection.open(riv.port);
    const c = await RawConnection.open(riv.port);
    try {
      await a.call('SUBSCRIBE', 'x');
      await a.call('SUBSCRIBE', 'y');
      await b.call('SUBSCRIBE', 'x');
      await b.call('PSUBSCRIBE', 'p*');
      await b.call('SSUBSCRIBE', 's');
      let stats = String(await c.call('INFO', 'stats'));
      expect(field(stats, 'pubsub_channels')).to.equal('2');
      expect(field(stats, 'pubsub_patterns')).to.equal('1');
      expect(field(stats, 'pubsubshard_channels')).to.equal('1');
      expect(field(String(await c.call('INFO', 'clients')), 'pubsub_clients')).to.equal('2');

      await b.call('UNSUBSCRIBE');
      await b.call('PUNSUBSCRIBE');
      await b.call('SUNSUBSCRIBE');
      a.close();
      for (let i = 0; i < 50 && riv.server.clients.size > 2; i++) await new Promise((r) => setTimeout(r, 10));
      stats = String(await c.call('INFO', 'stats'));
      expect([field(stats, 'pubsub_channels'), field(stats, 'pubsub_patterns'), field(stats, 'pubsubshard_channels')]).to.deep.equal([
        '0',
        '0',
        '0',
      ]);
      expect(field(String(await c.call('INFO', 'clients')), 'pubsub_clients')).to.equal('0');
    } finally {
      a.close();
      b.close();
      c.close();
    }
  });

  it('CLIENT LIST shows each client\'s sub, psub and ssub counts and the P flag while subscribed', async () => {
    const s = await RawConnection.open(riv.port);
    const c = await RawConnection.open(riv.port);
    try {
      await c.call('CLIENT', 'SETNAME', 'observer');
      await s.call('CLIENT', 'SETNAME', 'listener');
      await s.call('SUBSCRIBE', 'a', 'b');
      await s.next();
      await s.call('PSUBSCRIBE', 'p*');
      await s.call('SSUBSCRIBE', 's1', 's2', 's3');
      await s.next();
      await s.next();
      const line = String(await c.call('CLIENT', 'LIST'))
        .split('\n')
        .find((l) => l.includes('name=listener'))!;
      expect(line).to.match(/ flags=P /);
      expect(line).to.match(/ sub=2 psub=1 ssub=3 /);
      await s.call('RESET');
      const after = String(await c.call('CLIENT', 'LIST'))
        .split('\n')
        .find((l) => l.includes('id=') && !l.includes('name=observer'))!;
      expect(after).to.match(/ flags=N /);
      expect(after).to.match(/ sub=0 psub=0 ssub=0 /);
    } finally {
      s.close();
      c.close();
    }
  });
});
