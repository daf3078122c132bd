/**
 * Scenario files describe a simulated world: clusters, their node groups and add-ons, the workloads on them,
 * old-API objects, Helm releases and the faults to inject. The schema is strict so that a typo is an error that
 * names the field, not a silently ignored key.
 */
import { readFileSync } from 'node:fs';
import * as autoscaling from '@aws-sdk/client-auto-scaling';
import * as ec2 from '@aws-sdk/client-ec2';
import * as eks from '@aws-sdk/client-eks';
import { AddonIssueCode, ClusterIssueCode, ErrorCode, NodegroupIssueCode } from '@aws-sdk/client-eks';
import * as sns from '@aws-sdk/client-sns';
import * as ssm from '@aws-sdk/client-ssm';
import * as sts from '@aws-sdk/client-sts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { upgradePolicySchema } from '../lib/planning/policy.js';

const minorVersion = z
  .string({ invalid_type_error: 'must be a quoted Kubernetes minor version such as "1.32"' })
  .regex(/^1\.\d{1,2}$/, 'must be a Kubernetes minor version such as "1.32" (quote it in YAML)');

const accountIdSchema = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id (quote it in YAML)');

const dnsName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS label (a-z, 0-9 and "-")');

const intOrPercent = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d{1,3}%$/, 'must be a whole number or a percentage such as "50%"'),
]);

const pdbSchema = z
  .object({
    minAvailable: intOrPercent.optional(),
    maxUnavailable: intOrPercent.optional(),
  })
  .strict()
  .refine((p) => (p.minAvailable === undefined) !== (p.maxUnavailable === undefined), {
    message: 'set exactly one of minAvailable or maxUnavailable',
  });

const workloadSchema = z
  .object({
    kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod']),
    name: dnsName,
    namespace: dnsName.default('default'),
    replicas: z.number().int().min(0).max(1000).default(1),
    /** Seconds between a replacement pod being scheduled and it turning Ready. */
    startupSeconds: z.number().int().min(0).max(3600).default(15),
    terminationGracePeriodSeconds: z.number().int().min(0).max(3600).default(30),
    emptyDir: z.boolean().default(false),
    /** `all` models a pod that tolerates every taint (an `operator: Exists` toleration without a key). */
    tolerations: z.enum(['none', 'all']).default('none'),
    /** Restrict pods to the nodes of one node group (managed or self-managed). */
    nodegroup: z.string().optional(),
    image: z.string().default('public.ecr.aws/docker/library/nginx:1.27'),
    pdb: pdbSchema.optional(),
    /** Host paths the pods mount (`hostPath` volumes), e.g. `/var/run/docker.sock`. */
    hostPaths: z.array(z.string().regex(/^\//, 'must be an absolute path')).default([]),
    /** Pods start but never pass their readiness probe (Running, not Ready). */
    neverReady: z.boolean().default(false),
  })
  .strict();

const legacyObjectSchema = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    name: dnsName,
    namespace: dnsName.optional(),
    /** Stored in the `kubectl.kubernetes.io/last-applied-configuration` annotation, as kubectl apply does. */
    lastAppliedApiVersion: z.string().optional(),
    /** Top-level fields stored with the object as given (`spec`, `data`, `provisioner`, …); `spec` defaults to {}. */
    body: z.record(z.unknown()).optional(),
  })
  .strict();

const helmReleaseSchema = z
  .object({
    name: dnsName,
    namespace: dnsName.default('default'),
    chart: z.string().min(1),
    chartVersion: z.string().default('1.0.0'),
    revision: z.number().int().min(1).default(1),
    manifests: z.array(z.object({ apiVersion: z.string(), kind: z.string(), name: z.string() }).strict()).default([]),
  })
  .strict();

const serviceRefSchema = z.object({ namespace: dnsName, name: dnsName }).strict();

/** An aggregated API (apiregistration.k8s.io/v1 APIService) and whether its backing service answers. */
const apiServiceSchema = z
  .object({
    /** `<version>.<group>`, e.g. `v1beta1.metrics.k8s.io`. */
    name: z.string().regex(/^v\d+(?:(?:alpha|beta)\d+)?\.[a-z0-9.-]+$/, 'must be <version>.<group>'),
    service: serviceRefSchema,
    available: z.boolean().default(true),
  })
  .strict();

