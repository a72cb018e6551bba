/**
 * Loaded into rivulet only by the memory workload:
 *   node --expose-gc --import ./dist/bench/memprobe.js bin/rivulet-server ...
 * On SIGUSR2 it runs full garbage collections and prints one line
 *   MEMPROBE {"heapUsed":...,"external":...,"arrayBuffers":...,"rss":...}
 * to stderr, so the benchmark can read rivulet's live memory (V8 heap plus
 * Buffer backing stores) without the garbage a fill leaves behind — the
 * figure comparable to Redis's used_memory. rivulet itself is unchanged.
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  process.stderr.write(`MEMPROBE ${JSON.stringify({ gc: gc !== undefined, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss })}\n`);
});
