/**
 * MIGRATE's network side: a synchronous Redis-protocol exchange with another
 * server, as Redis's migrateCommand does it with blocking sockets (the whole
 * server waits; that is what makes MIGRATE atomic).
 *
 * Node has no blocking sockets, so the I/O runs in a worker thread with its
 * own event loop, and the main thread sleeps in Atomics.wait until the worker
 * signals, then takes the answer with receiveMessageOnPort. The worker keeps
 * Redis's cache of connections per host:port (with the last selected db),
 * closing ones idle for 10 seconds. The worker source is inline (eval) so
 * the ESM and CommonJS builds need no file path.
 */
// node:worker_threads is taken by the first MIGRATE, not imported: loading it costs every start-up (bench/PROFILE.md).
import type { Worker, MessagePort } from 'node:worker_threads';

export interface MigrateRequest {
  host: string;
  port: number;
  timeoutMs: number;
  /** RESP bytes of the AUTH command (null: none). */
  auth: Buffer | null;
  dbid: number;
  /** RESP bytes of the RESTORE commands, and how many there are. */
  restores: Buffer;
  count: number;
}

export type MigrateResult =
  | { kind: 'connect-error' }
  | {
      kind: 'done';
      authReply: string | null;
      selectReply: string | null;
      /** One line per RESTORE read (fewer on a socket error). */
      replies: string[];
      /** Set when the socket failed: writing or reading. */
      socketError: 'writing' | 'reading' | null;
    };

const WORKER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const flag = new Int32Array(workerData.shared);
const port = workerData.port;
const cache = new Map();
const CACHE_TTL = 10000;

function connect(host, p, timeout) {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port: p });
    const t = setTimeout(() => { sock.destroy(); resolve(null); }, timeout);
    sock.once('connect', () => { clearTimeout(t); sock.setNoDelay(true); resolve(sock); });
    // Redis's non-blocking connect reports a refused connection only at the first write: say so the same way.
    sock.once('error', (err) => { clearTimeout(t); resolve(err && err.code === 'ECONNREFUSED' ? 'refused' : null); });
  });
}

function makeEntry(sock) {
  const e = { sock, buf: Buffer.alloc(0), lastDb: -1, lastUse: Date.now(), waiter: null, closed: false };
  sock.on('data', (d) => { e.buf = Buffer.concat([e.buf, d]); if (e.waiter) e.waiter(); });
  const gone = () => { e.closed = true; if (e.waiter) e.waiter(); };
  sock.on('close', gone);
  sock.on('error', gone);
  return e;
}

function readLine(e, timeout) {
  return new Promise((resolve) => {
    const deadline = Date.now() + timeout;
    const attempt = () => {
      const i = e.buf.indexOf('\r\n');
      if (i >= 0) {
        const line = e.buf.subarray(0, i).toString('latin1');
        e.buf = e.buf.subarray(i + 2);
        e.waiter = null;
        clearTimeout(t);
        resolve(line);
        return;
      }
      if (e.closed || Date.now() >= deadline) { e.waiter = null; clearTimeout(t); resolve(null); }
    };
    const t = setTimeout(attempt, Math.max(0, deadline - Date.now()));
    e.waiter = attempt;
    attempt();
  });
}

function write(e, data, timeout) {
  return new Promise((resolve) => {
    if (e.closed) return resolve(false);
    const t = setTimeout(() => resolve(false), timeout);
    e.sock.write(data, (err) => { clearTimeout(t); resolve(!err && !e.closed); });
  });
}

function drop(name) {
  const e = cache.get(name);
  if (e) { e.sock.destroy(); cache.delete(name); }
}

