import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CompiledCore } from '../../support/compile-core';
import type { RecordedGrant } from './grant-span';

export interface SenderConfig {
  port: number;
  tps: number;
  key: string;
  redis?: { host: string; port: number };
  windowSize?: number;
  throttleOptions?: Record<string, unknown>;
  /** In order: send this many flat out (waiting for every answer), or stay idle. */
  phases: Array<{ send?: number; idleMs?: number }>;
}

export interface SenderOutcome {
  accepted: number;
  failed: number;
  errors: string[];
  /** Every grant the process's throttle got, on Redis's clock (see busiestGrantSpan). */
  grants: RecordedGrant[];
  /** Submits written after their tokens' end (charged to the log when written). */
  lateWrites: number;
}

interface Reply {
  ready?: boolean;
  done?: boolean;
  failure?: string;
  outcomes?: SenderOutcome;
}

/** A started sender process: bound and ready; `go()` runs its phases and resolves with its outcome. */
export interface SenderProcess {
  go(): Promise<SenderOutcome>;
  kill(): void;
}

export function startSender(core: CompiledCore, config: SenderConfig & { firstNumber: number }): Promise<SenderProcess> {
  const child: ChildProcess = fork(join(__dirname, '../fixtures/tps-sender-process.js'), [], { env: core.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: Reply[] = [];
  const waiters: Array<() => void> = [];
  child.on('message', (message: Reply) => {
    replies.push(message);
    waiters.splice(0).forEach((w) => w());
  });
  const nextReply = (): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const reply = replies.shift();
        if (reply) resolve(reply);
        else waiters.push(check);
      };
      child.once('exit', (code) => reject(new Error(`sender process exited with ${code}`)));
      check();
    });
  child.send({ ...config, coreDir: core.dir });
  return nextReply().then((reply) => {
    if (!reply.ready) throw new Error(`sender process could not start: ${reply.failure}`);
    return {
      go: async () => {
        child.send('go');
        const done = await nextReply();
        return done.outcomes as SenderOutcome;
      },
      kill: () => child.kill('SIGKILL'),
    };
  });
}

/** Starts `count` senders, lets them all go at once, and returns each one's outcome. */
export async function runSenders(core: CompiledCore, count: number, config: SenderConfig): Promise<SenderOutcome[]> {
  const senders = await Promise.all(Array.from({ length: count }, (_, i) => startSender(core, { ...config, firstNumber: 447000000000 + i * 1_000_000 })));
  try {
    return await Promise.all(senders.map((s) => s.go()));
  } finally {
    senders.forEach((s) => s.kill());
  }
}
