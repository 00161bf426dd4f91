export { AlertEngine, SYSTEM_ID, STORAGE_ID, type AlertEngineOptions } from './alert-engine';
export { summarize, targetLine, type Summary, type SummaryOptions } from './summarize';
export { parseDuration, parseSince } from './duration';
export type { EventFilter } from './event-log';
