/**
 * LATENCY LATEST / HISTORY / RESET / DOCTOR / GRAPH / HISTOGRAM / HELP: the
 * latency monitor and per-command histograms kept by lib/slowlog.ts.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg } from '../../lib/command.js';
import * as E from '../../lib/errors.js';

import type { LatencySeries, LatencyHistogram } from '../../lib/engine/oplog.js';

const TIPS = ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'];
const sub = {
  flags: ['admin', 'noscript', 'loading', 'stale'] as CommandSpec['flags'],
  acl: ['admin', 'slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'server',
  since: '2.8.13',
  complexity: 'O(1)',
};

const HELP = [
  'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
  'HELP',
  '    Print this help.',
];

/** Redis's createLatencyReport, for the events rivulet records (commands): the per-event lines and the closing advice. */
function doctor(threshold: number, events: Map<string, LatencySeries>): string {
  if (threshold === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
  }
  if (events.size === 0) {
    return 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
  }
  let report = "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  let n = 0;
  for (const [event, ts] of events) {
    n++;
    const samples = ts.samples.length;
    const avg = ts.samples.reduce((a, s) => a + s[1], 0) / samples;
    const mad = ts.samples.reduce((a, s) => a + Math.abs(s[1] - avg), 0) / samples;
    const period = samples > 1 ? (Math.floor(Date.now() / 1000) - ts.samples[0][0]) / samples : 0;
    report += `${n}. ${event}: ${samples} latency spikes (average ${Math.floor(avg)}ms, mean deviation ${Math.floor(mad)}ms, period ${period.toFixed(2)} sec). Worst all time event ${ts.max}ms.\n`;
  }
  return (
    report +
    '\nWhile there are latency events logged, I\'m not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n'
  );
}

/** LATENCY GRAPH: a text chart of one event's samples (Redis draws a sparkline; this is a simpler bar per sample). */
function graph(event: string, ts: LatencySeries): string {
  const lat = ts.samples.map((s) => s[1]);
  const max = Math.max(...lat);
  const min = Math.min(...lat);
  let out = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n${'-'.repeat(80)}\n`;
  const now = Math.floor(Date.now() / 1000);
  for (const [t, ms] of ts.samples.slice(-80)) {
    const ago = now - t;
    const label = ago < 60 ? `${ago}s` : ago < 3600 ? `${Math.floor(ago / 60)}m` : ago < 86400 ? `${Math.floor(ago / 3600)}h` : `${Math.floor(ago / 86400)}d`;
    out += `${label.padStart(4)} ${'#'.repeat(Math.max(1, Math.round((ms / Math.max(1, max)) * 60)))} ${ms}\n`;
  }
  return out;
}

export const latency: CommandSpec = {
  name: 'latency',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'A container for latency diagnostics commands.',
  since: '2.8.13',
  group: 'server',
  complexity: 'Depends on subcommand.',
  subcommands: [
    {
      ...sub,
      name: 'latest',
      arity: 2,
      summary: 'Returns the latest latency samples for all events.',
      tips: TIPS,
      handler(c) {
        const events = c.server.ops.latency.events;
        c.reply.array(events.size);
        for (const [event, ts] of events) {
          const last = ts.samples[ts.samples.length - 1];
          c.reply.array(4);
          c.reply.bulk(event);
          c.reply.int(last[0]);
          c.reply.int(last[1]);
          c.reply.int(ts.max);
        }
      },
    },
    {
      ...sub,
      name: 'history',
      arity: 3,
      summary: 'Returns timestamp-latency samples for an event.',
      tips: TIPS,
      arguments: [arg('event', 'string')],
      handler(c, argv) {
        const ts = c.server.ops.latency.events.get(argv[2].toString());
        const samples = ts?.samples ?? [];
        c.reply.array(samples.length);
        for (const [t, ms] of samples) {
          c.reply.array(2);
          c.reply.int(t);
          c.reply.int(ms);
        }
      },
    },
    {
      ...sub,
      name: 'reset',
      arity: -2,
      summary: 'Resets the latency data for one or more events.',
      tips: ['request_policy:all_nodes', 'response_policy:agg_sum'],
      arguments: [arg('event', 'string', { optional: true, multiple: true })],
      handler(c, argv) {
        const lm = c.server.ops.latency;
        if (argv.length === 2) {
          c.reply.int(lm.reset());
          return;
        }
        let n = 0;
        for (let i = 2; i < argv.length; i++) n += lm.reset(argv[i].toString());
        c.reply.int(n);
      },
    },
    {
      ...sub,
      name: 'doctor',
      arity: 2,
      summary: 'Returns a human-readable latency analysis report.',
      tips: TIPS,
      handler(c) {
        c.reply.verbatim(doctor(c.server.config.int('latency-monitor-threshold'), c.server.ops.latency.events));
      },
    },
    {
      ...sub,
      name: 'graph',
      arity: 3,
      summary: 'Returns a latency graph for an event.',
      tips: TIPS,
      arguments: [arg('event', 'string')],
      handler(c, argv) {
        const event = argv[2].toString();
        const ts = c.server.ops.latency.events.get(event);
        if (!ts) throw E.latencyNoSamples(event);
        c.reply.verbatim(graph(event, ts));
      },
    },
    {
      ...sub,
      name: 'histogram',
      arity: -2,
      since: '7.0.0',
      summary: 'Returns the cumulative distribution of latencies of a subset or all commands.',
      complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
      tips: TIPS,
      arguments: [arg('COMMAND', 'string', { optional: true, multiple: true })],
      handler(c, argv) {
        // Per command, its histogram; a container command's name stands for its subcommands (Redis's latencySpecificCommandsFillCDF).
        const hists = new Map<string, LatencyHistogram>();
        for (const [name, st] of c.server.stats.commands) if (st.latency) hists.set(name, st.latency);
        let found: string[];
        if (argv.length === 2) {
          found = [...hists.keys()];
        } else {
          // Each argument in turn (a name given twice is listed twice, as in Redis); `config|get` names one subcommand.
          found = [];
          for (const a of argv.slice(2)) {
            const [name, subName] = a.toString('latin1').toLowerCase().split('|', 2);
            const spec = c.server.commands.get(name);
            if (!spec) continue;
            if (subName !== undefined) {
              const sub = spec.subcommands?.find((x) => x.name === subName);
              if (sub && hists.has(`${spec.name}|${sub.name}`)) found.push(`${spec.name}|${sub.name}`);
              continue;
            }
            if (hists.has(spec.name)) found.push(spec.name);
            for (const sub of spec.subcommands ?? []) if (hists.has(`${spec.name}|${sub.name}`)) found.push(`${spec.name}|${sub.name}`);
          }
        }
        c.reply.map(found.length);
        for (const name of found) {
          const h = hists.get(name)!;
          c.reply.bulk(name);
          c.reply.map(2);
          c.reply.bulk('calls');
          c.reply.int(h.total);
          c.reply.bulk('histogram_usec');
          const buckets = h.cumulativeUsec();
          c.reply.map(buckets.length);
          for (const [usec, n] of buckets) {
            c.reply.int(usec);
            c.reply.int(n);
          }
        }
      },
    },
    {
      ...sub,
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      acl: ['slow'],
      summary: 'Returns helpful text about the different subcommands.',
      handler(c) {
        c.reply.array(HELP.length);
        for (const l of HELP) c.reply.simple(l);
      },
    },
  ],
};
