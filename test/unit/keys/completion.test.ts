import { describe, expect, it } from 'vitest';
import type { ConsoleRuntime } from '../../../src/platform/consoleRuntime.js';
import { commandNames } from '../../../src/ui/keys/commands.js';
import { complete, registerCompletionProvider, type CompletionContext } from '../../../src/ui/keys/completion.js';

// A console as completion reads it: context names, fleets, plugins and each cluster's systems.
function consoleWith(systems: string[], watchStatus: { kind: string } = { kind: 'live' }): CompletionContext {
  const namespaces = { rows: new Map(systems.map((name) => [name, { name }])), synced: watchStatus.kind === 'live', watchStatus };
  const runtime = {
    ctx: { session: { contextNames: () => ['prod-dc1', 'prod-dc2', 'staging'] } },
    contexts: [{ store: { namespaces } }],
    fleets: { prod: ['prod-dc1', 'prod-dc2'], preprod: ['staging'] },
    plugins: [{ name: 'stern' }],
  } as unknown as ConsoleRuntime;
  return { runtime, aliases: { cart: 'apps cart' } };
}

const tab = (line: string, ctx = consoleWith(['cart', 'catalog', 'payment'])) => complete(line, commandNames(), ctx);

describe('Tab in the : line', () => {
  it('completes command names, the list views\' short names and the config\'s aliases', () => {
    expect(tab('heal')).toEqual({ line: 'health ', candidates: ['health'] });
    expect(tab('po')).toMatchObject({ line: 'po', candidates: ['pod', 'pods', 'po'].sort() });
    expect(tab('fl').line).toBe('fleet ');
    expect(tab('ca').line).toBe('cart ');
    expect(tab('zzz')).toEqual({ line: 'zzz', candidates: [] });
  });

  it('completes context names after :ctx (each name after a comma), fleets after :fleet', () => {
    expect(tab('ctx st')).toEqual({ line: 'ctx staging', candidates: ['staging'] });
    expect(tab('ctx pr')).toEqual({ line: 'ctx prod-dc', candidates: ['prod-dc1', 'prod-dc2'] });
    expect(tab('ctx prod-dc1,prod-dc')).toMatchObject({ line: 'ctx prod-dc1,prod-dc' });
    expect(tab('ctx prod-dc1,st').line).toBe('ctx prod-dc1,staging');
    expect(tab('fleet pr')).toEqual({ line: 'fleet pr', candidates: ['preprod', 'prod'] });
    expect(tab('fleet pro').line).toBe('fleet prod ');
    expect(tab('plugin s').line).toBe('plugin stern ');
  });

  it('completes system names after :ns, :apps, :pods and :rs, not after :systems', () => {
    expect(tab('ns pay').line).toBe('ns payment ');
    expect(tab('apps ca')).toEqual({ line: 'apps ca', candidates: ['cart', 'catalog'] });
    expect(tab('pods cat').line).toBe('pods catalog ');
    expect(tab('rs car').line).toBe('rs cart ');
    expect(tab('po car').line).toBe('po cart ');
    expect(tab('systems ca').candidates).toEqual([]);
    expect(tab('pods cart x').candidates).toEqual([]);
  });

  it('says the systems are still being listed when none matches before a cluster\'s first list of them', () => {
    expect(tab('pods pay', consoleWith([], { kind: 'listing' }))).toEqual({ line: 'pods pay', candidates: [], waiting: 'systems' });
    expect(tab('ns pay', consoleWith([], { kind: 'listing' })).waiting).toBe('systems');
    // A cluster that cannot be reached or refuses the list is not waited for; other words are not systems.
    expect(tab('pods pay', consoleWith([], { kind: 'reconnecting' })).waiting).toBeUndefined();
    expect(tab('pods pay', consoleWith([], { kind: 'failed' })).waiting).toBeUndefined();
    expect(tab('fleet x', consoleWith([], { kind: 'listing' })).waiting).toBeUndefined();
    expect(tab('pods pay').waiting).toBeUndefined();
  });

  it('asks registered providers for more command names and their arguments', () => {
    const off = registerCompletionProvider({
      commands: () => ['deployments', 'deploy', 'svc'],
      args: (command) => (command === 'svc' ? ['cart/cart-api', 'cart/cart-web'] : undefined),
    });
    try {
      expect(tab('depl').line).toBe('deploy');
      expect(tab('sv').line).toBe('svc ');
      expect(tab('svc cart/cart-w').line).toBe('svc cart/cart-web ');
      // The console's own arguments come first: :pods still completes systems.
      expect(tab('pods pay').line).toBe('pods payment ');
    } finally {
      off();
    }
    expect(tab('sv').candidates).toEqual([]);
  });
});
