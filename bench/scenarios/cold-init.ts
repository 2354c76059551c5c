/**
 * Cold init per function: each Lambda entry is bundled as the stack bundles it, then loaded in a
 * fresh Node process (the runtime's init phase: module evaluation, SDK imports, top-level code) a
 * number of times, with the environment the stack gives it (Secrets Manager directory, table
 * name, region), and no AWS call made. Reports the bundle size and the import time per function;
 * the first load of each is dropped (file cache warm-up).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ENTRIES } from '../../infra/bundling';
import { bundleFunction } from '../cold/bundle-function';
import { Latencies, round } from '../latency';
import type { Extra } from '../result';
import { measured } from '../result';
import type { Scenario } from '../scenario';
import { scaled } from '../scenario';

const run = promisify(execFile);

const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  ROSTER_TABLE: 'roster-bench',
  CONNECTIONS_SECRET_ID: 'roster/bench/connections',
  POWERTOOLS_SERVICE_NAME: 'roster',
  POWERTOOLS_METRICS_NAMESPACE: 'Roster',
  NODE_OPTIONS: '--enable-source-maps',
};

/** Milliseconds to import the bundle in a fresh process, measured inside it. */
async function importOnce(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV },
    timeout: 60_000,
  });
  return Number(stdout);
}

export const coldInit: Scenario = async (_env, { scale, log }) => {
  const loads = scaled(10, scale, 1);
  const all = new Latencies();
  const perFunction: Record<string, Extra> = {};
  const start = performance.now();
  for (const [key, entry] of Object.entries(ENTRIES)) {
    const { file, bytes } = await bundleFunction(key, entry);
    await importOnce(file);
    const latencies = new Latencies();
    for (let i = 0; i < loads; i++) {
      const ms = await importOnce(file);
      latencies.add(ms);
      all.add(ms);
    }
    const p50Ms = latencies.percentile(50);
    perFunction[key] = { bundleKB: round(bytes / 1024, 1), p50Ms, p95Ms: latencies.percentile(95), loads };
    log(`cold-init ${key}: ${round(bytes / 1024, 1)} KB, import p50 ${p50Ms} ms`);
  }
  return measured('cold-init', all, (performance.now() - start) / 1000, 0, { perFunction, targets: [] });
};
