// Every file or folder of the project that README.md names in backticks exists: a
// rename or a move cannot leave the README pointing at nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PROJECT_FOLDERS = ['src', 'test', 'examples', 'docs', 'deploy', 'views', 'public', '.ci'];

describe('README.md', () => {
  it('names only project files that exist', () => {
    const named = [...readme.matchAll(/`([\w.-]+\/[^`\s]*)`/g)]
      .map((m) => m[1] ?? '')
      .filter((path) => PROJECT_FOLDERS.includes(path.split('/')[0] ?? ''));
    expect(named.length).toBeGreaterThanOrEqual(20);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)]
      .map((m) => m[1] ?? '')
      .filter((target) => !/^[a-z]+:/.test(target));
    expect(links).toContain('examples/tutorial-login.ts');
    expect(links.filter((target) => !existsSync(join(ROOT, target)))).toEqual([]);
  });
});
