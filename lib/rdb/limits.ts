/**
 * The encoding thresholds a load or a save works with (Redis's
 * *-max-listpack-* / set-max-intset-entries / list-max-listpack-size):
 * on load they pick the encoding a value gets (as rdbLoadObject converts),
 * on save they cut quicklist nodes. Read from a server's live config for
 * each DUMP / RESTORE / SAVE / load and passed down, so two servers in one
 * process never see each other's settings.
 *
 * Pure data, no imports.
 */
export interface EncodingLimits {
  hashMaxEntries: number;
  hashMaxValue: number;
  /** list-max-listpack-size (negative: a byte limit per node, positive: entries per node). */
  listFill: number;
  setIntsetEntries: number;
  setListpackEntries: number;
  setListpackValue: number;
  zsetEntries: number;
  zsetValue: number;
}

/** Redis's default configuration. */
export const DEFAULT_LIMITS: Readonly<EncodingLimits> = Object.freeze({
  hashMaxEntries: 128,
  hashMaxValue: 64,
  listFill: -2,
  setIntsetEntries: 512,
  setListpackEntries: 128,
  setListpackValue: 64,
  zsetEntries: 128,
  zsetValue: 64,
});

/** The limits in a config (anything with `int(name)`, e.g. the engine's Config). */
export function limitsFrom(cfg: { int(name: string): number }): EncodingLimits {
  return {
    hashMaxEntries: cfg.int('hash-max-listpack-entries'),
    hashMaxValue: cfg.int('hash-max-listpack-value'),
    listFill: cfg.int('list-max-listpack-size'),
    setIntsetEntries: cfg.int('set-max-intset-entries'),
    setListpackEntries: cfg.int('set-max-listpack-entries'),
    setListpackValue: cfg.int('set-max-listpack-value'),
    zsetEntries: cfg.int('zset-max-listpack-entries'),
    zsetValue: cfg.int('zset-max-listpack-value'),
  };
}
