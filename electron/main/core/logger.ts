import pino, { type Logger } from 'pino';

/**
 * One logger for the daemon and the app: JSON lines to stderr (pino), with secrets
 * censored by key wherever they appear in a logged object.
 */
export function createLogger(level: string = process.env.OPSPULSE_LOG ?? 'info'): Logger {
  return pino(
    {
      name: 'opspulse',
      level,
      redact: {
        // Whole header maps: any header may carry a credential (X-Api-Key, custom names).
        paths: [
          '*.token',
          '*.url',
          '*.headers',
          '*.bearerToken',
          '*.pass',
          '*.password',
          'token',
          'url',
          'headers',
          'bearerToken',
          'pass',
          'password',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}

export type { Logger };
