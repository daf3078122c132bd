import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { handler as consoleApi } from '../../functions/console.js';
import { startLocalApi } from '../../local/api-server.js';
import { localFunctions } from '../../local/functions.js';
import { type HttpResult, jsonHeaders, startUpgrade, untilGate, withGates } from '../approvals/helpers.js';

const apiRoutes = [
  ['GET', '/api/fleet'],
  ['GET', '/api/executions'],
  ['GET', '/api/approvals'],
  ['POST', '/api/approvals/payments-run/some-gate'],
] as const;

describe('the console API without a signed-in user', () => {
  it('answers 401 on every /api route when the authorizer passed no claims, and changes nothing', async () => {
    await withGates(async (env) => {
      // Prepare
      const execution = startUpgrade(env, { mode: 'people', gates: { beforeNodes: false } });
      await untilGate(env, execution);

      // Act
      const answers = await Promise.all(
        apiRoutes.map(
          ([method, path]) =>
            consoleApi({
              rawPath: path,
              requestContext: { http: { method } },
              headers: jsonHeaders,
              ...(method === 'POST' ? { body: JSON.stringify({ decision: 'approve' }) } : {}),
            }) as Promise<HttpResult>,
        ),
      );

      // Assess
      expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401]);
      expect(answers[0]?.headers?.['www-authenticate']).toBe('Bearer');
      expect(JSON.parse(answers[0]?.body ?? '').error).toContain('Authorization: Bearer');
      expect(env.stepFunctions.pendingTasks()).toHaveLength(1);
      expect(execution.status).toBe('RUNNING');
    });
  });

  it('through the local HTTP API: the shell for anyone, the API only with the run’s token', async () => {
    await withGates(async (env) => {
      // Prepare
      const api = await startLocalApi(env, { handlers: localFunctions, user: userInfo().username });
      try {
        const bearer = { authorization: `Bearer ${api.token}` };

        // Act
        const shell = await fetch(`${api.url}/console`);
        const config = await fetch(`${api.url}/console/config.json`);
        const root = await fetch(`${api.url}/`, { redirect: 'manual' });
        const anonymous = await Promise.all(
          apiRoutes.map(([method, path]) =>
            fetch(`${api.url}${path}`, { method, headers: jsonHeaders, ...(method === 'POST' ? { body: '{}' } : {}) }),
          ),
        );
        const wrongToken = await fetch(`${api.url}/api/fleet`, { headers: { authorization: 'Bearer guessed' } });
        const signedIn = await fetch(`${api.url}/api/executions`, { headers: bearer });

        // Assess
        expect(shell.status).toBe(200);
        expect(shell.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(await config.json()).toMatchObject({ auth: 'local' });
        expect(root.status).toBe(302);
        expect(root.headers.get('location')).toBe('/console');
        expect(anonymous.map((r) => r.status)).toEqual([401, 401, 401, 401]);
        expect(wrongToken.status).toBe(401);
        expect(signedIn.status).toBe(200);
        expect(((await signedIn.json()) as { executions: unknown[] }).executions).toEqual([]);
        expect(api.consoleUrl).toBe(`${api.url}/console#token=${api.token}`);
      } finally {
        await api.close();
      }
    });
  });
});
