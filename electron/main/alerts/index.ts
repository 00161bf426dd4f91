export { AlertEngine, type AlertEngineOptions } from './alert-engine';
export { SYSTEM_ID, STORAGE_ID } from './health-snapshot';
export { summarize, targetLine, type Summary, type SummaryOptions } from './summarize';
export { parseDuration, parseSince } from './duration';
export type { EventFilter } from './event-log';
