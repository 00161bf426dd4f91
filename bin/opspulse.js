#!/usr/bin/env node
// The built CLI lives in out/main/cli.js (npm run build); this file only points at it.
// Exit code 3, as every CLI error: 0-2 are `opspulse status`'s health states.
import('../out/main/cli.js').catch((err) => {
  if (
    err &&
    err.code === 'ERR_MODULE_NOT_FOUND' &&
    /out[\\/]main[\\/]cli\.js/.test(String(err.message))
  ) {
    console.error('opspulse: not built yet. Run `npm run build` first.');
  } else {
    console.error(`opspulse: ${err && err.stack ? err.stack : err}`);
  }
  process.exit(3);
});
