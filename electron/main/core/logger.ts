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
        paths: [
          '*.token',
          '*.url',
          '*.headers.authorization',
          '*.headers.Authorization',
          'token',
          'url',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}

export type { Logger };