/** An admission webhook served by an in-cluster Service, with how many of its endpoints are ready. */
const webhookSchema = z
  .object({
    kind: z.enum(['Validating', 'Mutating']).default('Validating'),
    name: dnsName,
    service: serviceRefSchema,
    failurePolicy: z.enum(['Fail', 'Ignore']).default('Fail'),
    readyEndpoints: z.number().int().min(0).max(100).default(1),
  })
  .strict();

/** An EKS Upgrade Insight as ListInsights and DescribeInsight report it (category UPGRADE_READINESS). */
const insightSchema = z
  .object({
    name: z.string().min(1),
    /** The Kubernetes version the insight is about (the version the cluster would move to). */
    kubernetesVersion: minorVersion,
    status: z.enum(['PASSING', 'WARNING', 'ERROR', 'UNKNOWN']),
    reason: z.string().default(''),
    description: z.string().default(''),
    recommendation: z.string().default(''),
    /** Deprecated API calls EKS saw in the audit log, with the clients that made them. */
    deprecations: z
      .array(
        z
          .object({
            usage: z.string().min(1),
            replacedWith: z.string().default(''),
            stopServingVersion: minorVersion,
            startServingReplacementVersion: minorVersion.optional(),
            clients: z
              .array(z.object({ userAgent: z.string().min(1), requests: z.number().int().min(0) }).strict())
              .default([]),
          })
          .strict(),
      )
      .default([]),
    /** Kubernetes resources or AWS ARNs the insight names. */
    resources: z.array(z.string().min(1)).default([]),
  })
  .strict();

const updateConfigSchema = z
  .object({
    maxUnavailable: z.number().int().min(1).max(100).optional(),
    maxUnavailablePercentage: z.number().int().min(1).max(100).optional(),
  })
  .strict()
  .refine((u) => !(u.maxUnavailable !== undefined && u.maxUnavailablePercentage !== undefined), {
    message: 'set maxUnavailable or maxUnavailablePercentage, not both',
  });

const managedNodegroupSchema = z
  .object({
    name: dnsName,
    /** Defaults to the cluster's version. */
    version: minorVersion.optional(),
    amiType: z
      .enum([
        'AL2023_x86_64_STANDARD',
        'AL2023_ARM_64_STANDARD',
        'AL2_x86_64',
        'BOTTLEROCKET_x86_64',
        'BOTTLEROCKET_ARM_64',
      ])
      .default('AL2023_x86_64_STANDARD'),
    instanceType: z.string().default('m6i.large'),
    desiredSize: z.number().int().min(0).max(1000),
    minSize: z.number().int().min(0).max(1000).optional(),
    maxSize: z.number().int().min(1).max(1000).optional(),
    maxPodsPerNode: z.number().int().min(1).max(737).default(29),
    updateConfig: updateConfigSchema.default({ maxUnavailable: 1 }),
    /** Seconds from instance launch to the node reporting Ready. */
    nodeStartupSeconds: z.number().int().min(1).max(3600).default(90),
    /**
     * A launch template of the user's: `without-ami` (EKS picks the AMI), `custom-ami` (the template names the AMI, so
     * upgrades need a new template version). `none` lets EKS own the template.
     */
    launchTemplate: z.enum(['none', 'without-ami', 'custom-ami']).default('none'),
  })
  .strict();

const selfManagedGroupSchema = z
  .object({
    name: dnsName,
    version: minorVersion.optional(),
    amiFamily: z.enum(['al2023', 'al2', 'bottlerocket']).default('al2023'),
    architecture: z.enum(['x86_64', 'arm64']).default('x86_64'),
    instanceType: z.string().default('m6i.large'),
    desiredSize: z.number().int().min(0).max(1000),
    minSize: z.number().int().min(0).max(1000).optional(),
    maxSize: z.number().int().min(1).max(1000).optional(),
    maxPodsPerNode: z.number().int().min(1).max(737).default(29),
    nodeStartupSeconds: z.number().int().min(1).max(3600).default(90),
    /**
     * How the group launches its instances: its launch template (the default), a mixed instances policy over that
     * template with `instanceTypes` as its overrides, or a launch configuration (AWS's legacy way, which cannot
     * be given a new AMI version: it has to be migrated to a launch template first).
     */
    launch: z.enum(['launch-template', 'mixed-instances', 'launch-configuration']).default('launch-template'),
    /** `mixed-instances`: the instance types of the policy's overrides, launched in turn. */
    instanceTypes: z.array(z.string().min(1)).min(1).max(40).optional(),
  })
  .strict()
  .refine((g) => (g.launch === 'mixed-instances') === (g.instanceTypes !== undefined), {
    message: 'instanceTypes goes with launch: mixed-instances, and mixed-instances needs instanceTypes',
    path: ['instanceTypes'],
  });

