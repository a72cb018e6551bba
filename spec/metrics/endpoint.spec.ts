/**
 * The metrics endpoint (lib/metrics): off by default, `/metrics` in the
 * Prometheus text format (checked by a strict parser of the format), figures
 * equal to what XINFO, INFO and CONFIG report, the per-stream bounds, the
 * dashboard's files and JSON, and the rules on what it serves.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { Redis } from 'ioredis';
import type { RivuletServer } from '../../lib/index.js';
import { metricsSettled } from '../../lib/metrics/index.js';
import { connect, freePort, ROOT, startRivulet } from '../helpers.js';
import { parseExposition, samplesOf, valueOf } from './exposition.js';
import { pairs, request, startWithMetrics } from './fixture.js';

describe('metrics endpoint', function () {
  this.timeout(30000);

  describe('off by default', () => {
    it('a server started without metrics-port has no endpoint and CONFIG GET shows metrics-port 0', async () => {
      const s = await startRivulet();
      const r = connect(s.port);
      try {
        expect(s.metricsPort).to.equal(null);
        expect(await r.config('GET', 'metrics-*')).to.deep.equal([
          'metrics-port', '0',
          'metrics-bind', '127.0.0.1',
          'metrics-streams', '',
          'metrics-streams-max', '100',
          'metrics-actions', 'no',
          'metrics-payloads', 'no',
        ]);
      } finally {
        r.disconnect();
        await s.close();
      }
    });

    it('prom-client is not loaded until the endpoint starts (CONFIG SET metrics-port starts it)', async () => {
      const port = await freePort();
      // A separate process, so this test's own imports cannot hide a load: prom-client is CommonJS, so require.cache shows it.
      const script = `
        import { createRequire } from 'node:module';
        import { createServer } from ${JSON.stringify(ROOT + '/dist/lib/index.js')};
        const require = createRequire(import.meta.url);
        const loaded = () => Object.keys(require.cache).some((k) => k.includes('prom-client'));
        const s = await createServer({ port: 0 });
        const before = loaded();
        s.server.config.apply('metrics-port', ['${port}']);
        const { metricsSettled } = await import(${JSON.stringify(ROOT + '/dist/lib/metrics/index.js')});
        await metricsSettled(s.server);
        const res = await fetch('http://127.0.0.1:${port}/metrics');
        console.log(JSON.stringify({ before, after: loaded(), status: res.status }));
        await s.close();
      `;
      const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
      expect(out.stderr).to.equal('');
      expect(JSON.parse(out.stdout.trim())).to.deep.equal({ before: false, after: true, status: 200 });
    });

    it('CONFIG SET metrics-port opens the endpoint and CONFIG SET metrics-port 0 closes it', async () => {
      const s = await startRivulet();
      const r = connect(s.port);
      try {
        const port = await freePort();
        expect(await r.config('SET', 'metrics-port', String(port))).to.equal('OK');
        await metricsSettled(s.server);
        expect(s.metricsPort).to.equal(port);
        expect((await request(`http://127.0.0.1:${port}/metrics`)).status).to.equal(200);
        expect(await r.config('SET', 'metrics-port', '0')).to.equal('OK');
        await metricsSettled(s.server);
        expect(s.metricsPort).to.equal(null);
        let refused = false;
        try {
          await fetch(`http://127.0.0.1:${port}/metrics`);
        } catch {
          refused = true;
        }
        expect(refused).to.equal(true);
      } finally {
        r.disconnect();
        await s.close();
      }
    });

    it('a metrics-port that cannot be bound fails start-up with the address in the error', async () => {
      const blocker = http.createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
      const port = (blocker.address() as { port: number }).port;
      try {
        let err: Error | null = null;
        try {
          const s = await startRivulet({ 'metrics-port': port });
          await s.close();
        } catch (e) {
          err = e as Error;
        }
        expect(err?.message).to.equal(`Could not create metrics HTTP listening socket 127.0.0.1:${port}: EADDRINUSE`);
      } finally {
        blocker.close();
      }
    });
  });

  describe('/metrics', () => {
    let s: RivuletServer & { base: string };
    let r: Redis;
    before(async () => {
      s = await startWithMetrics();
      r = connect(s.port);
      for (let i = 0; i < 30; i++) await r.xadd('orders', '*', 'item', `book-${i}`);
      await r.xgroup('CREATE', 'orders', 'shipping', '0');
      await r.xgroup('CREATE', 'orders', 'billing', '$');
      await r.xreadgroup('GROUP', 'shipping', 'alice', 'COUNT', 10, 'STREAMS', 'orders', '>');
      await r.xreadgroup('GROUP', 'shipping', 'bob', 'COUNT', 4, 'STREAMS', 'orders', '>');
      await r.xgroup('CREATECONSUMER', 'orders', 'shipping', 'carol');
      // Two re-deliveries of alice's first entry: XCLAIM counts them.
      const [first] = (await r.xpending('orders', 'shipping', '-', '+', 1)) as [string, string, number, number][];
      await r.xclaim('orders', 'shipping', 'alice', 0, first[0]);
      await r.xclaim('orders', 'shipping', 'alice', 0, first[0]);
      await r.xadd('orders', '*', 'item', 'late');
      await r.set('plain', 'x');
      await r.xreadgroup('GROUP', 'nosuchgroup', 'x', 'STREAMS', 'orders', '>').catch(() => undefined);
      await r.xadd('orders', 'bad-id', 'f', 'v').catch(() => undefined);
    });
    after(async () => {
      r.disconnect();
      await s.close();
    });

    it('is served as text/plain version 0.0.4 and passes the strict exposition parser', async () => {
      const res = await request(`${s.base}/metrics`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/plain; version=0.0.4; charset=utf-8');
      const fams = parseExposition(res.text);
      for (const name of [
        'redis_up',
        'redis_connected_clients',
        'redis_commands_total',
        'redis_commands_latencies_usec',
        'redis_latency_percentiles_usec',
        'redis_errors_total',
        'redis_db_keys',
        'redis_aof_enabled',
        'redis_stream_length',
        'redis_stream_group_lag',
        'redis_stream_group_consumer_idle_seconds',
        'process_resident_memory_bytes',
        'nodejs_heap_size_used_bytes',
      ]) {
        expect(fams.has(name), name).to.equal(true);
      }
      expect(fams.get('redis_commands_total')!.type).to.equal('counter');
      expect(fams.get('redis_commands_latencies_usec')!.type).to.equal('histogram');
      expect(fams.get('redis_latency_percentiles_usec')!.type).to.equal('summary');
      expect(fams.get('redis_stream_group_lag')!.type).to.equal('gauge');
    });

    it('per-group lag, pending, consumers and entries-read equal XINFO GROUPS', async () => {
      const fams = parseExposition((await request(`${s.base}/metrics`)).text);
      const groups = ((await r.xinfo('GROUPS', 'orders')) as unknown[][]).map(pairs);
      expect(groups.map((g) => g.name)).to.deep.equal(['billing', 'shipping']);
      for (const g of groups) {
        const labels = { db: 'db0', stream: 'orders', group: String(g.name) };
        // XINFO's nil lag (unknown) is an absent series, not a number.
        expect(valueOf(fams, 'redis_stream_group_lag', labels), `lag of ${g.name}`).to.equal(g.lag === null ? undefined : g.lag);
        expect(valueOf(fams, 'redis_stream_group_messages_pending', labels)).to.equal(g.pending);
        expect(valueOf(fams, 'redis_stream_group_consumers', labels)).to.equal(g.consumers);
        expect(valueOf(fams, 'redis_stream_group_entries_read', labels)).to.equal(g['entries-read'] === null ? undefined : g['entries-read']);
      }
      // Literal figures of this workload: 31 entries, shipping read 14 (lag 17); billing, created at `$`
      // without ENTRIESREAD, has an unknown read counter once an entry follows, so XINFO says nil.
      expect(valueOf(fams, 'redis_stream_group_lag', { db: 'db0', stream: 'orders', group: 'shipping' })).to.equal(17);
      expect(groups[0].lag).to.equal(null);
      expect(valueOf(fams, 'redis_stream_group_lag', { db: 'db0', stream: 'orders', group: 'billing' })).to.equal(undefined);
      expect(valueOf(fams, 'redis_stream_group_max_delivery_count', { db: 'db0', stream: 'orders', group: 'shipping' })).to.equal(3);
      expect(valueOf(fams, 'redis_stream_group_max_delivery_count', { db: 'db0', stream: 'orders', group: 'billing' })).to.equal(0);
    });

    it('per-consumer pending equals XINFO CONSUMERS; idle is in seconds; a consumer that never read has no inactive series', async () => {
      const fams = parseExposition((await request(`${s.base}/metrics`)).text);
      const consumers = ((await r.xinfo('CONSUMERS', 'orders', 'shipping')) as unknown[][]).map(pairs);
      expect(consumers.map((c) => [c.name, c.pending])).to.deep.equal([
        ['alice', 10],
        ['bob', 4],
        ['carol', 0],
      ]);
      for (const c of consumers) {
        const labels = { db: 'db0', stream: 'orders', group: 'shipping', consumer: String(c.name) };
        expect(valueOf(fams, 'redis_stream_group_consumer_messages_pending', labels)).to.equal(c.pending);
        const idle = valueOf(fams, 'redis_stream_group_consumer_idle_seconds', labels)!;
        expect(idle).to.be.within(0, 30);
      }
      expect(valueOf(fams, 'redis_stream_group_consumer_inactive_seconds', { db: 'db0', stream: 'orders', group: 'shipping', consumer: 'carol' })).to.equal(undefined);
      expect(valueOf(fams, 'redis_stream_group_consumer_inactive_seconds', { db: 'db0', stream: 'orders', group: 'shipping', consumer: 'alice' })).to.be.a('number');
    });

    it('per-stream length, entries added, first/last ID time and groups equal XINFO STREAM', async () => {
      const fams = parseExposition((await request(`${s.base}/metrics`)).text);
      const info = pairs((await r.xinfo('STREAM', 'orders')) as unknown[]);
      const labels = { db: 'db0', stream: 'orders' };
      expect(valueOf(fams, 'redis_stream_length', labels)).to.equal(31);
      expect(info.length).to.equal(31);
      expect(valueOf(fams, 'redis_stream_entries_added_total', labels)).to.equal(info['entries-added']);
      expect(valueOf(fams, 'redis_stream_groups', labels)).to.equal(2);
      const firstMs = Number(String((info['first-entry'] as unknown[])[0]).split('-')[0]);
      const lastMs = Number(String((info['last-entry'] as unknown[])[0]).split('-')[0]);
      expect(valueOf(fams, 'redis_stream_first_entry_id', labels)).to.equal(firstMs);
      expect(valueOf(fams, 'redis_stream_last_entry_id', labels)).to.equal(lastMs);
      // The value's bytes: MEMORY USAGE less the key's own overhead.
      const usage = (await r.memory('USAGE', 'orders')) as number;
      expect(usage - valueOf(fams, 'redis_stream_memory_usage_bytes', labels)!).to.be.within(0, 128);
    });

    it('commands and errors per command equal INFO commandstats and errorstats', async () => {
      const text = (await request(`${s.base}/metrics`)).text;
      const fams = parseExposition(text);
      const info = await r.info('commandstats');
      const xadd = /cmdstat_xadd:calls=(\d+),usec=\d+,usec_per_call=[\d.]+,rejected_calls=(\d+),failed_calls=(\d+)/.exec(info)!;
      expect(valueOf(fams, 'redis_commands_total', { cmd: 'xadd' })).to.equal(Number(xadd[1]));
      expect(valueOf(fams, 'redis_commands_failed_calls_total', { cmd: 'xadd' })).to.equal(Number(xadd[3]));
      expect(Number(xadd[3])).to.equal(1);
      expect(valueOf(fams, 'redis_commands_failed_calls_total', { cmd: 'xreadgroup' })).to.equal(1);
      const errors = await r.info('errorstats');
      const nogroup = /errorstat_NOGROUP:count=(\d+)/.exec(errors)!;
      expect(valueOf(fams, 'redis_errors_total', { err: 'NOGROUP' })).to.equal(Number(nogroup[1]));
      // The latency histogram counts the calls made since the endpoint started: here, all of them.
      expect(valueOf(fams, 'redis_commands_latencies_usec_count', { cmd: 'xadd' })).to.equal(Number(xadd[1]));
      const p50 = valueOf(fams, 'redis_latency_percentiles_usec', { cmd: 'xadd', quantile: '0.5' })!;
      expect(Math.log2(p50) % 1).to.equal(0); // a bucket bound: a power of two µs
    });

    it('server figures: clients, keyspace, memory and AOF state', async () => {
      const fams = parseExposition((await request(`${s.base}/metrics`)).text);
      expect(valueOf(fams, 'redis_up')).to.equal(1);
      expect(valueOf(fams, 'redis_connected_clients')).to.equal(1);
      expect(valueOf(fams, 'redis_blocked_clients')).to.equal(0);
      expect(valueOf(fams, 'redis_db_keys', { db: 'db0' })).to.equal(2);
      expect(valueOf(fams, 'redis_db_keys_expiring', { db: 'db0' })).to.equal(0);
      expect(valueOf(fams, 'redis_aof_enabled')).to.equal(0);
      expect(valueOf(fams, 'redis_aof_last_write_status')).to.equal(1);
      const used = Number(/used_memory:(\d+)/.exec(await r.info('memory'))![1]);
      expect(valueOf(fams, 'redis_memory_used_bytes')).to.be.within(used - 100_000, used + 100_000);
      expect(valueOf(fams, 'redis_memory_used_rss_bytes')).to.be.above(1e6);
      const info = samplesOf(fams, 'redis_instance_info');
      expect(info).to.have.length(1);
      expect(info[0].labels.redis_version).to.equal('7.4.0');
      expect(info[0].labels.tcp_port).to.equal(String(s.port));
    });

    it('INFO reports nothing about the endpoint (clients parse it)', async () => {
      const info = await r.info('everything');
      // Field names, less the per-command (commandstats, latencystats), per-error and per-db lines that depend on what ran.
      const names = (text: string): string[] =>
        text
          .split('\r\n')
          .filter((l) => l.includes(':'))
          .map((l) => l.slice(0, l.indexOf(':')))
          .filter((f) => !/^(cmdstat_|errorstat_|latency_percentiles_usec_|db\d+$)/.test(f));
      const fields = names(info);
      expect(fields.length).to.be.above(100);
      expect(fields.filter((f) => /metric|dashboard/i.test(f))).to.deep.equal([]);
      const s2 = await startRivulet();
      const r2 = connect(s2.port);
      try {
        const plain = names(await r2.info('everything'));
        expect(fields).to.deep.equal(plain);
      } finally {
        r2.disconnect();
        await s2.close();
      }
    });

    it('stream, group and consumer names are escaped label values', async () => {
      await r.xadd('we"ird\\name\nx', '*', 'f', 'v');
      await r.xgroup('CREATE', 'we"ird\\name\nx', 'g"1', '0');
      const fams = parseExposition((await request(`${s.base}/metrics`)).text);
      expect(valueOf(fams, 'redis_stream_group_lag', { db: 'db0', stream: 'we"ird\\name\nx', group: 'g"1' })).to.equal(1);
      await r.del('we"ird\\name\nx');
    });
  });

  describe('bounds', () => {
    let s: RivuletServer & { base: string };
    let r: Redis;
    before(async () => {
      s = await startWithMetrics({ 'metrics-streams-max': 5 });
      r = connect(s.port);
      // 12 streams of lengths 1..12 in db0 (orders:1 .. orders:12), two in db3 (audit:*), and a string.
      for (let i = 1; i <= 12; i++) {
        const p = r.pipeline();
        for (let j = 0; j < i; j++) p.xadd(`orders:${i}`, '*', 'n', String(j));
        await p.exec();
        await r.xgroup('CREATE', `orders:${i}`, 'g', '0');
      }
      await r.select(3);
      for (let j = 0; j < 20; j++) await r.xadd('audit:a', '*', 'n', String(j));
      await r.xadd('audit:b', '*', 'n', '0');
      await r.select(0);
      await r.set('orders:string', 'not a stream');
    });
    after(async () => {
      r.disconnect();
      await s.close();
    });

    const exported = async (): Promise<string[]> => {
      const fams = parseExposition((await request(`${s.base}/metrics`)).text);
      return samplesOf(fams, 'redis_stream_length').map((x) => `${x.labels.db}/${x.labels.stream}=${x.value}`);
    };

    it('metrics-streams-max keeps only the N longest streams over all databases, and says how many matched', async () => {
      expect(await exported()).to.have.members(['db3/audit:a=20', 'db0/orders:12=12', 'db0/orders:11=11', 'db0/orders:10=10', 'db0/orders:9=9']);
      const fams = parseExposition((await request(`${s.base}/metrics`)).text);
      expect(valueOf(fams, 'rivulet_metrics_streams_matched')).to.equal(14);
      expect(valueOf(fams, 'rivulet_metrics_streams_exported')).to.equal(5);
      // Group and consumer series follow the same bound.
      expect(samplesOf(fams, 'redis_stream_group_lag')).to.have.length(4);
    });

    it('metrics-streams (a glob, set with CONFIG SET) picks the streams by name before the bound', async () => {
      await r.config('SET', 'metrics-streams', 'orders:1?');
      try {
        expect(await exported()).to.have.members(['db0/orders:12=12', 'db0/orders:11=11', 'db0/orders:10=10']);
        await r.config('SET', 'metrics-streams', 'audit:*');
        expect(await exported()).to.have.members(['db3/audit:a=20', 'db3/audit:b=1']);
      } finally {
        await r.config('SET', 'metrics-streams', '');
      }
    });

    it('metrics-streams-max 0 drops every per-stream series but keeps the server figures', async () => {
      await r.config('SET', 'metrics-streams-max', '0');
      try {
        const fams = parseExposition((await request(`${s.base}/metrics`)).text);
        expect(samplesOf(fams, 'redis_stream_length')).to.have.length(0);
        expect(samplesOf(fams, 'redis_stream_group_consumer_idle_seconds')).to.have.length(0);
        expect(valueOf(fams, 'rivulet_metrics_streams_matched')).to.equal(14);
        expect(valueOf(fams, 'redis_db_keys', { db: 'db3' })).to.equal(2);
      } finally {
        await r.config('SET', 'metrics-streams-max', '5');
      }
    });

    it('an expired stream is neither reported nor deleted by a scrape', async () => {
      await r.xadd('orders:gone', '*', 'n', '1');
      await r.pexpire('orders:gone', 1);
      await new Promise((res) => setTimeout(res, 20));
      await r.config('SET', 'metrics-streams', 'orders:gone');
      try {
        await r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0').catch(() => undefined);
        expect(await exported()).to.deep.equal([]);
      } finally {
        await r.config('SET', 'metrics-streams', '');
        await r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1').catch(() => undefined);
      }
    });
  });

  describe('dashboard files and JSON', () => {
    let s: RivuletServer & { base: string };
    let r: Redis;
    before(async () => {
      s = await startWithMetrics();
      r = connect(s.port);
      await r.xadd('jobs', '*', 'secret', 'card-4111');
      await r.xgroup('CREATE', 'jobs', 'workers', '0');
      await r.xreadgroup('GROUP', 'workers', 'w1', 'STREAMS', 'jobs', '>');
    });
    after(async () => {
      r.disconnect();
      await s.close();
    });

    it('serves the page, its script and style sheet with a restrictive Content-Security-Policy', async () => {
      const page = await request(`${s.base}/`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(page.text).to.contain('<script src="app.js"></script>');
      expect(page.headers.get('content-security-policy')).to.contain("script-src 'self'");
      expect((await request(`${s.base}/app.js`)).headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
      expect((await request(`${s.base}/style.css`)).status).to.equal(200);
    });

    it('answers 404 for anything else, including paths that try to leave the dashboard directory', async () => {
      for (const p of ['/package.json', '/dashboard/app.js', '/%2e%2e/%2e%2e/package.json', '/app.js/..%2f..%2fhttp.js', '/api', '/metrics/x']) {
        expect((await request(`${s.base}${p}`)).status, p).to.equal(404);
      }
    });

    it('refuses other methods with 405 and an Allow header', async () => {
      const res = await request(`${s.base}/metrics`, { method: 'POST' });
      expect(res.status).to.equal(405);
      expect(res.headers.get('allow')).to.equal('GET, HEAD');
    });

    it('answers only to a loopback Host while bound to loopback (no DNS rebinding)', async () => {
      const status = (host: string): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = http.get({ host: '127.0.0.1', port: s.metricsPort!, path: '/api/state', headers: { Host: host } }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          });
          req.on('error', reject);
        });
      expect(await status('evil.example:80')).to.equal(421);
      expect(await status(`localhost:${s.metricsPort}`)).to.equal(200);
      expect(await status(`[::1]:${s.metricsPort}`)).to.equal(200);
    });

    it('/api/state lists streams, groups and pending entries without payloads by default', async () => {
      const res = await request(`${s.base}/api/state`);
      expect(res.text).not.to.contain('card-4111');
      const st = res.json() as { streams: { key: string; groups: { name: string; lag: number; pending: number; oldest: { consumer: string; deliveries: number; fields?: unknown }[] }[] }[]; actions: boolean; payloads: boolean };
      expect(st.actions).to.equal(false);
      expect(st.payloads).to.equal(false);
      const g = st.streams.find((x) => x.key === 'jobs')!.groups[0];
      expect([g.name, g.lag, g.pending]).to.deep.equal(['workers', 0, 1]);
      expect(g.oldest.map((p) => [p.consumer, p.deliveries, 'fields' in p])).to.deep.equal([['w1', 1, false]]);
    });

    it('with metrics-payloads yes the oldest pending entries carry their fields', async () => {
      await r.config('SET', 'metrics-payloads', 'yes');
      try {
        const st = (await request(`${s.base}/api/state`)).json() as { streams: { key: string; groups: { oldest: { fields?: string[] }[] }[] }[] };
        expect(st.streams.find((x) => x.key === 'jobs')!.groups[0].oldest[0].fields).to.deep.equal(['secret', 'card-4111']);
      } finally {
        await r.config('SET', 'metrics-payloads', 'no');
      }
    });
  });
});

describe('metrics endpoint from the command line', function () {
  this.timeout(30000);

  it('rivulet-server --metrics-port serves /metrics and the dashboard, and logs where', async () => {
    const { startRivuletProcess } = await import('../helpers.js');
    const mport = await freePort();
    const p = await startRivuletProcess(['--metrics-port', String(mport), '--appendonly', 'no']);
    try {
      // PING answers once the Redis port listens; the endpoint opens right after it.
      for (let i = 0; i < 100 && !p.output().includes('Metrics endpoint listening'); i++) await new Promise((res) => setTimeout(res, 50));
      const m = await request(`http://127.0.0.1:${mport}/metrics`);
      expect(m.status).to.equal(200);
      expect(parseExposition(m.text).has('redis_up')).to.equal(true);
      expect((await request(`http://127.0.0.1:${mport}/`)).status).to.equal(200);
      expect(p.output(), p.output()).to.contain(`Metrics endpoint listening on http://127.0.0.1:${mport}/ (dashboard) and /metrics`);
    } finally {
      await p.stop();
    }
  });
});
