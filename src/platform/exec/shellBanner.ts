import { DETACH_KEY_NAME } from '../../terminal/handoff.js';
import { glyphs } from '../../terminal/glyphs.js';
import { forDisplay } from '../text/sanitize.js';

// Who is about to type where: printed on the normal screen before a session starts (it stays
// in the scrollback above the shell), and in the status line when the console comes back,
// so nobody types into production thinking it is staging.

export interface ExecContext {
  context: string;
  cluster: string;
  server: string;
  user: string;
  namespace: string;
  pod: string;
  container: string;
}

export function contextSummary(c: ExecContext): string {
  const sep = ` ${glyphs.sep} `;
  return `context ${c.context}${sep}system ${c.namespace}${sep}pod ${c.pod}${sep}container ${c.container}${sep}user ${c.user || '-'}`;
}

/** Inverse-video header plus a dim line; the names are cluster data, shown without control characters (and in ASCII where the terminal is). */
export function bannerText(c: ExecContext, command: string[], readOnlyHint = ''): string {
  const clean = (s: string) => forDisplay(s.replace(/[\x00-\x1f\x7f-\x9f]/g, '?'));
  const head = ` warroom exec  context ${clean(c.context)} (cluster ${clean(c.cluster)}, ${clean(c.server)}) `;
  const where = `  system ${clean(c.namespace)}  pod ${clean(c.pod)}  container ${clean(c.container)}  user ${clean(c.user || '-')}`;
  const how = `  ${clean(command.join(' '))}  ${glyphs.sep}  exit the shell or press ${DETACH_KEY_NAME} to return to warroom${readOnlyHint}`;
  return `\r\n\x1b[7m\x1b[1m${head}\x1b[0m\r\n\x1b[1m${where}\x1b[0m\r\n\x1b[2m${how}\x1b[0m\r\n\r\n`;
}