const addonSchema = z
  .object({
    name: z.string().min(1),
    /** Defaults to the default version for the cluster's Kubernetes version. */
    version: z.string().optional(),
  })
  .strict();

/** The SDK clients whose commands name the operations a throttle fault may target. */
type ThrottledService = 'eks' | 'autoscaling' | 'ec2' | 'ssm' | 'sns' | 'sts';
const serviceModules: Record<ThrottledService, object> = { eks, autoscaling, ec2, ssm, sns, sts };
const exampleOperation: Record<ThrottledService, string> = {
  eks: 'DescribeCluster',
  autoscaling: 'DescribeAutoScalingGroups',
  ec2: 'DescribeSubnets',
  ssm: 'GetParameter',
  sns: 'Publish',
  sts: 'AssumeRole',
};

/**
 * A code EKS can send, from the service model's enum as the SDK ships it: a scenario cannot inject a code AWS never
 * sends (`ErrorCode` for update and add-on errors, the `*IssueCode` enums for health issues).
 */
function modelCode(name: string, codes: Record<string, string>, fallback: string) {
  const values = Object.values(codes);
  return z
    .string()
    .default(fallback)
    .refine((code) => values.includes(code), {
      message: `must be one of the codes EKS sends as ${name}: ${values.join(', ')}`,
    });
}

