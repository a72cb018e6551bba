/**
 * Shared set-up for the stream specs that compare rivulet with a
 * redis-server oracle through ioredis: one rivulet, one oracle and one
 * client per describe block, and a flushed keyspace before every test.
 */
import type { Redis } from 'ioredis';
import { startRivulet, startRedis, connect, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

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
