/**
 * Every `<CONTAINER> HELP` (and DEBUG HELP): Redis's addReplyHelp shape, the
 * 7.2+ footer ("Print this help."; 7.0 said "Prints"), only subcommands that
 * exist, and — against the oracle — Redis's own text for each of them.
 */
import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, differential, HAVE_REDIS, ORACLE_AT_LEAST_7_2, type ExternalServer } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

const CONTAINERS = ['CLIENT', 'COMMAND', 'CONFIG', 'MEMORY', 'OBJECT', 'PUBSUB', 'XGROUP', 'XINFO'];

type Entry = { word: string; lines: string[] };

/** Splits a HELP reply into header, entries (a line not starting with a space opens one) and footer. */
function parseHelp(cmd: string, reply: unknown, footer = '    Print this help.'): Entry[] {
  expect(reply, `${cmd} HELP`).to.be.an('array');
  const lines = reply as string[];
  expect(lines[0]).to.equal(`${cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  expect(lines.slice(-2)).to.deep.equal(['HELP', footer]);
  const entries: Entry[] = [];
  for (const l of lines.slice(1, -2)) {
    if (!l.startsWith(' ')) entries.push({ word: l.split(' ')[0], lines: [l] });
    else entries[entries.length - 1].lines.push(l);
  }
  return entries;
}

describe('HELP of every container command', () => {
  let server: RivuletServer;
  let c: RawConnection;
  let oracle: ExternalServer | null = null;
  let o: RawConnection | null = null;
  before(async () => {
    server = await startRivulet();
    c = await RawConnection.open(server.port);
    if (HAVE_REDIS) {
      oracle = await startRedis();
      o = await RawConnection.open(oracle.port);
    }
  });
  after(async () => {
    c.close();
    o?.close();
    await server.close();
    await oracle?.stop();
  });

  for (const cmd of CONTAINERS) {
    it(`${cmd} HELP lists exactly the subcommands rivulet has, each with Redis's text`, async () => {
      const ours = parseHelp(cmd, await c.call(cmd, 'HELP'));
      const info = (await c.call('COMMAND', 'INFO', cmd)) as unknown[][];
      const subs = (info[0][9] as unknown[][]).map((s) => String(s[0]).split('|')[1]).filter((s) => s !== 'help');
      const listed = new Set(ours.map((e) => e.word.toLowerCase()).filter((w) => w !== '(no'));
      // Only what exists, and everything that exists.
      expect([...listed].sort(), `${cmd} HELP lists`).to.deep.equal([...subs].sort());
      if (!o) return;
      const theirReply = (await o.call(cmd, 'HELP')) as string[];
      const theirs = parseHelp(cmd, theirReply, ORACLE_AT_LEAST_7_2 ? '    Print this help.' : '    Prints this help.');
      // Redis's entries for the subcommands rivulet has, in Redis's order and words.
      const expected = theirs.filter((e) => e.word === '(no' || listed.has(e.word.toLowerCase()));
      if (ORACLE_AT_LEAST_7_2) {
        expect(ours).to.deep.equal(expected);
      } else {
        // Redis 7.0 lacks some 7.2+ subcommands and options (CLIENT NO-TOUCH, KILL MAXAGE): each of its
        // entries must still appear, in order, with every one of its lines.
        const known = new Set(theirs.map((e) => e.word));
        const mine = ours.filter((e) => known.has(e.word));
        expect(mine.map((e) => e.word)).to.deep.equal(expected.map((e) => e.word));
        mine.forEach((e, i) => expect(e.lines).to.include.members(expected[i].lines));
      }
    });
  }

  it('HELP of the containers whose every subcommand rivulet has is Redis\'s, byte for byte in RESP2 and RESP3 (7.2+ wording)', async function () {
    if (!oracle || !ORACLE_AT_LEAST_7_2) this.skip(); // needs redis-server 7.2+ (7.0 says "Prints this help." and lacks some entries)
    await differential(server.port, oracle!.port, ['OBJECT', 'XINFO', 'XGROUP', 'CONFIG', 'COMMAND', 'PUBSUB', 'SCRIPT', 'FUNCTION'].map((cmd) => [cmd, 'HELP']));
  });

  it('DEBUG HELP lists only subcommands DEBUG answers', async () => {
    const ours = parseHelp('DEBUG', await c.call('DEBUG', 'HELP'));
    expect(ours.length).to.be.greaterThan(0);
    // A harmless argument for the subcommands that need one.
    const sample: Record<string, string[]> = { SLEEP: ['0'], 'SET-ACTIVE-EXPIRE': ['1'] };
    for (const e of ours) {
      const r = await c.call('DEBUG', e.word, ...(sample[e.word] ?? []));
      const text = r instanceof Error ? r.message : '';
      expect(text, `DEBUG ${e.word}`).not.to.match(/^ERR unknown subcommand/);
    }
  });

  it('speaks RESP3: HELP is an array of simple strings', async () => {
    const r3 = await RawConnection.open(server.port);
    try {
      await r3.call('HELLO', '3');
      r3.received = Buffer.alloc(0);
      await r3.call('XINFO', 'HELP');
      const raw = r3.received.toString();
      expect(raw.startsWith('*9\r\n+XINFO <subcommand>')).to.equal(true);
      expect(raw.endsWith('+HELP\r\n+    Print this help.\r\n')).to.equal(true);
    } finally {
      r3.close();
    }
  });
});
