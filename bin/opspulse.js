#!/usr/bin/env node
// The built CLI lives in out/main/cli.js (npm run build); this file only points at it.
import('../out/main/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('opspulse: not built yet. Run `npm run build` first.');
    process.exit(1);
  }
  throw err;
});
