// A small Lucene query_string parser for the demo store: terms, "phrases", field:value,
// wildcards (* ?), AND / OR / NOT, + and -, parentheses. Enough for what people type into
// a log search; a syntax error is reported the way Elasticsearch reports it, so the console
// shows the same one-line reason against the demo as against a real cluster.

export type QsNode =
  | { op: 'and' | 'or'; items: QsNode[] }
  | { op: 'not'; item: QsNode }
  | { op: 'term'; field?: string; text: string; phrase: boolean };

export class QueryStringSyntaxError extends Error {}

interface Token {
  kind: 'word' | 'phrase' | 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'plus' | 'minus' | 'colon';
  text: string;
}

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: c === '(' ? 'lparen' : 'rparen', text: c });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < q.length && q[j] !== '"') {
        if (q[j] === '\\' && j + 1 < q.length) j++;
        text += q[j++];
      }
      if (j >= q.length) throw new QueryStringSyntaxError(`Cannot parse '${q}': Lexical error at line 1, column ${q.length + 1}.  Encountered: <EOF> after prefix "${q.slice(i, i + 20)}"`);
      out.push({ kind: 'phrase', text });
      i = j + 1;
      continue;
    }
    if ((c === '+' || c === '-' || c === '!') && (out.length === 0 || i === 0 || /[\s(]/.test(q[i - 1]))) {
      out.push({ kind: c === '+' ? 'plus' : 'minus', text: c });
      i++;
      continue;
    }
    if (c === ':') {
      out.push({ kind: 'colon', text: c });
      i++;
      continue;
    }
    let text = '';
    while (i < q.length && !/[\s()":]/.test(q[i])) {
      if (q[i] === '\\') {
        if (i + 1 >= q.length) throw new QueryStringSyntaxError(`Cannot parse '${q}': Lexical error at line 1, column ${q.length + 1}.  Encountered: <EOF> after : ""`);
        text += q[i + 1];
        i += 2;
        continue;
      }
      if (/[{}[\]^~]/.test(q[i])) throw new QueryStringSyntaxError(`Cannot parse '${q}': Encountered " "${q[i]}" "${q[i]} "" at line 1, column ${i}.`);
      text += q[i++];
    }
    if (text === 'AND' || text === '&&') out.push({ kind: 'and', text });
    else if (text === 'OR' || text === '||') out.push({ kind: 'or', text });
    else if (text === 'NOT') out.push({ kind: 'not', text });
    else out.push({ kind: 'word', text });
  }
  return out;
}

export function parseQueryString(q: string, defaultOperator: 'and' | 'or' = 'or'): QsNode {
  const tokens = tokenize(q);
  let pos = 0;
  const fail = (what: string): never => {
    throw new QueryStringSyntaxError(`Cannot parse '${q}': Encountered "${what}" at line 1, column ${pos}.`);
  };
  const peek = () => tokens[pos];

  function orExpr(): QsNode {
    const items: QsNode[] = [andExpr()];
    while (peek()?.kind === 'or') {
      pos++;
      items.push(andExpr());
    }
    return items.length === 1 ? items[0] : { op: 'or', items };
  }
  function andExpr(): QsNode {
    const items: QsNode[] = [];
    const implicit: QsNode[] = [];
    items.push(unary());
    for (;;) {
      const t = peek();
      if (!t || t.kind === 'rparen' || t.kind === 'or') break;
      if (t.kind === 'and') {
        pos++;
        if (!peek() || peek().kind === 'rparen') fail('<EOF>');
        items.push(unary());
        continue;
      }
      implicit.push(unary());
    }
    if (implicit.length === 0) return items.length === 1 ? items[0] : { op: 'and', items };
    const all = [...items, ...implicit];
    return defaultOperator === 'and' ? { op: 'and', items: all } : { op: 'or', items: all };
  }
  function unary(): QsNode {
    const t = peek();
    if (!t) return fail('<EOF>');
    if (t.kind === 'not' || t.kind === 'minus') {
      pos++;
      return { op: 'not', item: unary() };
    }
    if (t.kind === 'plus') {
      pos++;
      return unary();
    }
    return primary();
  }
  function primary(): QsNode {
    const t = peek();
    if (!t) return fail('<EOF>');
    if (t.kind === 'lparen') {
      pos++;
      const inner = orExpr();
      if (peek()?.kind !== 'rparen') fail(peek() ? peek().text : '<EOF>');
      pos++;
      return inner;
    }
    if (t.kind === 'word' && tokens[pos + 1]?.kind === 'colon') {
      pos += 2;
      const v = peek();
      if (!v) return fail('<EOF>');
      if (v.kind === 'lparen') {
        pos++;
        const inner = orExpr();
        if (peek()?.kind !== 'rparen') fail(peek() ? peek().text : '<EOF>');
        pos++;
        return withField(inner, t.text);
      }
      if (v.kind !== 'word' && v.kind !== 'phrase') return fail(v.text);
      pos++;
      return { op: 'term', field: t.text, text: v.text, phrase: v.kind === 'phrase' };
    }
    if (t.kind === 'word' || t.kind === 'phrase') {
      pos++;
      return { op: 'term', text: t.text, phrase: t.kind === 'phrase' };
    }
    return fail(t.text);
  }
  function withField(n: QsNode, field: string): QsNode {
    if (n.op === 'term') return { ...n, field: n.field ?? field };
    if (n.op === 'not') return { op: 'not', item: withField(n.item, field) };
    return { op: n.op, items: n.items.map((i) => withField(i, field)) };
  }

  if (tokens.length === 0) return { op: 'and', items: [] };
  const tree = orExpr();
  if (pos < tokens.length) fail(tokens[pos].text);
  return tree;
}

const wordRe = (text: string): RegExp => {
  const pattern = text
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '\\S*' : c === '?' ? '\\S' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`(?:^|[^\\p{L}\\p{N}_])${pattern}(?:$|[^\\p{L}\\p{N}_])`, 'u');
};

/** Matches a parsed query against a document: `text(field)` gives a field's text ('' = default field). */
export function matchQueryString(node: QsNode, text: (field: string | undefined) => string | undefined): boolean {
  switch (node.op) {
    case 'and':
      return node.items.every((i) => matchQueryString(i, text));
    case 'or':
      return node.items.some((i) => matchQueryString(i, text));
    case 'not':
      return !matchQueryString(node.item, text);
    case 'term': {
      const value = text(node.field);
      if (value === undefined) return false;
      const hay = value.toLowerCase();
      if (node.phrase) return hay.includes(node.text.toLowerCase());
      if (node.text === '*') return true;
      return wordRe(node.text).test(hay);
    }
  }
}
