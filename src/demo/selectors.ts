// Label and field selectors with the grammar and semantics of k8s.io/apimachinery/pkg/labels and /fields.

export type LabelOperator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: LabelOperator;
  values: string[];
}

export class SelectorParseError extends Error {}

const QUALIFIED_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validateKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0 && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw new SelectorParseError(`key: Invalid value: "${key}": prefix part must be a valid DNS subdomain`);
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    throw new SelectorParseError(
      `key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function validateValue(value: string): void {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new SelectorParseError(
      `values[0]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

type Token = { kind: 'id' | 'op' | 'open' | 'close' | 'comma' | 'end'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const isIdChar = (c: string) => !/[\s!=<>(),]/.test(c);
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(') {
      tokens.push({ kind: 'open', text: c });
      i++;
    } else if (c === ')') {
      tokens.push({ kind: 'close', text: c });
      i++;
    } else if (c === ',') {
      tokens.push({ kind: 'comma', text: c });
      i++;
    } else if (c === '!' || c === '=' || c === '<' || c === '>') {
      let op = c;
      if ((c === '!' || c === '=') && input[i + 1] === '=') op += '=';
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else {
      let j = i;
      while (j < input.length && isIdChar(input[j])) j++;
      tokens.push({ kind: 'id', text: input.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

/** Parses a label selector string ("" selects everything). Throws SelectorParseError. */
export function parseLabelSelector(input: string): LabelRequirement[] {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => tokens[pos++];
  const requirements: LabelRequirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    let t = take();
    let negated = false;
    if (t.kind === 'op' && t.text === '!') {
      negated = true;
      t = take();
    }
    if (t.kind !== 'id') throw new SelectorParseError(`unable to parse requirement: found '${t.text}', expected: identifier`);
    const key = t.text;
    validateKey(key);
    const next = peek();
    if (negated) {
      if (next.kind !== 'comma' && next.kind !== 'end') throw new SelectorParseError(`unable to parse requirement: found '${next.text}', expected: ',' or 'end of string'`);
      requirements.push({ key, op: '!', values: [] });
    } else if (next.kind === 'comma' || next.kind === 'end') {
      requirements.push({ key, op: 'exists', values: [] });
    } else if (next.kind === 'op') {
      take();
      const op = next.text === '>' ? 'gt' : next.text === '<' ? 'lt' : (next.text as LabelOperator);
      if (op === '!') throw new SelectorParseError(`unable to parse requirement: found '!', expected: '=', '!=', '==', 'in', notin'`);
      let value = '';
      if (peek().kind === 'id') value = take().text;
      else if (peek().kind !== 'comma' && peek().kind !== 'end') throw new SelectorParseError(`unable to parse requirement: found '${peek().text}', expected: identifier`);
      if (op === 'gt' || op === 'lt') {
        if (!/^-?\d+$/.test(value)) throw new SelectorParseError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
      } else {
        validateValue(value);
      }
      requirements.push({ key, op, values: [value] });
    } else if (next.kind === 'id' && (next.text === 'in' || next.text === 'notin')) {
      take();
      const open = take();
      if (open.kind !== 'open') throw new SelectorParseError(`unable to parse requirement: found '${open.text}', expected: '('`);
      // "()" is the set {""}, as in apimachinery's parser; empty elements are empty strings.
      const values: string[] = [];
      for (;;) {
        let v = '';
        if (peek().kind === 'id') {
          v = take().text;
          validateValue(v);
        }
        values.push(v);
        const sep = take();
        if (sep.kind === 'close') break;
        if (sep.kind !== 'comma') throw new SelectorParseError(`unable to parse requirement: found '${sep.text}', expected: ',' or ')'`);
      }
      const distinct = [...new Set(values)];
      requirements.push({ key, op: next.text as LabelOperator, values: distinct });
    } else {
      throw new SelectorParseError(`unable to parse requirement: found '${next.text}', expected: '=', '!=', '==', 'in', notin'`);
    }
    const sep = take();
    if (sep.kind === 'end') break;
    if (sep.kind !== 'comma') throw new SelectorParseError(`unable to parse requirement: found '${sep.text}', expected: ',' or 'end of string'`);
  }
  return requirements;
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const r of requirements) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = has ? labels![r.key] : undefined;
    switch (r.op) {
      case '=':
      case '==':
      case 'in':
        if (!has || !r.values.includes(value!)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(value!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(value!)) return false;
        const n = Number(value);
        const bound = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Parses a field selector ("a=b,c!=d"; "\," "\=" "\!" and "\\" escape). Throws SelectorParseError. */
export function parseFieldSelector(input: string): FieldRequirement[] {
  if (input.trim() === '') return [];
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\\' && i + 1 < input.length) {
      current += c + input[i + 1];
      i++;
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  terms.push(current);
  return terms.map((term) => {
    let i = 0;
    while (i < term.length) {
      if (term[i] === '\\') {
        i += 2;
        continue;
      }
      if (term.startsWith('!=', i)) return { field: term.slice(0, i).trim(), op: '!=' as const, value: unescape(term.slice(i + 2)) };
      if (term.startsWith('==', i)) return { field: term.slice(0, i).trim(), op: '=' as const, value: unescape(term.slice(i + 2)) };
      if (term[i] === '=') return { field: term.slice(0, i).trim(), op: '=' as const, value: unescape(term.slice(i + 1)) };
      i++;
    }
    throw new SelectorParseError(`invalid selector: '${input}'; can't understand '${term}'`);
  });
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

export function matchesFields(requirements: readonly FieldRequirement[], valueOf: (field: string) => string): boolean {
  for (const r of requirements) {
    const v = valueOf(r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
