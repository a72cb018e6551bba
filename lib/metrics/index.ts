/**
 * Metrics plugin: starts the HTTP endpoint (Prometheus `/metrics` and the
 * dashboard at `/`) when `metrics-port` is set, and restarts or stops it when
 * CONFIG SET changes `metrics-port` or `metrics-bind`. Registered in
 * lib/plugins.ts.
 *
 * This file is all a server without metrics loads: the HTTP server and
 * prom-client are imported only when the endpoint is first started, so
 * start-up does not pay for them.
 */
import type { Engine } from '../engine/engine.js';
import type { MetricsHttp } from './http.js';

class MetricsController {
  private http: MetricsHttp | null = null;
  private started = false;
  /** Serialises starts and stops (CONFIG SET may change port and bind in quick succession). */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly server: Engine) {}

  /** The port the endpoint listens on, or null when it is off. */
  get port(): number | null {
    return this.http?.port ?? null;
  }

  /** At server start: listen if configured; rejects when the address cannot be bound. */
  async start(): Promise<void> {
    this.started = true;
    await this.apply();
  }

  /** After CONFIG SET: apply in the background; a failure is logged, as the endpoint is not essential. */
  reconfigure(): void {
    if (!this.started) return;
    this.chain = this.chain
      .then(() => this.apply())
      .catch((err: Error) => this.server.log('warning', `Metrics endpoint: ${err.message}`));
  }

  /** Resolves once every pending reconfiguration has been applied (tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async apply(): Promise<void> {
    const port = this.server.config.int('metrics-port');
    const bind = this.server.config.get('metrics-bind');
    if (this.http && (port === 0 || this.http.port !== port || this.http.bind !== bind)) {
      await this.http.close();
      this.http = null;
    }
    if (port === 0 || this.http) {
      this.server.stats.trackLatency = this.http !== null;
      return;
    }
    const { MetricsHttp } = await import('./http.js');
    const http = new MetricsHttp(this.server);
    await http.listen(port, bind);
    this.http = http;
    this.server.stats.trackLatency = true;
    this.server.log('notice', `Metrics endpoint listening on http://${bind.includes(':') ? `[${bind}]` : bind}:${port}/ (dashboard) and /metrics`);
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.chain.catch(() => undefined);
    if (this.http) await this.http.close();
    this.http = null;
    this.server.stats.trackLatency = false;
  }
}

const controllers = new WeakMap<Engine, MetricsController>();

/** The port of the server's metrics endpoint, or null when it is off. */
export function metricsPort(server: Engine): number | null {
  return controllers.get(server)?.port ?? null;
}

/** Resolves when CONFIG SET changes to the endpoint have been applied. */
export function metricsSettled(server: Engine): Promise<void> {
  return controllers.get(server)?.settled() ?? Promise.resolve();
}

export function installMetrics(server: Engine): void {
  const ctl = new MetricsController(server);
  controllers.set(server, ctl);
  server.plugins.push({
    listening: () => ctl.start(),
    stop: () => ctl.stop(),
  });
  server.config.onChange((name) => {
    if (name === 'metrics-port' || name === 'metrics-bind') ctl.reconfigure();
  });
}
