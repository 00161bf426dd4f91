import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A worker is started either from a file or, for TypeScript sources, from a bootstrap. */
export type WorkerScript = { file: string } | { bootstrap: string };

/**
 * Where a worker's script is, in both ways this code runs:
 * - from TypeScript sources (vitest, tsx): `<name>.ts` next to the calling module, loaded
 *   through tsx's loader registered inside the worker (Node 20 ignores `--import` in a
 *   worker's execArgv); tsx is resolved from this package, not the working directory;
 * - from the electron-vite bundle: `out/main/<name>.js`, an entry of its own beside the
 *   bundle, or one folder up when the caller was bundled into a shared chunk folder.
 */
export function resolveWorkerScript(callerUrl: string, name: string): WorkerScript {
  const callerFile = fileURLToPath(callerUrl);
  const dir = dirname(callerFile);
  if (callerFile.endsWith('.ts')) {
    const api = tsxEsmApi(callerUrl);
    const entry = pathToFileURL(join(dir, `${name}.ts`)).href;
    const bootstrap =
      `import(${JSON.stringify(api)})` +
      `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })` +
      '.catch((err) => { setImmediate(() => { throw err; }); });';
    return { bootstrap };
  }
  const candidates = [join(dir, `${name}.js`), join(dir, '..', `${name}.js`)];
  const file = candidates.find((f) => existsSync(f));
  if (!file)
    throw new Error(`worker script ${name}.js not found (looked in ${candidates.join(', ')})`);
  return { file };
}

/**
 * The ESM build of tsx's register API. require.resolve would pick the CommonJS build, whose
 * register() cannot find its hooks from inside a worker, so read the export map instead.
 */
function tsxEsmApi(callerUrl: string): string {
  const pkgPath = createRequire(callerUrl).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const rel = pkg.exports['./esm/api']?.import?.default;
  if (!rel) throw new Error(`tsx at ${dirname(pkgPath)} has no ESM register API`);
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

/** Starts the worker `name` that lives beside the module at `callerUrl` (its import.meta.url). */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const script = resolveWorkerScript(callerUrl, name);
  if ('file' in script) return new Worker(script.file, options);
  return new Worker(script.bootstrap, { ...options, eval: true });
}
