// Reads the runnable examples out of a Markdown file: every ```console block holds
// `$ command` lines (a trailing `\` continues one onto the next line), each followed
// by the output it prints. In an output, `…` stands for any text on that line (an ID,
// a date, a part left out); everything else must match exactly. A block run against
// something other than the store says so after the language: ```console example.

export type Step = {
  /** The command as written, continuation lines joined. */
  command: string;
  /** The documented output, one entry per line. */
  expected: string[];
  /** 1-based line in the Markdown file of each documented output line. */
  expectedLines: number[];
};

const FENCE_CLOSE = /^```\s*$/;

/** The steps of the ```console blocks, or with `target` of the ```console <target> blocks only. */
export function consoleSteps(markdown: string, target?: string): Step[] {
  const fenceOpen = new RegExp(`^\`\`\`console${target === undefined ? '' : ` ${target}`}\\s*$`);
  const lines = markdown.split('\n');
  const steps: Step[] = [];
  let inBlock = false;
  let current: Step | undefined;
  let continuing = false;
  lines.forEach((line, index) => {
    if (!inBlock) {
      inBlock = fenceOpen.test(line);
      return;
    }
    if (FENCE_CLOSE.test(line)) {
      inBlock = false;
      current = undefined;
      return;
    }
    if (continuing && current) {
      current.command += `\n${line}`;
      continuing = line.endsWith('\\');
      return;
    }
    if (line.startsWith('$ ')) {
      current = { command: line.slice(2), expected: [], expectedLines: [] };
      steps.push(current);
      continuing = line.endsWith('\\');
      return;
    }
    if (!current) throw new Error(`line ${index + 1}: output before any "$ " command in a console block`);
    current.expected.push(line);
    current.expectedLines.push(index + 1);
  });
  return steps.map((step) => trimTrailingBlank(step));
}

/** An output line as a pattern: `…` matches any text, the rest literally. */
export function linePattern(expected: string): RegExp {
  const literal = expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('.*')}$`);
}

/** Output as lines, without the carriage returns of HTTP headers or trailing blank lines. */
export function outputLines(output: string): string[] {
  const lines = output.split('\n').map((line) => line.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Why the actual output differs from the documented one, or undefined when it matches. */
export function mismatch(step: Step, actual: string): string | undefined {
  const got = outputLines(actual);
  if (got.length !== step.expected.length) {
    return `expected ${step.expected.length} line(s), got ${got.length}:\n${got.join('\n')}`;
  }
  for (const [i, expected] of step.expected.entries()) {
    const line = got[i] ?? '';
    if (!linePattern(expected).test(line)) {
      return `README.md line ${step.expectedLines[i]}:\n  documented: ${expected}\n  actual:     ${line}`;
    }
  }
  return undefined;
}

function trimTrailingBlank(step: Step): Step {
  const expected = [...step.expected];
  const expectedLines = [...step.expectedLines];
  while (expected.length > 0 && expected[expected.length - 1]?.trim() === '') {
    expected.pop();
    expectedLines.pop();
  }
  return { ...step, expected: expected.map((line) => line.replace(/\s+$/, '')), expectedLines };
}
