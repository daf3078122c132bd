import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * moto, the third-party AWS mock (installed on these machines as a Python module), as an HTTP server on
 * 127.0.0.1: a referee for code that talks to AWS, nobody here wrote it. Fails with what to install when it is
 * missing; never skips.
 */
export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/`)).ok;
  } catch {
    return false;
  }
}

/** Starts `python3 -m moto.server` on a free loopback port and waits (at most 20 s) until it answers. */
export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (code) => resolve(code));
  });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await answers(endpoint)) {
      return {
        endpoint,
        stop: async () => {
          child.kill();
          await exited;
        },
      };
    }
    const early = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 100))]);
    if (early !== 'running') break;
  }
  child.kill();
  throw new Error(
    `moto did not start on ${endpoint} (python3 -m moto.server; moto 5.2.1 is installed on these machines): ${output.slice(-500)}`,
  );
}
