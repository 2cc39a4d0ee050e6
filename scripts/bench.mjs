#!/usr/bin/env node
// `pnpm bench` runs every benchmark; `pnpm bench NAME` runs one. A benchmark is a file
// `bench/NAME.bench.ts` in a workspace package; it writes bench-results/NAME.json and prints a
// table (format in the testing guide). Packages are built first through turbo.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const wanted = process.argv.slice(2);

const benches = [];
for (const group of ['packages', 'apps', 'tests']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const pkg of readdirSync(dir)) {
    const benchDir = join(dir, pkg, 'bench');
    if (!existsSync(benchDir)) continue;
    for (const file of readdirSync(benchDir)) {
      const match = /^(.+)\.bench\.ts$/.exec(file);
      if (match) benches.push({ name: match[1], cwd: join(dir, pkg), file: join('bench', file) });
    }
  }
}

const unknown = wanted.filter((name) => !benches.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark: ${unknown.join(', ')}; available: ${benches.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}

const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = 0;
for (const bench of benches.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  console.log(`\n== bench ${bench.name} ==`);
  const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [bench.file], {
    cwd: bench.cwd,
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error(`bench ${bench.name} failed (exit ${run.status ?? run.signal})`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
