import type { ClusterProgress } from '../local/run.js';

/** "Wait for control plane" and "Check control plane" are the same step to a person. */
function step(stage: string): string {
  return stage.replace(/^(Wait for|Check|Upgrade) /, '');
}

function describe(p: ClusterProgress): string {
  const hop = p.hop ? ` [hop ${p.hop}]` : '';
  const nodes = p.nodes ? ` (${p.nodes.upgraded}/${p.nodes.total} nodes on the new version)` : '';
  const minutes = Math.floor(p.simulatedSeconds / 60);
  const seconds = Math.floor(p.simulatedSeconds % 60);
  return `t+${minutes}m${String(seconds).padStart(2, '0')}s ${p.cluster}${hop} ${p.stage}${nodes}`;
}

/**
 * Live progress: on a terminal, one line per cluster redrawn in place (a task list); elsewhere, a plain line
 * each time a cluster changes stage.
 */
export function createProgressView(out: NodeJS.WriteStream, options: { quiet?: boolean; plain?: boolean } = {}) {
  const lines = new Map<string, string>();
  const lastStage = new Map<string, string>();
  let drawn = 0;
  // `plain`: one line per change even on a terminal, so that other lines (an interactive demo's prompts) fit in.
  const tty = Boolean(out.isTTY) && !options.quiet && !options.plain;
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
        // A simulated hour passes in a second: redraw at most 20 times a second to keep terminals calm.
        if (now - last >= 50) {
          redraw();
          last = now;
        }
        return;
      }
      const key = `${p.hop ?? ''}|${step(p.stage)}|${p.nodes?.upgraded ?? ''}`;
      if (lastStage.get(p.cluster) === key) return;
      lastStage.set(p.cluster, key);
      out.write(`${describe(p)}\n`);
    },
    finish(): void {
      if (tty) redraw();
    },
  };
}

/** "1h02m05s" or "42m25s". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h
    ? `${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s`
    : `${m}m${String(s).padStart(2, '0')}s`;
}
