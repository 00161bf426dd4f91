import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where a Chromium or Chrome usually is, when no variable names one. */
const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * $OPSPULSE_CHROMIUM, else a system Chromium or Chrome, else (undefined) the browser
 * Playwright installs with `npx playwright-core install chromium`.
 */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.OPSPULSE_CHROMIUM;
  if (fromEnv) return fromEnv;
  return SYSTEM_BROWSERS.find((p) => fs.existsSync(p));
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
