import type { ConsoleScreen } from './harness.js';

/** On the timeline: moves the cursor down (from where it is) until the selected entry matches. */
export async function selectEntry(c: ConsoleScreen, wanted: RegExp): Promise<string> {
  for (let i = 0; i < 80; i++) {
    const row = c.selectedRow() ?? '';
    if (wanted.test(row)) return row;
    c.press('j');
    await c.waitFor(() => (c.selectedRow() ?? '') !== row, 5000).catch(() => undefined);
  }
  throw new Error(`no timeline entry matches ${wanted}:\n${c.screen()}`);
}

const markers = (line: string) => [...line].filter((ch) => ch === '┊').length;

/** A chart (its plot rows end in `┤`) on screen marks at least `n` changes. */
export const chartMarked = (n: number) => (screen: string) => screen.split('\n').some((l) => l.includes('┤') && markers(l) >= n);

/** The logs pane's strip (`… lines`) marks at least `n` changes. */
export const stripMarked = (n: number) => (screen: string) => screen.split('\n').some((l) => /^\s*[\d.,]+k? lines/.test(l) && markers(l) >= n);

/**
 * The demo's staged incident (Controller.stageIncident): the Deployment kube-controller-manager
 * scaled, from an admin list of Deployments. A rollout 45 minutes ago, scale changes 32 and 18.
 */
export function incidentOf(deployments: { items: Array<{ metadata: { name: string; namespace: string; managedFields?: Array<{ manager?: string }> } }> }) {
  const d = deployments.items.find((x) => (x.metadata.managedFields ?? []).some((f) => f.manager === 'kube-controller-manager'));
  if (!d) throw new Error('the demo has no staged incident');
  return d.metadata;
}
