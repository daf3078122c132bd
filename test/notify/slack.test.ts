import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { startUpgrade, untilDone, withGates } from '../approvals/helpers.js';

const channel = 'C0PLATFORM';

describe("lifecycle notifications in the policy's Slack channel", () => {
  it('posts the start, each hop and the success to the channel, as well as to SNS', async () => {
    await withGates(
      async (env) => {
        // Act
        const execution = startUpgrade(env, { mode: 'auto', slack: { channel } });
        await untilDone(env, execution);

        // Assess
        expect(execution.status).toBe('SUCCEEDED');
        const posted = (env.slack?.messages ?? []).filter((m) => m.channel === channel).map((m) => m.text);
        expect(posted).toEqual([
          expect.stringMatching(/started.*payments/i),
          expect.stringMatching(/hop 1.*1\.34.*payments|payments.*hop 1/i),
          expect.stringMatching(/succeeded.*payments|payments.*succeeded/i),
        ]);
        const published = env.world.account.published.map((p) => p.subject);
        expect(published).toEqual(expect.arrayContaining(posted));
      },
      { slack: {} },
    );
  });

  it('still upgrades, and still tells SNS, when Slack refuses the post', async () => {
    await withGates(
      async (env) => {
        // Prepare: a bot token Slack does not accept.
        await env.deps.aws(env.deps.settings.region).ssm.send(
          new PutParameterCommand({
            Name: env.deps.settings.slackBotTokenParameter,
            Type: 'SecureString',
            Value: 'xoxb-revoked',
            Overwrite: true,
          }),
        );

        // Act
        const execution = startUpgrade(env, { mode: 'auto', slack: { channel } });
        await untilDone(env, execution);

        // Assess
        expect(execution.status).toBe('SUCCEEDED');
        expect((env.slack?.messages ?? []).filter((m) => m.channel === channel)).toEqual([]);
        expect(env.world.account.published.some((p) => /succeeded/i.test(p.subject ?? ''))).toBe(true);
        expect(env.log.records.some((e) => /could not post the notification to Slack/.test(e.message))).toBe(true);
      },
      { slack: {} },
    );
  });
});
