import { describe, expect, it } from 'vitest';
import type { AlertFeedStatus, AlertStore } from '../../../src/platform/alerts/alertStore.js';
import { alertBadge } from '../../../src/ui/widgets/alertBadge.js';
import { fleetAlertsText } from '../../../src/ui/widgets/FleetHeader.js';

// The fleet header's alert count: each cluster's firing critical alerts, never an all-clear for
// a cluster whose alerts are not read yet.

function cluster(label: string, status: AlertFeedStatus, critical = 0) {
  const store = { status, criticalFiring: () => critical } as unknown as AlertStore;
  return { label, state: { text: '● live', level: 'ok' as const }, readOnly: false, current: false, alerts: alertBadge(store) };
}

const live = { kind: 'live', at: 0 } as const;
const loading = { kind: 'loading' } as const;
const failing = { kind: 'failing', since: 0, message: 'down', attempt: 1 } as const;

describe('the fleet header\'s alert count', () => {
  it('names each cluster with firing critical alerts, else the total when that does not fit', () => {
    const parts = [cluster('dc1', live, 2), cluster('dc2', live, 3), cluster('dc3', live)];
    expect(fleetAlertsText(parts, 40)).toEqual({ text: '✗ dc1:2 dc2:3', level: 'error' });
    expect(fleetAlertsText(parts, 10)).toEqual({ text: '✗ 5 critical', level: 'error' });
    expect(fleetAlertsText([cluster('dc1', live, 2), cluster('dc2', failing, 1)], 10)).toEqual({ text: '✗ 3 critical?', level: 'error' });
  });

  it('says 0 critical only when every cluster has answered; a cluster not read yet or failing is named, without a ✗', () => {
    expect(fleetAlertsText([cluster('dc1', live), cluster('dc2', live)], 40)).toEqual({ text: '0 critical', level: 'ok' });
    expect(fleetAlertsText([cluster('dc1', loading), cluster('dc2', loading)], 40)).toEqual({ text: 'alerts dc1:… dc2:…', level: 'dim' });
    expect(fleetAlertsText([cluster('dc1', live), cluster('dc2', loading)], 40)).toEqual({ text: 'alerts dc2:…', level: 'dim' });
    expect(fleetAlertsText([cluster('dc1', live), cluster('dc2', failing)], 40)).toEqual({ text: 'alerts dc2:?', level: 'warn' });
    expect(fleetAlertsText([cluster('dc1', loading), cluster('dc2', failing)], 5)).toEqual({ text: 'alerts ?', level: 'warn' });
    expect(fleetAlertsText([cluster('dc1', { kind: 'off' })], 40)).toEqual({ text: '', level: 'dim' });
  });
});
