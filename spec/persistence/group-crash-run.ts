/**
 * `npm run crash-groups`: the consumer-group crash rounds of group-crash.ts,
 * CRASH_ROUNDS (default 30) rounds with seed CRASH_SEED (default random),
 * printing one line per round. Exit status 1 on the first divergence.
 */
import { tmpDir, rmrf } from '../helpers.js';
import { crashRounds } from './group-crash.js';

const rounds = Number(process.env.CRASH_ROUNDS) || 30;
const seed = Number(process.env.CRASH_SEED) || Math.floor(Math.random() * 2 ** 31);
const dir = tmpDir('rivulet-gcrash-');
console.log(`consumer-group crash rounds: ${rounds}, seed ${seed}, dir ${dir}`);
try {
  const r = await crashRounds({ rounds, seed, minUnits: 30, maxUnits: 300, dir, stopped: () => false, log: (l) => console.log(l) });
  console.log(`ok: ${rounds} rounds, ${r.acked} acknowledged units, ${r.rewrites} rewrites, in flight at the kill: ${r.inflightApplied} applied, ${r.inflightNotApplied} not`);
  rmrf(dir);
  process.exit(0);
} catch (err) {
  console.log(`FAILED (seed ${seed}; directory kept: ${dir}):\n${(err as Error).message}`);
  process.exit(1);
}
