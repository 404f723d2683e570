import { capAlertText } from '../broadcast/cap-alert';
import type { CapAlert } from '../broadcast/cap-alert';
import { describeArea } from './broadcast-area';
import type { BroadcastArea, BroadcastAreaInput } from './broadcast-area';
import type { BroadcastIdStore } from './broadcast-id-store';
import type { BroadcastPlan, CellBroadcastRequest } from './broadcast-request';
import { capAreasToBroadcastAreas } from './cap-areas';
import { isNotRunning } from './cell-broadcast-client';
import type { CellBroadcastClient } from './cell-broadcast-client';
import { BroadcastInputError } from './cell-broadcast-errors';
import { capWarningChannel } from './warning-channels';

export type CapBroadcastSettings = Omit<CellBroadcastRequest, 'areas' | 'text' | 'channel' | 'endTime' | 'messageId'> & {
  /** Areas to use instead of the alert's <area> blocks. */
  areas?: BroadcastAreaInput[];
  /** Default: derived from the alert (capWarningChannel). */
  channel?: CellBroadcastRequest['channel'];
  /** Broadcast duration when the alert has no <expires>. */
  validityMinutes?: number;
};

export interface ReplacedBroadcast {
  capIdentifier: string;
  messageId: string | null;
  /** cancelled; already_ended (the centre no longer runs it); unknown (no broadcast recorded for that alert). */
  outcome: 'cancelled' | 'already_ended' | 'unknown';
}

export interface CapBroadcastOutcome {
  /** broadcast (Alert), update (Update: new broadcast, old ones cancelled), cancel, or duplicate (this alert already runs). */
  action: 'broadcast' | 'update' | 'cancel' | 'duplicate';
  capIdentifier: string;
  messageId: string | null;
  failedAreas: BroadcastArea[];
  plan: BroadcastPlan | null;
  replaced: ReplacedBroadcast[];
  notes: string[];
}

export interface CapBroadcastDeps {
  client: CellBroadcastClient;
  store: BroadcastIdStore;
  now?: () => number;
}

/** Identifiers named in CAP <references>: "sender,identifier,sent" entries separated by spaces. */
export function capReferencedIdentifiers(references: string | undefined): string[] {
  if (!references) return [];
  return references
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const parts = entry.split(',');
      return parts.length >= 2 ? parts[1] : parts[0];
    })
    .filter(Boolean);
}

async function cancelReferenced(alert: CapAlert, deps: CapBroadcastDeps): Promise<ReplacedBroadcast[]> {
  const out: ReplacedBroadcast[] = [];
  for (const capIdentifier of capReferencedIdentifiers(alert.references)) {
    const record = await deps.store.get(capIdentifier);
    if (!record) {
      out.push({ capIdentifier, messageId: null, outcome: 'unknown' });
      continue;
    }
    try {
      await deps.client.cancel(record.messageId);
      out.push({ capIdentifier, messageId: record.messageId, outcome: 'cancelled' });
    } catch (err) {
      if (!isNotRunning(err)) throw err;
      out.push({ capIdentifier, messageId: record.messageId, outcome: 'already_ended' });
    }
    await deps.store.delete(capIdentifier);
  }
  return out;
}

function endTimeOf(alert: CapAlert, now: number): Date | undefined {
  if (!alert.expires) return undefined;
  const expires = new Date(alert.expires);
  if (Number.isNaN(expires.getTime())) throw new BroadcastInputError('expires', `CAP <expires> "${alert.expires}" is not a date-time`);
  if (expires.getTime() <= now) throw new BroadcastInputError('expires', `the CAP alert expired at ${expires.toISOString()}; nothing to broadcast`);
  return expires;
}

/**
 * Runs one CAP message on the cell broadcast channel: Alert starts a broadcast; Update starts the
 * new broadcast and then cancels those of the alerts it references (new first, so phones are never
 * without the warning in between); Cancel cancels the referenced broadcasts. The CAP identifier ->
 * message id mapping lives in `store`, so the Update or Cancel may come in another execution.
 */
export async function runCapBroadcast(alert: CapAlert, deps: CapBroadcastDeps, settings: CapBroadcastSettings): Promise<CapBroadcastOutcome> {
  const now = (deps.now ?? Date.now)();
  const base = { capIdentifier: alert.identifier, failedAreas: [] as BroadcastArea[], plan: null, notes: [] as string[] };
  if (!['Actual', 'Exercise', 'Test'].includes(alert.status))
    throw new BroadcastInputError('status', `CAP status "${alert.status}" is not broadcast (only Actual, Exercise and Test are)`);
  if (alert.msgType === 'Cancel') {
    const replaced = await cancelReferenced(alert, deps);
    if (replaced.length === 0) base.notes.push('the Cancel names no earlier alert in <references>');
    return { ...base, action: 'cancel', messageId: null, replaced };
  }
  if (alert.msgType !== 'Alert' && alert.msgType !== 'Update')
    throw new BroadcastInputError('msgType', `CAP msgType "${alert.msgType}" carries no warning to broadcast (use Alert, Update or Cancel)`);

  const existing = await deps.store.get(alert.identifier);
  if (existing) {
    return {
      ...base,
      action: 'duplicate',
      messageId: existing.messageId,
      replaced: [],
      notes: [`CAP alert ${alert.identifier} is already broadcast as message id ${existing.messageId}; nothing sent`],
    };
  }
  const { areas: capAreas, notes } = settings.areas ? { areas: settings.areas, notes: [] } : capAreasToBroadcastAreas(alert.areas);
  if (capAreas.length === 0)
    throw new BroadcastInputError('areas', 'the CAP alert has no <area> with a polygon, circle, geocode or areaDesc; give the areas explicitly');
  const { channel, validityMinutes, ...rest } = settings; // rest.areas is replaced by capAreas below
  const endTime = endTimeOf(alert, now);
  const result = await deps.client.broadcast({
    ...rest,
    areas: capAreas,
    text: capAlertText(alert),
    channel: channel ?? capWarningChannel(alert),
    ...(endTime ? { endTime } : { validityMinutes }),
  });
  await deps.store.set({ capIdentifier: alert.identifier, messageId: result.messageId, startedAt: now, areas: result.plan.areas.map(describeArea) });
  const replaced = alert.msgType === 'Update' ? await cancelReferenced(alert, deps) : [];
  return {
    action: alert.msgType === 'Update' ? 'update' : 'broadcast',
    capIdentifier: alert.identifier,
    messageId: result.messageId,
    failedAreas: result.failedAreas,
    plan: result.plan,
    replaced,
    notes,
  };
}
