import { describe, expect, it } from 'vitest';
import { clusterLabels } from '../../../src/ui/views/lists/fleetClusters.js';

// The fleet views' column titles, the header's and the logs' cluster tags: short, and never two alike.

describe('cluster labels', () => {
  it("uses the contexts' last words when they tell the clusters apart", () => {
    expect(clusterLabels(['warroom-demo-dc1', 'warroom-demo-dc2', 'warroom-demo-dc3'], 9)).toEqual(['dc1', 'dc2', 'dc3']);
    expect(clusterLabels(['prod-eu-west', 'prod-eu-east'], 9)).toEqual(['west', 'east']);
  });

  it('drops the words every name starts with when the last words do not tell them apart', () => {
    expect(clusterLabels(['warroom-lab', 'warroom-lab-2'], 9)).toEqual(['lab', 'lab-2']);
    expect(clusterLabels(['warroom-lab', 'warroom-lab-2', 'warroom-lab-3-long-name'], 9)).toEqual(['lab', 'lab-2', 'lab-3-lon']);
    expect(clusterLabels(['prod', 'staging'], 9)).toEqual(['prod', 'staging']);
  });

  it('never cuts two names to the same title', () => {
    const labels = clusterLabels(['kubernetes-admin@cluster-frankfurt', 'kubernetes-admin@cluster-frankfurt-2'], 9);
    expect(new Set(labels).size).toBe(2);
    for (const l of labels) expect(l.length).toBeLessThanOrEqual(9);
    expect(clusterLabels(['production', 'productionx'], 9)).toEqual(['prod…tion', 'prod…ionx']);
  });
});
