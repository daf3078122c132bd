/**
 * A simulated Slack workspace: the Web API methods the orchestrator calls, served over real HTTP to the official
 * @slack/web-api client (https://api.slack.com/web), and the signed interactivity requests Slack sends when
 * someone clicks a button (https://api.slack.com/interactivity/handling#payloads).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimSlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Array<{ type: string; [field: string]: unknown }>;
  /** Each chat.update, in order. */
  updates: Array<{ text: string; blocks: Array<{ type: string; [field: string]: unknown }> }>;
}

export interface SimSlackOptions {
  botToken: string;
  signingSecret: string;
  /** User groups and their members, for usergroups.users.list. */
  userGroups?: Record<string, string[]>;
}

type Answer = Record<string, unknown> & { ok: boolean };

export class SimSlack {
  readonly messages: SimSlackMessage[] = [];
  readonly ephemerals: Array<{ channel: string; user: string; text: string }> = [];
  private seq = 0;
  private server: ReturnType<typeof createServer> | undefined;
  /** The Web API base URL to give the client (`slackApiUrl`), once started. */
  apiUrl = '';

  constructor(readonly options: SimSlackOptions) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.serve(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    // Slack answers HTTP 200 with ok:false for application errors (https://api.slack.com/web#responses).
    const answer =
      req.headers.authorization !== `Bearer ${this.options.botToken}`
        ? { ok: false, error: 'invalid_auth' }
        : this.call(method, form);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer));
  }

  private channelId(channel: string): string {
    if (!channel.startsWith('#')) return channel;
    return `C${createHash('sha256').update(channel).digest('hex').slice(0, 8).toUpperCase()}`;
  }

  private call(method: string, form: URLSearchParams): Answer {
    const blocks = () => JSON.parse(form.get('blocks') ?? '[]') as SimSlackMessage['blocks'];
    switch (method) {
      case 'chat.postMessage': {
        const channel = form.get('channel');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
        const message = {
          channel: this.channelId(channel),
          ts,
          text: form.get('text') ?? '',
          blocks: blocks(),
          updates: [],
        };
        this.messages.push(message);
        return { ok: true, channel: message.channel, ts, message: { text: message.text, ts } };
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === form.get('channel') && m.ts === form.get('ts'));
        if (!message) return { ok: false, error: 'message_not_found' };
        message.updates.push({ text: form.get('text') ?? '', blocks: blocks() });
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'chat.postEphemeral':
        this.ephemerals.push({
          channel: form.get('channel') ?? '',
          user: form.get('user') ?? '',
          text: form.get('text') ?? '',
        });
        return { ok: true, message_ts: `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}` };
      case 'usergroups.users.list': {
        const members = this.options.userGroups?.[form.get('usergroup') ?? ''];
        return members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * The request Slack sends to the app's interactivity URL when `user` clicks a button of a message: a
   * form-encoded `payload`, signed with the app's signing secret at `now`.
   */
  buttonClick(request: {
    message: SimSlackMessage;
    actionId: string;
    user: { id: string; username?: string };
    now?: Date;
  }): { headers: Record<string, string>; body: string } {
    const button = request.message.blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => (b.elements as Array<{ action_id: string; value?: string }>) ?? [])
      .find((e) => e.action_id === request.actionId);
    if (!button) throw new Error(`the message has no button ${request.actionId}`);
    const payload = {
      type: 'block_actions',
      user: { id: request.user.id, username: request.user.username ?? request.user.id.toLowerCase() },
      api_app_id: 'A0SIMULATED',
      token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: request.message.ts, channel_id: request.message.channel },
      trigger_id: `${this.seq}.${randomBytes(6).toString('hex')}`,
      team: { id: 'T0SIMULATED', domain: 'simulated' },
      channel: { id: request.message.channel, name: 'approvals' },
      message: { type: 'message', ts: request.message.ts, text: request.message.text },
      response_url: 'https://hooks.slack.com/actions/T0SIMULATED/1/simulated',
      actions: [{ action_id: request.actionId, block_id: 'eks-upgrade-approval', value: button.value, type: 'button' }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return { headers: this.sign(body, request.now ?? new Date(Date.now())), body };
  }

  /** Slack's signature headers for a body (https://api.slack.com/authentication/verifying-requests-from-slack). */
  sign(body: string, at: Date, secret = this.options.signingSecret): Record<string, string> {
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
    return {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${signature}`,
    };
  }
}
