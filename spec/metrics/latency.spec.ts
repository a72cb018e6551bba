/** Per-command latency histograms (lib/stats.ts) and the percentiles the endpoint derives from them (lib/metrics/prom.ts). */
import { expect } from 'chai';
import { LATENCY_BUCKETS, Stats, latencyBucket } from '../../lib/engine/stats.js';
import { quantileFromBuckets } from '../../lib/metrics/prom.js';

describe('metrics latency histograms', () => {
  it('a call lands in the least power-of-two bucket (µs) that holds it; the last bucket takes everything slower', () => {
    expect([0, 0.2, 1, 1.01, 2, 2.5, 4, 5, 1024, 1025].map(latencyBucket)).to.deep.equal([0, 0, 0, 1, 1, 2, 2, 3, 10, 11]);
    expect(latencyBucket(2 ** (LATENCY_BUCKETS - 1))).to.equal(LATENCY_BUCKETS - 1);
    expect(latencyBucket(1e12)).to.equal(LATENCY_BUCKETS - 1);
  });

  it('Stats records histograms only while trackLatency is on', () => {
    const st = new Stats();
    st.recordCall('xadd', 3);
    expect(st.commands.get('xadd')!.hist).to.equal(undefined);
    st.trackLatency = true;
    st.recordCall('xadd', 3);
    st.recordCall('xadd', 3.5);
    st.recordCall('xadd', 100);
    const s = st.commands.get('xadd')!;
    expect(s.calls).to.equal(4);
    expect(s.hist![2]).to.equal(2);
    expect(s.hist![7]).to.equal(1);
    expect(s.hist!.reduce((a, b) => a + b, 0)).to.equal(3);
    expect(s.histUsec).to.equal(106.5);
  });

  it('a percentile is the upper bound of the bucket holding its rank', () => {
    const hist = new Array<number>(LATENCY_BUCKETS).fill(0);
    hist[3] = 90; // 90 calls of 5..8 µs
    hist[6] = 9; // 9 of 33..64 µs
    hist[10] = 1; // 1 of 513..1024 µs
    expect(quantileFromBuckets(hist, 100, 0.5)).to.equal(8);
    expect(quantileFromBuckets(hist, 100, 0.9)).to.equal(8);
    expect(quantileFromBuckets(hist, 100, 0.99)).to.equal(64);
    expect(quantileFromBuckets(hist, 100, 0.999)).to.equal(1024);
  });
});
