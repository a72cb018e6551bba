/**
 * The metrics HTTP server: `/metrics` (Prometheus text format), the
 * dashboard (`/`, its script and style sheet, served from the package as
 * they are: no build step) and the dashboard's JSON API.
 *
 *   GET  /metrics        Prometheus exposition (prom.ts)
 *   GET  /api/state      streams, groups, consumers, oldest pending entries, history (JSON)
 *   POST /api/login      {"password"}: a session cookie for actions when requirepass is set
 *   POST /api/action     {"action": "xack"|"xclaim"|"setid", ...}: runs the command (run-command.ts)
 *
 * Security rules:
 * - It listens only on `metrics-bind` and serves only the routes above and
 *   three fixed files; anything else is 404.
 * - Read-only unless `metrics-actions yes`. Actions then need, when
 *   `requirepass` is set, a session obtained with that password (cookie,
 *   HttpOnly, SameSite=Strict; invalid as soon as the password changes), a
 *   JSON body (which a cross-site form cannot send without a preflight) and,
 *   when the browser sends one, an Origin equal to the page's own.
 * - Entry payloads (field values) are never sent unless `metrics-payloads yes`.
 * - Bound to a loopback address, it answers only requests whose Host names a
 *   loopback address (no DNS rebinding from a web page).
 */
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../engine/engine.js';
import { aofOf } from '../persistence/index.js';
import { groupLag } from '../stream/lag.js';
import { PromExporter, labelText } from './prom.js';
import { aofView, selectStreams, viewStream, type AofView, type StreamView } from './state.js';
import { runCommand } from './run-command.js';
import { REDIS_VERSION, VERSION } from '../version.js';

/** Streams the dashboard lists at most (the longest ones matching metrics-streams). */
export const DASHBOARD_STREAMS = 1000;
/**
 * History: one sample every SAMPLE_MS, kept for HISTORY_SAMPLES samples (10
 * minutes), taken only while the dashboard was looked at in the last
 * WATCHED_MS (a sample walks the keyspace, which a server nobody watches
 * should not pay for; scrapes of /metrics do not need it).
 */
const SAMPLE_MS = 2000;
const HISTORY_SAMPLES = 300;
const WATCHED_MS = 10 * 60 * 1000;
/** A stream's rate is measured over this many samples back (10 s). */
const RATE_SPAN = 5;
/** Login sessions last this long. */
const SESSION_MS = 12 * 60 * 60 * 1000;
const MAX_BODY = 64 * 1024;

/** The dashboard's files, as they are in the package (lib/metrics/dashboard), never a path from the request. */
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
/**
 * The dashboard's directory, found upwards from this module's own file (the
 * ESM build runs from dist/lib/metrics/, the CommonJS one from
 * dist/cjs/lib/metrics/): lib/metrics/dashboard/ in a checkout, else the
 * copy scripts/build.mjs puts in dist/dashboard/ (what the tarball has). The
 * file comes from V8's call sites, not import.meta, which the CommonJS build
 * cannot compile.
 */
const DASHBOARD_DIR = (() => {
  const start = path.dirname(thisFile());
  for (const sub of [path.join('lib', 'metrics', 'dashboard'), 'dashboard']) {
    let dir = start;
    for (let up = 0; up < 6; up++) {
      const candidate = path.join(dir, sub);
      if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate + path.sep;
      dir = path.dirname(dir);
    }
  }
  return path.join(start, 'dashboard') + path.sep;
})();

/** The path of this module's file, from the first frame of a call-site stack. */
function thisFile(): string {
  const prepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_err, frames) => frames;
    const frames = new Error().stack as unknown as NodeJS.CallSite[];
    const name = frames[0].getFileName() ?? '';
    return name.startsWith('file:') ? fileURLToPath(name) : name;
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

interface Sample {
  t: number;
  /** Sum of entries-added over the sampled streams. */
  added: number;
  /** Sum of known group lags over the sampled streams. */
  lag: number;
  /** Per stream (db + NUL + key): entries-added and summed lag. */
  perStream: Map<string, { added: number; lag: number }>;
}

export class MetricsHttp {
  port = 0;
  bind = '';
  private readonly http: http.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly exporter = new PromExporter();
  private readonly sessions = new Map<string, { expires: number; pw: string }>();
  private readonly history: Sample[] = [];
  private sampler: NodeJS.Timeout | null = null;
  private lastScrapeMs = 0;
  private lastScrapeCpuMs = 0;
  /** When /api/state was last asked for (0: never): the sampler runs only while someone watches. */
  private watchedAt = 0;

