/**
 * rivulet-check-rdb <file.rdb>
 *
 * Checks an RDB file the way redis-check-rdb does: the header, every opcode
 * and value (decoded fully, as loading would), and the CRC-64. Prints the
 * same kind of report ("[offset N] ..." lines, then counts) and exits 0 when
 * the file would load, 1 otherwise. Also accepts an AOF base with an RDB
 * preamble (the RDB part is checked; what follows is RESP, see
 * rivulet-check-aof).
 */
import fs from 'node:fs';
import { readRdb } from '../lib/rdb/file.js';
import { RdbError } from '../lib/rdb/encoding.js';

const out = (s: string): void => void process.stdout.write(s + '\n');

export function main(argv: string[]): number {
  if (argv.length !== 1 || argv[0] === '--help' || argv[0] === '-h') {
    out('Usage: rivulet-check-rdb <rdb-file-name>');
    return argv[0] === '--help' || argv[0] === '-h' ? 0 : 1;
  }
  const file = argv[0];
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    out(`Cannot check RDB that is not a file: ${file} (${(err as Error).message})`);
    return 1;
  }
  out(`[offset 0] Checking RDB file ${file}`);
  const now = Date.now();
  let keys = 0;
  let expires = 0;
  let expired = 0;
  const types = new Map<string, number>();
  let functions = 0;
  try {
    const r = readRdb(buf, {
      checksum: true,
      databases: Number.MAX_SAFE_INTEGER,
      onAux: (k, v, at) => out(`[offset ${at}] AUX FIELD ${k} = '${v}'`),
      onSelectDb: (db, at) => out(`[offset ${at}] Selecting DB ID ${db}`),
      onWarning: (m) => out(`[warning] ${m}`),
      onFunction: (code, at) => {
        functions++;
        const name = /^#!\S+\s+name=(\S+)/.exec(code.toString('latin1'));
        out(`[offset ${at}] Function library ${name ? name[1] : '(unnamed)'} (${code.length} bytes)`);
      },
      onKey: (k) => {
        keys++;
        const t = Buffer.isBuffer(k.value) ? 'string' : k.value.kind;
        types.set(t, (types.get(t) ?? 0) + 1);
        if (k.expireAt !== undefined) {
          expires++;
          if (k.expireAt < now) expired++;
        }
      },
    });
    const stored = buf.subarray(r.end - 8, r.end);
    out(`[offset ${r.end}] ${stored.equals(Buffer.alloc(8)) ? 'RDB file was saved with checksum disabled: no check performed.' : 'Checksum OK'}`);
    out(`[offset ${r.end}] \\o/ RDB looks OK! \\o/`);
    if (r.end < buf.length) out(`[info] ${buf.length - r.end} bytes after the RDB part (an AOF base's RESP tail?)`);
  } catch (err) {
    if (!(err instanceof RdbError)) throw err;
    out('--- RDB ERROR DETECTED ---');
    out(`[additional info] ${err.message}`);
    out(`[info] ${keys} keys read before the error`);
    return 1;
  }
  out(`[info] ${keys} keys read`);
  out(`[info] ${expires} expires`);
  out(`[info] ${expired} already expired`);
  for (const [t, n] of [...types].sort()) out(`[info] ${n} ${t} keys`);
  if (functions > 0) out(`[info] ${functions} function ${functions === 1 ? 'library' : 'libraries'}`);
  return 0;
}
