import * as z from 'zod';
import type { ConfigFile } from './configFile.js';
import { parseSection } from './configValues.js';

// Named fleets: several kubeconfig contexts watched as one (`warroom --fleet prod`, `:fleet prod`).
//
//   fleets:
//     prod: [prod-dc1, prod-dc2, prod-dc3]     # kubeconfig context names, at least one
//     demo: [warroom-demo-dc1, warroom-demo-dc2]
//
// The contexts are not looked up here: the kubeconfig is read when a fleet is opened, and a
// context it does not have is named then.

const FLEET_NAME = /^[A-Za-z0-9][\w.-]*$/;
const FLEET_NAME_RULE = 'a fleet name must be a word (letters, digits, - _ .)';
const LIST_RULE = 'must be a list of kubeconfig context names ([prod-dc1, prod-dc2])';

const contextNames = z
  .array(z.string({ error: 'must be a kubeconfig context name' }).refine((s) => s.trim() === s && s !== '' && !s.includes(','), { error: 'must be a kubeconfig context name (no spaces around it, no commas)' }), {
    error: LIST_RULE,
  })
  .min(1, { error: 'must name at least one kubeconfig context' })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((name, i) => {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i], message: 'is listed twice in this fleet' });
      seen.add(name);
    });
  });

export const fleetsSchema = z
  .record(z.string(), contextNames.nullable(), { error: 'must be a mapping of fleet names to lists of kubeconfig contexts (prod: [prod-dc1, prod-dc2])' })
  .superRefine((fleets, ctx) => {
    for (const [name, list] of Object.entries(fleets)) {
      if (!FLEET_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `is not a usable fleet name: ${FLEET_NAME_RULE}` });
      // `prod:` with nothing after it parses as null: a fleet of no contexts.
      else if (list === null) ctx.addIssue({ code: 'custom', path: [name], message: 'must name at least one kubeconfig context' });
    }
  });

export type Fleets = Record<string, string[]>;

export function fleetsFrom(file: ConfigFile): Fleets {
  const fleets = parseSection(fleetsSchema.nullish(), file, 'fleets') ?? {};
  const out: Fleets = {};
  for (const [name, list] of Object.entries(fleets)) if (list) out[name] = [...list];
  return out;
}
