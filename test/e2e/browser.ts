import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** $OPSPULSE_CHROMIUM, else Debian's chromium, else Playwright's own browser. */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.OPSPULSE_CHROMIUM;
  if (fromEnv) return fromEnv;
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      ...extraArgs,
    ],
  });
}