async function exchange(req, mayRetry) {
  const name = req.host + ':' + req.port;
  let e = cache.get(name);
  if (!e) {
    const sock = await connect(req.host, req.port, req.timeoutMs);
    if (!sock) return { kind: 'connect-error' };
    if (sock === 'refused') {
      if (mayRetry) return exchange(req, false);
      return { kind: 'done', authReply: null, selectReply: null, replies: [], socketError: 'writing' };
    }
    e = makeEntry(sock);
    cache.set(name, e);
  }
  e.lastUse = Date.now();
  e.buf = Buffer.alloc(0);
  const select = e.lastDb !== req.dbid;
  const parts = [];
  if (req.auth) parts.push(Buffer.from(req.auth));
  if (select) {
    const db = String(req.dbid);
    parts.push(Buffer.from('*2\r\n$6\r\nSELECT\r\n$' + db.length + '\r\n' + db + '\r\n'));
  }
  parts.push(Buffer.from(req.restores));
  if (!(await write(e, Buffer.concat(parts), req.timeoutMs))) {
    drop(name);
    if (mayRetry) return exchange(req, false);
    return { kind: 'done', authReply: null, selectReply: null, replies: [], socketError: 'writing' };
  }
  let authReply = null;
  let selectReply = null;
  if (req.auth) {
    authReply = await readLine(e, req.timeoutMs);
    if (authReply === null) { drop(name); if (mayRetry) return exchange(req, false); return { kind: 'done', authReply, selectReply, replies: [], socketError: 'reading' }; }
  }
  if (select) {
    selectReply = await readLine(e, req.timeoutMs);
    if (selectReply === null) { drop(name); if (mayRetry) return exchange(req, false); return { kind: 'done', authReply, selectReply, replies: [], socketError: 'reading' }; }
  }
  const replies = [];
  for (let j = 0; j < req.count; j++) {
    const line = await readLine(e, req.timeoutMs);
    if (line === null) {
      drop(name);
      if (j === 0 && mayRetry) return exchange(req, false);
      return { kind: 'done', authReply, selectReply, replies, socketError: 'reading' };
    }
    replies.push(line);
  }
  const failed = (authReply !== null && authReply[0] === '-') || (selectReply !== null && selectReply[0] === '-') || replies.some((r) => r[0] === '-');
  e.lastDb = failed ? -1 : req.dbid;
  return { kind: 'done', authReply, selectReply, replies, socketError: null };
}

port.on('message', async (req) => {
  let res;
  try { res = await exchange(req, true); } catch (err) { res = { kind: 'done', authReply: null, selectReply: null, replies: [], socketError: 'reading' }; }
  res.id = req.id;
  port.postMessage(res);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});

setInterval(() => {
  const now = Date.now();
  for (const [name, e] of cache) if (now - e.lastUse > CACHE_TTL || e.closed) drop(name);
}, 1000).unref();
`;

class MigrateWorker {
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;

  constructor() {
    const { MessageChannel, Worker } = process.getBuiltinModule('node:worker_threads');
    const ch = new MessageChannel();
    this.port = ch.port1;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: this.flag.buffer, port: ch.port2 }, transferList: [ch.port2] });
    this.worker.unref();
  }

  private nextId = 1;
  private readonly receive = process.getBuiltinModule('node:worker_threads').receiveMessageOnPort;

  /** Runs one exchange, blocking this thread until it is over (bounded by the timeouts). */
  run(req: MigrateRequest): MigrateResult {
    const id = this.nextId++;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ ...req, id });
    // Connect + write + one read per reply, each bounded by the timeout; a retry doubles it; plus slack.
    const deadline = Date.now() + req.timeoutMs * (2 * (req.count + 4)) + 2000;
    for (;;) {
      const m = this.receive(this.port);
      if (m !== undefined) {
        const res = m.message as MigrateResult & { id: number };
        if (res.id === id) return res;
        continue; // a late answer to an earlier request that gave up waiting
      }
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'done', authReply: null, selectReply: null, replies: [], socketError: 'reading' };
      Atomics.wait(this.flag, 0, 0, left);
      Atomics.store(this.flag, 0, 0);
    }
  }

  close(): void {
    void this.worker.terminate();
  }
}

let shared: MigrateWorker | null = null;

/** The process-wide MIGRATE worker (created on first use). */
export function migrateExchange(req: MigrateRequest): MigrateResult {
  shared ??= new MigrateWorker();
  return shared.run(req);
}
