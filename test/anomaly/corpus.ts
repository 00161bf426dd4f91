import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The NAB corpus directory for tests: $OPSPULSE_NAB_CORPUS, else `nab` in the shared
 * directory beside the repository (how CI provides it); null when neither exists.
 */
export function nabCorpusDir(): string | null {
  const candidates = [
    process.env.OPSPULSE_NAB_CORPUS,
    join(resolve(import.meta.dirname, '..', '..'), '..', 'shared', 'nab'),
  ];
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, 'labels', 'combined_windows.json'))) return dir;
  }
  return null;
}

export const NO_CORPUS_REASON =
  'NAB corpus not found (set OPSPULSE_NAB_CORPUS to the NAB corpus directory): skipped';
