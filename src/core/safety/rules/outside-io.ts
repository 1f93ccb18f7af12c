/**
 * Statements that reach outside the database, where no rollback follows: COPY to or from a server file or a program
 * (COPY … PROGRAM runs a shell command on the server), and LISTEN / UNLISTEN / NOTIFY (messages to other sessions).
 * COPY to STDOUT and from STDIN stay inside the session and are allowed (COPY FROM STDIN not in a load probe, which has
 * no data to send).
 */
import type { GuardFinding, GuardRule } from '../types.js';
import { judgeNodes, nodesOf } from '../walk.js';

const refuse = (reason: string): GuardFinding => ({ rule: 'outside-io', severity: 'refuse', reason });

export const outsideIo: GuardRule = (stmt, options) => [
  ...judgeNodes(stmt, 'CopyStmt', (copy) => {
    const direction = copy.is_from === true ? 'FROM' : 'TO';
    if (copy.is_program === true)
      return refuse(`COPY ${direction} PROGRAM runs a shell command on the database server; nothing can roll that back.`);
    if (copy.filename !== undefined)
      return refuse(`COPY ${direction} a server file reads or writes the server’s file system, which no rollback undoes.`);
    // A load probe has no data to send: the session would wait for it until its statement timeout.
    if (copy.is_from === true && options.purpose === 'probe')
      return refuse('COPY FROM STDIN in a load probe: the probe sends no COPY data.');
    return undefined;
  }),
  ...nodesOf(stmt, 'ListenStmt').map(() => refuse('LISTEN subscribes the session to notifications beyond the transaction.')),
  ...nodesOf(stmt, 'UnlistenStmt').map(() => refuse('UNLISTEN changes the session’s notification subscriptions.')),
  ...nodesOf(stmt, 'NotifyStmt').map(() => refuse('NOTIFY sends a message to other sessions.')),
];
