import type { HealthState } from './health';

/** A state transition: the unit of the incident log, notifications and webhooks. */
export interface AlertEvent {
  /** Unix ms. */
  t: number;
  /** The target the event is about, if any. */
  target?: string;
  /** The rule that changed state (`down` for the default up/down rule). */
  rule: string;
  from: HealthState;
  to: HealthState;
  /** The value that caused the transition, if one did. */
  value?: number;
  message: string;
}
