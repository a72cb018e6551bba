import { expect } from 'chai';
import { Database, type KeyspaceHooks } from '../../../lib/engine/keyspace.js';

describe('Database expiry (lib/keyspace)', () => {
  function makeDb(): { db: Database; expired: string[]; clock: { now: number } } {
    const expired: string[] = [];
    const clock = { now: 1_000_000 };
    const hooks: KeyspaceHooks = { keyModified() {}, keyExpired: (_db, k) => expired.push(k), now: () => clock.now };
    return { db: new Database(0, hooks), expired, clock };
  }

  it('active expiry eventually reaches expired keys beyond the first 20 volatile ones', () => {
    const { db, clock } = makeDb();
    // 20 long-lived volatile keys first, then 100 that are about to expire.
    for (let i = 0; i < 20; i++) {
      db.set(`long${i}`, Buffer.from('v'));
      db.setExpire(`long${i}`, clock.now + 1e9);
    }
    for (let i = 0; i < 100; i++) {
      db.set(`short${i}`, Buffer.from('v'));
      db.setExpire(`short${i}`, clock.now + 10);
    }
    clock.now += 100;
    for (let round = 0; round < 20 && db.size > 20; round++) db.activeExpire(10);
    expect(db.size).to.equal(20);
  });

  it('a lookup deletes an expired key and reports it once', () => {
    const { db, expired, clock } = makeDb();
    db.set('k', Buffer.from('v'));
    db.setExpire('k', clock.now + 5);
    clock.now += 5;
    expect(db.lookup('k')).to.equal(undefined);
    expect(db.lookup('k')).to.equal(undefined);
    expect(expired).to.deep.equal(['k']);
  });
});
