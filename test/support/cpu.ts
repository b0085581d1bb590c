/**
 * CPU time of a piece of work, for the tests that check how a cost grows (linear, not quadratic): the best of a few
 * runs, so a garbage collection or a busy neighbour does not count. CPU time, not wall time, so a shared machine does
 * not make the ratio flaky. Absolute times are for `npm run bench`, never asserted.
 */
export function bestCpuMs(work: () => void, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}
