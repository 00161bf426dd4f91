import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { electronPackage, installElectron, locateElectron } from './electron-binary';

/**
 * `npm start`: make sure there is an Electron to run (installing it with electron's own
 * installer when it is missing), then hand over to `electron-vite preview` (build, then run
 * the app) with ELECTRON_EXEC_PATH set, which is how electron-vite is told where the binary
 * is. `npm run dev` comes the same way to `electron-vite dev`. Arguments after `npm start --`
 * go to electron-vite (e.g. `--skipBuild`).
 *
 * The binary is checked before the build so that a machine that cannot get it hears so in
 * seconds, with one plain message and a non-zero exit instead of a stack trace.
 */

const require = createRequire(import.meta.url);

async function main(): Promise<number> {
  const pkg = electronPackage();
  let found = locateElectron(pkg);
  if (!found.ok && !process.env.ELECTRON_EXEC_PATH && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const installed = await installElectron(pkg);
    if (!installed.ok) return cannotStart(`${found.problem}, and ${installed.reason}.`);
    found = locateElectron(pkg);
  }
  if (!found.ok) return cannotStart(`${found.problem}.`);

  const [command = 'preview', ...rest] = process.argv.slice(2);
  const child = spawn(process.execPath, [electronViteBin(), command, ...rest], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_EXEC_PATH: found.executable },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** electron-vite's CLI, found through its package.json (its exports hide the bin path). */
function electronViteBin(): string {
  const pkgFile = require.resolve('electron-vite/package.json');
  const { bin } = require(pkgFile) as { bin: Record<string, string> };
  return path.join(path.dirname(pkgFile), bin['electron-vite']);
}

function cannotStart(why: string): number {
  process.stderr.write(
    [
      '',
      `OpsPulse: the desktop app cannot start: ${why}`,
      '',
      'Without Electron, run OpsPulse headless (the same collector, dashboard and CLI):',
      '  npm run build && npx opspulse serve   # dashboard on http://127.0.0.1:7800',
      '  npm run demo                          # a simulated stack, monitored, with its dashboard',
      '',
      'To use an Electron you already have: ELECTRON_EXEC_PATH=/path/to/electron npm start.',
      'Once online, `npm start` downloads it by itself.',
      '',
    ].join('\n'),
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => process.exit(cannotStart(err instanceof Error ? err.message : String(err))),
);
