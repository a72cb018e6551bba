/**
 * Shared set-up for the stream specs: useStreamOracle() for the differential
 * ones (rivulet + redis-server oracle + ioredis, keyspace flushed before every
 * test), useStreamRaw() for the ones that talk raw RESP and check the AOF.
 */
import type { Redis } from 'ioredis';
import { startRivulet, startRedis, connect, RawConnection, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { capture } from './util.js';

/** What useStreamOracle() gives a describe block; the fields are set once its before() hook has run. */
export interface StreamOracleFixture {
  riv: RivuletServer;
  /** redis-server (required: these specs are differential). */
  oracle: ExternalServer;
  /** ioredis connected to `riv`. */
  r: Redis;
}

/**
 * Registers before/after/beforeEach hooks in the enclosing describe block.
 * `detachAof`: also drop any AOF capture a previous test attached
 * (see capture() in util.ts) before each test.
 */
export function useStreamOracle(opts: { detachAof?: boolean } = {}): StreamOracleFixture {
  const fx = {} as StreamOracleFixture;
  before(async () => {
    fx.riv = await startRivulet();
    fx.oracle = await startRedis();
    fx.r = connect(fx.riv.port);
  });
  after(async () => {
    fx.r.disconnect();
    await fx.riv.close();
    await fx.oracle.stop();
  });
  beforeEach(async () => {
    if (opts.detachAof) fx.riv.server.aof = null;
    await fx.r.flushall();
  });
  return fx;
}

/** What useStreamRaw() gives a describe block; the fields are set once its before() hook has run. */
export interface StreamRawFixture {
  rs: RivuletServer;
  /** Raw RESP connection to `rs`. */
  c: RawConnection;
  /** What `rs` propagates and notifies (reset it in the spec's own beforeEach). */
  cap: ReturnType<typeof capture>;
}

/**
 * Registers before/after hooks for one rivulet with an AOF/event capture and a
 * raw connection; each spec seeds its own data in its beforeEach.
 */
export function useStreamRaw(): StreamRawFixture {
  const fx = {} as StreamRawFixture;
  before(async () => {
    fx.rs = await startRivulet();
    fx.cap = capture(fx.rs);
    fx.c = await RawConnection.open(fx.rs.port);
  });
  after(async () => {
    fx.c.close();
    await fx.rs.close();
  });
  return fx;
}
