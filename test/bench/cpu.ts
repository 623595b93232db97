// CPU time of a server process, read from outside: utime + stime of /proc/<pid>/stat
// (every thread of the process, so libuv's pool doing scrypt counts too). On a
// shared machine req/s moves with whatever else runs; CPU spent per request moves
// much less, so the report prints it next to every rate.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of /proc/<pid>/stat times (almost always 100). */
const TICKS_PER_SECOND = clockTicks();

function clockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100; // no getconf: the Linux default
  }
}

/** CPU seconds (user + system) the process has used since it started. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2, the command name, is in parentheses and may itself hold spaces or ')':
  // count fields from the last ')'. What follows starts at field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc/${pid}/stat`);
  return (utime + stime) / TICKS_PER_SECOND;
}

/** The resolution of cpuSeconds, for the report. */
export const CPU_TICK_MS = 1000 / TICKS_PER_SECOND;
