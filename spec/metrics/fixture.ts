/** Shared set-up of the metrics specs: a rivulet with its metrics endpoint on a free port, and HTTP helpers. */
import type { RivuletServer } from '../../lib/index.js';
import type { ServerOptions } from '../../lib/engine/engine.js';
import { freePort, startRivulet } from '../helpers.js';

/**
 * Starts rivulet with `metrics-port` on a port that was free a moment ago;
 * tries again with another port if someone took it in between.
 */
export async function startWithMetrics(options: ServerOptions = {}): Promise<RivuletServer & { base: string }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      const s = await startRivulet({ 'metrics-port': port, ...options });
      return Object.assign(s, { base: `http://127.0.0.1:${port}` });
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

/** One HTTP request (fetch), its whole body read. */
export async function request(url: string, init: RequestInit = {}): Promise<HttpReply> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

/** POSTs a JSON body. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
  return request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** XINFO GROUPS / CONSUMERS replies (flat name/value arrays) as objects. */
export function pairs(reply: unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) o[String(reply[i])] = reply[i + 1];
  return o;
}
