import { Writable } from 'node:stream';
import type { ActionGate } from '../actions/actionGate.js';
import type { MutatingClient, ReadSession } from '../kube/kubeSession.js';
import type { HandedTerminal, SessionResult, TerminalSession } from '../../terminal/handoff.js';
import { bannerText, contextSummary, type ExecContext } from './shellBanner.js';
import { describeEnd, describeStartFailure } from './execOutcome.js';
import { startExec, type ExecTarget } from './execSession.js';
import { isMissingExecutable, type ExecEnd } from './execStatus.js';
import { glyphs } from '../../terminal/glyphs.js';

// An interactive shell in a container, with the terminal handed over: a tty in the container,
// the user's raw keys to its stdin, its output straight to the screen (the remote program owns
// the terminal), the size following resizes. Each attempt is audited (never the keystrokes).

export const DEFAULT_SHELLS: string[][] = [['/bin/bash'], ['/bin/sh']];

export interface ShellSessionOptions {
  session: ReadSession;
  gate: ActionGate;
  target: ExecTarget;
  /** Tried in order while the image lacks the executable (and the user typed nothing yet). */
  commands: string[][];
}

export function shellSession(o: ShellSessionOptions): TerminalSession {
  const ctx: ExecContext = {
    context: o.session.contextName,
    cluster: o.session.clusterName,
    server: o.session.server,
    user: o.session.user,
    namespace: o.target.namespace,
    pod: o.target.pod,
    container: o.target.container,
  };
  return {
    raw: true,
    async run(term: HandedTerminal): Promise<SessionResult> {
      const tried: string[] = [];
      for (const command of o.commands) {
        if (tried.length === 0) term.write(bannerText(ctx, command));
        else term.write(`\x1b[2m${tried[tried.length - 1]} is not in the image; trying ${command.join(' ')}\x1b[0m\r\n`);
        tried.push(command[0] ?? '');
        let attempt: Attempt;
        try {
          attempt = await o.gate.perform({
            action: 'exec',
            target: { namespace: o.target.namespace, kind: 'Pod', name: o.target.pod, apiVersion: 'v1' },
            container: o.target.container,
            command: command.join(' '),
            dryRun: 'none',
            run: (client) => attemptShell(client, o.target, command, term),
            outcome: (a) => (a.end.kind === 'exit' && a.end.code === 0 ? 'applied' : `ended: ${describeEnd(a.end, ctx.server)}`),
            outcomeOfError: (err) => `failed: ${describeStartFailure(err)}`,
          });
        } catch (err) {
          return { line: `exec into ${ctx.namespace}/${ctx.pod} (${ctx.container}) refused ${glyphs.dash} ${describeStartFailure(err)}`, level: 'error' };
        }
        if (!attempt.typed && isMissingExecutable(attempt.end)) continue;
        const how = describeEnd(attempt.end, ctx.server);
        const ok = attempt.end.kind === 'exit' || attempt.end.kind === 'detached';
        return { line: `shell ${command.join(' ')} ended: ${how} ${glyphs.dash} ${contextSummary(ctx)}`, level: ok ? 'info' : 'error' };
      }
      return { line: `no shell in the image of ${ctx.namespace}/${ctx.pod} (${ctx.container}): tried ${tried.join(', ')}`, level: 'error' };
    },
  };
}

interface Attempt {
  end: ExecEnd;
  /** The user sent keys: a later "not found" is theirs, not a missing shell. */
  typed: boolean;
}

async function attemptShell(client: MutatingClient, target: ExecTarget, command: string[], term: HandedTerminal): Promise<Attempt> {
  const typedBefore = term.typed;
  const screen = new Writable({
    write(chunk: Buffer, _enc, cb) {
      term.write(chunk);
      cb();
    },
  });
  const handle = await startExec(client, { target, command, tty: true, stdin: term.input, stdout: screen, terminal: term });
  void term.detached.then(() => handle.close());
  const end = await handle.ended;
  return { end, typed: term.typed > typedBefore };
}
