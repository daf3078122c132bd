import { handler as consoleFunction } from '../functions/console.js';
import { createAwsClients } from '../lib/aws/clients.js';
import { everyAwsClient } from '../lib/aws/every-client.js';
import { MemoryLog, MemoryMetrics, restrictToNeeds, setDependencyProvider } from '../lib/runtime/index.js';
import { manyExecutions, recordedExecutionsMiddleware, stateMachineArn } from '../test/console/helpers.js';
import type { Benchmark } from './run.js';

const clusters = Array.from({ length: 40 }, (_, i) => `cluster-${String(i).padStart(2, '0')}`);
const requests: Array<{ kind: string; query: Record<string, string> }> = [
  { kind: 'first page', query: {} },
  { kind: 'status filter', query: { status: 'FAILED' } },
  { kind: 'cluster filter', query: { cluster: 'cluster-17' } },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1] ?? 0;

/**
 * `consoleExecutions10k`: server time of the console function answering GET /api/executions (first page, a status
 * filter, a cluster filter) with 10,000 executions of 40 clusters in Step Functions, served to the real SFN client.
 * The handler runs end to end (event validation, the console's routing, the listing); the Step Functions API
 * itself answers in memory, so deployed figures add its round trips (one ListExecutions per request, two at most
 * with a cluster filter).
 */
export const consoleExecutionsBenchmark: Benchmark = {
  key: 'consoleExecutions10k',
  async run() {
    const { middleware, calls } = recordedExecutionsMiddleware(manyExecutions(10_000, clusters));
    const noop = { applyToStack: () => undefined };
    const aws = createAwsClients({
      classes: everyAwsClient,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      interceptor: ({ service }) => (service === 'sfn' ? middleware : noop),
    });
    const deps = {
      aws: () => aws,
      kube: () => Promise.reject(new Error('the console does not reach clusters')),
      clock: { now: () => new Date(), sleep: () => Promise.resolve() },
      log: new MemoryLog(),
      metrics: new MemoryMetrics(),
      settings: { region: 'eu-west-1', stateMachineArn },
    };
    setDependencyProvider((needs) => restrictToNeeds(deps, needs));
    try {
      const call = async (query: Record<string, string>) => {
        const started = performance.now();
        const response = (await consoleFunction({
          rawPath: '/api/executions',
          requestContext: { http: { method: 'GET' }, authorizer: { jwt: { claims: { email: 'bench@example.com' } } } },
          queryStringParameters: query,
        })) as { statusCode: number; body: string };
        const ms = performance.now() - started;
        if (response.statusCode !== 200)
          throw new Error(`GET /api/executions answered ${response.statusCode}: ${response.body}`);
        return { ms, rows: (JSON.parse(response.body) as { executions: unknown[] }).executions.length };
      };
      for (const r of requests) await call(r.query); // warm-up: module loading and JIT
      const before = { ...calls };
      const runs = 7;
      const times: Record<string, number[]> = {};
      const rows: Record<string, number> = {};
      for (let i = 0; i < runs; i++) {
        for (const r of requests) {
          const { ms, rows: n } = await call(r.query);
          times[r.kind] = [...(times[r.kind] ?? []), ms];
          rows[r.kind] = n;
        }
      }
      const all = Object.values(times).flat();
      const listCalls =
        ((calls.ListExecutionsCommand ?? 0) - (before.ListExecutionsCommand ?? 0)) / (runs * requests.length);
      return {
        serverMs: Number(median(all).toFixed(1)),
        p95Ms: Number(percentile(all, 95).toFixed(1)),
        firstPageMs: Number(median(times['first page'] ?? []).toFixed(1)),
        statusFilterMs: Number(median(times['status filter'] ?? []).toFixed(1)),
        clusterFilterMs: Number(median(times['cluster filter'] ?? []).toFixed(1)),
        executions: 10_000,
        rowsPerPage: rows['first page'] ?? 0,
        listCallsPerRequest: Number(listCalls.toFixed(2)),
        describeCalls: (calls.DescribeExecutionCommand ?? 0) - (before.DescribeExecutionCommand ?? 0),
        targetMs: 300,
      };
    } finally {
      setDependencyProvider(undefined);
    }
  },
};
