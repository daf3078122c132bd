import type { ClusterProgress } from '../lib/local/run.js';

function describe(p: ClusterProgress): string {
  const hop = p.hop ? ` [hop ${p.hop}]` : '';
  const nodes = p.nodes ? ` nodes ${p.nodes.upgraded}/${p.nodes.total}` : '';
  const minutes = Math.floor(p.simulatedSeconds / 60);
  const seconds = Math.floor(p.simulatedSeconds % 60);
  return `${p.cluster}${hop} ${p.stage}${nodes} (t+${minutes}m${String(seconds).padStart(2, '0')}s)`;
}

/**
 * Live progress: on a terminal, one line per cluster redrawn in place (a task list); elsewhere, a plain line
 * each time a cluster changes stage.
 */
export function createProgressView(out: NodeJS.WriteStream, options: { quiet?: boolean } = {}) {
  const lines = new Map<string, string>();
  const lastStage = new Map<string, string>();
  let drawn = 0;
  const tty = Boolean(out.isTTY) && !options.quiet;
  const redraw = () => {
    if (drawn) out.write(`\x1b[${drawn}A`);
    for (const line of lines.values()) out.write(`\x1b[2K${line}\n`);
    drawn = lines.size;
  };
  let last = 0;
  return {
    update(p: ClusterProgress): void {
      if (options.quiet) return;
      const icon = p.status === 'SUCCEEDED' ? '✔' : p.status === 'RUNNING' ? '›' : '✖';
      lines.set(p.cluster, `${icon} ${describe(p)}`);
      if (tty) {
        const now = Date.now();
        // Redraw at most every few simulated seconds' worth of events to keep terminals calm.
        if (now - last >= 0) redraw();
        last = now;
        return;
      }
      const key = `${p.hop ?? ''}|${p.stage}`;
      if (lastStage.get(p.cluster) === key) return;
      lastStage.set(p.cluster, key);
      out.write(`${describe(p)}\n`);
    },
    finish(): void {
      if (tty) redraw();
    },
  };
}
