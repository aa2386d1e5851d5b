import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { ConsoleUnderTest, demoPerFile, keys } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// Every view and pane at 80x24, the size of a jump host's terminal: each shows its
// breadcrumb, a header, its rows and the status line, and what matters (names, counts,
// reasons) is never cut mid-word. One demo platform for the file, with its log store and
// Prometheus (the demo's config file points at both).

const fixture = demoPerFile();
const SMALL = { cols: 80, rows: 24 };
const home = scratchDir('warroom-small-tty-');

/** The demo's config (log store, Prometheus), plus `extra` YAML at the top level. */
function open(extra = ''): ConsoleUnderTest {
  const config = join(home, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(config, `${readFileSync(fixture.demo.configPath, 'utf8')}\n${extra}`);
  const c = new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context], {
    ...SMALL,
    env: { WARROOM_CONFIG: config, WARROOM_AUDIT_FILE: join(home, 'audit.jsonl'), XDG_STATE_HOME: join(home, 'state') },
  });
  fixture.track(c);
  return c;
}

/** The header (context and connection), the breadcrumb and the status line are all there. */
function expectChrome(c: ConsoleUnderTest, crumb: RegExp): void {
  const lines = c.lines();
  expect(lines[0]).toMatch(/^ warroom {2}warroom-demo .*● live $/);
  expect(lines[1]).toMatch(crumb);
  // The root is rows - 1 tall: the status line is the 23rd line, the 24th stays empty.
  expect(lines[22].trim()).not.toBe('');
  expect(lines[23].trim()).toBe('');
}

async function api<T>(path: string): Promise<T> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  return (await (await fetch(`${fixture.demo.url}${path}`, { headers: init.headers })).json()) as T;
}

/** The status line: key hints, whole (a hint that does not fit is left out, not cut). */
function expectWholeHints(c: ConsoleUnderTest): void {
  expect(c.lines()[22]).not.toContain('…');
}

/** The cut marker inside a word of `line`: a name or a count cut short. */
const cutWord = /\w…/;

async function apps(c: ConsoleUnderTest, system: string): Promise<void> {
  await c.waitFor('● live', 30_000);
  await c.type(`:apps ${system}`);
  c.press(keys.enter);
  await c.waitFor(new RegExp(`Systems › ${system} › Applications`));
  await c.waitFor(/APPLICATION.*KIND.*DESIRED/);
}

async function selectApp(c: ConsoleUnderTest, system: string, app: string): Promise<void> {
  await apps(c, system);
  await c.type(`/${app}`);
  c.press(keys.enter);
  await c.waitFor((s) => (c.selectedRow() ?? '').includes(app) && s.includes(`filter: ${app}`));
}

describe('80x24: list views', () => {
  it('systems: every system with its counts; the header names the hidden NAMESPACE column', async () => {
    const c = open();
    await c.waitFor('● live', 30_000);
    await c.waitFor(/Shopping Cart\s+4\s+\d+\/\d+/);
    expectChrome(c, /^ Systems {2}\(12\)/);
    expect(c.lines()[2]).toMatch(/^ SYSTEM↑ +hidden: NAMESPACE +APPS +PODS NOT READY RESTARTS +AGE$/);
    for (const l of c.lines().slice(3, 15)) expect(l).not.toMatch(cutWord);
    expectWholeHints(c);
  });

  it('applications: names, kinds and counts; the header counts the hidden columns (sparklines, IMAGES)', async () => {
    const c = open();
    await apps(c, 'cart');
    await c.waitFor(/cart-sync-worker\s+deploy\s+\d+/);
    expectChrome(c, /^ Systems › cart › Applications {2}\(4\)/);
    expect(c.lines()[2]).toMatch(/^ APPLICATION↑ +\+3 cols KIND +HPA DESIRED READY AVAIL UP-TO-DATE RESTARTS +AGE$/);
    expect(c.text()).toMatch(/cart-api\s+deploy HPA\s+\d+\s+\d+/);
  });

  it('pods: whole pod names, status and restarts; the header names the hidden columns (sparklines, NODE, ZONE, IP)', async () => {
    const c = open();
    await selectApp(c, 'cart', 'cart-api');
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    await c.waitFor(/cart-api-[a-z0-9]+-[a-z0-9]{5}\s+\d\/\d\s+Running\s+\d+\s+\S+$/m);
    expectChrome(c, /^ Systems › cart › Applications › cart-api › Pods {2}\(\d+\)/);
    expect(c.lines()[2]).toMatch(/^ POD↑ +hidden: CPU MEM NODE ZONE IP READY STATUS +RESTARTS +AGE$/);
    const rows = c.lines().filter((l) => /^ cart-api-/.test(l));
    expect(rows.length).toBeGreaterThan(2);
    for (const l of rows) expect(l).not.toMatch(cutWord);
    // A wider terminal shows them, and the note goes.
    c.resize(160, 30);
    await c.waitFor(/POD↑\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+CPU\s+MEM\s+NODE\s+ZONE\s+IP/);
    expect(c.text()).not.toContain('hidden');
  });

  it('pod detail: the pod, its containers and conditions; the hints are whole', async () => {
    const c = open();
    await selectApp(c, 'cart', 'cart-api');
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    await c.waitFor(() => /^ cart-api-/.test(c.selectedRow() ?? ''));
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    c.press(keys.enter);
    await c.waitFor('Containers');
    expectChrome(c, new RegExp(`^ Systems › cart › Applications › cart-api › Pods › ${pod}`));
    expect(c.text()).toMatch(new RegExp(`^ {2}name {7}${pod}$`, 'm'));
    expect(c.text()).toMatch(/^ {4}image {5}\S+:\S+$/m);
    expect(c.text()).toMatch(/^Conditions/m);
    expectWholeHints(c);
    expect(c.lines()[22]).toMatch(/ l logs {2}m metrics /);
  });
});

