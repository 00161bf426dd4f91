export { certExpiry, type CertExpiry } from './cert-expiry';
export { latencyCreep, type DailyValue, type LatencyCreep } from './latency-creep';
export { timeToFull, type Point, type TimeToFull } from './time-to-full';
export { describeTimeToFull } from './describe';
