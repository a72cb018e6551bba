/**
 * Test-only crash points. With RIVULET_AOF_CRASH_AT=<step> in the
 * environment, the process kills itself with SIGKILL when it reaches that
 * step, so crash tests can stop a rewrite exactly between two file
 * operations. Unset (always, in production) this is a no-op.
 *
 * Steps, in the order a rewrite reaches them: rewrite-incr-opened,
 * rewrite-base-half, rewrite-base-written, rewrite-base-renamed,
 * rewrite-manifest-temp-written, rewrite-manifest-swapped.
 * `<step>:<n>` crashes at the n-th time the step is reached (1-based).
 */
const spec = process.env.RIVULET_AOF_CRASH_AT ?? '';
const [target, nth] = spec.split(':');
let seen = 0;

export function faultPoint(step: string): void {
  if (target === '' || step !== target) return;
  seen++;
  if (seen < Number(nth ?? 1)) return;
  process.kill(process.pid, 'SIGKILL');
}
