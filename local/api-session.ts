import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a running interactive demo tells other processes (`eks-upgrade approve`) how to reach its local API;
 * EKS_UPGRADE_SESSION_FILE moves it (two demos side by side, tests).
 */
export const apiSessionFile = process.env.EKS_UPGRADE_SESSION_FILE ?? join(tmpdir(), 'eks-upgrade-local-api.json');

export interface ApiSession {
  url: string;
  token: string;
  pid: number;
}

/** Records the session, readable only by this user: the token lets its holder decide gates. */
export function writeApiSession(session: ApiSession, file = apiSessionFile): void {
  writeFileSync(file, JSON.stringify(session), { mode: 0o600 });
}

export function removeApiSession(file = apiSessionFile): void {
  rmSync(file, { force: true });
}

/** The session of the running interactive demo, or undefined when none runs. */
export function readApiSession(file = apiSessionFile): ApiSession | undefined {
  let session: ApiSession;
  try {
    session = JSON.parse(readFileSync(file, 'utf8')) as ApiSession;
  } catch {
    return undefined;
  }
  try {
    process.kill(session.pid, 0);
  } catch {
    return undefined;
  }
  return session;
}