const faultSchema = z.discriminatedUnion('type', [
  z
    .object({
      /** The update of the control plane to this version stays InProgress this long, then succeeds. */
      type: z.literal('controlPlaneUpdateStuck'),
      toVersion: minorVersion,
      minutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60),
    })
    .strict(),
  z
    .object({
      type: z.literal('controlPlaneUpdateFails'),
      /** The target version whose update fails. */
      toVersion: minorVersion,
      errorCode: modelCode('ErrorCode', ErrorCode, 'ClusterUnreachable'),
      message: z.string().default('The control plane update could not complete; the cluster remains on its version.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('addonUpdateFails'),
      addon: z.string().min(1),
      errorCode: modelCode('ErrorCode', ErrorCode, 'ConfigurationConflict'),
      message: z
        .string()
        .default('Conflicts found when trying to apply. Will not continue due to resolve conflicts mode.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('throttle'),
      service: z.enum(['eks', 'autoscaling', 'ec2', 'ssm', 'sns', 'sts']),
      /** An operation of the service, as its API names it (`DescribeCluster`); all of them when absent. */
      operation: z.string().optional(),
      /** How many matching calls answer ThrottlingException before calls go through again. */
      times: z.number().int().min(1).max(1000),
    })
    .strict(),
  z
    .object({
      type: z.literal('nodeNeverReady'),
      nodegroup: z.string().min(1),
    })
    .strict(),
  z
    .object({
      /** Some of the group's nodes are NotReady when the scenario starts (the kubelet stopped posting status). */
      type: z.literal('nodesNotReady'),
      nodegroup: z.string().min(1),
      count: z.number().int().min(1).max(1000).default(1),
    })
    .strict(),
  z
    .object({
      /** A control plane health issue DescribeCluster reports (`health.issues`). */
      type: z.literal('clusterHealthIssue'),
      code: modelCode('ClusterIssueCode', ClusterIssueCode, 'Ec2SubnetNotFound'),
      message: z.string().default('One or more of the subnets the cluster was created with no longer exist.'),
    })
    .strict(),
  z
    .object({
      /** A managed node group that is DEGRADED with a health issue. */
      type: z.literal('nodegroupDegraded'),
      nodegroup: z.string().min(1),
      code: modelCode('NodegroupIssueCode', NodegroupIssueCode, 'AsgInstanceLaunchFailures'),
      message: z.string().default('Instances could not be launched: the Auto Scaling group reports launch failures.'),
    })
    .strict(),
  z
    .object({
      /** The add-on's update succeeds, and then the add-on turns DEGRADED with this health issue. */
      type: z.literal('addonDegradedAfterUpdate'),
      addon: z.string().min(1),
      code: modelCode('AddonIssueCode', AddonIssueCode, 'InsufficientNumberOfReplicas'),
      message: z.string().default('The add-on is unhealthy because it does not have the desired number of replicas.'),
    })
    .strict(),
  z
    .object({
      /** An EKS add-on that is DEGRADED with a health issue. */
      type: z.literal('addonDegraded'),
      addon: z.string().min(1),
      code: modelCode('AddonIssueCode', AddonIssueCode, 'InsufficientNumberOfReplicas'),
      message: z.string().default('The add-on is unhealthy because it does not have the desired number of replicas.'),
    })
    .strict(),
]);

/** The cluster's upgrade policy: the same schema as the execution input's, so a scenario can try any of it. */
const policySchema = upgradePolicySchema;

const karpenterBudgetSchema = z
  .object({
    /** Nodes of the pool that may be disrupted at once: a count or a percentage of the pool ("10%", "0"). */
    nodes: z.union([
      z.number().int().min(0),
      z.string().regex(/^\d{1,3}%?$/, 'must be a count or a percentage such as "10%"'),
    ]),
  })
  .strict();

const nodePoolSchema = z
  .object({
    name: dnsName,
    /** Nodes Karpenter runs for the pool when the scenario starts. */
    nodes: z.number().int().min(0).max(200).default(2),
    /** The EC2NodeClass's amiSelectorTerms alias: `<family>@latest` follows the control plane (drift), `@v…` pins. */
    amiAlias: z
      .string()
      .regex(/^(al2023|al2|bottlerocket)@(latest|v\d{8})$/, 'must be like al2023@latest or al2023@v20250915')
      .default('al2023@latest'),
    /** spec.disruption.budgets; Karpenter's default is one budget of 10%. */
    budgets: z.array(karpenterBudgetSchema).default([{ nodes: '10%' }]),
    instanceType: z.string().default('m6i.large'),
    maxPodsPerNode: z.number().int().min(1).max(737).default(29),
    /** Launch to Ready for a replacement node. */
    nodeStartupSeconds: z.number().int().min(0).max(3600).default(60),
  })
  .strict();

const fargateProfileSchema = z
  .object({
    name: z.string().min(1).max(100),
    /** Pods of these namespaces run on Fargate, each on its own node. */
    namespaces: z.array(dnsName).min(1),
  })
  .strict();

const clusterSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(
        /^[0-9A-Za-z][A-Za-z0-9\-_]*$/,
        'must start with a letter or digit and hold only letters, digits, "-" and "_"',
      ),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as "eu-west-1"'),
    /** The account the cluster lives in; the scenario's `accountId` (the orchestrator's own) when absent. */
    accountId: accountIdSchema.optional(),
    version: minorVersion,
    policy: policySchema.default({}),
    tags: z.record(z.string()).default({}),
    addons: z.array(addonSchema).default([]),
    managedNodegroups: z.array(managedNodegroupSchema).default([]),
    selfManagedGroups: z.array(selfManagedGroupSchema).default([]),
    /** Karpenter (karpenter.sh/v1) NodePools and the nodes they run. */
    karpenter: z
      .object({ nodePools: z.array(nodePoolSchema).default([]) })
      .strict()
      .optional(),
    /**
     * EKS Auto Mode: AWS runs the nodes of these NodePools (karpenter.sh/v1 NodePools with an eks.amazonaws.com
     * NodeClass; `general-purpose` and `system` are the built-in ones) and replaces them after the control plane
     * moves, within their disruption budgets and the PodDisruptionBudgets.
     */
    autoMode: z
      .object({ nodePools: z.array(nodePoolSchema.omit({ amiAlias: true })).min(1) })
      .strict()
      .optional(),
    fargateProfiles: z.array(fargateProfileSchema).default([]),
    workloads: z.array(workloadSchema).default([]),
    objects: z.array(legacyObjectSchema).default([]),
    helmReleases: z.array(helmReleaseSchema).default([]),
    /** Free IP addresses of the cluster's three subnets (a, b, c) when the scenario starts. */
    subnets: z
      .array(z.object({ freeIps: z.number().int().min(0).max(8187) }).strict())
      .max(3, 'a simulated cluster has three subnets')
      .default([]),
    /** The Corefile of the kube-system/coredns ConfigMap; defaults to the one EKS installs. */
    corefile: z.string().optional(),
    apiServices: z.array(apiServiceSchema).default([]),
    webhooks: z.array(webhookSchema).default([]),
    insights: z.array(insightSchema).default([]),
    faults: z.array(faultSchema).default([]),
  })
  .strict();

