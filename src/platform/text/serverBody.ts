import { sanitize } from './sanitize.js';

// What a server answered, quoted in one short line for an error message. An error page from
// the server or a proxy in front of it (an ingress, a load balancer, an SSO gateway) is HTML:
// its title says what happened ("502 Bad Gateway"); the markup, scripts and styles are noise
// that would fill the status line. JSON gives its message; text its first words.

export const SERVER_QUOTE_MAX = 200;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function looksLikeHtml(text: string, contentType = ''): boolean {
  return /\bhtml\b/i.test(contentType) || /^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<title[\s>]|<\?xml[^>]*>\s*<!doctype\s+html)/i.test(text);
}

/** The words of an HTML page a user needs: its title, else its first heading, else its text. */
function htmlGist(html: string): string {
  const inner = (tag: string) => new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}\\s*>`, 'i').exec(html)?.[1];
  const text = (s: string) => oneLine(decodeEntities(s.replace(/<[^>]*>/g, ' ')));
  for (const tag of ['title', 'h1', 'h2']) {
    const found = inner(tag);
    if (found && text(found)) return text(found);
  }
  // A cut page may end inside a script or a style: drop it to the end.
  const body = html.replace(/<(script|style|head)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ').replace(/<!--[\s\S]*?(-->|$)/g, ' ');
  return text(body);
}

function jsonGist(text: string): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return typeof v === 'string' ? v : undefined;
  const o = v as { message?: unknown; error?: unknown; reason?: unknown };
  if (typeof o.message === 'string') return o.message;
  if (typeof o.error === 'string') return o.error;
  const e = o.error as { reason?: unknown; type?: unknown } | undefined;
  if (e && typeof e.reason === 'string') return e.reason;
  if (typeof o.reason === 'string') return o.reason;
  return undefined;
}

/**
 * One line quoting a response body: `HTML page: 502 Bad Gateway`, a JSON body's message, or
 * the start of a text body; without control sequences and at most SERVER_QUOTE_MAX characters.
 * Empty when the body says nothing.
 */
export function quoteServerBody(body: string | Buffer | undefined, contentType = ''): string {
  if (body === undefined) return '';
  // Error pages put what matters at the top; a huge body is not read whole.
  const text = (Buffer.isBuffer(body) ? body.toString('utf8', 0, 16_384) : body.slice(0, 16_384)).trim();
  if (!text) return '';
  let quote: string;
  if (looksLikeHtml(text, contentType)) {
    const gist = htmlGist(text);
    quote = gist ? `HTML page: ${gist}` : 'an HTML page';
  } else {
    quote = oneLine(((/^[{["]/.test(text) && jsonGist(text)) || text));
  }
  return sanitize(quote, { maxLength: SERVER_QUOTE_MAX });
}
