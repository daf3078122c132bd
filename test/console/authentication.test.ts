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

describe('the local HTTP API for a caller’s mistakes', () => {
  it('answers a malformed link with a page, an oversized body with 413 and a malformed API path with 400, never a 500', async () => {
    await withGates(async (env) => {
      const api = await startLocalApi(env, { handlers: localFunctions, user: userInfo().username });
      try {
        const bearer = { authorization: `Bearer ${api.token}` };
        const link = await fetch(`${api.url}/approvals/%ZZ`);
        const huge = await fetch(`${api.url}/api/approvals/payments-run/gate`, {
          method: 'POST',
          headers: { ...bearer, ...jsonHeaders },
          body: JSON.stringify({ decision: 'approve', comment: 'x'.repeat(2 * 1024 * 1024) }),
        });
        const badPath = await fetch(`${api.url}/api/approvals/%ZZ/gate`, {
          method: 'POST',
          headers: { ...bearer, ...jsonHeaders },
          body: JSON.stringify({ decision: 'approve' }),
        });
        expect(link.status).toBe(403);
        expect(link.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await link.text()).toContain('This link cannot be used');
        expect(huge.status).toBe(413);
        expect(badPath.status).toBe(400);
        expect(await badPath.json()).toEqual({ error: 'the execution name in the path is not valid percent-encoding' });
      } finally {
        await api.close();
      }
    });
  });
});