/** A member account: its clusters are reached by assuming its member role. */
const memberAccountSchema = z
  .object({
    id: accountIdSchema,
    /** The role deploy/member-role.yaml creates; `trusts: false` models a trust policy that leaves the orchestrator out. */
    memberRole: z
      .object({
        name: z.string().min(1).max(64).default('eks-upgrade-orchestrator-member'),
        trusts: z.boolean().default(true),
        /** The ExternalId the trust policy requires, if any. */
        externalId: z.string().min(2).max(1224).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** A past execution of the upgrade state machine, as ListExecutions and DescribeExecution report it. */
const pastExecutionSchema = z
  .object({
    /** Defaults to the name dispatch gives: `<cluster>-<target>-<yyyymmdd>`. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 letters, digits, "-" or "_" (a Step Functions execution name)')
      .optional(),
    cluster: z.string().min(1),
    accountId: accountIdSchema.optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as "eu-west-1"')
      .optional(),
    target: minorVersion,
    status: z.enum(['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT']),
    startedAt: z.string().datetime({ message: 'must be an ISO 8601 UTC timestamp such as "2026-11-14T02:00:00Z"' }),
    stoppedAt: z.string().datetime({ message: 'must be an ISO 8601 UTC timestamp such as "2026-11-14T03:10:00Z"' }),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(''),
    /** The simulated instant the world starts at. */
    startTime: z
      .string()
      .datetime({ message: 'must be an ISO 8601 UTC timestamp such as "2026-11-21T02:00:00Z"' })
      .default('2026-11-21T02:00:00Z'),
    accountId: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .default('111122223333'),
    clusters: z.array(clusterSchema).min(1, 'a scenario needs at least one cluster'),
    /** Member accounts whose clusters the orchestrator reaches through their member role. */
    accounts: z.array(memberAccountSchema).optional(),
    /** EKS answers after a latency drawn (deterministically) between min and max; none when absent. */
    apiLatencyMs: z
      .object({ min: z.number().int().min(0).max(10_000), max: z.number().int().min(0).max(10_000) })
      .strict()
      .refine((l) => l.min <= l.max, { message: 'needs min <= max' })
      .optional(),
    /** Token buckets per account and region, as AWS rate-limits its APIs; no limit when absent. */
    apiRateLimits: z
      .object({
        eks: z
          .object({
            requestsPerSecond: z.number().positive().max(10_000),
            burst: z.number().int().min(1).max(10_000),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** Past executions of the upgrade state machine (history dispatch reads, e.g. for wave soak). */
    executions: z.array(pastExecutionSchema).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const members = new Set<string>();
    (s.accounts ?? []).forEach((a, i) => {
      if (a.id === s.accountId) {
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', i, 'id'],
          message: `is the scenario's own accountId (the orchestrator's account); list member accounts only`,
        });
      }
      if (members.has(a.id)) {
        ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `duplicate account "${a.id}"` });
      }
      members.add(a.id);
    });
    s.clusters.forEach((c, i) => {
      if (c.accountId && c.accountId !== s.accountId && !members.has(c.accountId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['clusters', i, 'accountId'],
          message: `account "${c.accountId}" is not the scenario's accountId; add it to accounts (with its memberRole)`,
        });
      }
    });
    (s.executions ?? []).forEach((e, i) => {
      const started = Date.parse(e.startedAt);
      const stopped = Date.parse(e.stoppedAt);
      if (stopped < started) {
        ctx.addIssue({ code: 'custom', path: ['executions', i, 'stoppedAt'], message: 'must not be before startedAt' });
      }
      if (stopped > Date.parse(s.startTime)) {
        ctx.addIssue({
          code: 'custom',
          path: ['executions', i, 'stoppedAt'],
          message: `must be before the scenario's startTime (${s.startTime}): seeded executions are history`,
        });
      }
    });
    const names = new Set<string>();
    s.clusters.forEach((c, i) => {
      if (names.has(c.name)) {
        ctx.addIssue({ code: 'custom', path: ['clusters', i, 'name'], message: `duplicate cluster name "${c.name}"` });
      }
      names.add(c.name);
      const groups = new Set(
        [
          ...c.managedNodegroups,
          ...c.selfManagedGroups,
          ...(c.karpenter?.nodePools ?? []),
          ...(c.autoMode?.nodePools ?? []),
        ].map((g) => g.name),
      );
      c.workloads.forEach((w, j) => {
        if (w.nodegroup && !groups.has(w.nodegroup)) {
          ctx.addIssue({
            code: 'custom',
            path: ['clusters', i, 'workloads', j, 'nodegroup'],
            message: `names node group "${w.nodegroup}", which cluster "${c.name}" does not have (have: ${[...groups].join(', ') || 'none'})`,
          });
        }
      });
      c.faults.forEach((f, j) => {
        const at = ['clusters', i, 'faults', j];
        const managed = c.managedNodegroups.map((g) => g.name);
        if (f.type === 'nodegroupDegraded' && !managed.includes(f.nodegroup)) {
          ctx.addIssue({
            code: 'custom',
            path: at,
            message: `names managed node group "${f.nodegroup}", which cluster "${c.name}" does not have`,
          });
        }
        if (f.type === 'nodesNotReady' && !groups.has(f.nodegroup)) {
          ctx.addIssue({
            code: 'custom',
            path: at,
            message: `names node group "${f.nodegroup}", which cluster "${c.name}" does not have`,
          });
        }
        if (
          f.type === 'throttle' &&
          f.operation &&
          !(`${f.operation.replace(/Command$/, '')}Command` in serviceModules[f.service])
        ) {
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'operation'],
            message: `${f.service} has no operation "${f.operation}" (spell it as the API reference does, e.g. ${exampleOperation[f.service]})`,
          });
        }
        if (
          (f.type === 'addonDegraded' || f.type === 'addonDegradedAfterUpdate') &&
          !c.addons.some((a) => a.name === f.addon)
        ) {
          ctx.addIssue({
            code: 'custom',
            path: at,
            message: `names add-on "${f.addon}", which cluster "${c.name}" does not install`,
          });
        }
      });
      [...c.managedNodegroups, ...c.selfManagedGroups].forEach((g, j) => {
        const max = g.maxSize ?? g.desiredSize;
        const min = g.minSize ?? g.desiredSize;
        if (min > g.desiredSize || g.desiredSize > max) {
          ctx.addIssue({
            code: 'custom',
            path: ['clusters', i, j < c.managedNodegroups.length ? 'managedNodegroups' : 'selfManagedGroups', g.name],
            message: `needs minSize <= desiredSize <= maxSize (got ${min} <= ${g.desiredSize} <= ${max})`,
          });
        }
      });
    });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioCluster = Scenario['clusters'][number];
export type ScenarioWorkload = ScenarioCluster['workloads'][number];
export type ScenarioManagedNodegroup = ScenarioCluster['managedNodegroups'][number];
export type ScenarioSelfManagedGroup = ScenarioCluster['selfManagedGroups'][number];
export type ScenarioFault = ScenarioCluster['faults'][number];
export type ScenarioPdb = NonNullable<ScenarioWorkload['pdb']>;

/** A scenario file that does not match the schema; the message lists every field at fault and how to fix it. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

function describeIssues(source: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const at = issue.path.length ? issue.path.join('.') : '(top level)';
    const hint = issue.code === 'unrecognized_keys' ? ' (remove it or check its spelling in docs/scenarios.md)' : '';
    return `  - ${at}: ${issue.message}${hint}`;
  });
  return `${source} is not a valid scenario:\n${lines.join('\n')}`;
}

/** Validates a parsed scenario document. Throws ScenarioError naming each field at fault. */
export function parseScenario(doc: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(doc);
  if (!result.success) throw new ScenarioError(describeIssues(source, result.error));
  return result.data;
}

/** Reads and validates a scenario YAML file. Throws ScenarioError. */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ScenarioError(`cannot read scenario file ${path}: ${(cause as Error).message}`, { cause });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (cause) {
    throw new ScenarioError(`${path} is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  return parseScenario(doc, path);
}
