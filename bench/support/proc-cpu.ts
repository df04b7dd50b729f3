import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const CLOCK_TICKS = 100;

/**
 * CPU time a process has used so far, user and system, in microseconds, from /proc/PID/stat
 * (fields 14 and 15; the command name in field 2 may hold spaces, so fields are counted after its
 * closing parenthesis). Resolution is one tick (10 ms): measure over thousands of requests.
 */
export function cpuMicros(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return { user: (Number(fields[11]) * 1e6) / CLOCK_TICKS, sys: (Number(fields[12]) * 1e6) / CLOCK_TICKS };
}

/** Sum of {@link cpuMicros} over several processes (user + sys), microseconds. */
export function totalCpuMicros(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    const { user, sys } = cpuMicros(pid);
    total += user + sys;
  }
  return total;
}
