/**
 * Dashboard actions (POST /api/action): refused unless `metrics-actions yes`;
 * when `requirepass` is set, only with a session opened by POST /api/login
 * with that password (and invalid once it changes); run as real commands, so
 * they change the data as XACK / XCLAIM / XGROUP SETID do, count in INFO
 * commandstats and reach the AOF.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { RivuletServer } from '../../lib/index.js';
import { actionArgv } from '../../lib/metrics/http.js';
import { connect, rmrf, tmpDir } from '../helpers.js';
import { pairs, postJson, request, startWithMetrics } from './fixture.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A stream `jobs` with group `workers`: w1 holds 3 pending entries, w2 exists with none. Returns their IDs. */
async function workload(r: Redis): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await r.xadd('jobs', '*', 'n', String(i)))!);
  await r.xgroup('CREATE', 'jobs', 'workers', '0');
  await r.xreadgroup('GROUP', 'workers', 'w1', 'COUNT', 3, 'STREAMS', 'jobs', '>');
  await r.xgroup('CREATECONSUMER', 'jobs', 'workers', 'w2');
  return ids;
}

const calls = async (r: Redis, cmd: string): Promise<number> => {
  const m = new RegExp(`cmdstat_${cmd.replace('|', '\\|')}:calls=(\\d+)`).exec(await r.info('commandstats'));
  return m ? Number(m[1]) : 0;
};

