import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run security`: electronegativity over the Electron-facing sources, failing on any
 * finding above informational. Its CLI always exits 0 (and 1.10.3's CLI does not even
 * start next to commander 14), so this calls its runner and judges the findings itself.
 *
 * Scanned: the shell, the preload and the renderer — by the layering rule (eslint's
 * no-restricted-imports) nothing else can reach Electron. The network check for newer
 * Electron releases is skipped: the build runs offline.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCANNED = [
  'electron/main/shell',
  'electron/preload',
  'renderer/index.html',
  'renderer/src',
];
const ELECTRON_VERSION = '45.5.0';

interface Level {
  value: number;
  name: string;
}

export interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  description: string;
  severity: Level;
  confidence: Level;
  sample?: string;
  manualReview?: boolean;
}

interface RunResult {
  issues: Finding[];
  errors: { file: string; message: string; tolerable: boolean }[];
}

type Runner = (options: {
  input: string;
  customScan: string[];
  excludeFromScan: string[];
  isRelative: boolean;
  electronVersionOverride: string;
}) => Promise<RunResult>;

interface CspEvaluatorModule {
  CspParser: new (csp: string) => { csp: unknown };
  CspEvaluator: new (
    csp: unknown,
    version: unknown,
  ) => {
    evaluate(): { severity: number; directive: string; value: string; description: string }[];
  };
  Version: { CSP3: unknown };
  severities: { MEDIUM_MAYBE: number };
}

const require = createRequire(import.meta.url);
const runnerPath = require.resolve('@doyensec/electronegativity/dist/runner.js');
const run = require(runnerPath) as Runner;
const csp = createRequire(runnerPath)('@doyensec/csp-evaluator') as CspEvaluatorModule;

/**
 * The one reviewed exception: csp-evaluator warns that `script-src 'self'` "can be
 * problematic if you host JSONP, Angular or user uploaded files". Our origin is app://
 * (or the local dashboard server), serving only the built bundle: none of those exist. A
 * CSP finding is accepted only when that warning is all the evaluator has to say.
 */
export function isAcceptedFinding(f: Finding): boolean {
  if (f.id !== 'CSP_GLOBAL_CHECK' || !f.sample) return false;
  const findings = new csp.CspEvaluator(
    new csp.CspParser(f.sample).csp,
    csp.Version.CSP3,
  ).evaluate();
  return (
    findings.length > 0 &&
    findings.every(
      (x) =>
        x.severity === csp.severities.MEDIUM_MAYBE &&
        x.directive === 'script-src' &&
        x.value === "'self'",
    )
  );
}

export interface ScanReport {
  failing: Finding[];
  accepted: Finding[];
  informational: Finding[];
  /** Files it could not parse: unchecked, so they fail the scan too. */
  parseErrors: { file: string; message: string }[];
}

/** Copies the given paths (relative to root) into one folder and scans it in one run. */
export async function scanElectronSources(
  root: string,
  paths: readonly string[],
): Promise<ScanReport> {
  const stage = await fs.mkdtemp(path.join(os.tmpdir(), 'opspulse-eneg-'));
  try {
    for (const rel of paths) {
      const dest = path.join(stage, rel);
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await fs.cp(path.join(root, rel), dest, { recursive: true });
    }
    const result = await run({
      input: stage,
      customScan: [],
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      isRelative: true,
      electronVersionOverride: ELECTRON_VERSION,
    });
    const report: ScanReport = { failing: [], accepted: [], informational: [], parseErrors: [] };
    for (const f of result.issues) {
      if (f.severity.name === 'INFORMATIONAL') report.informational.push(f);
      else if (isAcceptedFinding(f)) report.accepted.push(f);
      else report.failing.push(f);
    }
    report.parseErrors = result.errors.filter((e) => !e.tolerable);
    return report;
  } finally {
    await fs.rm(stage, { recursive: true, force: true });
  }
}

function line(f: Finding): string {
  return `${f.severity.name}/${f.confidence.name} ${f.id} ${f.file}:${f.location.line} — ${f.description}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = await scanElectronSources(ROOT, SCANNED);
  for (const f of report.informational) console.log(`info: ${line(f)}`);
  for (const f of report.accepted) console.log(`accepted (reviewed): ${line(f)}`);
  for (const e of report.parseErrors) console.error(`not parsed: ${e.file}: ${e.message}`);
  for (const f of report.failing) console.error(`FINDING: ${line(f)}`);
  const bad = report.failing.length + report.parseErrors.length;
  console.log(
    bad === 0
      ? `electronegativity: no findings above informational in ${SCANNED.join(', ')}`
      : `electronegativity: ${bad} problem(s)`,
  );
  process.exitCode = bad === 0 ? 0 : 1;
}
