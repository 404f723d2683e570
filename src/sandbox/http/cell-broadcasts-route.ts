import type { ServerResponse } from 'http';
import type { SandboxSmsc } from '../sandbox-smsc';
import { sendJson } from './http-io';

/** GET /api/broadcasts: every cell broadcast the sandbox received, with its state now, and how many are on air. */
export function sendCellBroadcasts(smsc: SandboxSmsc, res: ServerResponse): void {
  const broadcasts = smsc.cellBroadcast.list();
  sendJson(res, 200, { active: broadcasts.filter((b) => b.active).length, stats: { ...smsc.cellBroadcast.stats }, broadcasts });
}
