/**
 * The server's metric families are encoded by rivulet (lib/metrics/prom.ts,
 * encodeFamilies), not by prom-client's Registry, for speed: the text must
 * be exactly what prom-client writes for the same families, byte for byte,
 * for names that need escaping, label values that are numbers, NaN and
 * infinite values, histograms and summaries.
 */
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import type { RivuletServer } from '../../lib/index.js';
import { Family, PromExporter, encodeFamilies, type Scrape } from '../../lib/metrics/prom.js';
import { aofView, selectStreams, viewStream } from '../../lib/metrics/state.js';
import { connect } from '../helpers.js';
import { parseExposition, valueOf } from './exposition.js';
import { startWithMetrics } from './fixture.js';

describe('metrics exposition encoder', function () {
  this.timeout(30_000);
  let s: RivuletServer;
  let r: Redis;

  before(async () => {
    s = await startWithMetrics();
    r = connect(s.port);
    const names = ['plain', 'we"ird\\name\nx', 'naïve ✓', 'back\\\\slash', 'quote"', 'nl\n\n', ''];
    for (const [i, key] of names.entries()) {
      for (let j = 0; j <= i; j++) await r.xadd(key, '*', 'f', String(j));
      await r.xgroup('CREATE', key, `g"${i}\\`, '0');
      await r.xreadgroup('GROUP', `g"${i}\\`, `c\n${i}`, 'COUNT', 1, 'STREAMS', key, '>');
      await r.xgroup('CREATECONSUMER', key, `g"${i}\\`, 'never-read');
    }
    // An invalid UTF-8 key name, and a second database.
    await r.xadd(Buffer.from([0x6b, 0xff, 0xfe]), '*', 'f', 'v');
    await r.select(2);
    await r.xadd('db2stream', '*', 'f', 'v');
    await r.select(0);
    // Commands with latency histograms and error statistics.
    await r.set('k', 'v');
    await r.get('k');
    await r.call('XADD', 'plain', '0-1', 'f', 'v').catch(() => null);
  });

  after(async () => {
    r.disconnect();
    await s.close();
  });

  const scrapeOf = (): Scrape => {
    const now = Date.now();
    const sel = selectStreams(s.server, '', 100);
    return {
      server: s.server,
      now,
      streams: sel.streams.map((ref) => viewStream(ref, now, false)),
      matched: sel.matched,
      aof: aofView([['aof_enabled', 0]], 0),
      rss: 123456789,
      usedMemory: 987654,
      lastScrapeMs: 1.25,
      lastScrapeCpuMs: 0.5,
    };
  };

  it("writes the server's families exactly as prom-client's Registry does", async () => {
    const exporter = new PromExporter();
    const scrape = scrapeOf();
    // The process's CPU time is read when each text is made, so it differs between the two; only its value is masked.
    const cpu = (t: string): string => t.replace(/^(redis_cpu_(?:sys|user)_seconds_total) \d+(?:\.\d+)?(?:e-\d+)?$/gm, '$1 <cpu>');
    const ours = exporter.ownText(scrape);
    const theirs = await exporter.textViaPromClient(scrape);
    expect(cpu(ours)).to.equal(cpu(theirs));
    expect(ours.split('\n').length).to.be.greaterThan(300);
    // ... and the text is what a Prometheus server reads, with the escaped names intact.
    const fams = parseExposition(ours);
    expect(valueOf(fams, 'redis_stream_length', { db: 'db0', stream: 'we"ird\\name\nx' })).to.equal(2);
    expect(valueOf(fams, 'redis_stream_group_consumer_messages_pending', { db: 'db0', stream: 'naïve ✓', group: 'g"2\\', consumer: 'c\n2' })).to.equal(1);
    expect(valueOf(fams, 'redis_stream_length', { db: 'db2', stream: 'db2stream' })).to.equal(1);
  });

  it('numbers, NaN, infinities, numeric label values and empty families as prom-client writes them', async () => {
    const samples: { value: number; labels?: Record<string, string | number>; metricName?: string }[] = [
      { value: NaN },
      { value: Infinity, labels: { a: 'x' } },
      { value: -Infinity, labels: { n: 42, f: 1.5 } },
      { value: 1e21, labels: {} },
      { value: -0.000001, metricName: 'other_name_sum', labels: { q: '"\\\n' } },
      { value: 0 },
    ];
    const fams = [
      new Family('t_values', 'help with \\ and\nnewline and "quotes"', 'gauge', () => samples, () => ({}) as Scrape),
      new Family('t_empty', 'no samples', 'counter', () => [], () => ({}) as Scrape),
    ];
    const { default: client } = await import('prom-client');
    const registry = new client.Registry();
    for (const f of fams) registry.registerMetric(f as unknown as import('prom-client').Metric);
    expect(encodeFamilies(fams)).to.equal(await registry.metrics());
  });
});
