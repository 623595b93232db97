// The production build, made privately for the bench: `tsc -p tsconfig.build.json`
// into a temp directory rather than the shared dist/ (other people may be running
// `npm start` from it while we build), plus the bench's own servers transpiled next
// to it, so every server runs as plain `node file.js` with no loader in the way.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

export const repoRoot = resolve(import.meta.dirname, '../..');

// growth-server imports shopper: both are transpiled, side by side.
const BENCH_SCRIPTS = ['bare-server', 'session-server', 'heap-probe', 'growth-server', 'shopper'] as const;

export type Build = {
  dir: string;
  storeScript: string;
  script: (name: (typeof BENCH_SCRIPTS)[number]) => string;
  remove: () => void;
};

export async function buildAll(): Promise<Build> {
  const dir = mkdtempSync(join(tmpdir(), 'shop-bench-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove); // also when the bench is interrupted or gives up
  // dist/web/views/views.ts finds views/ and public/ one level above dist/, and Node finds
  // node_modules and "type": "module" by walking up: mirror the repo around the build.
  for (const entry of ['node_modules', 'views', 'public', 'package.json']) {
    symlinkSync(join(repoRoot, entry), join(dir, entry));
  }
  await compileStore(join(dir, 'dist'));
  for (const name of BENCH_SCRIPTS) {
    const source = readFileSync(join(import.meta.dirname, `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 },
      fileName: `${name}.ts`,
    });
    writeFileSync(join(dir, `${name}.js`), outputText);
  }
  return { dir, storeScript: join(dir, 'dist', 'server.js'), script: (name) => join(dir, `${name}.js`), remove };
}

function compileStore(outDir: string): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolveBuild, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolveBuild();
      else reject(new Error(`the production build failed (tsc exit ${code}):\n${output}`));
    });
  });
}
