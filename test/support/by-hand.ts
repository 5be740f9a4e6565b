/** The small run worked out by hand in test/metrics-by-hand.test.ts (its timeline is written out there); other tests reuse it. */
export const BY_HAND = {
  name: 'by-hand',
  cluster: { pools: [{ name: 'node', count: 2, capacity: { cpu: 4, memory: '8Gi' } }] },
  workload: {
    streams: [
      { name: 'w', arrival: { process: 'burst', at: ['0s'], size: 3 }, duration: '10s', requests: { cpu: 2, memory: '2Gi' } },
      { name: 'big', arrival: { process: 'burst', at: ['0s'], size: 1 }, duration: '10s', requests: { cpu: 8 } },
      { name: 'late', arrival: { process: 'burst', at: ['5s'], size: 2 }, duration: '10s', requests: { cpu: 3, memory: '1Gi' } },
    ],
  },
  metrics: { probe: { cpu: 1, memory: '1Gi' } },
};
