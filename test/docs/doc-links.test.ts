// Every file or folder of the project that README.md or a page of docs/ names in
// backticks exists, and every link between them lands on a file and, with a #fragment,
// on one of its headings: a rename or a move cannot leave a page pointing at nothing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const PROJECT_FOLDERS = ['src', 'test', 'examples', 'docs', 'deploy', 'views', 'public', '.ci'];
const read = (page: string) => readFileSync(join(ROOT, page), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replaceAll('`', '')
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replaceAll(' ', '-');
}

function anchorsOf(page: string): Set<string> {
  const text = read(page).replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] ?? '')));
}

describe.each(PAGES)('%s', (page) => {
  const text = read(page);

  it('names only project files that exist', () => {
    const named = [...text.matchAll(/`([\w.-]+\/[^`\s]*)`/g)]
      .map((m) => m[1] ?? '')
      .filter((path) => PROJECT_FOLDERS.includes(path.split('/')[0] ?? ''));
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path = '', fragment] = target.split('#');
      const file = path === '' ? page : relative(ROOT, join(ROOT, dirname(page), path));
      if (!existsSync(join(ROOT, file))) broken.push(target);
      else if (fragment !== undefined && file.endsWith('.md') && !anchorsOf(file).has(fragment)) broken.push(target);
    }
    expect(broken).toEqual([]);
  });
});

describe('README.md', () => {
  it('is a newcomer’s page: at most 250 lines, and it links every page of docs/', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(251);
    const linked = [...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]);
    expect(PAGES.filter((p) => p.startsWith('docs/') && !linked.includes(p))).toEqual([]);
  });
});
