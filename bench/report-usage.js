/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script, run by node without ts-node */
// Preloaded (`node -r bench/report-usage.js ...`) into each whole-process benchmark run: at exit, writes the
// process's peak RSS (getrusage ru_maxrss), its CPU time and its RSS at startup to the file named by
// BENCH_USAGE_FILE. Costs nothing measurable, and the same for every variant.
'use strict';
const fs = require('fs');

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  const rssAtStartKiB = Math.round(process.memoryUsage().rss / 1024);
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    const usage = { maxRssKiB: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000, rssAtStartKiB };
    fs.writeFileSync(file, JSON.stringify(usage));
  });
}
