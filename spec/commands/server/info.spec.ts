import { expect } from 'chai';
import { createClient } from 'redis';
import { connect, RawConnection, useRivulet } from '../../helpers.js';

/** Parses INFO text into section titles and a field map. */
function parse(text: string): { titles: string[]; fields: Map<string, string> } {
  const titles: string[] = [];
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) titles.push(line.slice(2));
    else if (line.includes(':')) fields.set(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1));
  }
  return { titles, fields };
}

describe('INFO', () => {
  const fx = useRivulet();

  it('INFO with no argument returns the default sections in Redis order, with \\r\\n lines', async () => {
    const text = (await fx.redis.info()) as string;
    expect(parse(text).titles).to.deep.equal([
      'Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace',
    ]);
    expect(text.startsWith('# Server\r\nredis_version:7.4.0\r\n')).to.equal(true);
    expect(text.endsWith('\r\n')).to.equal(true);
  });

  it('the default section list is the one redis-server 7 uses', async function () {
    if (!fx.oracle) this.skip(); // redis-server not installed
    const c = connect(fx.oracle!.port);
    const theirs = parse((await c.info()) as string).titles;
    c.disconnect();
    expect(parse((await fx.redis.info()) as string).titles).to.deep.equal(theirs);
  });

  it('INFO all and INFO everything add commandstats and latencystats', async () => {
    for (const w of ['all', 'everything', 'ALL']) {
      const titles = parse((await fx.redis.info(w)) as string).titles;
      expect(titles).to.include('Commandstats');
      expect(titles).to.include('Latencystats');
      expect(titles.length).to.equal(13);
    }
  });

  it('several section names are answered in Redis order, each once, unknown names ignored', async () => {
    const text = (await fx.redis.call('INFO', 'keyspace', 'cpu', 'nosuch', 'CPU')) as string;
    expect(parse(text).titles).to.deep.equal(['CPU', 'Keyspace']);
    expect(await fx.redis.call('INFO', 'nosuch')).to.equal('');
  });

  it('sections are separated by one empty line, byte for byte like redis-server', async function () {
    if (!fx.oracle) this.skip(); // redis-server not installed
    const bytes = async (port: number): Promise<string> => {
      const c = await RawConnection.open(port);
      await c.call('CONFIG', 'RESETSTAT');
      c.received = Buffer.alloc(0);
      c.write('INFO cluster modules errorstats\r\n');
      await c.next();
      c.close();
      return c.received.toString();
    };
    expect(await bytes(fx.server.port)).to.equal(await bytes(fx.oracle!.port));
    expect(await bytes(fx.server.port)).to.equal('$59\r\n# Modules\r\n\r\n# Errorstats\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n');
  });

  it('the server section reports version, mode, port and uptime', async () => {
    const f = parse((await fx.redis.info('server')) as string).fields;
    expect(f.get('redis_version')).to.equal('7.4.0');
    expect(f.get('rivulet_version')).to.match(/^\d+\.\d+\.\d+/);
    expect(f.get('redis_mode')).to.equal('standalone');
    expect(f.get('arch_bits')).to.equal('64');
    expect(f.get('process_id')).to.equal(String(process.pid));
    expect(f.get('tcp_port')).to.equal(String(fx.server.port));
    expect(f.get('run_id')).to.match(/^[0-9a-f]{40}$/);
    expect(Number(f.get('uptime_in_seconds'))).to.be.at.least(0);
    expect(f.get('uptime_in_days')).to.equal('0');
    expect(f.get('hz')).to.equal('10');
  });

  it('the clients section counts connections, blocked and pub/sub clients', async () => {
    const other = connect(fx.server.port);
    await other.ping();
    const f = parse((await fx.redis.info('clients')) as string).fields;
    expect(Number(f.get('connected_clients'))).to.be.at.least(2);
    expect(f.get('blocked_clients')).to.equal('0');
    expect(f.get('tracking_clients')).to.equal('0');
    expect(f.get('pubsub_clients')).to.equal('0');
    expect(f.get('total_blocking_keys')).to.equal('0');
    expect(f.get('total_blocking_keys_on_nokey')).to.equal('0');
    expect(f.get('maxclients')).to.equal('10000');
    other.disconnect();
  });

  it('the memory section reports used memory with a human form and the maxmemory settings', async () => {
    const f = parse((await fx.redis.info('memory')) as string).fields;
    expect(Number(f.get('used_memory'))).to.be.greaterThan(0);
    expect(f.get('used_memory_human')).to.match(/^\d+\.\d\dM$|^\d+\.\d\dK$|^\d+\.\d\dG$/);
    expect(Number(f.get('used_memory_rss'))).to.be.greaterThan(0);
    expect(f.get('maxmemory')).to.equal('0');
    expect(f.get('maxmemory_human')).to.equal('0B');
    expect(f.get('maxmemory_policy')).to.equal('noeviction');
  });

  it('the persistence, replication and cluster sections describe a standalone master that is not loading', async () => {
    const f = parse((await fx.redis.info('persistence', 'replication', 'cluster')) as string).fields;
    expect(f.get('loading')).to.equal('0');
    expect(f.get('aof_enabled')).to.equal('0');
    expect(f.get('role')).to.equal('master');
    expect(f.get('connected_slaves')).to.equal('0');
    expect(f.get('master_replid')).to.match(/^[0-9a-f]{40}$/);
    expect(f.get('master_repl_offset')).to.equal('0');
    expect(f.get('cluster_enabled')).to.equal('0');
  });

  it('loading:1 is reported while the server is loading', async () => {
    fx.server.server.loading = true;
    try {
      expect(parse((await fx.redis.info('persistence')) as string).fields.get('loading')).to.equal('1');
    } finally {
      fx.server.server.loading = false;
    }
  });

  it('fields added through infoExtras appear in their section, and replace base fields of the same name', async () => {
    fx.server.server.infoExtras.set('stats', [() => [['pubsub_channels', 7], ['rivulet_extra', 'x']]]);
    try {
      const text = (await fx.redis.info('stats')) as string;
      const f = parse(text).fields;
      expect(f.get('pubsub_channels')).to.equal('7');
      expect(f.get('rivulet_extra')).to.equal('x');
      expect(text.match(/pubsub_channels:/g)).to.have.length(1);
    } finally {
      fx.server.server.infoExtras.delete('stats');
    }
  });

  it('the stats section counts commands, connections and error replies', async () => {
    await fx.redis.call('CONFIG', 'RESETSTAT');
    await fx.redis.ping();
    await fx.redis.call('NOSUCHCMD').catch(() => undefined);
    const f = parse((await fx.redis.info('stats')) as string).fields;
    expect(Number(f.get('total_commands_processed'))).to.be.at.least(3);
    expect(f.get('total_error_replies')).to.equal('1');
    expect(f.get('rejected_connections')).to.equal('0');
    expect(f.get('expired_keys')).to.equal('0');
    expect(f.get('keyspace_hits')).to.equal('0');
    expect(f.get('pubsub_patterns')).to.equal('0');
    expect(f.has('instantaneous_ops_per_sec')).to.equal(true);
    expect(Number(f.get('total_net_input_bytes'))).to.be.greaterThan(0);
  });

  it('instantaneous_ops_per_sec reflects recent traffic (sampled every 100 ms, as Redis)', async () => {
    const p = fx.redis.pipeline();
    for (let i = 0; i < 3000; i++) p.ping();
    await p.exec();
    await new Promise((r) => setTimeout(r, 250));
    const f = parse((await fx.redis.info('stats')) as string).fields;
    expect(Number(f.get('instantaneous_ops_per_sec'))).to.be.greaterThan(0);
    expect(Number(f.get('instantaneous_input_kbps'))).to.be.greaterThan(0);
  });

  it('commandstats counts calls, rejected and failed calls, with | for subcommands', async () => {
    await fx.redis.call('CONFIG', 'RESETSTAT');
    await fx.redis.ping();
    await fx.redis.ping();
    await fx.redis.call('ECHO').catch(() => undefined);
    await fx.redis.call('CONFIG', 'SET', 'nosuch', '1').catch(() => undefined);
    const f = parse((await fx.redis.info('commandstats')) as string).fields;
    expect(f.get('cmdstat_ping')).to.match(/^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/);
    expect(f.get('cmdstat_echo')).to.match(/^calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0$/);
    expect(f.get('cmdstat_config|set')).to.match(/^calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1$/);
  });

  it('errorstats counts error replies by their code', async () => {
    await fx.redis.call('CONFIG', 'RESETSTAT');
    await fx.redis.call('NOSUCH').catch(() => undefined);
    await fx.redis.call('NOSUCH').catch(() => undefined);
    const text = (await fx.redis.info('errorstats')) as string;
    expect(text).to.equal('# Errorstats\r\nerrorstat_ERR:count=2\r\n');
  });

  it('protocol errors count in errorstats and total_error_replies, as in redis-server', async () => {
    await fx.redis.call('CONFIG', 'RESETSTAT');
    const c = await RawConnection.open(fx.server.port);
    c.write('*1\r\n:5\r\n');
    await c.waitClosed();
    const f = parse((await fx.redis.info('stats', 'errorstats')) as string).fields;
    expect(f.get('total_error_replies')).to.equal('1');
    expect(f.get('errorstat_ERR')).to.equal('count=1');
  });

  it('the cpu section has six second counts with six decimals', async () => {
    const f = parse((await fx.redis.info('cpu')) as string).fields;
    for (const k of ['used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children', 'used_cpu_sys_main_thread', 'used_cpu_user_main_thread']) {
      expect(f.get(k), k).to.match(/^\d+\.\d{6}$/);
    }
  });

  it('the keyspace section lists only non-empty databases, Redis 7.4 style (with subexpiry)', async () => {
    fx.server.server.dbs[3].set('k', Buffer.from('v'));
    fx.server.server.dbs[3].set('t', Buffer.from('v'));
    fx.server.server.dbs[3].setExpire('t', Date.now() + 100_000);
    try {
      const text = (await fx.redis.info('keyspace')) as string;
      expect(text).to.match(/^# Keyspace\r\ndb3:keys=2,expires=1,avg_ttl=\d+,subexpiry=0\r\n$/);
      const ttl = Number(/avg_ttl=(\d+)/.exec(text)![1]);
      expect(ttl).to.be.within(90_000, 100_000);
    } finally {
      fx.server.server.dbs[3].flush();
    }
  });

  it('RESP3 clients get INFO as a verbatim string with the txt format', async () => {
    const c = await RawConnection.open(fx.server.port);
    c.write('HELLO 3\r\n');
    await c.next();
    const before = c.received.length;
    c.write('INFO cluster\r\n');
    await c.next();
    expect(c.received.subarray(before).toString()).to.equal('=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
    c.close();
  });

  it('node-redis in RESP3 reads INFO as a string', async () => {
    const client = createClient({ socket: { port: fx.server.port, host: '127.0.0.1' }, RESP: 3 });
    await client.connect();
    const text = await client.info('server');
    expect(String(text)).to.contain('redis_version:7.4.0');
    await client.quit();
  });
});