describe('80x24: panes', () => {
  it("logs of an application: each line's pod tag keeps the application's name and the pod's suffix", async () => {
    const c = open();
    await selectApp(c, 'cart', 'cart-api');
    c.press('l');
    await c.waitFor(/application cart-api \(cart\) · last 15m · all levels · FOLLOWING/);
    const tagged = /^\d\d:\d\d:\d\d\.\d{3} (cart-api-\S*[a-z0-9]{5})(\/\S+)? /;
    await c.waitFor(() => c.lines().filter((l) => tagged.test(l)).length >= 5, 20_000);
    expectChrome(c, /^ Systems › cart › Applications › cart-api › Logs \(application\)/);
    for (const l of c.lines().filter((x) => /^\d\d:\d\d:\d\d\./.test(x))) expect(l).toMatch(/^\d\d:\d\d:\d\d\.\d{3} cart-api-…[a-z0-9]{5} /);
    expectWholeHints(c);
  });
});

describe('80x24: metrics', () => {
  const BRAILLE = /[\u2801-\u28ff]/;
  /** The charts on screen: each title line with the lines under it up to the next title or the end. */
  function charts(c: ConsoleUnderTest): Array<{ title: string; lines: string[] }> {
    const lines = c.lines().slice(4, 22);
    const out: Array<{ title: string; lines: string[] }> = [];
    for (const l of lines) {
      if (/^ [A-Z][\w ()]+ \([A-Za-z/]+\)/.test(l)) out.push({ title: l, lines: [] });
      else out[out.length - 1]?.lines.push(l);
    }
    return out;
  }

  it("an application's charts: each shown whole (title, y-axis, times, legend), the rest below; the cursor on every chart", async () => {
    const c = open();
    await selectApp(c, 'cart', 'cart-api');
    c.press('m');
    await c.waitFor((s) => BRAILLE.test(s) && /CPU \((cores|millicores)\)/.test(s), 20_000);
    expectChrome(c, /^ Systems › cart › Applications › cart-api › Metrics/);
    expectWholeHints(c);
    const more = await c.waitFor(/^ ↓ \d+ more below \(j\/k\)\s*$/m);
    expect(more.split('\n')[21]).toMatch(/↓ \d+ more below/);
    const check = (chart: { title: string; lines: string[] }) => {
      // A title line of its own, then a plot of several rows on a y-axis.
      expect(chart.title).toMatch(/^ [A-Z][\w ()]+ \([A-Za-z/]+\)(\s+@ \d\d:\d\d)?\s*$/);
      const plot = chart.lines.filter((l) => /┤/.test(l));
      expect(plot.length).toBeGreaterThanOrEqual(4);
      expect(chart.lines.some((l) => /^\s+\d\d:\d\d {2,}\d\d:\d\d/.test(l))).toBe(true);
      expect(chart.lines.some((l) => /[■┄] \S+ [0-9.-]+/.test(l))).toBe(true);
    };
    const first = charts(c);
    expect(first.length).toBeGreaterThanOrEqual(1);
    for (const chart of first) check(chart);
    // ← puts the cursor on every chart shown: its time in each title.
    c.press('\x1b[D');
    await c.waitFor(() => charts(c).every((ch) => /@ \d\d:\d\d/.test(ch.title)));
    // j scrolls to the memory chart: whole, with its own title line and the cursor.
    c.press('j');
    await c.waitFor(/^ Memory \(working set\) \((MiB|GiB|KiB)\)\s+@ \d\d:\d\d\s*$/m);
    await c.waitFor(/↑ \d+ above/);
    const mem = charts(c).find((ch) => ch.title.startsWith(' Memory'))!;
    check(mem);
  }, 60_000);
});

