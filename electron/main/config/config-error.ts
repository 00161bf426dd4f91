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