  constructor(private readonly server: Engine) {
    this.http = http.createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        this.server.log('warning', `Metrics endpoint error: ${err.stack ?? err.message}`);
        if (!res.headersSent) this.send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else res.destroy();
      });
    });
    this.http.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  listen(port: number, bind: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(new Error(`Could not create metrics HTTP listening socket ${bind}:${port}: ${err.code ?? err.message}`));
      };
      this.http.once('error', onError);
      this.http.listen({ host: bind === '*' ? undefined : bind, port }, () => {
        this.http.off('error', onError);
        this.port = (this.http.address() as net.AddressInfo).port;
        this.bind = bind;
        this.sampler = setInterval(() => {
          if (Date.now() - this.watchedAt < WATCHED_MS) this.sample();
        }, SAMPLE_MS);
        this.sampler.unref();
        resolve();
      });
    });
  }

  close(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  // ---- routing ----

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!this.hostAllowed(req.headers.host)) {
      this.send(res, 421, 'text/plain; charset=utf-8', 'misdirected request: this endpoint answers only to its loopback address\n');
      return;
    }
    const method = req.method ?? 'GET';
    if (url.pathname === '/metrics') {
      if (method !== 'GET' && method !== 'HEAD') return this.methodNotAllowed(res, 'GET, HEAD');
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const body = await this.exporter.text(this.scrape());
      this.lastScrapeMs = performance.now() - t0;
      const c = process.cpuUsage(c0);
      this.lastScrapeCpuMs = (c.user + c.system) / 1000;
      this.send(res, 200, this.exporter.contentType, body, method === 'HEAD');
      return;
    }
    if (url.pathname === '/api/state') {
      if (method !== 'GET') return this.methodNotAllowed(res, 'GET');
      this.json(res, 200, this.state(req, url.searchParams.get('focus')));
      return;
    }
    if (url.pathname === '/api/login') {
      if (method !== 'POST') return this.methodNotAllowed(res, 'POST');
      await this.login(req, res);
      return;
    }
    if (url.pathname === '/api/action') {
      if (method !== 'POST') return this.methodNotAllowed(res, 'POST');
      await this.action(req, res);
      return;
    }
    const file = STATIC[url.pathname];
    if (file) {
      if (method !== 'GET' && method !== 'HEAD') return this.methodNotAllowed(res, 'GET, HEAD');
      const body = await fs.promises.readFile(DASHBOARD_DIR + file.file);
      this.send(res, 200, file.type, body, method === 'HEAD');
      return;
    }
    this.send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }

  /** When bound to loopback, only requests addressed to a loopback name (defeats DNS rebinding). */
  private hostAllowed(host: string | undefined): boolean {
    if (!isLoopback(this.bind)) return true;
    if (host === undefined) return true; // HTTP/1.0 clients (curl -0) send none; a browser always does
    const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
    return name === 'localhost' || name.endsWith('.localhost') || isLoopback(name);
  }

  private methodNotAllowed(res: http.ServerResponse, allow: string): void {
    res.setHeader('Allow', allow);
    this.send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }

  private send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headOnly = false): void {
    res.statusCode = status;
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(headOnly ? undefined : body);
  }

  private json(res: http.ServerResponse, status: number, value: unknown): void {
    this.send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
  }

  // ---- /metrics ----

  private aof(): AofView {
    const a = aofOf(this.server);
    return aofView(a.infoFields(), a.writer?.lastSyncedAt ?? 0);
  }

  private scrape(): Parameters<PromExporter['text']>[0] {
    const now = Date.now();
    const cfg = this.server.config;
    const sel = selectStreams(this.server, cfg.get('metrics-streams'), cfg.int('metrics-streams-max'));
    return {
      server: this.server,
      now,
      streams: sel.streams.map((r) => viewStream(r, now, false)),
      matched: sel.matched,
      aof: this.aof(),
      rss: process.memoryUsage.rss(),
      usedMemory: this.server.usedMemory(),
      lastScrapeMs: this.lastScrapeMs,
      lastScrapeCpuMs: this.lastScrapeCpuMs,
    };
  }

  // ---- history ----

  private sample(): void {
    const sel = selectStreams(this.server, this.server.config.get('metrics-streams'), DASHBOARD_STREAMS);
    const s: Sample = { t: Date.now(), added: 0, lag: 0, perStream: new Map() };
    for (const r of sel.streams) {
      let lag = 0;
      for (const g of r.stream.groups.values()) lag += Number(groupLag(r.stream, g) ?? 0);
      const added = Number(r.stream.entriesAdded);
      s.added += added;
      s.lag += lag;
      s.perStream.set(`${r.db}\0${r.key}`, { added, lag });
    }
    this.history.push(s);
    if (this.history.length > HISTORY_SAMPLES) this.history.shift();
  }

  /** Entries/s of a stream over the last RATE_SPAN samples (0 when unknown). */
  private rate(id: string | null): number {
    const h = this.history;
    if (h.length < 2) return 0;
    const last = h[h.length - 1];
    const b = id === null ? last.added : last.perStream.get(id)?.added;
    if (b === undefined) return 0;
    // From the oldest sample of the span that has the stream (it may be younger than the span).
    for (let i = Math.max(0, h.length - 1 - RATE_SPAN); i < h.length - 1; i++) {
      const a = id === null ? h[i].added : h[i].perStream.get(id)?.added;
      if (a !== undefined && h[i].t < last.t) return Math.max(0, ((b - a) * 1000) / (last.t - h[i].t));
    }
    return 0;
  }

  /** The history series (t, entries/s, lag) of everything sampled, or of one stream. */
  private series(id: string | null): { t: number[]; rate: (number | null)[]; lag: (number | null)[] } {
    const t: number[] = [];
    const rate: (number | null)[] = [];
    const lag: (number | null)[] = [];
    for (let i = 0; i < this.history.length; i++) {
      const s = this.history[i];
      const prev = i > 0 ? this.history[i - 1] : null;
      const cur = id === null ? { added: s.added, lag: s.lag } : s.perStream.get(id);
      const before = prev === null ? undefined : id === null ? { added: prev.added, lag: prev.lag } : prev.perStream.get(id);
      t.push(s.t);
      lag.push(cur ? cur.lag : null);
      rate.push(cur && before && prev && s.t > prev.t ? Math.max(0, ((cur.added - before.added) * 1000) / (s.t - prev.t)) : null);
    }
    return { t, rate, lag };
  }

  // ---- /api/state ----

  private state(req: http.IncomingMessage, focus: string | null): unknown {
    const now = Date.now();
    // The first look after a while starts the history afresh (a gap would read as a rate).
    if (now - this.watchedAt >= WATCHED_MS) this.history.length = 0;
    this.watchedAt = now;
    if (this.history.length === 0) this.sample();
    const cfg = this.server.config;
    const payloads = cfg.bool('metrics-payloads');
    const sel = selectStreams(this.server, cfg.get('metrics-streams'), DASHBOARD_STREAMS);
    const streams = sel.streams.map((r) => {
      const v = viewStream(r, now, payloads);
      return { ...presentStream(v), rate: this.rate(`${r.db}\0${r.key}`) };
    });
    let focusId: string | null = null;
    if (focus !== null) {
      const m = /^(\d+):(.*)$/s.exec(focus);
      if (m) focusId = `${m[1]}\0${Buffer.from(m[2], 'base64').toString('latin1')}`;
    }
    const aof = this.aof();
    return {
      now,
      server: {
        redisVersion: REDIS_VERSION,
        version: VERSION,
        uptimeSec: Math.floor((now - this.server.startTime) / 1000),
        connectedClients: this.server.clients.size,
        blockedClients: this.server.blocking.blockedClients,
        commandsProcessed: this.server.stats.commandsProcessed,
        usedMemory: this.server.usedMemory(),
        rss: process.memoryUsage.rss(),
        aof: { enabled: aof.enabled, lastWriteOk: aof.lastWriteOk, rewriteInProgress: aof.rewriteInProgress, currentSize: aof.currentSize, lastFsyncMs: aof.lastFsyncMs },
      },
      matched: sel.matched,
      limit: DASHBOARD_STREAMS,
      rate: this.rate(null),
      streams,
      history: { sampleMs: SAMPLE_MS, total: this.series(null), focus: focusId === null ? null : this.series(focusId) },
      actions: cfg.bool('metrics-actions'),
      payloads,
      authRequired: cfg.get('requirepass') !== '',
      authenticated: this.authenticated(req),
    };
  }

  // ---- auth ----

  private passwordHash(): string {
    return crypto.createHash('sha256').update(this.server.config.get('requirepass'), 'utf8').digest('hex');
  }

  /** Whether the request may run actions: no password set, or a live session made with the current one. */
  private authenticated(req: http.IncomingMessage): boolean {
    if (this.server.config.get('requirepass') === '') return true;
    const token = cookie(req.headers.cookie, 'rivulet_session');
    if (token === null) return false;
    const s = this.sessions.get(token);
    if (!s) return false;
    if (s.expires < Date.now() || s.pw !== this.passwordHash()) {
      this.sessions.delete(token);
      return false;
    }
    return true;
  }

  /** JSON body of a state-changing request, after the CSRF checks; null when a reply was already sent. */
  private async jsonBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<Record<string, unknown> | null> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      this.json(res, 415, { error: 'send the request as application/json' });
      return null;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) {
      this.json(res, 403, { error: 'cross-origin request refused' });
      return null;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) {
        this.json(res, 413, { error: 'request body too large' });
        return null;
      }
      chunks.push(chunk);
    }
    try {
      const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* below */
    }
    this.json(res, 400, { error: 'the body must be a JSON object' });
    return null;
  }

  private async login(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await this.jsonBody(req, res);
    if (body === null) return;
    const pass = this.server.config.get('requirepass');
    if (pass === '') {
      this.json(res, 200, { ok: true, authRequired: false });
      return;
    }
    const given = typeof body.password === 'string' ? body.password : '';
    const a = crypto.createHash('sha256').update(given, 'utf8').digest();
    const b = crypto.createHash('sha256').update(pass, 'utf8').digest();
    if (!crypto.timingSafeEqual(a, b)) {
      this.json(res, 401, { error: 'WRONGPASS invalid username-password pair or user is disabled.' });
      return;
    }
    const now = Date.now();
    for (const [t, s] of this.sessions) if (s.expires < now) this.sessions.delete(t);
    const token = crypto.randomBytes(32).toString('base64url');
    this.sessions.set(token, { expires: now + SESSION_MS, pw: this.passwordHash() });
    res.setHeader('Set-Cookie', `rivulet_session=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}`);
    this.json(res, 200, { ok: true, authRequired: true });
  }

  // ---- /api/action ----

  private async action(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!this.server.config.bool('metrics-actions')) {
      this.json(res, 403, { error: 'actions are disabled (metrics-actions no)' });
      return;
    }
    if (!this.authenticated(req)) {
      this.json(res, 401, { error: 'NOAUTH Authentication required.' });
      return;
    }
    const body = await this.jsonBody(req, res);
    if (body === null) return;
    const argv = actionArgv(body, this.server.dbs.length);
    if (typeof argv === 'string') {
      this.json(res, 400, { error: argv });
      return;
    }
    const r = await runCommand(this.server, argv.db, argv.argv);
    this.server.log('notice', `Metrics dashboard ran ${argv.argv[0]} ${argv.argv[1] instanceof Buffer ? '' : argv.argv[1]} (${r.error ?? 'ok'})`);
    if (r.error !== null) this.json(res, 409, { error: r.error });
    else this.json(res, 200, { ok: true, reply: r.raw });
  }
}