describe('80x24: run on pods', () => {
  it('run results: whole pod names, the selected pod\'s whole failure reason, and its output at full width', async () => {
    const c = open('exec:\n  timeoutSeconds: 2\n');
    await selectApp(c, 'cart', 'cart-api');
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    await c.waitFor(/^ cart-api-\S+\s+1\/1\s+Running/m);
    const unlucky = c.lines().filter((l) => /^ cart-api-\S+\s+1\/1\s+Running/.test(l))[1].trim().split(/\s+/)[0];
    await c.type(`:run sh -c 'echo "output of $HOSTNAME"; if test "$HOSTNAME" = ${unlucky}; then sleep 10; fi'`);
    c.press(keys.enter);
    await c.waitFor(/Run a command on \d+ pods: preview/);
    expectChrome(c, /^ Systems › cart › Applications › cart-api › Pods › Run\?/);
    expect(c.text()).toMatch(/pods +\d+ Running/);
    c.press(keys.enter);
    await c.waitFor(/(\d+)\/\1 done, 1 failed/, 30_000);
    expectChrome(c, /^ Systems › cart › Run on pods/);
    const lines = c.lines();
    // The pods: whole names, the failure first and selected.
    const rows = lines.filter((l) => /^ [✗✓] /.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) expect(r).toMatch(/^ [✗✓] cart-api-[a-z0-9]+-[a-z0-9]{5} /);
    expect(rows[0]).toContain(`✗ ${unlucky} `);
    expect(c.selectedRow()).toContain(unlucky);
    // Under the list, the selected pod's name and its whole reason; then its output.
    const detail = lines.findIndex((l) => l.startsWith(` ${unlucky} (cart-api)`));
    expect(detail).toBeGreaterThan(lines.indexOf(rows[rows.length - 1]));
    expect(lines[detail]).toContain('timed out after 2 s');
    expect(lines[detail + 1]).toBe(` output of ${unlucky}`);
    // j selects the next pod: its name and exit code on the detail line.
    c.press('j');
    await c.waitFor(/^ cart-api-\S+ \(cart-api\) {2}exit 0\s*$/m);
    await c.waitFor(/^ output of cart-api-/m);
  }, 60_000);
});

describe('80x24: exec', () => {
  it('the container picker: names, default, state, and the image with its tag', async () => {
    type PodList = { items: Array<{ metadata: { name: string; namespace: string }; spec: { containers: Array<{ name: string; image: string }> }; status: { phase: string } }> };
    const pods = await api<PodList>('/api/v1/pods');
    const withEnvoy = pods.items.find((p) => p.status.phase === 'Running' && p.spec.containers.some((x) => x.name === 'envoy'));
    if (!withEnvoy) throw new Error('the demo scenario has no Running pod with an envoy sidecar');
    const { name: pod, namespace: ns } = withEnvoy.metadata;
    const c = open();
    await c.waitFor('● live', 30_000);
    await c.type(`:pods ${ns}`);
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    await c.type(`/${pod}`);
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes(pod));
    c.press('s');
    await c.waitFor(`Shell in ${ns}/${pod}: which container?`);
    expectChrome(c, new RegExp(`^ Systems › ${ns} › ${pod} › shell`));
    // The picker's rows may come a frame after its title.
    await c.waitFor(() => withEnvoy.spec.containers.every((ct) => c.rowWith(` ${ct.name} `) !== undefined));
    for (const ct of withEnvoy.spec.containers) {
      const row = c.rowWith(` ${ct.name} `)!;
      // The image's name and tag are at the end of the row, whole.
      const tail = ct.image.slice(ct.image.lastIndexOf('/') + 1);
      expect(row.trimEnd().endsWith(tail)).toBe(true);
      expect(row).toMatch(/\brunning\b/i);
    }
    expect(c.text()).toMatch(new RegExp(`▸ ${withEnvoy.spec.containers[0].name}\\s+default\\s+running`));
    expectWholeHints(c);
    c.press(keys.esc);
  });
});

describe('80x24: dialogs', () => {
  it('scale preview of a whole system: every warning is wrapped whole beside its row, the prompt stays', async () => {
    const c = open();
    await c.waitFor('● live', 30_000);
    await c.type('/trade');
    c.press(keys.enter);
    await c.waitFor((s) => (c.selectedRow() ?? '').includes('Trade & Orders') && s.includes('filter: trade'));
    c.press('s');
    await c.waitFor(/Scale system trade: all 6 applications/, 30_000);
    await c.type('x4');
    await c.waitFor('scale by: x4█');
    c.press(keys.enter);
    await c.waitFor(/This changes 6 applications\. Type trade to confirm:/, 30_000);
    expectChrome(c, /^ Systems › Scale/);
    const lines = c.lines();
    const header = lines.findIndex((l) => /APPLICATION\s+FROM\s+TO\s+DRY-RUN\s+WARNINGS \/ REASON/.test(l));
    const column = lines[header].indexOf('WARNINGS');
    const table = lines.slice(header + 1, lines.findIndex((l) => l.includes('This changes')));
    expect(table.filter((l) => /^ {3}\S+\s+\d+\s+\d+\s+accepted/.test(l))).toHaveLength(6);
    // Nothing is cut at the right edge: the warnings read whole, over as many lines as they need.
    for (const l of table) expect(l).not.toContain('…');
    const notes = table.map((l) => l.slice(column).trim()).join(' ');
    expect(notes).toContain('a change of more than x3 (6 -> 24)');
    expect(notes).toContain('a change of more than x3 (18 -> 72)');
    c.press(keys.esc);
    c.press(keys.esc);
  }, 60_000);
});
