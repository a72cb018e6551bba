/**
 * The dashboard in a real browser: Debian's chromium (never a downloaded
 * browser), driven by playwright-core, against a rivulet running a workload
 * (two producers, a slow consumer, a consumer that crashed holding entries,
 * a fast group, and forty small streams). Checks that the page shows the lag
 * XINFO GROUPS reports and the pending counts XPENDING reports, that search
 * and sorting work, and takes the screenshot the README shows
 * (RIVULET_SCREENSHOT=docs/dashboard.png writes it there).
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { RivuletServer } from '../../lib/index.js';
import { connect, rmrf, sleep, tmpDir } from '../helpers.js';
import { pairs, startWithMetrics } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);

describe('metrics dashboard in Chromium', function () {
  this.timeout(120000);
  let s: RivuletServer & { base: string };
  let admin: Redis;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const clients: Redis[] = [];
  const timers: NodeJS.Timeout[] = [];
  const inflight = new Set<Promise<unknown>>();
  let stopped = false;

  /** Runs fn every `ms` until the workload stops, keeping track of the call in flight. */
  const every = (ms: number, fn: () => Promise<unknown>): void => {
    let busy = false;
    timers.push(
      setInterval(() => {
        if (busy || stopped) return;
        busy = true;
        const p = fn()
          .catch(() => undefined)
          .finally(() => {
            busy = false;
            inflight.delete(p);
          });
        inflight.add(p);
      }, ms),
    );
  };

  const stopWorkload = async (): Promise<void> => {
    stopped = true;
    for (const t of timers) clearInterval(t);
    await Promise.all([...inflight]);
  };

  before(async function () {
    if (!HAVE_CHROMIUM) this.skip(); // .ci/run installs Debian's chromium; without it there is no browser to drive
    s = await startWithMetrics();
    admin = connect(s.port);
    const client = (): Redis => {
      const c = connect(s.port);
      clients.push(c);
      return c;
    };
    // Forty small streams, so the table has something to search and sort.
    const p = admin.pipeline();
    for (let i = 0; i < 40; i++) for (let j = 0; j <= i % 7; j++) p.xadd(`events:${String(i).padStart(2, '0')}`, '*', 'n', String(j));
    await p.exec();
    await admin.xgroup('CREATE', 'orders', 'shipping', '$', 'MKSTREAM');
    await admin.xgroup('CREATE', 'payments', 'billing', '$', 'MKSTREAM');
    // The crashed consumer: takes 25 entries, never acknowledges them, goes away.
    for (let i = 0; i < 40; i++) await admin.xadd('orders', '*', 'order', String(i), 'amount', String(10 + i));
    const crashed = client();
    await crashed.xreadgroup('GROUP', 'shipping', 'worker-crashed', 'COUNT', 25, 'STREAMS', 'orders', '>');
    crashed.disconnect();
    // Producers.
    const p1 = client();
    const p2 = client();
    let n = 0;
    every(40, () => p1.xadd('orders', '*', 'order', String(n++), 'amount', '12'));
    every(70, () => p2.xadd('orders', '*', 'order', String(n++), 'amount', '7'));
    every(60, () => p2.xadd('payments', '*', 'payment', String(n++)));
    // The slow consumer: one entry every 300 ms, acknowledged.
    const slow = client();
    every(300, async () => {
      const r = (await slow.xreadgroup('GROUP', 'shipping', 'worker-slow', 'COUNT', 1, 'STREAMS', 'orders', '>')) as [string, [string, string[]][]][] | null;
      const id = r?.[0]?.[1]?.[0]?.[0];
      if (id) await slow.xack('orders', 'shipping', id);
    });
    // A fast group that keeps up.
    const fast = client();
    every(100, async () => {
      const r = (await fast.xreadgroup('GROUP', 'billing', 'biller', 'COUNT', 100, 'STREAMS', 'payments', '>')) as [string, [string, string[]][]][] | null;
      const ids = r?.[0]?.[1]?.map((e) => e[0]) ?? [];
      if (ids.length) await fast.xack('payments', 'billing', ...ids);
    });

    profile = tmpDir('rivulet-chromium-');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 1040 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async () => {
    if (!HAVE_CHROMIUM) return;
    await stopWorkload();
    await context?.close();
    for (const c of clients) c.disconnect();
    admin?.disconnect();
    await s?.close();
    if (profile) rmrf(profile);
  });

  /** A screenshot of the page while the workload runs (copied to RIVULET_SCREENSHOT when set). */
  const shoot = async (): Promise<void> => {
    const out = path.join(profile, 'dashboard.png');
    await page.screenshot({ path: out, fullPage: false });
    if (process.env.RIVULET_SCREENSHOT) fs.copyFileSync(out, process.env.RIVULET_SCREENSHOT);
  };

  /** Waits until the page has rendered a poll answered after `t` (ms). */
  const renderedAfter = async (t: number): Promise<void> => {
    await page.waitForFunction((since) => Number(document.body.dataset.updated ?? 0) > since, t, { timeout: 20000 });
  };

  it('shows every stream, and search narrows the table', async () => {
    await page.goto(`${s.base}/`);
    await page.waitForSelector('tr[data-stream="orders"]');
    expect(await page.locator('#streams tbody tr').count()).to.equal(42);
    await page.fill('#search', 'events:1');
    expect(await page.locator('#streams tbody tr').count()).to.equal(10);
    await page.fill('#search', '');
    expect(await page.locator('#streams tbody tr').count()).to.equal(42);
  });

  it('sorts by a column when its header is clicked', async () => {
    await page.click('th[data-sort="key"]');
    const first = await page.locator('#streams tbody tr').first().getAttribute('data-stream');
    expect(first).to.equal('events:00');
    await page.click('th[data-sort="length"]'); // a number column sorts descending first
    expect(await page.locator('#streams tbody tr').first().getAttribute('data-stream')).to.equal('orders');
    await page.click('th[data-sort="length"]'); // then ascending
    expect(await page.locator('#streams tbody tr').last().getAttribute('data-stream')).to.equal('orders');
    await page.click('th[data-sort="length"]');
  });

  it('shows for each group the lag XINFO GROUPS reports and the pending count XPENDING reports', async () => {
    await page.click('tr[data-stream="orders"]');
    await page.waitForSelector('[data-lag-for="orders/shipping"]');
    // Let the workload run long enough for rates, idle times and a few chart points.
    await sleep(8000);
    // Producers add about 39 entries/s to orders (one per 40 ms and one per 70 ms): the page shows a rate.
    expect(Number(await page.textContent('tr[data-stream="orders"] td[data-col="rate"]'))).to.be.above(5);
    await shoot();
    await stopWorkload();
    const stoppedAt = Date.now();
    await renderedAfter(stoppedAt);
    const groups = ((await admin.xinfo('GROUPS', 'orders')) as unknown[][]).map(pairs);
    const shipping = groups.find((g) => g.name === 'shipping')!;
    expect(shipping.lag).to.be.above(0); // the slow consumer is behind
    expect(await page.textContent('[data-lag-for="orders/shipping"]')).to.equal(String(shipping.lag));
    expect(await page.textContent('[data-pending-for="orders/shipping"]')).to.equal(String(shipping.pending));
    expect(shipping.pending).to.equal(25); // the crashed consumer's entries; the slow one acknowledges its own
    const crashedRow = page.locator('[data-group="shipping"] tr[data-consumer="worker-crashed"] td');
    expect(await crashedRow.nth(1).textContent()).to.equal('25');
    // The stream row's max lag is the same figure.
    expect(await page.textContent('tr[data-stream="orders"] td[data-col="lag"]')).to.equal(Number(shipping.lag).toLocaleString('en-US'));
  });

  it('lists the oldest pending entries with their delivery counts, and no payloads', async () => {
    const rows = page.locator('[data-group="shipping"] .cols > div:nth-child(2) tbody tr');
    expect(await rows.count()).to.equal(5);
    const pending = (await admin.xpending('orders', 'shipping', '-', '+', 1)) as [string, string, number, number][];
    expect(await rows.first().locator('td').first().textContent()).to.equal(pending[0][0]);
    expect(await rows.first().locator('td').nth(3).textContent()).to.equal(String(pending[0][3]));
    expect(await page.content()).not.to.contain('amount');
  });

  it('payments/billing keeps up: its lag is what XINFO says', async () => {
    await page.click('tr[data-stream="payments"]');
    await page.waitForSelector('[data-lag-for="payments/billing"]');
    await renderedAfter(Date.now());
    const [g] = ((await admin.xinfo('GROUPS', 'payments')) as unknown[][]).map(pairs);
    expect(await page.textContent('[data-lag-for="payments/billing"]')).to.equal(String(g.lag));
  });

  it('renders the chart of entries/s and lag, and took the screenshot the README shows', async () => {
    await page.click('tr[data-stream="orders"]');
    await renderedAfter(Date.now());
    for (const cls of ['rate', 'lag']) {
      expect(await page.getAttribute(`#chart path.${cls}`, 'd'), cls).to.match(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
    }
    const png = fs.readFileSync(path.join(profile, 'dashboard.png'));
    expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
  });
});
