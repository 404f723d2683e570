import type { CapAlert } from '../broadcast/cap-alert';
import { BroadcastInputError } from './cell-broadcast-errors';

/**
 * Public warning levels and the CBS Message Identifiers phones listen on for them
 * (3GPP TS 23.041 clause 9.4.1.2.2; the US calls the system CMAS/WEA, Europe EU-Alert per
 * ETSI TS 102 900, which reuses these identifiers under national names such as NL-Alert):
 *
 *   level          identifier  meaning (CMAS name)
 *   presidential   4370        Presidential Alert (phones cannot opt out)
 *   extreme        4371        Extreme alert, urgency Immediate, certainty Observed
 *                  4372        Extreme, Immediate, Likely
 *                  4373        Extreme, Expected, Observed
 *                  4374        Extreme, Expected, Likely
 *   severe         4375-4378   Severe alert, same urgency/certainty order as extreme
 *   amber          4379        Child Abduction Emergency (AMBER)
 *   test           4380        Required Monthly Test (most phones hide it unless enabled)
 *   exercise       4381        Exercise
 *   operator       4382        Operator defined use
 *   publicSafety   4396        Public Safety Alert
 *
 * With `additionalLanguage` the identifier is the same alert "in an additional language":
 * 4383-4395 for 4370-4382, and 4397 for 4396.
 */
export type WarningLevel = 'presidential' | 'extreme' | 'severe' | 'amber' | 'test' | 'exercise' | 'operator' | 'publicSafety';
export type WarningUrgency = 'immediate' | 'expected';
export type WarningCertainty = 'observed' | 'likely';

export const WARNING_LEVELS: readonly WarningLevel[] = ['presidential', 'extreme', 'severe', 'amber', 'test', 'exercise', 'operator', 'publicSafety'];

export interface WarningChannel {
  level: WarningLevel;
  /** Only for extreme and severe (default immediate). */
  urgency?: WarningUrgency;
  /** Only for extreme and severe (default observed). */
  certainty?: WarningCertainty;
  additionalLanguage?: boolean;
}

const BASE: Record<WarningLevel, number> = {
  presidential: 4370,
  extreme: 4371,
  severe: 4375,
  amber: 4379,
  test: 4380,
  exercise: 4381,
  operator: 4382,
  publicSafety: 4396,
};

/** The CBS Message Identifier for a warning level (see the table above). */
export function warningMessageIdentifier(channel: WarningChannel, field = 'channel'): number {
  if (!WARNING_LEVELS.includes(channel.level))
    throw new BroadcastInputError(`${field}.level`, `unknown warning level "${String(channel.level)}"; use one of ${WARNING_LEVELS.join(', ')}`);
  let id = BASE[channel.level];
  if (channel.level === 'extreme' || channel.level === 'severe') {
    if (channel.urgency && !['immediate', 'expected'].includes(channel.urgency))
      throw new BroadcastInputError(`${field}.urgency`, `must be immediate or expected (got "${channel.urgency}")`);
    if (channel.certainty && !['observed', 'likely'].includes(channel.certainty))
      throw new BroadcastInputError(`${field}.certainty`, `must be observed or likely (got "${channel.certainty}")`);
    id += (channel.urgency === 'expected' ? 2 : 0) + (channel.certainty === 'likely' ? 1 : 0);
  }
  if (channel.additionalLanguage) id += channel.level === 'publicSafety' ? 1 : 13;
  return id;
}

/**
 * The warning channel for a CAP alert: status Exercise/Test pick those channels; an event naming
 * a child abduction or AMBER alert picks amber; severity Extreme/Severe pick those levels with the
 * alert's urgency and certainty; anything milder is a Public Safety Alert. Presidential alerts are
 * never derived: choose that level explicitly.
 */
export function capWarningChannel(alert: CapAlert): WarningChannel {
  if (alert.status === 'Exercise') return { level: 'exercise' };
  if (alert.status === 'Test') return { level: 'test' };
  if (/amber|child abduction/i.test(alert.event)) return { level: 'amber' };
  const urgency: WarningUrgency = alert.urgency === 'Immediate' ? 'immediate' : 'expected';
  const certainty: WarningCertainty = alert.certainty === 'Observed' ? 'observed' : 'likely';
  if (alert.severity === 'Extreme') return { level: 'extreme', urgency, certainty };
  if (alert.severity === 'Severe') return { level: 'severe', urgency, certainty };
  return { level: 'publicSafety' };
}
