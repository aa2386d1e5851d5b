import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/demo/rng.js';

describe('Rng.uuid', () => {
  it('gives the same version-4 ids for a seed as always (the demo\'s objects keep their uids from run to run)', () => {
    const rng = new Rng(42);
    expect([rng.uuid(), rng.uuid(), rng.uuid()]).toEqual(['7da2849d-73eb-4438-aa90-7d090402c802', '7c570089-3a34-4bd8-b344-1aabe1f6f210', '79e1be4b-28d1-4f9e-9695-95b47dbfe684']);
    for (let i = 0; i < 200; i++) expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
