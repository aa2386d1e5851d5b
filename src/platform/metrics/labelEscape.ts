// Label values that reach a PromQL query come from the cluster (namespace, pod and workload
// names, user-typed labels) and must never change the query's meaning: a quote or a
// backslash inside a value would end the string or start an escape.

/** A PromQL double-quoted string literal for `value` (Go escapes, as the PromQL lexer reads them). */
export function quoteLabelValue(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        // Other control characters are legal but invisible; \xHH keeps the query printable.
        out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
      }
    }
  }
  return `${out}"`;
}

/** `value` as a literal inside an RE2 regular expression (Prometheus `=~` matchers). */
export function escapeRegexLiteral(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** `name="value"` with the value escaped. Label names are validated, never escaped. */
export function equalsMatcher(name: string, value: string): string {
  assertLabelName(name);
  return `${name}=${quoteLabelValue(value)}`;
}

/**
 * `name=~"^(?:a|b)$"`-style matcher that selects exactly the given values (Prometheus anchors
 * regexes itself, so no ^$ are needed). No values selects nothing: `name=~""` would also
 * match series without the label, so an impossible value is used instead.
 */
export function oneOfMatcher(name: string, values: readonly string[]): string {
  assertLabelName(name);
  if (values.length === 0) return `${name}="__warroom_none__"`;
  if (values.length === 1) return equalsMatcher(name, values[0]);
  const alternatives = [...new Set(values)].sort().map(escapeRegexLiteral).join('|');
  return `${name}=~${quoteLabelValue(alternatives)}`;
}

export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

function assertLabelName(name: string): void {
  if (!isLabelName(name)) throw new Error(`'${name}' is not a Prometheus label name`);
}

/** A context's own matchers (`{cluster: prod-eu}`) as selector text (`cluster="prod-eu"`), '' for none. */
export function contextMatchers(matchers: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(matchers ?? {})
    .map(([name, value]) => equalsMatcher(name, value))
    .join(',');
}

/** Selector parts joined, the empty ones left out. */
export function joinSelectors(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(',');
}
