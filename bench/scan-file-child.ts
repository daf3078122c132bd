/**
 * The scanning side of the `scanFile400k` benchmark, in a process of its own so that its peak memory is the
 * scan's alone: scans the file it is given and prints one JSON line of figures.
 */
import { Readable } from 'node:stream';
import { scanManifestPaths } from '../lib/readiness/index.js';

const [path, target = '1.25'] = process.argv.slice(2);
if (!path) throw new Error('usage: scan-file-child.ts <file> [target]');
const before = process.memoryUsage().rss;
const start = performance.now();
const scan = await scanManifestPaths({ stdin: () => Readable.from([]) }, { paths: [path], target });
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  `${JSON.stringify({
    seconds,
    objects: scan.objects,
    verdicts: scan.verdicts.length,
    unreadable: scan.unreadable.length,
    rssBeforeMb: before / 1e6,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
  })}\n`,
);
