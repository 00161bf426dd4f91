/** A config file or change that does not pass: every problem, each with its JSON path. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * A change refused because config.json holds a hand edit that does not pass: writing over
 * it would lose the edit (and replace the good .bak with it). HTTP answers it with 409.
 */
export class ConfigConflictError extends Error {
  readonly status = 409;
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `${file} was edited by hand and is not valid, so this change was not saved (nothing was overwritten):\n  - ${problems.join('\n  - ')}\nFix the file (or restore ${file}.bak), then try again.`,
    );
    this.name = 'ConfigConflictError';
  }
}

/** config.json was deleted while the collector runs: it keeps the config it has. */
export class ConfigDeletedError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} was deleted; the running config is kept (monitoring continues) and is written back on the next change; restore it from ${file}.bak if that was not intended`,
    );
    this.name = 'ConfigDeletedError';
  }
}

/** `Unexpected token } in JSON at position 45` -> `line 3, column 7: Unexpected token }`. */
export function describeJsonSyntaxError(text: string, err: SyntaxError): string {
  const m = /at position (\d+)/.exec(err.message);
  const message = err.message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/\s*\(line.*$/, '');
  if (!m) return `not valid JSON: ${err.message}`;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${message}`;
}