/** A stream view as the dashboard receives it: names as text, plus each name's bytes in base64 for actions. */
function presentStream(v: StreamView): Record<string, unknown> {
  return {
    ...v,
    key: labelText(v.key),
    ref: Buffer.from(v.key, 'latin1').toString('base64'),
    groups: v.groups.map((g) => ({
      ...g,
      name: labelText(g.name),
      ref: Buffer.from(g.name, 'latin1').toString('base64'),
      consumers: g.consumers.map((c) => ({ ...c, name: labelText(c.name), ref: Buffer.from(c.name, 'latin1').toString('base64') })),
      oldest: g.oldest.map((p) => ({ ...p, consumer: labelText(p.consumer) })),
    })),
  };
}

/**
 * The command an action asks for, or why it is refused:
 *   {action: "xack",   db, key, group, id}               → XACK key group id
 *   {action: "xclaim", db, key, group, id, consumer}     → XCLAIM key group consumer 0 id JUSTID
 *   {action: "setid",  db, key, group, id}               → XGROUP SETID key group id
 * key, group and consumer are base64 of the names' bytes (the `ref`s of /api/state).
 */
export function actionArgv(body: Record<string, unknown>, databases: number): { db: number; argv: (string | Buffer)[] } | string {
  const db = body.db;
  if (typeof db !== 'number' || !Number.isInteger(db) || db < 0 || db >= databases) return 'db must be a database number';
  const b64 = (name: string): Buffer | null => {
    const v = body[name];
    if (typeof v !== 'string' || v === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return null;
    return Buffer.from(v, 'base64');
  };
  const key = b64('key');
  const group = b64('group');
  if (key === null || group === null) return 'key and group must be base64 names';
  const id = body.id;
  if (typeof id !== 'string' || !isIdText(id, body.action === 'setid')) return 'id must be a stream ID';
  switch (body.action) {
    case 'xack':
      return { db, argv: ['XACK', key, group, id] };
    case 'xclaim': {
      const consumer = b64('consumer');
      if (consumer === null) return 'consumer must be a base64 name';
      return { db, argv: ['XCLAIM', key, group, consumer, '0', id, 'JUSTID'] };
    }
    case 'setid':
      return { db, argv: ['XGROUP', 'SETID', key, group, id] };
    default:
      return 'action must be xack, xclaim or setid';
  }
}

/** A stream ID as text (`ms` or `ms-seq`; `$` too for SETID). The command itself validates it fully. */
function isIdText(s: string, dollar: boolean): boolean {
  return (dollar && s === '$') || /^\d{1,20}(-\d{1,20})?$/.test(s);
}

function cookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

function isLoopback(addr: string): boolean {
  return addr === 'localhost' || addr === '::1' || /^127\./.test(addr) || /^::ffff:127\./.test(addr);
}