describe('metrics dashboard actions', function () {
  this.timeout(30000);

  describe('disabled (the default)', () => {
    let s: RivuletServer & { base: string };
    let r: Redis;
    let ids: string[];
    before(async () => {
      s = await startWithMetrics();
      r = connect(s.port);
      ids = await workload(r);
    });
    after(async () => {
      r.disconnect();
      await s.close();
    });

    it('POST /api/action answers 403 and changes nothing', async () => {
      const res = await postJson(`${s.base}/api/action`, { action: 'xack', db: 0, key: b64('jobs'), group: b64('workers'), id: ids[0] });
      expect(res.status).to.equal(403);
      expect(res.json()).to.deep.equal({ error: 'actions are disabled (metrics-actions no)' });
      expect(((await r.xpending('jobs', 'workers')) as unknown[])[0]).to.equal(3);
      expect(await calls(r, 'xack')).to.equal(0);
    });

    it('/api/state says actions are off', async () => {
      expect((await request(`${s.base}/api/state`)).json()).to.include({ actions: false, authRequired: false, authenticated: true });
    });
  });

  describe('enabled without requirepass, with the AOF on', () => {
    let s: RivuletServer & { base: string };
    let r: Redis;
    let ids: string[];
    let dir: string;
    before(async () => {
      dir = tmpDir('rivulet-metrics-');
      s = await startWithMetrics({ 'metrics-actions': 'yes', dir, appendfsync: 'always' });
      r = connect(s.port);
      ids = await workload(r);
    });
    after(async () => {
      r.disconnect();
      await s.close();
      rmrf(dir);
    });

    it('XACK acknowledges the entry, counts in commandstats and is written to the AOF', async () => {
      const res = await postJson(`${s.base}/api/action`, { action: 'xack', db: 0, key: b64('jobs'), group: b64('workers'), id: ids[0] });
      expect(res.status).to.equal(200);
      expect(res.json()).to.deep.equal({ ok: true, reply: ':1\r\n' });
      expect(((await r.xpending('jobs', 'workers')) as unknown[])[0]).to.equal(2);
      expect(await calls(r, 'xack')).to.equal(1);
      const aofDir = path.join(dir, 'appendonlydir');
      const incr = fs.readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'))!;
      const text = fs.readFileSync(path.join(aofDir, incr), 'latin1');
      expect(text).to.contain(`*4\r\n$4\r\nXACK\r\n$4\r\njobs\r\n$7\r\nworkers\r\n$${ids[0].length}\r\n${ids[0]}\r\n`);
    });

    it('XCLAIM moves a pending entry to another consumer without bumping its delivery count (JUSTID)', async () => {
      const res = await postJson(`${s.base}/api/action`, { action: 'xclaim', db: 0, key: b64('jobs'), group: b64('workers'), id: ids[1], consumer: b64('w2') });
      expect(res.status).to.equal(200);
      const [entry] = (await r.xpending('jobs', 'workers', ids[1], ids[1], 1)) as [string, string, number, number][];
      expect([entry[0], entry[1], entry[3]]).to.deep.equal([ids[1], 'w2', 1]);
      expect(await calls(r, 'xclaim')).to.equal(1);
    });

    it('XGROUP SETID moves the group, so its lag changes as XINFO GROUPS shows', async () => {
      const res = await postJson(`${s.base}/api/action`, { action: 'setid', db: 0, key: b64('jobs'), group: b64('workers'), id: '$' });
      expect(res.status).to.equal(200);
      const [g] = ((await r.xinfo('GROUPS', 'jobs')) as unknown[][]).map(pairs);
      expect(g['last-delivered-id']).to.equal(ids[4]);
      expect(await calls(r, 'xgroup|setid')).to.equal(1);
    });

    it('a command error comes back as 409 with the Redis error text', async () => {
      const res = await postJson(`${s.base}/api/action`, { action: 'xack', db: 0, key: b64('jobs'), group: b64('nope'), id: ids[2] });
      // XACK on a missing group answers 0 in Redis; XCLAIM names the missing group.
      expect(res.status).to.equal(200);
      const claim = await postJson(`${s.base}/api/action`, { action: 'xclaim', db: 0, key: b64('jobs'), group: b64('nope'), id: ids[2], consumer: b64('w2') });
      expect(claim.status).to.equal(409);
      expect(claim.json()).to.deep.equal({ error: "NOGROUP No such key 'jobs' or consumer group 'nope'" });
    });

    it('refuses a body that is not JSON (415) and a request from another origin (403)', async () => {
      const body = JSON.stringify({ action: 'xack', db: 0, key: b64('jobs'), group: b64('workers'), id: ids[2] });
      const form = await request(`${s.base}/api/action`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
      expect(form.status).to.equal(415);
      const cross = await postJson(`${s.base}/api/action`, JSON.parse(body), { Origin: 'http://evil.example' });
      expect(cross.status).to.equal(403);
      expect(((await r.xpending('jobs', 'workers')) as unknown[])[0]).to.equal(2);
    });

    it('validates the action before running anything (400)', async () => {
      for (const bad of [
        { action: 'del', db: 0, key: b64('jobs'), group: b64('workers'), id: ids[2] },
        { action: 'xack', db: 99, key: b64('jobs'), group: b64('workers'), id: ids[2] },
        { action: 'xack', db: 0, key: 'not base64!', group: b64('workers'), id: ids[2] },
        { action: 'xack', db: 0, key: b64('jobs'), group: b64('workers'), id: '1-2 3' },
        { action: 'xclaim', db: 0, key: b64('jobs'), group: b64('workers'), id: ids[2] },
      ]) {
        expect((await postJson(`${s.base}/api/action`, bad)).status, JSON.stringify(bad)).to.equal(400);
      }
    });
  });

  describe('enabled with requirepass', () => {
    let s: RivuletServer & { base: string };
    let r: Redis;
    let ids: string[];
    before(async () => {
      s = await startWithMetrics({ 'metrics-actions': 'yes', requirepass: 's3cret' });
      r = connect(s.port, { password: 's3cret' });
      ids = await workload(r);
    });
    after(async () => {
      r.disconnect();
      await s.close();
    });

    const ack = (id: string, cookie?: string) =>
      postJson(`${s.base}/api/action`, { action: 'xack', db: 0, key: b64('jobs'), group: b64('workers'), id }, cookie ? { Cookie: cookie } : {});

    it('an action without a session is refused with 401 and changes nothing', async () => {
      const res = await ack(ids[0]);
      expect(res.status).to.equal(401);
      expect(res.json()).to.deep.equal({ error: 'NOAUTH Authentication required.' });
      expect(((await r.xpending('jobs', 'workers')) as unknown[])[0]).to.equal(3);
      expect((await request(`${s.base}/api/state`)).json()).to.include({ actions: true, authRequired: true, authenticated: false });
    });

    it('a wrong password gets 401 and no cookie', async () => {
      const res = await postJson(`${s.base}/api/login`, { password: 'guess' });
      expect(res.status).to.equal(401);
      expect(res.headers.get('set-cookie')).to.equal(null);
      expect((await ack(ids[0], 'rivulet_session=made-up')).status).to.equal(401);
    });

    it('the right password gives an HttpOnly SameSite=Strict session that allows actions', async () => {
      const login = await postJson(`${s.base}/api/login`, { password: 's3cret' });
      expect(login.status).to.equal(200);
      const setCookie = login.headers.get('set-cookie')!;
      expect(setCookie).to.match(/^rivulet_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/);
      const cookie = setCookie.split(';')[0];
      expect((await request(`${s.base}/api/state`, { headers: { Cookie: cookie } })).json()).to.include({ authenticated: true });
      const res = await ack(ids[0], cookie);
      expect(res.status).to.equal(200);
      expect(((await r.xpending('jobs', 'workers')) as unknown[])[0]).to.equal(2);
    });

    it('a session ends when requirepass changes', async () => {
      const cookie = (await postJson(`${s.base}/api/login`, { password: 's3cret' })).headers.get('set-cookie')!.split(';')[0];
      expect((await ack(ids[1], cookie)).status).to.equal(200);
      await r.config('SET', 'requirepass', 'other');
      expect((await ack(ids[2], cookie)).status).to.equal(401);
      expect(((await r.xpending('jobs', 'workers')) as unknown[])[0]).to.equal(1);
    });

    it('turning metrics-actions off refuses even an authenticated session', async () => {
      const cookie = (await postJson(`${s.base}/api/login`, { password: 'other' })).headers.get('set-cookie')!.split(';')[0];
      await r.config('SET', 'metrics-actions', 'no');
      expect((await ack(ids[2], cookie)).status).to.equal(403);
    });
  });

  describe('actionArgv', () => {
    it('builds XACK, XCLAIM ... 0 id JUSTID and XGROUP SETID from the names bytes', () => {
      const key = Buffer.from([0xff, 0x00, 0x41]);
      const argv = actionArgv({ action: 'xclaim', db: 2, key: key.toString('base64'), group: b64('g'), consumer: b64('c'), id: '5-1' }, 16);
      expect(argv).to.deep.equal({ db: 2, argv: ['XCLAIM', key, Buffer.from('g'), Buffer.from('c'), '0', '5-1', 'JUSTID'] });
      expect(actionArgv({ action: 'setid', db: 0, key: b64('k'), group: b64('g'), id: '$' }, 16)).to.deep.equal({
        db: 0,
        argv: ['XGROUP', 'SETID', Buffer.from('k'), Buffer.from('g'), '$'],
      });
      expect(actionArgv({ action: 'xack', db: 0, key: b64('k'), group: b64('g'), id: '$' }, 16)).to.equal('id must be a stream ID');
    });
  });
});
